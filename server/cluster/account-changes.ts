import type { Bus } from '../lib/bus.js';
import type { Services } from '../services/index.js';

const CHANNEL = 'advice:accounts:changed';
const BANS = 'advice:sanctions:changed';

/**
 * What an account's sessions are (its role, name, session version) changed in one process: the
 * others forget what they remember of it (accounts are kept a few seconds per process), so a
 * demoted moderator or a signed-out session is what it is now in every worker at once; and the
 * same for bans.
 */
export async function shareAccountChanges(
  services: Pick<Services, 'events' | 'users' | 'sanctions'>,
  bus: Bus,
): Promise<() => Promise<void>> {
  const unsubscribe = await bus.subscribe(CHANNEL, (userId) => services.users.forget(userId));
  const off = services.events.on('account.sessions', ({ userId }) => bus.publish(CHANNEL, userId));
  // Bans, suspensions and IP blocks: kept a few seconds per process, read again at once everywhere.
  const unsubscribeBans = await bus.subscribe(BANS, () => services.sanctions.forget());
  const offBans = services.sanctions.onChanged(() => bus.publish(BANS, 'changed'));
  return async () => {
    off();
    offBans();
    await unsubscribe();
    await unsubscribeBans();
  };
}
