import { badgeLabel as label } from '../../lib/roles.js';
import type { Role } from '../../../models/user.js';

// {{badgeLabel user.role}}: "Columnist", "Staff" or "" (server/auth/roles.ts).
export function badgeLabel(role: unknown): string {
  return typeof role === 'string' ? label(role as Role) : '';
}
