import * as cheerio from 'cheerio';
import request from 'supertest';
import { LikeModel } from '../../../models/like';
import { CommentModel } from '../../../models/comment';
import { PostModel } from '../../../models/post';
import { GUEST_LIKES_PER_ADDRESS } from '../../../server/services/comments/like-service';
import { buildPost, postComment } from '../../fixtures/factories';
import { buildUser, signIn } from '../../fixtures/users';
import { buildTestApp, guestForm } from '../../setup/app';

const order = ($: cheerio.CheerioAPI) =>
  $('[data-thread-root] > li.comment')
    .map((_, li) => Number($(li).attr('data-number')))
    .get();

describe('liking comments', () => {
  const { app, services } = buildTestApp();

  it('an account likes a comment once: the count shows to every reader, its button is pressed, and unliking takes it back', async () => {
    const post = await buildPost();
    const first = await postComment(services, post, { name: 'First Fay', body: 'One.' });
    const second = await postComment(services, post, { name: 'Second Sam', body: 'Two.' });
    const reader = await buildUser(services);
    const { agent, csrf } = await signIn(app, reader.username);

    const like = (id: unknown, value = 'on') =>
      agent
        .post(`/comments/${String(id)}/like`)
        .set('Accept', 'application/json')
        .type('form')
        .send({ _csrf: csrf, like: value });
    const liked = await like(second._id).expect(200);
    expect(liked.body).toMatchObject({ ok: true, id: String(second._id), likes: 1, liked: true });
    // Twice is still once.
    expect((await like(second._id).expect(200)).body.likes).toBe(1);
    expect(await LikeModel.countDocuments({ comment: second._id })).toBe(1);

    const mine = cheerio.load((await agent.get(`/posts/${post.slug}`).expect(200)).text);
    const button = mine(`#comment-${second._id} .like-button`);
    expect(button.attr('aria-pressed')).toBe('true');
    expect(button.attr('value')).toBe('off');
    expect(button.find('.like-count').text()).toBe(' 1 like');
    expect(mine(`#comment-${first._id} .like-button`).attr('aria-pressed')).toBe('false');

    // Another reader (the shared page) sees the count, nothing pressed.
    const page = cheerio.load((await request(app).get(`/posts/${post.slug}`).expect(200)).text);
    expect(page(`#comment-${second._id} .like-count`).attr('data-likes')).toBe('1');
    expect(page('.like-button[aria-pressed="true"]')).toHaveLength(0);

    const api = await request(app).get(`/api/posts/${post.slug}/comments`).expect(200);
    const shown = api.body.comments.find((c: { id: string }) => c.id === String(second._id));
    expect(shown.likes).toBe(1);

    expect((await like(second._id, 'off').expect(200)).body).toMatchObject({ likes: 0, liked: false });
    expect((await CommentModel.findById(second._id).lean())?.likeCount).toBe(0);
  });

  it('orders the thread most liked first (ties oldest first), keeps the order in page links, and finds a comment’s page in it', async () => {
    const post = await buildPost();
    const comments = [];
    for (let i = 1; i <= 4; i += 1)
      comments.push(await postComment(services, post, { body: `Comment ${i}.` }));
    const voters = await Promise.all([1, 2, 3].map(() => buildUser(services)));
    // #3 gets three likes, #2 one, #1 and #4 none.
    for (const voter of voters) {
      await services.likes.set(String(comments[2]._id), { user: voter, ip: '10.0.0.1' }, true);
    }
    await services.likes.set(String(comments[1]._id), { user: voters[0], ip: '10.0.0.1' }, true);

    const top = cheerio.load((await request(app).get(`/posts/${post.slug}?order=top`).expect(200)).text);
    expect(order(top)).toEqual([3, 2, 1, 4]);
    expect(top('.comments__order a[aria-current="true"]').text()).toBe('most liked');
    expect(top('#like-form input[name="back"]').val()).toBe(`/posts/${post.slug}?order=top`);
    const oldest = cheerio.load((await request(app).get(`/posts/${post.slug}`).expect(200)).text);
    expect(order(oldest)).toEqual([1, 2, 3, 4]);

    // A like without JavaScript comes back to the page and order it was pressed on.
    const guest = await request(app)
      .post(`/comments/${String(comments[3]._id)}/like`)
      .type('form')
      .send({ _csrf: guestForm(), like: 'on', back: `/posts/${post.slug}?order=top` })
      .expect(303);
    expect(guest.headers.location).toBe(`/posts/${post.slug}?order=top#comment-${String(comments[3]._id)}`);
    const after = cheerio.load((await request(app).get(`/posts/${post.slug}?order=top`).expect(200)).text);
    expect(order(after)).toEqual([3, 2, 4, 1]);

    const located = await services.comments.locate(
      (await PostModel.findById(post._id).lean())!,
      String(comments[0]._id),
      'top',
    );
    expect(located.page).toBe(1);
  });

  it('a guest likes once per browser, a few guests per address, and sees which likes are theirs', async () => {
    const post = await buildPost();
    const comment = await postComment(services, post, { body: 'Likeable.' });
    const guests = Array.from({ length: GUEST_LIKES_PER_ADDRESS + 1 }, () => request.agent(app));
    const likeAs = (guest: (typeof guests)[number]) =>
      guest
        .post(`/comments/${String(comment._id)}/like`)
        .set('Accept', 'application/json')
        .type('form')
        .send({ _csrf: guestForm(), like: 'on' });
    for (const guest of guests.slice(0, GUEST_LIKES_PER_ADDRESS)) {
      const res = await likeAs(guest).expect(200);
      expect(res.headers['set-cookie']?.[0]).toMatch(/^liker=[\w-]{22}; .*HttpOnly/);
    }
    // The same browser again: still its one like.
    expect((await likeAs(guests[0]).expect(200)).body.likes).toBe(GUEST_LIKES_PER_ADDRESS);
    // One more browser from the same address: refused, with a way forward.
    const refused = await likeAs(guests[GUEST_LIKES_PER_ADDRESS]).expect(403);
    expect(refused.body.error.message).toMatch(/Sign in to add yours/);

    const mine = await guests[0].get(`/posts/${post.slug}/likes`).expect(200);
    expect(mine.body.liked).toEqual([String(comment._id)]);
    expect((await request(app).get(`/posts/${post.slug}/likes`).expect(200)).body.liked).toEqual([]);
  });

  it('refuses one’s own comment, held comments, closed threads and bad ids with readable errors, and a browser gets a page', async () => {
    const post = await buildPost();
    const writer = await buildUser(services);
    const { agent, csrf } = await signIn(app, writer.username);
    await agent
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ _csrf: csrf, body: 'My own words.' })
      .expect(303);
    const own = (await CommentModel.findOne({ post: post._id, authorUser: writer.id }).lean())!;
    const ownRes = await agent
      .post(`/comments/${String(own._id)}/like`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf: csrf, like: 'on' })
      .expect(403);
    expect(ownRes.body.error.message).toBe('You cannot like your own comment.');
    // On one's own comment the page shows no button.
    const page = cheerio.load((await agent.get(`/posts/${post.slug}`).expect(200)).text);
    expect(page(`#comment-${String(own._id)} .like-button`)).toHaveLength(0);

    const notFound = await agent.post('/comments/nope/like').type('form').send({ _csrf: csrf }).expect(404);
    expect(notFound.type).toBe('text/html');
    expect(notFound.text).toContain('That comment does not exist, or is no longer shown.');

    const other = await postComment(services, post, { body: 'Another.' });
    const held = await postComment(services, post, { body: 'Held later.' });
    await CommentModel.updateOne({ _id: held._id }, { $set: { status: 'pending' } });
    await agent
      .post(`/comments/${String(held._id)}/like`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf: csrf, like: 'on' })
      .expect(404);
    await PostModel.updateOne({ _id: post._id }, { $set: { commentStatus: 'closed' } });
    services.posts.onPostChanged({ postId: post._id } as never);
    const closed = await agent
      .post(`/comments/${String(other._id)}/like`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf: csrf, like: 'on' })
      .expect(403);
    expect(closed.body.error.message).toMatch(/Comments are closed/);
    // Without a token: refused before anything is written.
    await agent
      .post(`/comments/${String(other._id)}/like`)
      .type('form')
      .send({ like: 'on' })
      .expect(403);
    expect(await LikeModel.countDocuments({ post: post._id })).toBe(0);
  });

  it('tells live readers the new count', async () => {
    const post = await buildPost();
    const comment = await postComment(services, post, { body: 'Live.' });
    const heard = new Promise<{ likeCount: number }>((resolve) => {
      const off = services.events.on('comment.liked', (event) => {
        off();
        resolve(event);
      });
    });
    const reader = await buildUser(services);
    await services.likes.set(String(comment._id), { user: reader, ip: '10.0.0.2' }, true);
    expect((await heard).likeCount).toBe(1);
  });

  it('guests of one address sending at once get three likes between them, no more', async () => {
    const post = await buildPost();
    const comment = await postComment(services, post, { body: 'Popular.' });
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        request
          .agent(app)
          .post(`/comments/${String(comment._id)}/like`)
          .set('Accept', 'application/json')
          .type('form')
          .send({ _csrf: guestForm(), like: 'on' }),
      ),
    );
    expect(answers.filter((res) => res.status === 200)).toHaveLength(GUEST_LIKES_PER_ADDRESS);
    expect(answers.filter((res) => res.status === 403)).toHaveLength(8 - GUEST_LIKES_PER_ADDRESS);
    expect(await LikeModel.countDocuments({ comment: comment._id })).toBe(GUEST_LIKES_PER_ADDRESS);
    expect((await CommentModel.findById(comment._id).lean())?.likeCount).toBe(GUEST_LIKES_PER_ADDRESS);
  });

  it('a banned account cannot like, and is told why', async () => {
    const post = await buildPost();
    const comment = await postComment(services, post, { body: 'Fine words.' });
    const reader = await buildUser(services);
    const moderator = await buildUser(services, 'moderator');
    await services.sanctions.sanctionUser(moderator, reader.id, 0, 'abuse');
    const { agent, csrf } = await signIn(app, reader.username);
    const res = await agent
      .post(`/comments/${String(comment._id)}/like`)
      .set('Accept', 'application/json')
      .type('form')
      .send({ _csrf: csrf, like: 'on' })
      .expect(403);
    expect(res.body.error.message).toMatch(/banned/);
    expect(await LikeModel.countDocuments({ comment: comment._id })).toBe(0);
  });
});
