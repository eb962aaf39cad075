import { spawn } from 'node:child_process';
import os from 'node:os';
import mongoose from 'mongoose';
import { ROOT } from './paths';

/**
 * Runs `npm run import`'s script (scripts/import.ts, through tsx) on this test file's database, as
 * an operator would; resolves with what it printed, rejects with it when it exits non-zero.
 */
export function runImportScript(args: string[]): Promise<string> {
  const uri = `${process.env.TEST_MONGODB_URI!.replace(/\/$/, '')}/${mongoose.connection.db!.databaseName}`;
  return new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/import.ts', ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: os.homedir(), MONGODB_URI: uri, SEED_ON_EMPTY: 'false' },
    });
    let text = '';
    child.stdout.on('data', (c: Buffer) => (text += c.toString()));
    child.stderr.on('data', (c: Buffer) => (text += c.toString()));
    child.on('exit', (code) =>
      code === 0 ? resolve(text) : reject(new Error(`import exited ${code}:\n${text}`)),
    );
  });
}
