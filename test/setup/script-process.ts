import { spawn } from 'node:child_process';
import os from 'node:os';
import { ROOT } from './paths';

export interface ScriptResult {
  code: number | null;
  output: string;
}

/**
 * Runs one of the operator's scripts (scripts/NAME.ts, through tsx: the same code `npm run NAME`
 * runs compiled) with the given environment, as an operator would from another terminal.
 */
export function runScriptProcess(
  name: string,
  args: string[],
  env: Record<string, string>,
): Promise<ScriptResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${name}.ts`, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: os.homedir(), SEED_ON_EMPTY: 'false', ...env },
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}
