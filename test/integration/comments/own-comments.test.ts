import * as cheerio from 'cheerio';
import { CommentModel } from '../../../models/comment';
import { PostModel } from '../../../models/post';
import { mongooseHealth } from '../../../server/db/connection';
import { buildPost, postComment } from '../../fixtures/factories';
import { buildUser, signIn } from '../../fixtures/users';
import { buildTestApp } from '../../setup/app';

describe('editing and deleting your own comments', () => {
  let clock = Date.now();
  const { app, services } = buildTestApp(
    { COMMENT_EDIT_WINDOW_MINUTES: '15' },
    mongooseHealth(),
    () => clock,
  );

  it('edits within the window (then shows "edited"), and not after it', async () => {
    const post = await buildPost();
    const user = await buildUser(services);
    const comment = await postComment(services, post, { body: 'Frist!' }, { user });
    const { agent, csrf } = await signIn(app, user.username);

    const form = cheerio.load((await agent.get(`/comments/${comment._id}/edit`).expect(200)).text);
    expect(form('#field-body').text()).toBe('Frist!');
    // The time left, a way back, and a preview that saves nothing.
    expect(form('.form-context').text()).toMatch(/^You can edit it for 1[56] more minutes, until /);
    expect(form('.form-actions a').attr('href')).toBe(`/posts/${post.slug}/comments/${comment._id}`);
    const preview = cheerio.load(
      (
        await agent
          .post(`/comments/${comment._id}/edit`)
          .type('form')
          .send({ _csrf: csrf, body: 'First, *really*!', preview: '1' })
          .expect(200)
      ).text,
    );
    expect(preview('.edit-preview em').text()).toBe('really');
    expect(preview('#field-body').text()).toBe('First, *really*!');
    expect((await CommentModel.findById(comment._id).lean())?.bodySource).toBe('Frist!');
    await agent
      .post(`/comments/${comment._id}/edit`)
      .type('form')
      .send({ _csrf: csrf, body: '' })
      .expect(400);
    const saved = await agent
      .post(`/comments/${comment._id}/edit`)
      .type('form')
      .send({ _csrf: csrf, body: 'First!' })
      .expect(303);
    expect(saved.headers.location).toBe(`/posts/${post.slug}/comments/${comment._id}`);
    const page = cheerio.load((await agent.get(`/posts/${post.slug}`)).text);
    expect(page(`#comment-${comment._id} .comment__body`).text().trim()).toBe('First!');
    expect(page(`#comment-${comment._id} .comment__edited`).text()).toBe('(edited)');
    expect(page(`#comment-${comment._id} .comment__edit`).attr('href')).toBe(`/comments/${comment._id}/edit`);

    clock += 16 * 60 * 1000;
    const late = await agent
      .post(`/comments/${comment._id}/edit`)
      .type('form')
      .send({ _csrf: csrf, body: 'Too late' })
      .expect(403);
    // The window closed while they typed: the reason, and their text to copy.
    const lateForm = cheerio.load(late.text);
    expect(lateForm('.form-errors').text()).toContain('can no longer be changed');
    expect(lateForm('textarea[readonly]').text()).toBe('Too late');
    expect((await CommentModel.findById(comment._id).lean())?.bodySource).toBe('First!');
  });

  it('refuses to let anyone else edit or delete it, and shows them no Edit link', async () => {
    const post = await buildPost();
    const author = await buildUser(services);
    const other = await buildUser(services);
    const comment = await postComment(services, post, { body: 'Mine' }, { user: author });
    const { agent, csrf } = await signIn(app, other.username);
    await agent
      .post(`/comments/${comment._id}/edit`)
      .type('form')
      .send({ _csrf: csrf, body: 'Yours now' })
      .expect(403);
    await agent.post(`/comments/${comment._id}/delete`).type('form').send({ _csrf: csrf }).expect(403);
    const page = cheerio.load((await agent.get(`/posts/${post.slug}`)).text);
    expect(page(`#comment-${comment._id} .comment__edit`)).toHaveLength(0);
    const guestComment = await postComment(services, post, { name: 'A guest', body: 'guest' });
    await agent.post(`/comments/${guestComment._id}/delete`).type('form').send({ _csrf: csrf }).expect(403);
  });

  it('deletes: the thread keeps its place with a tombstone and the replies stay attached', async () => {
    const post = await buildPost();
    const user = await buildUser(services);
    const doomed = await postComment(services, post, { body: 'Regrettable take' }, { user });
    const reply = await postComment(services, post, {
      name: 'Replier',
      body: 'I disagree',
      parent: String(doomed._id),
    });
    const lonely = await postComment(services, post, { body: 'Nobody replied to this' }, { user });
    const { agent, csrf } = await signIn(app, user.username);
    await agent.get(`/comments/${doomed._id}/delete`).expect(200);
    const kept = await agent
      .post(`/comments/${doomed._id}/delete`)
      .type('form')
      .send({ _csrf: csrf })
      .expect(303);
    // With replies, its place stays: back to it.
    expect(kept.headers.location).toBe(`/posts/${post.slug}#comment-${doomed._id}`);
    const gone = await agent
      .post(`/comments/${lonely._id}/delete`)
      .type('form')
      .send({ _csrf: csrf })
      .expect(303);
    // Without, it leaves the page: back to the thread, not to an anchor the page's script would
    // take for a comment on another page (and land on "Page not found").
    expect(gone.headers.location).toBe(`/posts/${post.slug}#comments`);
    const myReply = await postComment(
      services,
      post,
      { body: 'On reflection, no.', parent: String(reply._id) },
      { user },
    );
    const toParent = await agent
      .post(`/comments/${myReply._id}/delete`)
      .type('form')
      .send({ _csrf: csrf })
      .expect(303);
    expect(toParent.headers.location).toBe(`/posts/${post.slug}#comment-${reply._id}`);

    const $ = cheerio.load((await agent.get(`/posts/${post.slug}`)).text);
    const tomb = $(`#comment-${doomed._id}`);
    expect(tomb.hasClass('comment--tombstone')).toBe(true);
    expect(tomb.find('> article .comment__body').text().trim()).toBe('Comment deleted by its author.');
    expect(tomb.text()).not.toContain('Regrettable');
    expect(tomb.find(`> ol.thread--replies > li#comment-${reply._id}`)).toHaveLength(1);
    expect($(`#comment-${lonely._id}`)).toHaveLength(0);
    expect($('#comments-title').text()).toBe('1 comment');
    expect((await PostModel.findById(post._id).lean())?.commentCount).toBe(1);
    expect((await CommentModel.findById(doomed._id).lean())?.bodySource).toBe('');
  });
});
