import cluster, { type Worker } from 'node:cluster';
import { setupPrimary } from '@socket.io/cluster-adapter';
import type { Logger } from 'pino';
import { isBusMessage } from './bus.js';
import { hostLimits } from './limits.js';

/** Waits for a worker to listen (true), or to exit first (false). */
function listening(worker: Worker): Promise<boolean> {
  return new Promise((resolve) => {
    const onListening = () => {
      worker.off('exit', onExit);
      resolve(true);
    };
    const onExit = () => {
      worker.off('listening', onListening);
      resolve(false);
    };
    worker.once('listening', onListening);
    worker.once('exit', onExit);
  });
}

function exited(worker: Worker): Promise<void> {
  return new Promise((resolve) => {
    if (worker.isDead()) resolve();
    else worker.once('exit', () => resolve());
  });
}

/**
 * The primary of WEB_CONCURRENCY web workers on one machine: it forks them one after another (the
 * first opens the embedded database and runs what start-up runs once; the others attach to it
 * through the data directory's socket), shares the port among them (Node's cluster), carries their
 * messages to each other (live updates through @socket.io/cluster-adapter, the bus for caches and
 * settings) and keeps the rate limits for all of them. A worker that dies is replaced. SIGHUP
 * replaces them one at a time, each new one listening before the old one drains and goes, so no
 * request is dropped; SIGTERM and SIGINT stop them all, each finishing what it serves.
 */
export async function runPrimary(count: number, logger: Logger): Promise<void> {
  setupPrimary();
  const stopLimits = hostLimits();
  cluster.on('message', (from, value) => {
    if (!isBusMessage(value)) return;
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (worker && worker !== from && worker.isConnected()) worker.send(value);
    }
  });
  let stopping = false;
  const leaving = new Set<number>();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping || leaving.has(worker.id)) return;
    logger.error({ worker: worker.process.pid, code, signal }, 'a web worker died: starting another');
    setTimeout(() => void start(), 1000).unref();
  });
  const start = async (): Promise<Worker | undefined> => {
    const worker = cluster.fork();
    return (await listening(worker)) ? worker : undefined;
  };

  for (let i = 0; i < count; i += 1) {
    if (!(await start())) {
      logger.fatal('a web worker could not start: stopping');
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
      process.exit(1);
    }
  }
  logger.info({ workers: count }, `${count} web workers are listening`);

  let restarting = false;
  process.on('SIGHUP', () => {
    if (restarting || stopping) return;
    restarting = true;
    void (async () => {
      const old = Object.values(cluster.workers ?? {}).filter((w): w is Worker => Boolean(w));
      logger.info({ workers: old.length }, 'SIGHUP: replacing the web workers one at a time');
      for (const worker of old) {
        if (stopping) break;
        const fresh = await start();
        if (!fresh) {
          logger.error('a new web worker did not start: keeping the old ones');
          break;
        }
        leaving.add(worker.id);
        worker.process.kill('SIGTERM');
        await exited(worker);
      }
      restarting = false;
      logger.info('web workers replaced');
    })();
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping the web workers');
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => Boolean(w));
    // Ctrl-C reaches the workers too (one process group); a service manager's SIGTERM does not.
    if (signal === 'SIGTERM') for (const worker of workers) worker.process.kill('SIGTERM');
    void Promise.all(workers.map(exited)).then(() => {
      stopLimits();
      logger.info('every web worker has stopped');
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
