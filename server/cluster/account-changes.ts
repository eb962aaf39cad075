import type { Bus } from '../lib/bus.js';
import type { Services } from '../services/index.js';

const CHANNEL = 'advice:accounts:changed';

/**
 * What an account's sessions are (its role, name, session version) changed in one process: the
 * others forget what they remember of it (accounts are kept a few seconds per process), so a
 * demoted moderator or a signed-out session is what it is now in every worker at once.
 */
export async function shareAccountChanges(
  services: Pick<Services, 'events' | 'users'>,
  bus: Bus,
): Promise<() => Promise<void>> {
  const unsubscribe = await bus.subscribe(CHANNEL, (userId) => services.users.forget(userId));
  const off = services.events.on('account.sessions', ({ userId }) => bus.publish(CHANNEL, userId));
  return async () => {
    off();
    await unsubscribe();
  };
}
