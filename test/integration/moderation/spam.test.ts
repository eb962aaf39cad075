import * as cheerio from 'cheerio';
import { Types } from 'mongoose';
import request from 'supertest';
import { CommentModel } from '../../../models/comment';
import { SpamDecisionModel, SpamModelModel } from '../../../models/spam';
import { figures } from '../../../server/services/moderation/spam-classifier';
import { isHeldOut } from '../../../server/services/moderation/spam-service';
import labelled from '../../fixtures/spam/labelled-comments.json';
import { buildPost } from '../../fixtures/factories';
import { buildUser, csrfFrom, signIn } from '../../fixtures/users';
import { buildTestApp, guestForm } from '../../setup/app';
import { settingsFormOf } from '../../fixtures/settings-form';

const fixture = labelled as { text: string; label: 'spam' | 'ham' }[];
/** Fixed ids, so the held-out fifth is the same on every run. */
const idOf = (i: number) => new Types.ObjectId((i + 1).toString(16).padStart(24, '0'));

const SPAMMY =
  'Great article! I make $9,000 a month working from home, no experience needed. Check how at https://best-earnings-now.example/123';
const ADVICE =
  'I would talk to the manager with a short list of what you delivered and when. A calm tone does most of the work here.';

describe('spam classifier trained on moderators’ decisions', () => {
  const { app, services } = buildTestApp();
  jest.setTimeout(60000);

  async function guestComment(slug: string, body: string) {
    await request(app)
      .post(`/posts/${slug}/comments`)
      .type('form')
      .send({ _csrf: guestForm(), name: `Guest ${Math.random().toString(36).slice(2, 7)}`, body })
      .expect(303);
    return CommentModel.findOne({ bodySource: body }).sort({ _id: -1 }).lean();
  }

  it('learns from approve, reject and remove in the moderation pages', async () => {
    const post = await buildPost();
    const moderator = await buildUser(services, 'moderator');
    const { agent } = await signIn(app, moderator.username);
    const page = await agent.get('/moderation').expect(200);
    const one = await guestComment(
      post.slug,
      'Buy followers now https://a.example https://b.example https://c.example',
    );
    const two = await guestComment(
      post.slug,
      'Thanks, this helped: https://a.example https://b.example https://c.example',
    );
    expect(one!.status).toBe('pending'); // more links than HOLD_LINKS_OVER
    const act = (id: unknown, action: string) =>
      agent
        .post(`/moderation/comments/${String(id)}/${action}`)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), reason: 'spam' })
        .expect(303);
    await act(one!._id, 'reject');
    await act(two!._id, 'approve');
    await new Promise((resolve) => setTimeout(resolve, 200)); // learning follows the action
    expect((await SpamDecisionModel.findById(one!._id).lean())!.label).toBe('spam');
    expect((await SpamDecisionModel.findById(two!._id).lean())!.label).toBe('ham');
    await act(two!._id, 'remove');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await SpamDecisionModel.findById(two!._id).lean())!.label).toBe('spam');
  });

  it('stays off until there are enough decisions', async () => {
    expect(await services.spam.train()).toBeNull();
    const post = await buildPost();
    expect((await guestComment(post.slug, SPAMMY))!.status).toBe('visible');
    const status = await services.spam.status();
    expect(status.active).toBe(false);
    expect(status.decisions.total).toBe(2);
  });

  it('measures precision and recall on held-out decisions, then holds spam with its score', async () => {
    await SpamDecisionModel.deleteMany({});
    await SpamDecisionModel.insertMany(fixture.map((c, i) => ({ _id: idOf(i), ...c })));
    const record = await services.spam.train();
    expect(record).not.toBeNull();
    expect(record!.spam).toBe(fixture.filter((c) => c.label === 'spam').length);
    const heldOut = fixture.filter((_, i) => isHeldOut(idOf(i)));
    expect(record!.heldOut).toHaveLength(heldOut.length);
    expect(record!.heldOut.map((h) => h.spam)).toEqual(
      // Newest first, as the decisions are read.
      heldOut.map((c) => c.label === 'spam').reverse(),
    );
    const at90 = figures(record!.heldOut, 90);
    expect(at90.tested).toBe(120);
    expect(at90.precision).toBeGreaterThanOrEqual(0.95);
    expect(at90.recall).toBeGreaterThanOrEqual(0.9);

    const admin = await buildUser(services, 'admin');
    const { agent } = await signIn(app, admin.username);
    const $ = cheerio.load((await agent.get('/admin/settings').expect(200)).text);
    expect($('[data-spam-precision]').text()).toBe(`${Math.round(at90.precision! * 100)}%`);
    expect($('[data-spam-recall]').text()).toBe(`${Math.round(at90.recall! * 100)}%`);
    expect($('#spam-status').text()).toContain('on: new comments are scored');

    const post = await buildPost();
    const held = await guestComment(post.slug, SPAMMY);
    expect(held!.status).toBe('pending');
    expect(held!.heldReason).toMatch(/^spam score (9\d|100) \(holds at 90\)$/);
    expect((await guestComment(post.slug, ADVICE))!.status).toBe('visible');
    // Staff are never scored.
    const staff = await signIn(app, admin.username);
    const page = await staff.agent.get(`/posts/${post.slug}`).expect(200);
    await staff.agent
      .post(`/posts/${post.slug}/comments`)
      .type('form')
      .send({ _csrf: csrfFrom(page.text), body: `${SPAMMY} (quoting a spam comment)` })
      .expect(303);
    expect(
      (await CommentModel.findOne({ bodySource: `${SPAMMY} (quoting a spam comment)` }).lean())!.status,
    ).toBe('visible');
  });

  it('is shared: another process loads the model; one process per period trains again', async () => {
    const other = buildTestApp();
    expect(other.services.spam.score(SPAMMY)).toBeNull();
    await other.services.spam.refresh();
    expect(other.services.spam.score(SPAMMY)).toBeGreaterThanOrEqual(90);

    const before = (await SpamModelModel.findOne().sort({ _id: -1 }).lean())!._id;
    const tomorrow = () => Date.now() + 86400000;
    const [a, b] = [buildTestApp({}, undefined, tomorrow), buildTestApp({}, undefined, tomorrow)];
    await Promise.all([a.services.spam.tick(), b.services.spam.tick()]);
    const after = await SpamModelModel.find().sort({ _id: -1 }).lean();
    expect(after[0]._id).toBe(before + 1);
    // Only the last few models are kept.
    expect(after.length).toBeLessThanOrEqual(3);
  });

  it('can be turned off from the settings page', async () => {
    const admin = await buildUser(services, 'admin');
    const { agent } = await signIn(app, admin.username);
    const page = await agent.get('/admin/settings').expect(200);
    const form = settingsFormOf(page.text);
    await agent
      .post('/admin/settings')
      .type('form')
      .send({ ...form, spamHoldScore: '0' })
      .expect(303);
    const post = await buildPost();
    expect((await guestComment(post.slug, `${SPAMMY} again`))!.status).toBe('visible');
  });
});
