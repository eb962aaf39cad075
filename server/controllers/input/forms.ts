import type { NewComment } from '../../services/comments/comment-service.js';
import type { LetterInput } from '../../services/letters/letter-service.js';
import type { PostInput } from '../../services/posts/post-service.js';
import { field } from './fields.js';

/** What each form (or JSON body) carries, read into the service's input type: HTTP stops here. */
export function newCommentFrom(body: unknown): NewComment {
  return {
    parentId: field(body, 'parent'),
    authorName: field(body, 'name'),
    authorEmail: field(body, 'email'),
    body: field(body, 'body'),
    notifyReplies: field(body, 'notify') === 'on',
  };
}

export function postInputFrom(body: unknown): PostInput {
  return {
    title: field(body, 'title'),
    slug: field(body, 'slug'),
    letter: field(body, 'letter'),
    answer: field(body, 'answer'),
    tags: field(body, 'tags'),
    authorName: field(body, 'authorName'),
    status: field(body, 'status'),
    commentStatus: field(body, 'commentStatus'),
    publishAt: field(body, 'publishAt'),
  };
}

export function letterInputFrom(body: unknown): LetterInput {
  return {
    subject: field(body, 'subject'),
    body: field(body, 'letter'),
    pseudonym: field(body, 'pseudonym'),
    email: field(body, 'email'),
    consentPublish: field(body, 'consentPublish') === 'yes',
    wantsAnonymized: field(body, 'wantsAnonymized') === 'yes',
    website: field(body, 'website'),
    formToken: field(body, 'formToken'),
  };
}
