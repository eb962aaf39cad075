import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedDb, type EmbeddedDb } from '../../server/db/embedded';
import { EMBEDDED_DB_BINARY } from './paths';

declare global {
  var __EMBEDDED_DB__: EmbeddedDb | undefined;
}

/**
 * Starts one embedded FerretDB for the whole run (unless TEST_MONGODB_URI
 * points at a server already); each test file then uses its own database.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_MONGODB_URI) return;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'advice-test-db-'));
  const db = await startEmbeddedDb({ binary: EMBEDDED_DB_BINARY, dataDir });
  globalThis.__EMBEDDED_DB__ = db;
  process.env.TEST_MONGODB_URI = db.uri;
  process.env.TEST_DB_DATA_DIR = dataDir;
}
