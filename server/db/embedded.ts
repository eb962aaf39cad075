import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';

export interface EmbeddedDbOptions {
  binary: string;
  dataDir: string;
  /**
   * `attach` (the default, what the site and its scripts do): use the data directory's database
   * server, starting it if none runs; it stops by itself once no process uses it.
   * `own`: run a server of this process's own, which stops when this process stops it or dies
   * (for tests that stop and restart a server).
   */
  mode?: 'attach' | 'own';
  logger?: Logger;
  startTimeoutMs?: number;
  /** Called when the server died ('down') and when one serves again ('ready'). */
  onServerEvent?: (event: 'down' | 'ready') => void;
}

export interface EmbeddedDb {
  /** mongodb://<the socket's path, escaped>/ */
  uri: string;
  pid: number | undefined;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** True until the process exits. */
  isRunning(): boolean;
  /** Lets go of the database (stops an own server), then SIGKILL after `graceMs`. Resolves once exited. */
  stop(graceMs?: number): Promise<void>;
}

export class EmbeddedDbError extends Error {
  override name = 'EmbeddedDbError';
}

/**
 * Reaches the embedded FerretDB (tools/embedded-mongo) of a data directory, over its Unix socket
 * inside the directory (which is made the owner's alone), and resolves once it prints
 * "ready <uri>", which it does only after the socket accepts connections.
 */
export function startEmbeddedDb(options: EmbeddedDbOptions): Promise<EmbeddedDb> {
  const binary = path.resolve(options.binary);
  if (!existsSync(binary)) {
    return Promise.reject(
      new EmbeddedDbError(
        `The embedded database binary ${binary} is missing. Build it with \`npm run build:db\` ` +
          '(needs Go), or set MONGODB_URI to use your own MongoDB server.',
      ),
    );
  }
  const mode = options.mode ?? 'attach';
  const profile = process.env.EMBEDDED_DB_CPUPROFILE
    ? ['-cpuprofile', process.env.EMBEDDED_DB_CPUPROFILE]
    : [];
  const child = spawn(
    binary,
    mode === 'attach'
      ? ['attach', '-data', path.resolve(options.dataDir), '-log-level', 'error', ...profile]
      : // Our end of its stdin pipe closes when this process dies, however it dies: it then stops.
        [
          'serve',
          '-data',
          path.resolve(options.dataDir),
          '-log-level',
          'error',
          '-exit-on-stdin-eof',
          ...profile,
        ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let stderr = '';
    let settled = false;
    let running = true;
    const exited = new Promise<number | null>((resolveExit) => {
      child.once('exit', (code) => {
        running = false;
        resolveExit(code);
      });
    });
    const fail = (message: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new EmbeddedDbError(`${message}${stderr ? `\n${stderr.trim()}` : ''}`));
    };
    const timeoutMs = options.startTimeoutMs ?? 60000;
    const timer = setTimeout(
      () => fail(`The embedded database did not start within ${timeoutMs} ms.`),
      timeoutMs,
    );

    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
      options.logger?.warn({ embeddedDb: chunk.trim() }, 'embedded database says');
    });
    child.on('error', (err) => fail(`Could not run the embedded database: ${err.message}`));
    child.once('exit', (code) => fail(`The embedded database exited with code ${code} while starting.`));

    let buffered = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffered += chunk;
      let end: number;
      while ((end = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, end).trim();
        buffered = buffered.slice(end + 1);
        const ready = /^ready (mongodb:\/\/\S+)$/.exec(line);
        if (line === 'down') options.onServerEvent?.('down');
        if (!ready) continue;
        if (settled) {
          options.onServerEvent?.('ready');
          continue;
        }
        settled = true;
        clearTimeout(timer);
        resolve({
          uri: ready[1],
          pid: child.pid,
          exited,
          isRunning: () => running,
          stop: (graceMs = 5000) => stopChild(child, exited, graceMs),
        });
      }
    });
  });
}

/** Closes its standard input (an attached process lets go, an own server stops), then SIGTERM, then SIGKILL. */
async function stopChild(child: ChildProcess, exited: Promise<unknown>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.stdin?.end();
  const term = setTimeout(() => child.kill('SIGTERM'), Math.min(graceMs, 2000));
  const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(term);
  clearTimeout(kill);
}

/** Puts the database name into a mongodb:// URI that names none. */
export function withDatabase(uri: string, dbName: string): string {
  const url = new URL(uri);
  if (url.pathname === '' || url.pathname === '/') url.pathname = `/${dbName}`;
  return url.toString();
}
