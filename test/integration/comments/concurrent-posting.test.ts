import request from 'supertest';
import { CommentModel } from '../../../models/comment';
import { PostModel } from '../../../models/post';
import { buildPost } from '../../fixtures/factories';
import { buildTestApp, guestForm } from '../../setup/app';

/** What a thread holds after a burst of writers: every number once, one comment per accepted post. */
async function storedThread(postId: unknown) {
  const comments = await CommentModel.find({ post: postId }).select('number bodySource').lean();
  const numbers = comments.map((c) => c.number).sort((a, b) => a - b);
  return { comments, numbers, bodies: new Set(comments.map((c) => c.bodySource)) };
}

describe('many readers posting to one thread at once', () => {
  // Many readers, each from an address of its own (a proxy says which): one address alone may
  // hold only a share of the request budget.
  const one = buildTestApp({ TRUST_PROXY: 'true' });

  it('accepts every comment, each once, numbered 1…N without a gap', async () => {
    const post = await buildPost();
    const writers = 40;
    const responses = await Promise.all(
      Array.from({ length: writers }, (_, i) =>
        request(one.app)
          .post(`/posts/${post.slug}/comments`)
          .set('X-Forwarded-For', `198.51.100.${i + 1}`)
          .type('form')
          .send({
            _csrf: guestForm(),
            name: `Writer ${i}`,
            email: '',
            body: `Comment from writer ${i}.`,
            parent: '',
          }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(writers).fill(303));

    const { comments, numbers, bodies } = await storedThread(post._id);
    expect(comments).toHaveLength(writers);
    expect(numbers).toEqual(Array.from({ length: writers }, (_, i) => i + 1));
    expect(bodies.size).toBe(writers);

    // The count and the page agree with the database, without a restart.
    expect((await PostModel.findById(post._id).lean())?.commentCount).toBe(writers);
    const page = await request(one.app).get(`/posts/${post.slug}`).expect(200);
    expect(page.text).toContain(`${writers} comments`);
  });

  it('keeps numbers unique when two processes (separate caches and queues) write to the same thread', async () => {
    const two = buildTestApp();
    const post = await buildPost();
    // Both processes have read the thread before the burst, as live readers would have.
    await request(one.app).get(`/posts/${post.slug}`).expect(200);
    await request(two.app).get(`/posts/${post.slug}`).expect(200);

    const perProcess = 15;
    const send = (app: typeof one.app, who: string, i: number) =>
      request(app)
        .post(`/posts/${post.slug}/comments`)
        .type('form')
        .send({
          _csrf: guestForm(),
          name: `${who} ${i}`,
          email: '',
          body: `From ${who}, number ${i}.`,
          parent: '',
        });
    const responses = await Promise.all(
      Array.from({ length: perProcess }, (_, i) => [send(one.app, 'Ada', i), send(two.app, 'Bea', i)]).flat(),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(perProcess * 2).fill(303));

    const { comments, numbers, bodies } = await storedThread(post._id);
    expect(comments).toHaveLength(perProcess * 2);
    expect(new Set(numbers).size).toBe(perProcess * 2);
    expect(bodies.size).toBe(perProcess * 2);

    // Each process shows every comment, whichever wrote it.
    for (const app of [one.app, two.app]) {
      const page = await request(app).get(`/posts/${post.slug}`).expect(200);
      expect(page.text).toContain(`${perProcess * 2} comments`);
    }
  });
});
