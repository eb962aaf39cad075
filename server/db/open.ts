import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import { ROOT_DIR } from '../paths.js';
import { connectMongoose, disconnectMongoose } from './connection.js';
import { withDatabase } from './embedded.js';
import { EmbeddedDbSupervisor } from './supervisor.js';

export interface OpenDatabase {
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Connects Mongoose to MONGODB_URI, or, when it is empty, starts the embedded
 * FerretDB on DATA_DIR (kept running by a supervisor) and connects to that.
 */
export async function openDatabase(config: Config, logger: Logger): Promise<OpenDatabase> {
  let supervisor: EmbeddedDbSupervisor | undefined;
  let uri = config.mongodbUri;
  if (!uri) {
    supervisor = new EmbeddedDbSupervisor(
      {
        binary: path.resolve(ROOT_DIR, config.embeddedDbBinary),
        dataDir: path.resolve(ROOT_DIR, config.dataDir),
      },
      logger,
    );
    uri = (await supervisor.start()).uri;
  }
  try {
    await connectMongoose(withDatabase(uri, config.dbName), logger);
  } catch (err) {
    await supervisor?.stop();
    throw err;
  }
  return {
    embedded: Boolean(supervisor),
    async close() {
      await disconnectMongoose().catch((err: unknown) => logger.warn({ err }, 'database close failed'));
      await supervisor?.stop();
    },
  };
}
