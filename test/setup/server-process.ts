import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { ROOT } from './paths';

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** The real entry point (server/index.ts) as its own process, as `npm start` runs it, once it listens. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: os.homedir(),
      PORT: '0',
      HOST: '127.0.0.1',
      SEED_ON_EMPTY: 'false',
      SITE_URL: 'http://127.0.0.1',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 45000;
  while (Date.now() < deadline) {
    const match = /"port":(\d+)/.exec(output);
    if (match) return { child, url: `http://127.0.0.1:${match[1]}`, output: () => output, exited };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server process did not start:\n${output}`);
}

/** A guest's form on a post page: its token, and a poster of comments with it. */
export async function guestWriter(url: string, slug: string, name: string) {
  const page = await (await fetch(`${url}/posts/${slug}`)).text();
  const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
  return (body: string, options: { close?: boolean } = {}) =>
    fetch(`${url}/posts/${slug}/comments`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        // A new connection per request (no keep-alive), when a test needs to tell refused from cut off.
        ...(options.close && { connection: 'close' }),
      },
      body: new URLSearchParams({ _csrf: token, name, body, parent: '' }),
      redirect: 'manual',
    });
}
