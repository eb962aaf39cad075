import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';

export interface EmbeddedDbOptions {
  binary: string;
  dataDir: string;
  /** host:port; port 0 picks a free one. */
  listen?: string;
  logger?: Logger;
  startTimeoutMs?: number;
}

export interface EmbeddedDb {
  /** mongodb://127.0.0.1:PORT/ */
  uri: string;
  /** host:port it listens on, reusable to restart on the same address. */
  address: string;
  pid: number | undefined;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** True until the process exits. */
  isRunning(): boolean;
  /** SIGTERM, then SIGKILL after `graceMs`. Resolves once exited. */
  stop(graceMs?: number): Promise<void>;
}

export class EmbeddedDbError extends Error {
  override name = 'EmbeddedDbError';
}

/**
 * Starts the embedded FerretDB (tools/embedded-mongo) and resolves once it
 * prints "ready <uri>", which it does only after its port accepts connections.
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
  const dataDir = path.resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const child = spawn(
    binary,
    [
      '-listen',
      options.listen ?? '127.0.0.1:0',
      '-data',
      dataDir,
      '-log-level',
      'error',
      // Our end of its stdin pipe closes when this process dies, however it dies: it then stops.
      '-exit-on-stdin-eof',
      ...(process.env.EMBEDDED_DB_CPUPROFILE ? ['-cpuprofile', process.env.EMBEDDED_DB_CPUPROFILE] : []),
    ],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
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
    const timer = setTimeout(
      () => fail(`The embedded database did not start within ${options.startTimeoutMs ?? 30000} ms.`),
      options.startTimeoutMs ?? 30000,
    );

    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
      options.logger?.warn({ embeddedDb: chunk.trim() }, 'embedded database says');
    });
    child.on('error', (err) => fail(`Could not run the embedded database: ${err.message}`));
    child.once('exit', (code) => fail(`The embedded database exited with code ${code} while starting.`));

    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      const match = /^ready (mongodb:\/\/([^/\s]+)\/?)\s*$/m.exec(stdout);
      if (!match || settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        uri: match[1],
        address: match[2],
        pid: child.pid,
        exited,
        isRunning: () => running,
        stop: (graceMs = 5000) => stopChild(child, exited, graceMs),
      });
    });
  });
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Puts the database name into a mongodb:// URI that names none. */
export function withDatabase(uri: string, dbName: string): string {
  const url = new URL(uri);
  if (url.pathname === '' || url.pathname === '/') url.pathname = `/${dbName}`;
  return url.toString();
}
