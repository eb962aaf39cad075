// {{#if (isOwn authorUserId ctx.currentUserId)}}: whether the comment is the signed-in reader's own
// (a guest's comment, with no author account, is no one's, also to a reader who is not signed in).
export function isOwn(authorUserId: unknown, currentUserId: unknown, ...rest: unknown[]): boolean {
  if (rest.length !== 1) throw new Error('isOwn: usage (isOwn authorUserId currentUserId)');
  return Boolean(authorUserId) && authorUserId === currentUserId;
}
