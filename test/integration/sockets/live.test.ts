import * as cheerio from 'cheerio';
import { Types } from 'mongoose';
import request from 'supertest';
import type { Socket } from 'socket.io-client';
import { CommentModel } from '../../../models/comment';
import { buildPost, postComment } from '../../fixtures/factories';
import { buildTestApp, guestForm } from '../../setup/app';
import { buildUser } from '../../fixtures/users';
import { collect, join, listenLive, next, pause, socketClient } from '../../setup/live';

describe('live threads over Socket.IO', () => {
  const test = buildTestApp({ COMMENTS_MAX_DEPTH: '3', SOCKET_EVENTS_PER_10S: '50' });
  const { app, services } = test;
  let server: Awaited<ReturnType<typeof listenLive>>;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    server = await listenLive(test);
  });
  afterEach(() => sockets.splice(0).forEach((s) => s.disconnect()));
  afterAll(async () => server.close());

  async function reader(): Promise<Socket> {
    const socket = await socketClient(server.url);
    sockets.push(socket);
    return socket;
  }

  it('sends a new reply to readers of the post, with its parent and rendered HTML, and not to readers of another post', async () => {
    const post = await buildPost();
    const other = await buildPost();
    const parent = await postComment(services, post, { name: 'Parent Pam', body: 'Top comment' });
    const here = await reader();
    const elsewhere = await reader();
    expect((await join(here, String(post._id))).ok).toBe(true);
    expect((await join(elsewhere, String(other._id))).ok).toBe(true);
    const strays = collect(elsewhere, 'comment:created');

    const arriving = next<{
      comment: { id: string; number: number; parentId: string; html: string };
      total: number;
    }>(here, 'comment:created');
    await request(app)
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ _csrf: guestForm(), name: 'Live Lou', body: 'A *live* reply', parent: String(parent._id) })
      .expect(303);
    const event = await arriving;
    expect(event.comment.parentId).toBe(String(parent._id));
    expect(event.comment.number).toBe(2);
    expect(event.total).toBe(2);
    const $ = cheerio.load(event.comment.html);
    expect($('li.comment').attr('id')).toBe(`comment-${event.comment.id}`);
    expect($('.comment__author').text()).toBe('Live Lou');
    expect($('.comment__body em').text()).toBe('live');
    expect($('.comment__number').text()).toBe('#2');
    expect($('.comment__reply').attr('href')).toBe(`/posts/${post.slug}?replyto=${event.comment.id}#respond`);
    await pause(300);
    expect(strays).toEqual([]);
  });

  it('places replies past the depth cap under their deepest shown ancestor', async () => {
    const post = await buildPost();
    const a = await postComment(services, post, { name: 'A' });
    const b = await postComment(services, post, { name: 'B', parent: String(a._id) });
    const c = await postComment(services, post, { name: 'C', parent: String(b._id) });
    // Let the room go quiet: comments close together are sent together (comments:created).
    await pause(120);
    const here = await reader();
    await join(here, String(post._id));
    const arriving = next<{ comment: { parentId: string; html: string } }>(here, 'comment:created');
    await postComment(services, post, { name: 'D', parent: String(c._id) });
    const event = await arriving;
    expect(event.comment.parentId).toBe(String(b._id));
    expect(cheerio.load(event.comment.html)('.comment__replying-to').text()).toContain('replying to C (#3)');
  });

  it('never sends pending or removed comments to readers', async () => {
    const post = await buildPost();
    const here = await reader();
    await join(here, String(post._id));
    const received = collect(here, 'comment:created');
    for (const status of ['pending', 'removed'] as const) {
      const _id = new Types.ObjectId();
      await CommentModel.create({
        _id,
        post: post._id,
        root: _id,
        depth: 0,
        number: status === 'pending' ? 1 : 2,
        authorName: 'Hidden',
        bodySource: 'x',
        bodyHtml: '<p>x</p>',
        status,
      });
      await services.posts.touchThread(post._id, 0);
      services.events.emit('comment.created', { postId: post._id, commentId: _id });
    }
    await pause(500);
    expect(received).toEqual([]);
    const caughtUp = await join(here, String(post._id), 0);
    expect(caughtUp.missed).toEqual([]);
  });

  it('sends a reconnecting reader exactly the comments it missed', async () => {
    const post = await buildPost();
    for (let i = 1; i <= 3; i += 1) await postComment(services, post, { name: `Seen ${i}` });
    const first = await reader();
    await join(first, String(post._id));
    first.disconnect();
    for (let i = 4; i <= 6; i += 1) await postComment(services, post, { name: `Missed ${i}` });

    const again = await reader();
    const reply = await join(again, String(post._id), 3);
    expect(reply.missed.map((c) => c.number)).toEqual([4, 5, 6]);
    expect(reply.missed.map((c) => cheerio.load(c.html)('.comment__author').text())).toEqual([
      'Missed 4',
      'Missed 5',
      'Missed 6',
    ]);
    expect(reply.total).toBe(6);
    expect((await join(again, String(post._id), 6)).missed).toEqual([]);
  });

  it('tells readers how many are reading, and relays "someone is replying" to others only', async () => {
    const post = await buildPost();
    const parent = await postComment(services, post);
    const one = await reader();
    const two = await reader();
    await join(one, String(post._id));
    const counted = next<{ readers: number }>(one, 'presence');
    await join(two, String(post._id));
    expect((await counted).readers).toBe(2);

    const echoes = collect(one, 'typing');
    const typing = next<{ parentId: string }>(two, 'typing');
    one.emit('typing', { parentId: String(parent._id) });
    one.emit('typing', { parentId: String(parent._id) }); // throttled: at most one per 2 s
    expect(await typing).toEqual({ parentId: String(parent._id) });
    await pause(300);
    expect(echoes).toEqual([]);
  });

  it('broadcasts closing a post', async () => {
    const post = await buildPost();
    const here = await reader();
    await join(here, String(post._id));
    const closing = next<{ commentsOpen: boolean }>(here, 'post:status');
    await services.posts.update(String(post._id), {
      title: post.title,
      slug: post.slug,
      letter: '',
      answer: 'Done.',
      tags: '',
      authorName: post.authorName,
      status: 'published',
      commentStatus: 'closed',
      publishAt: '',
    });
    expect(await closing).toEqual({ commentsOpen: false, note: '' });
  });

  it('broadcasts a moderator closing comments with a note to readers', async () => {
    const post = await buildPost();
    const moderator = await buildUser(services, 'moderator');
    const here = await reader();
    await join(here, String(post._id));
    const closing = next<{ commentsOpen: boolean; note: string }>(here, 'post:status');
    await services.moderation.setPostOpen(moderator, String(post._id), false, 'Closing for the night.');
    expect(await closing).toEqual({ commentsOpen: false, note: 'Closing for the night.' });
  });

  it('shows moderation at once: a removal becomes its tombstone, an approval appears', async () => {
    const post = await buildPost();
    const moderator = await buildUser(services, 'moderator');
    const target = await postComment(services, post, { name: 'Soon Gone', body: 'Rude words' });
    await postComment(services, post, {
      name: 'Replier',
      body: 'Reply keeps the tombstone',
      parent: String(target._id),
    });
    const held = await postComment(services, post, { name: 'Held Hana', body: 'Waiting' });
    await CommentModel.updateOne({ _id: held._id }, { $set: { status: 'pending' } });
    await services.comments.afterWrite(await services.posts.getById(String(post._id)));
    await pause(200); // let the broadcasts of the writes above go by before anyone listens
    const here = await reader();
    await join(here, String(post._id));

    const updated = next<{ comment: { id: string; html: string } }>(here, 'comment:updated');
    await services.moderation.act(moderator, String(target._id), 'remove', 'rude');
    const tomb = cheerio.load((await updated).comment.html);
    expect(tomb('.comment__body').text().trim()).toBe('This comment has been removed by a moderator.');
    expect(tomb.text()).not.toContain('Rude words');

    const approved = next<{ comment: { id: string } }>(here, 'comment:created');
    await services.moderation.act(moderator, String(held._id), 'approve');
    expect((await approved).comment.id).toBe(String(held._id));
  });

  it('refuses bad joins, oversized payloads and other sites’ pages', async () => {
    const here = await reader();
    expect(await join(here, 'not-an-id')).toMatchObject({ ok: false, error: { code: 'validation_failed' } });
    expect(await join(here, String(new Types.ObjectId()))).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    const dropped = next(here, 'disconnect');
    here.emit('typing', { parentId: 'x'.repeat(20000) });
    await dropped;
    await expect(socketClient(server.url, { Origin: 'https://evil.example' })).rejects.toThrow();
  });

  it('limits how many events one socket may send', async () => {
    const {
      app: strictApp,
      services: strictServices,
      ...rest
    } = buildTestApp({ SOCKET_EVENTS_PER_10S: '3' });
    const strict = await listenLive({ app: strictApp, services: strictServices, ...rest });
    try {
      const post = await buildPost();
      const socket = await socketClient(strict.url);
      sockets.push(socket);
      const replies = [];
      for (let i = 0; i < 4; i += 1) replies.push(await join(socket, String(post._id)));
      expect(replies.slice(0, 3).every((r) => r.ok)).toBe(true);
      expect(replies[3]).toMatchObject({ ok: false, error: { code: 'too_many_requests' } });
    } finally {
      await strict.close();
    }
  });

  it('gathers a burst of new comments into few messages, every comment once and in order', async () => {
    const post = await buildPost();
    const here = await reader();
    expect((await join(here, String(post._id))).ok).toBe(true);
    const singles = collect<{ comment: { number: number }; total: number }>(here, 'comment:created');
    const batches = collect<{ comments: { number: number }[]; total: number }>(here, 'comments:created');

    const writers = 12;
    await Promise.all(
      Array.from({ length: writers }, (_, i) =>
        request(app)
          .post(`/posts/${post.slug}/comments`)
          .type('form')
          .send({ _csrf: guestForm(), name: `Burst ${i}`, body: `Burst comment ${i}`, parent: '' })
          .expect(303),
      ),
    );
    await pause(300);
    const received = [...singles.map((e) => [e.comment]), ...batches.map((e) => e.comments)]
      .flat()
      .map((c) => c.number)
      .sort((a, b) => a - b);
    expect(received).toEqual(Array.from({ length: writers }, (_, i) => i + 1));
    expect(singles.length + batches.length).toBeLessThan(writers);
    // Each batch is in posting order and carries the count after its last comment.
    for (const batch of batches) {
      const numbers = batch.comments.map((c) => c.number);
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    }
    const last = [...singles.map((e) => e.total), ...batches.map((e) => e.total)];
    expect(Math.max(...last)).toBe(writers);
  });
});
