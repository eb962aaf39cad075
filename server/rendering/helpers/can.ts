import { can as ask, type RoleQuestion } from '../../lib/roles.js';
import type { Role } from '../../../models/user.js';

// {{#if (can currentUser "moderate")}}: the role rules of server/auth/roles.ts, for templates.
export function can(user: unknown, question: unknown, ...rest: unknown[]): boolean {
  if (rest.length !== 1 || typeof question !== 'string') throw new Error('can: usage (can user "question")');
  return ask(user as { role: Role } | undefined, question as RoleQuestion);
}
