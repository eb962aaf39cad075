import mongoose from 'mongoose';
import { runScriptProcess } from './script-process';

/**
 * Runs `npm run import`'s script (scripts/import.ts, through tsx) on this test file's database, as
 * an operator would (with `env` added); resolves with what it printed, rejects with it when it exits non-zero.
 */
export async function runImportScript(args: string[], env: Record<string, string> = {}): Promise<string> {
  const uri = `${process.env.TEST_MONGODB_URI!.replace(/\/$/, '')}/${mongoose.connection.db!.databaseName}`;
  const { code, output } = await runScriptProcess('import', args, { MONGODB_URI: uri, ...env });
  if (code !== 0) throw new Error(`import exited ${code}:\n${output}`);
  return output;
}
