import * as cheerio from 'cheerio';
import request from 'supertest';
import { AuditEntryModel } from '../../../models/audit-entry';
import { CommentModel } from '../../../models/comment';
import { Types } from 'mongoose';
import { PostModel } from '../../../models/post';
import { UserModel } from '../../../models/user';
import { buildPost, postComment } from '../../fixtures/factories';
import { buildUser, signIn } from '../../fixtures/users';
import { buildTestApp, guestForm } from '../../setup/app';

describe('moderation queues and actions', () => {
  // Behind a proxy, so tests can report from several addresses (X-Forwarded-For).
  const { app, services } = buildTestApp({ REPORTS_TO_HIDE: '3', TRUST_PROXY: 'true' });

  async function moderator() {
    const user = await buildUser(services, 'moderator');
    return { user, ...(await signIn(app, user.username)) };
  }

  async function held(post: { _id: unknown; slug: string }, body: string) {
    const comment = await postComment(services, post, { name: 'Held Hal', body });
    await CommentModel.updateOne(
      { _id: comment._id },
      { $set: { status: 'pending', heldReason: 'first comment' } },
    );
    return comment;
  }

  it('lists pending comments, approves one and rejects another, each in the audit log', async () => {
    const post = await buildPost();
    const a = await held(post, 'Please approve me');
    const b = await held(post, 'Spammy spam');
    const mod = await moderator();
    const page = cheerio.load((await mod.agent.get('/moderation?queue=pending').expect(200)).text);
    expect(
      page('.queue-item .comment__body')
        .map((_, el) => page(el).text().trim())
        .get(),
    ).toEqual(expect.arrayContaining(['Please approve me', 'Spammy spam']));
    await mod.agent
      .post(`/moderation/comments/${a._id}/approve`)
      .type('form')
      .send({ _csrf: mod.csrf })
      .expect(303);
    await mod.agent
      .post(`/moderation/comments/${b._id}/reject`)
      .type('form')
      .send({ _csrf: mod.csrf, reason: 'spam' })
      .expect(303);
    expect((await CommentModel.findById(a._id).lean())?.status).toBe('visible');
    expect(await CommentModel.findById(b._id).lean()).toMatchObject({
      status: 'removed',
      removedReason: 'spam',
    });
    expect((await PostModel.findById(post._id).lean())?.commentCount).toBe(1);
    const log = await AuditEntryModel.find({ actor: mod.user.id }).sort({ createdAt: 1 }).lean();
    expect(log.map((e) => [e.action, e.targetId, e.reason])).toEqual([
      ['comment.approve', String(a._id), ''],
      ['comment.reject', String(b._id), 'spam'],
    ]);
    await mod.agent
      .post(`/moderation/comments/${a._id}/approve`)
      .type('form')
      .send({ _csrf: mod.csrf })
      .expect(409);
  });

  it('applies bulk actions and reports what it skipped', async () => {
    const post = await buildPost();
    const one = await held(post, 'Bulk one');
    const two = await held(post, 'Bulk two');
    const visible = await postComment(services, post, { body: 'Already visible' });
    const mod = await moderator();
    const res = await mod.agent
      .post('/moderation/comments/bulk')
      .type('form')
      .send(
        `_csrf=${encodeURIComponent(mod.csrf)}&action=approve&back=%2Fmoderation&ids=${one._id}&ids=${two._id}&ids=${visible._id}`,
      )
      .expect(303);
    const done = new URL(res.headers.location, 'http://x').searchParams.get('done');
    expect(done).toBe(
      `2 comments approved; 1 skipped (Comment #${visible.number} is visible; it cannot be approved.)`,
    );
    for (const id of [one._id, two._id])
      expect((await CommentModel.findById(id).lean())?.status).toBe('visible');
    await mod.agent
      .post('/moderation/comments/bulk')
      .type('form')
      .send({ _csrf: mod.csrf, action: 'approve' })
      .expect(400);
  });

  it('removes a comment with a reason: its replies stay attached under the removal notice; restore brings it back', async () => {
    const post = await buildPost();
    const rude = await postComment(services, post, { name: 'Rude Rob', body: 'Something rude' });
    const reply = await postComment(services, post, {
      name: 'Calm Cat',
      body: 'Please be kind',
      parent: String(rude._id),
    });
    const mod = await moderator();
    await mod.agent
      .post(`/moderation/comments/${rude._id}/remove`)
      .type('form')
      .send({ _csrf: mod.csrf, reason: 'personal attack' })
      .expect(303);
    const $ = cheerio.load((await request(app).get(`/posts/${post.slug}`)).text);
    const tomb = $(`#comment-${rude._id}`);
    expect(tomb.find('> article .comment__body').text().trim()).toBe(
      'This comment has been removed by a moderator.',
    );
    expect(tomb.text()).not.toContain('Something rude');
    expect(tomb.text()).not.toContain('Rude Rob');
    expect(tomb.find(`> ol.thread--replies > #comment-${reply._id}`)).toHaveLength(1);
    const removedQueue = cheerio.load((await mod.agent.get('/moderation?queue=removed').expect(200)).text);
    expect(removedQueue('.queue-item').text()).toContain('removed: personal attack');
    await mod.agent
      .post(`/moderation/comments/${rude._id}/restore`)
      .type('form')
      .send({ _csrf: mod.csrf })
      .expect(303);
    const back = cheerio.load((await request(app).get(`/posts/${post.slug}`)).text);
    expect(back(`#comment-${rude._id} > article .comment__body`).text().trim()).toBe('Something rude');
  });

  it('restores a comment removed from the held queue to the held queue, not to readers', async () => {
    const post = await buildPost();
    const spam = await held(post, 'Borderline, with a link https://example.org');
    const mod = await moderator();
    await mod.agent
      .post(`/moderation/comments/${spam._id}/remove`)
      .type('form')
      .send({ _csrf: mod.csrf, reason: 'looked like spam' })
      .expect(303);
    // A mistake: undone from the Removed tab.
    const restored = await mod.agent
      .post(`/moderation/comments/${spam._id}/restore`)
      .type('form')
      .send({ _csrf: mod.csrf, back: '/moderation?queue=removed' })
      .expect(303);
    expect(new URL(restored.headers.location, 'http://x').searchParams.get('done')).toBe(
      `#${spam.number} restored to the held queue.`,
    );
    const stored = await CommentModel.findById(spam._id).lean();
    expect(stored).toMatchObject({ status: 'pending', heldReason: 'first comment' });
    const page = cheerio.load((await request(app).get(`/posts/${post.slug}`)).text);
    expect(page(`#comment-${spam._id}`)).toHaveLength(0);
    const queue = (await mod.agent.get('/moderation?queue=pending').expect(200)).text;
    expect(queue).toContain('Borderline, with a link');
    // Approved from there, it is shown.
    await mod.agent
      .post(`/moderation/comments/${spam._id}/approve`)
      .type('form')
      .send({ _csrf: mod.csrf })
      .expect(303);
    expect((await CommentModel.findById(spam._id).lean())?.status).toBe('visible');
  });

  it('takes reader reports once per reader, hides a comment at the threshold, and lists it with the reasons', async () => {
    const post = await buildPost();
    const target = await postComment(services, post, { name: 'Reported Rex', body: 'Borderline' });
    const readers = await Promise.all([1, 2, 3].map(() => buildUser(services)));
    // Established readers (a month old) at three addresses: each report counts in full.
    await UserModel.collection.updateMany(
      { _id: { $in: readers.map((r) => new Types.ObjectId(r.id)) } },
      { $set: { createdAt: new Date(Date.now() - 30 * 86400000) } },
    );
    for (const [i, reader] of readers.entries()) {
      const { agent, csrf } = await signIn(app, reader.username);
      await agent.get(`/comments/${target._id}/report`).expect(200);
      const res = await agent
        .post(`/comments/${target._id}/report`)
        .set('X-Forwarded-For', `198.51.100.${i + 1}`)
        .type('form')
        .send({ _csrf: csrf, reason: `reason ${i + 1}` })
        .expect(200);
      expect(cheerio.load(res.text)('h1').text()).toBe('Thank you');
      if (i === 0) {
        const again = await agent
          .post(`/comments/${target._id}/report`)
          .set('X-Forwarded-For', `198.51.100.${i + 1}`)
          .type('form')
          .send({ _csrf: csrf, reason: 'again' })
          .expect(409);
        expect(cheerio.load(again.text)('.form-errors').text()).toBe(
          'You have already reported this comment.',
        );
        expect((await CommentModel.findById(target._id).lean())?.status).toBe('visible');
      }
    }
    expect(await CommentModel.findById(target._id).lean()).toMatchObject({
      status: 'pending',
      reportCount: 3,
      heldReason: '3 reports',
    });
    const page = cheerio.load((await request(app).get(`/posts/${post.slug}`)).text);
    expect(page(`#comment-${target._id}`)).toHaveLength(0);
    const mod = await moderator();
    const queue = cheerio.load(
      (await mod.agent.get(`/moderation?queue=reported&post=${post.slug}`).expect(200)).text,
    );
    expect(
      queue('.queue-card__notes li')
        .map((_, el) => queue(el).text())
        .get()
        .sort(),
    ).toEqual(['“reason 1”', '“reason 2”', '“reason 3”']);
    // Reasons without a category are "something else", counted together.
    expect(queue('.queue-card__groups li').text().replace(/\s+/g, ' ')).toBe('Something else ×3');
    await request(app)
      .post(`/comments/${target._id}/report`)
      .type('form')
      .send({ _csrf: guestForm(), reason: 'still here?' })
      .expect(404);
    await request(app)
      .post(`/comments/${target._id}/report`)
      .type('form')
      .send({ _csrf: guestForm(), reason: '' })
      .expect(400);
  });

  it('closes and reopens a post, and locks a subthread; both refuse new comments with 403', async () => {
    const post = await buildPost();
    const root = await postComment(services, post, { body: 'Root' });
    const child = await postComment(services, post, { body: 'Child', parent: String(root._id) });
    const mod = await moderator();
    await mod.agent
      .post(`/moderation/comments/${root._id}/lock`)
      .type('form')
      .send({ _csrf: mod.csrf })
      .expect(303);
    const locked = await request(app)
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ _csrf: guestForm(), name: 'Late', body: 'x', parent: String(child._id) })
      .expect(403);
    // The post page again, with why and the reply as typed (nothing lost).
    const refused = cheerio.load(locked.text);
    expect(refused('#respond .form-errors').text().trim()).toBe(
      'This part of the discussion has been locked by a moderator.',
    );
    expect(refused('.comment-form textarea[name=body]').text()).toBe('x');
    const page = cheerio.load((await request(app).get(`/posts/${post.slug}`)).text);
    expect(page(`#comment-${root._id} .comment__locked`).text()).toContain('locked');
    expect(page(`#comment-${child._id} .comment__reply`)).toHaveLength(0);
    await request(app)
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ _csrf: guestForm(), name: 'Fine', body: 'new thread' })
      .expect(303);

    await mod.agent
      .post(`/moderation/posts/${post._id}/close`)
      .type('form')
      .send({ _csrf: mod.csrf })
      .expect(303);
    await request(app)
      .post(`/api/posts/${post.slug}/comments`)
      .send({ _csrf: guestForm(), name: 'Late', body: 'x' })
      .expect(403);
    await mod.agent
      .post(`/moderation/posts/${post._id}/reopen`)
      .type('form')
      .send({ _csrf: mod.csrf })
      .expect(303);
    await request(app)
      .post(`/api/posts/${post.slug}/comments`)
      .send({ _csrf: guestForm(), name: 'Back', body: 'open again' })
      .expect(201);
    const actions = (await AuditEntryModel.find({ actor: mod.user.id }).lean()).map((e) => e.action);
    expect(actions).toEqual(['comment.lock', 'post.close', 'post.reopen']);
  });

  it('shows admins the audit log, filtered by action and moderator', async () => {
    const post = await buildPost();
    const c = await postComment(services, post);
    const mod = await moderator();
    await mod.agent
      .post(`/moderation/comments/${c._id}/remove`)
      .type('form')
      .send({ _csrf: mod.csrf, reason: 'off topic' })
      .expect(303);
    const admin = await buildUser(services, 'admin');
    const { agent } = await signIn(app, admin.username);
    const $ = cheerio.load(
      (await agent.get(`/admin/audit?action=comment.remove&actor=${mod.user.username}`).expect(200)).text,
    );
    const rows = $('tbody tr');
    expect(rows).toHaveLength(1);
    expect(rows.text()).toContain('off topic');
    expect(rows.text()).toContain(mod.user.username);
    await mod.agent.get('/admin/audit').expect(403);
  });
});
