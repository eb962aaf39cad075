import request from 'supertest';
import { buildTestApp } from '../../setup/app';
import { buildUser, csrfFrom, PASSWORD } from '../../fixtures/users';
import { mongooseHealth } from '../../../server/db/connection';

describe('login rate limit', () => {
  let clock = Date.UTC(2026, 10, 25, 12, 0, 0);
  const { app, services } = buildTestApp(
    { LOGIN_MAX_FAILURES: '5', LOGIN_WINDOW_MINUTES: '15' },
    mongooseHealth(),
    () => clock,
  );

  async function attempt(username: string, password: string) {
    const agent = request.agent(app);
    const csrf = csrfFrom((await agent.get('/login')).text);
    return agent.post('/login').type('form').send({ _csrf: csrf, username, password });
  }

  it('blocks one address from one account after 5 failures in 15 minutes, even with the right password, then lets it in again', async () => {
    const user = await buildUser(services);
    for (let i = 0; i < 5; i += 1)
      expect((await attempt(user.username, 'wrong wrong wrong')).status).toBe(401);
    const blocked = await attempt(user.username, PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.text).toContain('Too many failed sign-in attempts');

    clock += 15 * 60 * 1000 + 1000;
    expect((await attempt(user.username, PASSWORD)).status).toBe(303);
  });

  it('counts failures per IP across accounts too (four times the per-account allowance, for shared addresses), without saying whether accounts exist', async () => {
    clock += 60 * 60 * 1000;
    for (let i = 0; i < 20; i += 1) expect((await attempt(`ghost-${i}`, 'nope nope nope')).status).toBe(401);
    expect((await attempt('ghost-new', 'nope nope nope')).status).toBe(429);
    clock += 16 * 60 * 1000;
    expect((await attempt('ghost-new', 'nope nope nope')).status).toBe(401);
  });
});
