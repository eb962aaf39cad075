import type { Role } from '../../models/user.js';

/**
 * Every question the site asks of a role, in one place. Four roles: commenters write comments;
 * moderators keep the threads (queues, sanctions); editors answer letters and publish posts;
 * admins do all of that and run the site (users, settings, the audit log).
 */
type Someone = { role: Role } | null | undefined;

/** Staff: anyone but a commenter (the staff menu, the queue cards' "staff" tag). */
export function isStaff(user: Someone): boolean {
  return Boolean(user && user.role !== 'commenter');
}

/** The queues, sanctions, and every comment of a thread, held ones too. */
export function canModerate(user: Someone): boolean {
  return user?.role === 'moderator' || user?.role === 'admin';
}

/** The editor's desk: posts and letters. */
export function canEdit(user: Someone): boolean {
  return user?.role === 'editor' || user?.role === 'admin';
}

/** Users, settings, the audit log, and searches that include drafts. */
export function canAdminister(user: Someone): boolean {
  return user?.role === 'admin';
}

/** Warnings and suspensions are for commenters: staff are dealt with by changing their role. */
export function canBeSanctioned(user: Someone): boolean {
  return user?.role === 'commenter';
}

/** Admins may do everything; otherwise the role must be one of those named. */
export function hasRole(user: Someone, ...roles: Role[]): boolean {
  return Boolean(user && (user.role === 'admin' || roles.includes(user.role)));
}

/** How a comment by this role is marked: the columnist's badge, the staff badge, or none. */
export function badgeFor(role: Role): 'columnist' | 'staff' | 'member' {
  if (role === 'editor') return 'columnist';
  if (role === 'moderator' || role === 'admin') return 'staff';
  return 'member';
}

/** The badge's words, for templates ("Columnist", "Staff", or ""). */
export function badgeLabel(role: Role): string {
  const badge = badgeFor(role);
  return badge === 'columnist' ? 'Columnist' : badge === 'staff' ? 'Staff' : '';
}

/** Editors (the columnist) and moderators choose the columnist's picks. */
export function canFeature(user: Someone): boolean {
  return canEdit(user) || canModerate(user);
}

const QUESTIONS = {
  staff: isStaff,
  feature: canFeature,
  moderate: canModerate,
  edit: canEdit,
  administer: canAdminister,
  beSanctioned: canBeSanctioned,
} as const;

export type RoleQuestion = keyof typeof QUESTIONS;

export function can(user: Someone, question: RoleQuestion): boolean {
  const answer = QUESTIONS[question];
  if (!answer) throw new Error(`can: unknown question "${question}" (${Object.keys(QUESTIONS).join(', ')})`);
  return answer(user);
}
