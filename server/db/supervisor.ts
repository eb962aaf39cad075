import type { Logger } from 'pino';
import { startEmbeddedDb, type EmbeddedDb, type EmbeddedDbOptions } from './embedded.js';

/**
 * Keeps the embedded database running: if it dies, logs it and restarts it on
 * the same address (so the driver reconnects by itself), with backoff. While
 * it is down the readiness check fails and requests get 503.
 */
export class EmbeddedDbSupervisor {
  private current: EmbeddedDb | undefined;
  private stopping = false;
  private restarts = 0;

  constructor(
    private readonly options: EmbeddedDbOptions,
    private readonly logger: Logger,
    private readonly maxRestarts = 5,
  ) {}

  async start(): Promise<EmbeddedDb> {
    this.current = await startEmbeddedDb({ ...this.options, logger: this.logger });
    this.logger.info({ uri: this.current.uri, dataDir: this.options.dataDir }, 'embedded database started');
    void this.watch(this.current);
    return this.current;
  }

  isRunning(): boolean {
    return this.current?.isRunning() ?? false;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.current?.stop();
  }

  private async watch(db: EmbeddedDb): Promise<void> {
    const code = await db.exited;
    if (this.stopping) return;
    this.logger.error({ code }, 'embedded database exited unexpectedly; the site reports not-ready');
    while (!this.stopping && this.restarts < this.maxRestarts) {
      this.restarts += 1;
      const delay = Math.min(500 * 2 ** this.restarts, 10000);
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
      if (this.stopping) return;
      try {
        this.current = await startEmbeddedDb({ ...this.options, listen: db.address, logger: this.logger });
        this.logger.info({ attempt: this.restarts }, 'embedded database restarted');
        void this.watch(this.current);
        return;
      } catch (err) {
        this.logger.error({ err, attempt: this.restarts }, 'embedded database restart failed');
      }
    }
    if (!this.stopping) this.logger.fatal('embedded database is down and will not be restarted');
  }
}
