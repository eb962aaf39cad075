import * as cheerio from 'cheerio';
import request from 'supertest';
import { CommentModel } from '../../../models/comment';
import { PostModel } from '../../../models/post';
import { buildPost, postComment } from '../../fixtures/factories';
import { buildTestApp, guestForm } from '../../setup/app';

describe('posting comments', () => {
  const { app, services } = buildTestApp();

  describe('with a form (no JavaScript)', () => {
    it('posts a comment and redirects to its permalink', async () => {
      const post = await buildPost();
      const res = await request(app)
        .post(`/posts/${post.slug}/comments`)
        .type('form')
        .send({
          _csrf: guestForm(),
          name: 'Nora',
          email: 'nora@example.com',
          body: 'Great *answer*.',
          parent: '',
        })
        .expect(303);
      const saved = await CommentModel.findOne({ post: post._id }).select('+authorEmail').lean();
      expect(saved).toMatchObject({
        authorName: 'Nora',
        authorEmail: 'nora@example.com',
        number: 1,
        depth: 0,
      });
      expect(saved?.bodyHtml).toBe('<p>Great <em>answer</em>.</p>');
      // Stored with the schema's defaults and timestamps.
      expect(saved).toMatchObject({ status: 'visible', reportCount: 0, locked: false });
      expect(Date.now() - saved!.createdAt.getTime()).toBeLessThan(60000);
      expect(saved!.updatedAt).toEqual(saved!.createdAt);
      expect(res.headers.location).toBe(`/posts/${post.slug}#comment-${saved?._id}`);

      const page = cheerio.load((await request(app).get(`/posts/${post.slug}`).expect(200)).text);
      expect(page(`#comment-${saved?._id} .comment__author`).text()).toBe('Nora');
      expect(page('#comments-title').text()).toBe('1 comment');
      expect((await PostModel.findById(post._id).lean())?.commentCount).toBe(1);
    });

    it('posts a reply with its lineage', async () => {
      const post = await buildPost();
      const root = await postComment(services, post);
      const child = await postComment(services, post, { parent: String(root._id) });
      await request(app)
        .post(`/posts/${post.slug}/comments`)
        .type('form')
        .send({ _csrf: guestForm(), name: 'Grandchild', body: 'Deep thoughts', parent: String(child._id) })
        .expect(303);
      const saved = await CommentModel.findOne({ authorName: 'Grandchild' }).lean();
      expect(saved?.ancestors.map(String)).toEqual([String(root._id), String(child._id)]);
      expect(String(saved?.parent)).toBe(String(child._id));
      expect(String(saved?.root)).toBe(String(root._id));
      expect(saved?.depth).toBe(2);
      expect(saved?.number).toBe(3);
    });

    it('shows validation errors by their fields, keeps the input and writes nothing', async () => {
      const post = await buildPost();
      const res = await request(app)
        .post(`/posts/${post.slug}/comments`)
        .type('form')
        .send({ _csrf: guestForm(), name: '', email: 'not-an-email', body: 'Keep this text' })
        .expect(400);
      const $ = cheerio.load(res.text);
      expect($('.form-errors[role=alert]')).toHaveLength(1);
      expect($('#field-name').attr('aria-invalid')).toBe('true');
      expect($('#field-name').attr('aria-describedby')).toBe('error-name');
      expect($('#error-name').text()).toContain('Enter a name');
      expect($('#error-email').text()).toContain('email address');
      expect($('#field-body').text()).toBe('Keep this text');
      expect($('#field-email').val()).toBe('not-an-email');
      expect(await CommentModel.countDocuments({ post: post._id })).toBe(0);
    });

    it('refuses a comment that is too long, saying how long it is', async () => {
      const post = await buildPost();
      const res = await request(app)
        .post(`/posts/${post.slug}/comments`)
        .type('form')
        .send({ _csrf: guestForm(), name: 'Verbose', body: 'x'.repeat(5001) })
        .expect(400);
      expect(cheerio.load(res.text)('#error-body').text()).toBe(
        'Your comment is 5001 characters long; the limit is 5000.',
      );
    });

    it('refuses a reply to a comment on another post', async () => {
      const post = await buildPost();
      const other = await buildPost();
      const elsewhere = await postComment(services, other);
      await request(app)
        .post(`/posts/${post.slug}/comments`)
        .type('form')
        .send({ _csrf: guestForm(), name: 'Sneaky', body: 'hi', parent: String(elsewhere._id) })
        .expect(400);
      expect(await CommentModel.countDocuments({ post: post._id })).toBe(0);
    });

    it('refuses comments on a closed post with 403', async () => {
      const post = await buildPost({ commentStatus: 'closed' });
      const res = await request(app)
        .post(`/posts/${post.slug}/comments`)
        .type('form')
        .send({ _csrf: guestForm(), name: 'Late', body: 'Am I too late?' })
        .expect(403);
      expect(cheerio.load(res.text)('#respond .form-errors p').first().text()).toBe(
        'Comments are closed on this post.',
      );
      expect(await CommentModel.countDocuments({ post: post._id })).toBe(0);
    });

    it('ignores identity fields a client tries to set (mass assignment)', async () => {
      const post = await buildPost();
      await request(app)
        .post(`/posts/${post.slug}/comments`)
        .type('form')
        .send({
          _csrf: guestForm(),
          name: 'Mallory',
          body: 'hi',
          authorKind: 'columnist',
          status: 'removed',
          number: '99',
          depth: '7',
        })
        .expect(303);
      const saved = await CommentModel.findOne({ post: post._id }).lean();
      expect(saved).toMatchObject({ authorKind: 'guest', status: 'visible', number: 1, depth: 0 });
    });

    it('numbers comments in posting order, even when posted at once', async () => {
      const post = await buildPost();
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          request(app)
            .post(`/posts/${post.slug}/comments`)
            .type('form')
            .send({ _csrf: guestForm(), name: `Racer ${i}`, body: 'go' }),
        ),
      );
      const numbers = (await CommentModel.find({ post: post._id }).lean())
        .map((c) => c.number)
        .sort((a, b) => a - b);
      expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });
  });

  describe('through the API', () => {
    it('creates a comment: 201 with the comment, no email', async () => {
      const post = await buildPost();
      const res = await request(app)
        .post(`/api/posts/${post.slug}/comments`)
        .send({ _csrf: guestForm(), name: 'Api Amy', email: 'amy@example.com', body: 'Via **JSON**' })
        .expect(201);
      expect(res.body.comment).toMatchObject({
        number: 1,
        authorName: 'Api Amy',
        isColumnist: false,
        bodyHtml: '<p>Via <strong>JSON</strong></p>',
        parentId: null,
      });
      expect(res.headers.location).toBe(res.body.comment.permalink);
      expect(JSON.stringify(res.body)).not.toContain('amy@example.com');
    });

    it('answers validation errors as JSON, per field', async () => {
      const post = await buildPost();
      const res = await request(app)
        .post(`/api/posts/${post.slug}/comments`)
        .send({ _csrf: guestForm(), body: '' })
        .expect(400);
      expect(res.body.error.code).toBe('validation_failed');
      expect(Object.keys(res.body.error.fields).sort()).toEqual(['body', 'name']);
    });

    it('refuses operator objects as values with a readable 400 naming the field, never as queries', async () => {
      const post = await buildPost();
      const res = await request(app)
        .post(`/api/posts/${post.slug}/comments`)
        .send({ _csrf: guestForm(), name: { $ne: null }, body: { $gt: '' }, parent: { $ne: null } })
        .expect(400);
      expect(Object.keys(res.body.error.fields)).toHaveLength(1);
      expect(await CommentModel.countDocuments({ post: post._id })).toBe(0);
    });

    it('refuses malformed JSON with a readable 400', async () => {
      const post = await buildPost();
      const res = await request(app)
        .post(`/api/posts/${post.slug}/comments`)
        .set('Content-Type', 'application/json')
        .send('{"name": ')
        .expect(400);
      expect(res.body.error).toEqual({
        code: 'validation_failed',
        message: 'The request body is not valid JSON.',
      });
    });

    it('refuses comments on a closed post with 403 JSON', async () => {
      const post = await buildPost({ commentStatus: 'closed' });
      const res = await request(app)
        .post(`/api/posts/${post.slug}/comments`)
        .send({ _csrf: guestForm(), name: 'Late', body: 'Too late?' })
        .expect(403);
      expect(res.body.error).toEqual({
        code: 'comments_closed',
        message: 'Comments are closed on this post.',
      });
    });

    it('lists posts and one post', async () => {
      const post = await buildPost({ title: 'API listed' });
      await postComment(services, post);
      const list = await request(app).get('/api/posts').expect(200);
      const listed = list.body.posts.find((p: { slug: string }) => p.slug === post.slug);
      expect(listed).toMatchObject({ title: 'API listed', commentCount: 1, url: `/posts/${post.slug}` });
      const one = await request(app).get(`/api/posts/${post.slug}`).expect(200);
      expect(one.body.post).toMatchObject({ title: 'API listed', commentCount: 1, commentStatus: 'open' });
      await request(app).get('/api/posts/missing').expect(404);
    });
  });
});
