import { spawn, type ChildProcess } from 'node:child_process';

/**
 * Starts the built server (`dist/server/index.js` in `cwd`) on a benchmark's database, in production
 * mode on a free port, and resolves once it says which port it took. `env` adds the benchmark's own
 * settings; `echo` passes the server's output through (else it is dropped once the port is known).
 */
export function startBuiltServer(options: {
  cwd: string;
  /** MONGODB_URI; or `dataDir`: the embedded database of that directory, as `npm start` uses it. */
  uri?: string;
  dataDir?: string;
  secret: string;
  nodeArgs?: string[];
  env?: Record<string, string>;
  echo?: boolean;
}): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), 'dist/server/index.js'], {
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      MONGODB_URI: options.uri ?? '',
      ...(options.dataDir && { DATA_DIR: options.dataDir }),
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      SEED_ON_EMPTY: 'false',
      SESSION_SECRET: options.secret,
      SITE_URL: 'http://127.0.0.1',
      REDIS_URL: '',
      // One process unless the benchmark asks for workers (its own row).
      WEB_CONCURRENCY: '1',
      // One address sends everything here; the pace and sign-in limits have their own tests.
      COMMENT_INTERVAL_SECONDS: '0',
      LOGIN_MAX_SIGNINS: '100000',
      ...options.env,
    },
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"port":(\d+)/.exec(out);
      if (match) {
        child.stdout!.removeAllListeners('data');
        if (options.echo) child.stdout!.pipe(process.stdout);
        else child.stdout!.resume();
        resolve({ child, base: `http://127.0.0.1:${match[1]}` });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out.slice(-2000)}`)));
  });
}
