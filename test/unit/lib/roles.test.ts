import { execFileSync } from 'node:child_process';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { Role } from '../../../models/user';
import { ROLES } from '../../../models/user';
import {
  badgeFor,
  badgeLabel,
  can,
  canAdminister,
  canBeSanctioned,
  canEdit,
  canModerate,
  hasRole,
  isStaff,
} from '../../../server/lib/roles';
import { helpers } from '../../../server/rendering/helpers';

const as = (role: Role) => ({ role });

describe('roles: every question the site asks of a role', () => {
  it.each([
    // role, staff, moderate, edit, administer, be sanctioned, badge
    ['commenter', false, false, false, false, true, 'member'],
    ['moderator', true, true, false, false, false, 'staff'],
    ['editor', true, false, true, false, false, 'columnist'],
    ['admin', true, true, true, true, false, 'staff'],
  ] as const)('%s', (role, staff, moderate, edit, administer, sanctioned, badge) => {
    expect(isStaff(as(role))).toBe(staff);
    expect(canModerate(as(role))).toBe(moderate);
    expect(canEdit(as(role))).toBe(edit);
    expect(canAdminister(as(role))).toBe(administer);
    expect(canBeSanctioned(as(role))).toBe(sanctioned);
    expect(badgeFor(role)).toBe(badge);
  });

  it('covers every role the model knows', () => {
    expect([...ROLES].sort()).toEqual(['admin', 'commenter', 'editor', 'moderator']);
  });

  it('nobody signed in is no one: no question is answered yes', () => {
    for (const question of ['staff', 'moderate', 'edit', 'administer', 'beSanctioned'] as const)
      expect(can(undefined, question)).toBe(false);
    expect(hasRole(undefined, 'moderator')).toBe(false);
    expect(hasRole(as('admin'), 'editor')).toBe(true);
  });

  it('templates ask the same rules through {{can}} and {{badgeLabel}}', () => {
    const hb = Handlebars.create();
    hb.registerHelper(helpers);
    const menu = hb.compile('{{#if (can user "moderate")}}queue{{/if}}|{{badgeLabel user.role}}');
    expect(menu({ user: as('moderator') })).toBe('queue|Staff');
    expect(menu({ user: as('editor') })).toBe('|Columnist');
    expect(menu({ user: as('commenter') })).toBe('|');
    expect(menu({})).toBe('|');
    expect(badgeLabel('admin')).toBe('Staff');
    expect(() => hb.compile('{{#if (can user "fly")}}x{{/if}}')({ user: as('admin') })).toThrow(
      /unknown question/,
    );
  });

  it('a role compared by hand anywhere in server/ fails npm run lint', () => {
    const root = path.resolve(__dirname, '../../..');
    const lint = (file: string) => {
      try {
        execFileSync(path.join(root, 'node_modules/.bin/eslint'), ['--stdin', '--stdin-filename', file], {
          cwd: root,
          input: "export const x = (u: { role: string }) => u.role === 'admin';\n",
          stdio: 'pipe',
        });
        return '';
      } catch (err) {
        return String((err as { stdout: Buffer }).stdout);
      }
    };
    expect(lint('server/services/posts/x.ts')).toContain('Ask server/lib/roles.ts');
    expect(lint('server/lib/roles.ts')).toBe('');
  });
});
