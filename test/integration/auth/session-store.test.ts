import { SessionModel } from '../../../models/session';
import { MongoSessionStore } from '../../../server/auth/session-store';

describe('MongoSessionStore', () => {
  const store = new MongoSessionStore({ maxAgeMs: 60000, sweepEveryMs: 0 });
  const get = (sid: string) =>
    new Promise((resolve, reject) => store.get(sid, (err, data) => (err ? reject(err) : resolve(data))));
  const set = (sid: string, expires: Date) =>
    new Promise<void>((resolve, reject) =>
      store.set(sid, { cookie: { expires, originalMaxAge: 60000 } } as never, (err) =>
        err ? reject(err) : resolve(),
      ),
    );

  it('stores, reads and destroys sessions by id', async () => {
    await set('live', new Date(Date.now() + 60000));
    expect(await get('live')).toMatchObject({ cookie: { originalMaxAge: 60000 } });
    await new Promise((resolve) => store.destroy('live', resolve));
    expect(await get('live')).toBeNull();
  });

  it('ignores expired sessions on read and sweeps them (no TTL index on the embedded database)', async () => {
    await set('old', new Date(Date.now() - 1000));
    await set('fresh', new Date(Date.now() + 60000));
    expect(await get('old')).toBeNull();
    expect(await store.sweep()).toBe(1);
    expect(await SessionModel.exists({ _id: 'old' })).toBeNull();
    expect(await SessionModel.exists({ _id: 'fresh' })).not.toBeNull();
  });
});
