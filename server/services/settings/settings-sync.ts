import type { Logger } from 'pino';
import type { RedisClient } from '../../lib/shared-limiter.js';
import type { SettingsService } from './settings-service.js';

const CHANNEL = 'advice:settings:saved';

/**
 * With several processes and Redis: a save in one process is announced on a channel, and every
 * process reads the new revision at once (without Redis, or while it is away, each process still
 * reads it within SETTINGS_POLL_SECONDS). Returns the function that stops listening.
 */
export async function shareSettings(
  settings: SettingsService,
  redis: RedisClient,
  logger: Logger,
): Promise<() => Promise<void>> {
  const sub = redis.duplicate();
  sub.on('error', (err) => logger.error({ err }, 'redis (settings) error'));
  await sub.connect();
  await sub.subscribe(CHANNEL, () => {
    settings
      .refresh()
      .then((applied) => applied && logger.info(settings.current(), 'settings changed by an admin: applied'))
      .catch((err: unknown) => logger.error({ err }, 'reading changed settings failed'));
  });
  const off = settings.onSaved((revision) => {
    redis.publish(CHANNEL, String(revision)).catch(() => undefined);
  });
  return async () => {
    off();
    await sub.quit().catch(() => undefined);
  };
}
