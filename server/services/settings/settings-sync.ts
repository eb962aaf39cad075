import type { Logger } from 'pino';
import type { Bus } from '../../lib/bus.js';
import type { SettingsService } from './settings-service.js';

const CHANNEL = 'advice:settings:saved';

/**
 * With several processes: a save in one process is told on the bus, and every other process reads
 * the new revision at once (without a bus, or while it is away, each process still reads it within
 * SETTINGS_POLL_SECONDS). Returns the function that stops listening.
 */
export async function shareSettings(
  settings: SettingsService,
  bus: Bus,
  logger: Logger,
): Promise<() => Promise<void>> {
  const unsubscribe = await bus.subscribe(CHANNEL, () => {
    settings
      .refresh()
      .then((applied) => applied && logger.info(settings.current(), 'settings changed by an admin: applied'))
      .catch((err: unknown) => logger.error({ err }, 'reading changed settings failed'));
  });
  const off = settings.onSaved((revision) => bus.publish(CHANNEL, String(revision)));
  return async () => {
    off();
    await unsubscribe();
  };
}
