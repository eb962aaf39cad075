import cluster from 'node:cluster';
import type { Logger } from 'pino';
import type { Bus } from '../lib/bus.js';
import type { RedisClient } from '../lib/shared-limiter.js';

export type { Bus };

/** What travels between a worker and the primary (the primary sends it on to the other workers). */
export interface BusMessage {
  advice: 'bus';
  channel: string;
  message: string;
}

export function isBusMessage(value: unknown): value is BusMessage {
  return (value as BusMessage | null)?.advice === 'bus';
}

/** The bus over Redis: a subscriber connection of its own; its own messages are told apart by an id. */
export function redisBus(redis: RedisClient, logger: Logger): Bus {
  const me = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  return {
    publish(channel, message) {
      redis.publish(channel, JSON.stringify({ from: me, message })).catch(() => undefined);
    },
    async subscribe(channel, handler) {
      const sub = redis.duplicate();
      sub.on('error', (err) => logger.error({ err, channel }, 'redis (bus) error'));
      await sub.connect();
      await sub.subscribe(channel, (raw) => {
        let said: { from?: string; message?: string };
        try {
          said = JSON.parse(raw) as { from?: string; message?: string };
        } catch {
          return; // not one of ours (a shared Redis)
        }
        if (said.from !== me && typeof said.message === 'string') handler(said.message);
      });
      return async () => {
        await sub.quit().catch(() => undefined);
      };
    },
  };
}

/** The bus between the workers of one machine: through the primary, over the cluster's IPC channel. */
export function clusterBus(): Bus {
  if (!cluster.isWorker || !process.send) throw new Error('the cluster bus runs in a worker');
  const send = process.send.bind(process);
  return {
    publish(channel, message) {
      const sent: BusMessage = { advice: 'bus', channel, message };
      send(sent, undefined, {}, () => undefined);
    },
    async subscribe(channel, handler) {
      const listener = (value: unknown) => {
        if (isBusMessage(value) && value.channel === channel) handler(value.message);
      };
      process.on('message', listener);
      return async () => {
        process.off('message', listener);
      };
    },
  };
}
