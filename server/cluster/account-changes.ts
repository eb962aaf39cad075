import type { Bus } from '../lib/bus.js';
import type { Services } from '../services/index.js';
import type { MongoSessionStore } from '../auth/session-store.js';

const CHANNEL = 'advice:accounts:changed';
const BANS = 'advice:sanctions:changed';
const SESSIONS = 'advice:sessions:ended';

/**
 * What an account's sessions are (its role, name, session version) changed in one process: the
 * others forget what they remember of it (accounts are kept a few seconds per process), so a
 * demoted moderator or a signed-out session is what it is now in every worker at once; and the
 * same for bans.
 */
export async function shareAccountChanges(
  services: Pick<Services, 'events' | 'users' | 'sanctions'>,
  sessions: Pick<MongoSessionStore, 'forget' | 'onDestroyed'>,
  bus: Bus,
): Promise<() => Promise<void>> {
  const unsubscribe = await bus.subscribe(CHANNEL, (userId) => services.users.forget(userId));
  const off = services.events.on('account.sessions', ({ userId }) => bus.publish(CHANNEL, userId));
  // Bans, suspensions and IP blocks: kept a few seconds per process, read again at once everywhere.
  const unsubscribeBans = await bus.subscribe(BANS, () => services.sanctions.forget());
  const offBans = services.sanctions.onChanged(() => bus.publish(BANS, 'changed'));
  // A session ended (signed out) in one worker is not honoured from memory by another.
  const unsubscribeSessions = await bus.subscribe(SESSIONS, (sid) => sessions.forget(sid));
  const offSessions = sessions.onDestroyed((sid) => bus.publish(SESSIONS, sid));
  return async () => {
    off();
    offBans();
    offSessions();
    await Promise.all([unsubscribe(), unsubscribeBans(), unsubscribeSessions()]);
  };
}
