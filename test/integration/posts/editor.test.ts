import * as cheerio from 'cheerio';
import request from 'supertest';
import { PostModel } from '../../../models/post';
import { buildTestApp } from '../../setup/app';

const SECRET = 'test-editor-secret-123';

describe('post editor (EDITOR_SECRET)', () => {
  const { app } = buildTestApp({ EDITOR_SECRET: SECRET });

  async function signIn(): Promise<string> {
    const res = await request(app)
      .post('/editor/login')
      .type('form')
      .send({ secret: SECRET, next: '/editor' })
      .expect(303);
    const cookie = res.headers['set-cookie'] as unknown as string[];
    expect(cookie[0]).toMatch(/HttpOnly/);
    expect(cookie[0]).toMatch(/SameSite=Strict/);
    return cookie[0].split(';')[0];
  }

  it('is off (404) when no secret is configured', async () => {
    const { app: plain } = buildTestApp();
    await request(plain).get('/editor').expect(404);
    await request(plain).get('/editor/login').expect(404);
  });

  it('sends visitors to sign in and refuses a wrong secret', async () => {
    const res = await request(app).get('/editor').expect(303);
    expect(res.headers.location).toBe('/editor/login?next=%2Feditor');
    const wrong = await request(app).post('/editor/login').type('form').send({ secret: 'nope' }).expect(401);
    expect(cheerio.load(wrong.text)('#error-secret').text()).toBe('That secret is not right.');
    await request(app).post('/editor/posts').type('form').send({ title: 'x' }).expect(403);
  });

  it('creates, publishes and edits a post', async () => {
    const cookie = await signIn();
    const created = await request(app)
      .post('/editor/posts')
      .set('Cookie', cookie)
      .type('form')
      .send({
        title: 'Should I tell my boss about my side job?',
        letter: 'I do **freelance** design at weekends.',
        answer: 'Check your contract first.\n\n<script>alert(1)</script>',
        tags: 'Side Jobs, contracts',
        authorName: 'Marisol Vance',
        status: 'published',
        commentStatus: 'open',
      })
      .expect(303);
    expect(created.headers.location).toMatch(/^\/editor\/posts\/[a-f0-9]{24}\/edit\?saved=1$/);
    const post = await PostModel.findOne({ slug: 'should-i-tell-my-boss-about-my-side-job' }).lean();
    expect(post).toMatchObject({
      status: 'published',
      tags: ['side-jobs', 'contracts'],
      commentStatus: 'open',
    });
    expect(post?.answerHtml).not.toContain('<script');
    expect(post?.letterHtml).toContain('<strong>freelance</strong>');

    const page = cheerio.load((await request(app).get(`/posts/${post?.slug}`).expect(200)).text);
    expect(page('.letter blockquote strong').text()).toBe('freelance');

    await request(app)
      .post(`/editor/posts/${post?._id}`)
      .set('Cookie', cookie)
      .type('form')
      .send({
        title: 'Side job: tell the boss?',
        answer: 'Updated.',
        status: 'published',
        commentStatus: 'closed',
      })
      .expect(303);
    const updated = await PostModel.findById(post?._id).lean();
    expect(updated).toMatchObject({
      title: 'Side job: tell the boss?',
      commentStatus: 'closed',
      slug: post?.slug,
    });
  });

  it('shows form errors by field and saves nothing', async () => {
    const cookie = await signIn();
    const before = await PostModel.countDocuments();
    const res = await request(app)
      .post('/editor/posts')
      .set('Cookie', cookie)
      .type('form')
      .send({ title: '', answer: '', status: 'bogus', commentStatus: 'open' })
      .expect(400);
    const $ = cheerio.load(res.text);
    expect($('#error-title').text()).toBe('Give the post a title.');
    expect($('#error-answer').text()).toBe('Write the answer before saving.');
    expect(await PostModel.countDocuments()).toBe(before);
  });
});
