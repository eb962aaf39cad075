import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { connectMongoose } from '../../server/db/connection';
import { withDatabase } from '../../server/db/embedded';

/**
 * Each test file gets its own database on the shared embedded server, so
 * files run in parallel without seeing each other's data. Files that manage
 * their own database server set `process.env.TEST_OWN_DATABASE = '1'` first.
 */
const dbName = `test_${path()}_${randomBytes(3).toString('hex')}`;

function path(): string {
  const file = expect.getState().testPath ?? 'file';
  return (file.split('/').pop() ?? 'file')
    .replace(/\.test\.ts$/, '')
    .replace(/[^a-z0-9]/gi, '_')
    .slice(0, 30);
}

beforeAll(async () => {
  if (process.env.TEST_OWN_DATABASE === '1') return;
  const uri = process.env.TEST_MONGODB_URI;
  if (!uri) throw new Error('TEST_MONGODB_URI is not set: the global setup did not start the database');
  await connectMongoose(withDatabase(uri, dbName));
});

afterAll(async () => {
  if (process.env.TEST_OWN_DATABASE === '1') return;
  await mongoose.connection.db?.dropDatabase().catch(() => undefined);
  await mongoose.disconnect();
});
