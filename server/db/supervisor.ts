import type { Logger } from 'pino';
import { startEmbeddedDb, type EmbeddedDb, type EmbeddedDbOptions } from './embedded.js';

/**
 * Keeps this process attached to the data directory's embedded database. The attached helper
 * restarts a server that dies (whichever attached process notices first does it, on the same
 * socket, so the driver reconnects by itself); if the helper itself dies, this restarts it, with
 * backoff. While the database is down the readiness check fails and requests get 503.
 */
export class EmbeddedDbSupervisor {
  private current: EmbeddedDb | undefined;
  private stopping = false;
  private restarts = 0;
  private attachedAt = 0;

  constructor(
    private readonly options: EmbeddedDbOptions,
    private readonly logger: Logger,
    private readonly maxRestarts = 5,
  ) {}

  async start(): Promise<EmbeddedDb> {
    this.current = await this.attach();
    this.attachedAt = Date.now();
    this.logger.info({ uri: this.current.uri, dataDir: this.options.dataDir }, 'embedded database attached');
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

  private attach(): Promise<EmbeddedDb> {
    return startEmbeddedDb({
      ...this.options,
      logger: this.logger,
      onServerEvent: (event) => {
        if (event === 'down') this.logger.error('embedded database server died; restarting it');
        else this.logger.info('embedded database server serves again');
      },
    });
  }

  private async watch(db: EmbeddedDb): Promise<void> {
    const code = await db.exited;
    if (this.stopping) return;
    this.logger.error({ code }, 'embedded database helper exited unexpectedly; the site reports not-ready');
    // The limit is on restarts in a row: a helper that stayed up a while starts the count again.
    if (Date.now() - this.attachedAt > 60000) this.restarts = 0;
    while (!this.stopping && this.restarts < this.maxRestarts) {
      this.restarts += 1;
      const delay = Math.min(500 * 2 ** this.restarts, 10000);
      await new Promise((resolve) => setTimeout(resolve, delay).unref());
      if (this.stopping) return;
      try {
        this.current = await this.attach();
        this.attachedAt = Date.now();
        this.logger.info({ attempt: this.restarts }, 'embedded database attached again');
        void this.watch(this.current);
        return;
      } catch (err) {
        this.logger.error({ err, attempt: this.restarts }, 'embedded database restart failed');
      }
    }
    if (!this.stopping) this.logger.fatal('embedded database is down and will not be restarted');
  }
}
