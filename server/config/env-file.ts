import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * Reads settings from a `.env` file in the working directory, if there is one (Node's own
 * parser, as `node --env-file` uses). Variables already set in the environment win.
 * Returns the file read, or null.
 */
export function readEnvFile(file = path.resolve('.env')): string | null {
  if (!existsSync(file)) return null;
  process.loadEnvFile(file);
  return file;
}
