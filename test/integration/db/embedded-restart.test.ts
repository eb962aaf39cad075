import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import request from 'supertest';
import { PostModel } from '../../../models/post';
import { connectMongoose, mongooseHealth } from '../../../server/db/connection';
import { startEmbeddedDb, withDatabase, type EmbeddedDb } from '../../../server/db/embedded';
import { buildPost } from '../../fixtures/factories';
import { buildTestApp } from '../../setup/app';
import { EMBEDDED_DB_BINARY } from '../../setup/paths';

// This file stops and restarts a database server, so it runs its own.
process.env.TEST_OWN_DATABASE = '1';

async function eventually(check: () => Promise<boolean>, timeoutMs = 15000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('embedded database lifecycle', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'advice-restart-'));
  let db: EmbeddedDb;
  const { app } = buildTestApp();

  beforeAll(async () => {
    db = await startEmbeddedDb({ binary: EMBEDDED_DB_BINARY, dataDir, mode: 'own' });
    await connectMongoose(withDatabase(db.uri, 'restart'));
  });

  afterAll(async () => {
    await mongoose.disconnect();
    await db.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reports ready, then 503 while the database is stopped, then ready again', async () => {
    await request(app).get('/readyz').expect(200, { status: 'ready', database: 'up' });

    await db.stop();
    expect(db.isRunning()).toBe(false);
    await request(app).get('/readyz').expect(503, { status: 'not ready', database: 'unreachable' });
    await request(app).get('/healthz').expect(200);

    const started = Date.now();
    const page = await request(app).get('/');
    expect(page.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(5000);
    const api = await request(app).get('/api/posts');
    expect(api.status).toBe(503);
    expect(api.body.error.code).toBe('service_unavailable');

    db = await startEmbeddedDb({ binary: EMBEDDED_DB_BINARY, dataDir, mode: 'own' });
    await eventually(async () => (await request(app).get('/readyz')).status === 200);
    await eventually(async () => mongooseHealth().isConnected());
    await request(app).get('/').expect(200);
  });

  it('keeps data written before a restart', async () => {
    const post = await buildPost({ title: 'Written before the restart' });
    await db.stop();
    db = await startEmbeddedDb({ binary: EMBEDDED_DB_BINARY, dataDir, mode: 'own' });
    await eventually(async () => mongooseHealth().ping());
    const found = await PostModel.findById(post._id).lean();
    expect(found?.title).toBe('Written before the restart');
  });
});
