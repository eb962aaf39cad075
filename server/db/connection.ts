import mongoose from 'mongoose';
import type { Logger } from 'pino';
import { fixDriverWriteHang } from './driver-fix.js';

// Fail fast instead of queueing queries while the database is away: a request
// gets a 503 at once rather than hanging for the buffer timeout.
mongoose.set('bufferCommands', false);
// `{ "$ne": null }` in a filter built from user input is treated as a literal.
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', true);
// Indexes are created once after connecting (ensureIndexes), not on model compile,
// which would race the connection when commands are not buffered.
mongoose.set('autoIndex', false);
mongoose.set('autoCreate', false);

export interface DatabaseHealth {
  /** Cheap check for request gating: is the driver connected right now? */
  isConnected(): boolean;
  /** Round-trip to the server; false on error or after `timeoutMs`. */
  ping(timeoutMs?: number): Promise<boolean>;
}

/** Connects the shared Mongoose connection that the models use. */
export async function connectMongoose(uri: string, logger?: Logger): Promise<typeof mongoose> {
  if (!fixDriverWriteHang()) {
    logger?.warn(
      'the MongoDB driver changed inside: its fix for writes on a closed connection is not applied',
    );
  }
  const conn = mongoose.connection;
  conn.removeAllListeners('disconnected').removeAllListeners('reconnected');
  conn.on('disconnected', () => logger?.warn('database disconnected'));
  conn.on('reconnected', () => logger?.info('database reconnected'));
  await mongoose.connect(uri, {
    serverSelectionTimeoutMS: 3000,
    heartbeatFrequencyMS: 2000,
    connectTimeoutMS: 3000,
    maxPoolSize: 20,
    // A query waiting for a connection while the database restarts gives up after 5 s (a 503)
    // rather than never: the pool is paused until the driver sees the server again, and a
    // request waiting on it hung (the database killed under load, in test/faults/crash.test.ts).
    waitQueueTimeoutMS: 5000,
  });
  await ensureIndexes();
  return mongoose;
}

/** Creates every registered model's collection and indexes (idempotent). */
export async function ensureIndexes(): Promise<void> {
  for (const model of Object.values(mongoose.models)) {
    await model.createCollection().catch((err: { codeName?: string }) => {
      if (err.codeName !== 'NamespaceExists') throw err;
    });
    await model.createIndexes();
  }
}

export function mongooseHealth(): DatabaseHealth {
  return {
    isConnected: () => mongoose.connection.readyState === mongoose.ConnectionStates.connected,
    async ping(timeoutMs = 1500) {
      const db = mongoose.connection.db;
      if (!db) return false;
      let timer: NodeJS.Timeout | undefined;
      try {
        return await Promise.race([
          db
            .admin()
            .command({ ping: 1 }, { timeoutMS: timeoutMs })
            .then(() => true),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(false), timeoutMs);
          }),
        ]);
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export async function disconnectMongoose(): Promise<void> {
  // An intended close is not worth a warning.
  mongoose.connection.removeAllListeners('disconnected');
  await mongoose.disconnect();
}
