// {{auditHref targetType targetId}}: where an audit entry's target is looked at ('' when nowhere).
export function auditHref(type: unknown, id: unknown, ...rest: unknown[]): string {
  if (rest.length !== 1) throw new Error('auditHref: usage (auditHref targetType targetId)');
  const target = encodeURIComponent(String(id ?? ''));
  if (!target) return '';
  switch (type) {
    case 'comment':
      return `/moderation/comments/${target}`;
    case 'post':
      return `/editor/posts/${target}/edit`;
    case 'user':
      return `/moderation/commenter?user=${target}`;
    case 'email':
      return `/moderation/commenter?email=${target}`;
    case 'ip':
      return `/moderation/commenter?ip=${target}`;
    case 'ban':
      return '/moderation/sanctions';
    case 'settings':
      return '/admin/settings';
    default:
      return '';
  }
}
