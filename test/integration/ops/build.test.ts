import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../setup/paths';

/**
 * The build `npm install` made (dist -> .builds/ID): its code reads the templates and files it was
 * built with, so a checkout updated under a running site cannot hand old code new templates (seen:
 * every post page a 500, "Missing helper", until a restart).
 */
describe('a build', () => {
  const dist = path.join(ROOT, 'dist');

  it('keeps its own copy of the templates and static files, and its code reads those', () => {
    expect(existsSync(path.join(dist, 'server', 'index.js'))).toBe(true); // npm ci builds (postinstall)
    const build = realpathSync(dist);
    expect(path.relative(ROOT, build)).toMatch(/^\.builds\//);
    const printed = execFileSync(
      process.execPath,
      [
        '-e',
        "const p = require('./dist/server/paths.js'); console.log(JSON.stringify([p.VIEWS_DIR, p.PUBLIC_DIR]))",
      ],
      { cwd: ROOT, encoding: 'utf8' },
    );
    const [views, pub] = (JSON.parse(printed) as string[]).map((dir) => realpathSync(dir));
    expect(views).toBe(path.join(build, 'views'));
    expect(pub).toBe(path.join(build, 'public'));
    const template = path.join('partials', 'comments', 'comment.hbs');
    expect(readFileSync(path.join(views, template), 'utf8').length).toBeGreaterThan(0);
  });
});
