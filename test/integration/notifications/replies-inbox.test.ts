import * as cheerio from 'cheerio';
import { buildPost, postComment } from '../../fixtures/factories';
import { PASSWORD, signIn } from '../../fixtures/users';
import { buildTestApp } from '../../setup/app';

describe('replies to you: the header count and the replies page', () => {
  const { app, services } = buildTestApp();

  it('counts replies to an account’s comments (not its own), lists them newest first, and marks them read', async () => {
    const post = await buildPost();
    const me = await services.users.register({ username: 'Inbox Ida', password: PASSWORD, email: '' });
    const mine = await postComment(services, post, { body: 'My comment.' }, { user: me });
    await postComment(services, post, { parent: String(mine._id), body: 'Talking to myself.' }, { user: me });
    const first = await postComment(services, post, {
      parent: String(mine._id),
      name: 'First Fox',
      body: 'First reply.',
    });
    const second = await postComment(services, post, {
      parent: String(first._id),
      name: 'Not For Ida',
      body: 'A reply to Fox.',
    });
    const third = await postComment(services, post, {
      parent: String(mine._id),
      name: 'Second Sol',
      body: 'Second reply.',
    });
    expect(String(second._id)).not.toBe(''); // a reply to someone else: not in Ida's inbox

    const { agent } = await signIn(app, 'Inbox Ida');
    const home = cheerio.load((await agent.get('/').expect(200)).text);
    expect(home('[data-unread-count]').text()).toBe('2');
    expect(home('[data-unread-replies]').attr('hidden')).toBeUndefined();
    expect(home('.replies-link').text()).toBe('Replies2 unread');

    const page = cheerio.load((await agent.get('/account/replies').expect(200)).text);
    expect(
      page('.profile-comment .comment__meta strong')
        .map((_i, el) => page(el).text())
        .get(),
    ).toEqual(['Second Sol', 'First Fox']);
    expect(page('.profile-comment--unread')).toHaveLength(2);
    expect(page(`a[href="/posts/${post.slug}/comments/${String(third._id)}"]`)).toHaveLength(1);
    expect(page('[data-unread-replies]').attr('hidden')).toBeDefined();

    // Looked at: read, on every page's header.
    const after = cheerio.load((await agent.get('/').expect(200)).text);
    expect(after('[data-unread-replies]').attr('hidden')).toBeDefined();
    const again = cheerio.load((await agent.get('/account/replies').expect(200)).text);
    expect(again('.profile-comment--unread')).toHaveLength(0);
    expect(again('.profile-comment')).toHaveLength(2);
    expect(await services.inbox.unreadCount(me.id)).toBe(0);
  });
});
