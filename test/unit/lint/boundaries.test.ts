import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The layer rules in eslint.config.mjs, shown on imports that point the wrong way: each of these
 * lines, written into a file of that layer, fails `npm run lint`; the right-way ones pass.
 */
const root = path.resolve(__dirname, '../../..');

/** ESLint as `npm run lint` runs it (a child process: the config is an ES module), on one text. */
async function problems(
  file: string,
  code: string,
  rule = '@typescript-eslint/no-restricted-imports',
): Promise<string[]> {
  let out: string;
  try {
    out = execFileSync(
      path.join(root, 'node_modules/.bin/eslint'),
      ['--stdin', '--stdin-filename', file, '--format', 'json'],
      { cwd: root, input: code, encoding: 'utf8', stdio: 'pipe' },
    );
  } catch (err) {
    out = (err as { stdout: string }).stdout;
  }
  const [result] = JSON.parse(out) as { messages: { ruleId: string; message: string }[] }[];
  return result.messages.filter((m) => m.ruleId === rule).map((m) => m.message);
}

describe('layer boundaries (npm run lint)', () => {
  it.each([
    [
      'a service importing a controller',
      'server/services/posts/x.ts',
      "import { field } from '../../controllers/input/fields.js';\nfield({}, 'a');\n",
    ],
    [
      'a service importing express',
      'server/services/posts/x.ts',
      "import express from 'express';\nexpress();\n",
    ],
    [
      'a service importing rendering',
      'server/services/comments/x.ts',
      "import { ThreadFragments } from '../../rendering/thread-fragments.js';\nnew ThreadFragments({} as never);\n",
    ],
    [
      'a model importing the server',
      'models/x.ts',
      "import { slugify } from '../server/lib/slug.js';\nslugify('a');\n",
    ],
    [
      'lib importing a service',
      'server/lib/x.ts',
      "import { DomainEvents } from '../services/events.js';\nnew DomainEvents();\n",
    ],
    [
      'a controller querying a model',
      'server/controllers/x.ts',
      "import { PostModel } from '../../models/post.js';\nvoid PostModel;\n",
    ],
    [
      'a service querying comments without the comment store',
      'server/services/moderation/x.ts',
      "import { CommentModel } from '../../../models/comment.js';\nvoid CommentModel;\n",
    ],
    [
      'a script writing comments without the comment store',
      'scripts/x.ts',
      "import { CommentModel } from '../models/comment';\nvoid CommentModel;\n",
    ],
    [
      'a route calling a service',
      'server/routes/x.ts',
      "import { PostService } from '../services/posts/post-service.js';\nvoid PostService;\n",
    ],
  ])('refuses %s', async (_name, file, code) => {
    expect(await problems(file, code)).toHaveLength(1);
  });

  it.each([
    [
      'a controller using a service type',
      'server/controllers/x.ts',
      "import type { Services } from '../services/index.js';\nexport type X = Services;\n",
    ],
    [
      'a controller using a model type',
      'server/controllers/x.ts',
      "import type { Post } from '../../models/post.js';\nexport type X = Post;\n",
    ],
    [
      'the comment store using the comment model',
      'server/services/comments/comment-store.ts',
      "import { CommentModel } from '../../../models/comment.js';\nvoid CommentModel;\n",
    ],
    [
      'a service using the Comment type',
      'server/services/moderation/x.ts',
      "import type { Comment } from '../../../models/comment.js';\nexport type X = Comment;\n",
    ],
    [
      'a service using lib',
      'server/services/posts/x.ts',
      "import { slugify } from '../../lib/slug.js';\nslugify('a');\n",
    ],
  ])('allows %s', async (_name, file, code) => {
    expect(await problems(file, code)).toEqual([]);
  });
});

describe('function size and branching (npm run lint)', () => {
  const lines = (n: number) => Array.from({ length: n }, (_, i) => `  total += ${i};`).join('\n');
  const branches = (n: number) =>
    Array.from({ length: n }, (_, i) => `  if (x === ${i}) return ${i};`).join('\n');

  it('refuses a function of more than 100 lines, and one with more than 20 branches', async () => {
    const long = `export function long(): number {\n  let total = 0;\n${lines(100)}\n  return total;\n}\n`;
    expect(await problems('server/services/posts/x.ts', long, 'max-lines-per-function')).toHaveLength(1);
    const tangled = `export function tangled(x: number): number {\n${branches(20)}\n  return -1;\n}\n`;
    expect(await problems('server/services/posts/x.ts', tangled, 'complexity')).toHaveLength(1);
  });

  it('allows them split into named steps', async () => {
    const step = `export function step(): number {\n  let total = 0;\n${lines(50)}\n  return total;\n}\n`;
    expect(await problems('server/services/posts/x.ts', step, 'max-lines-per-function')).toEqual([]);
    const fewer = `export function fewer(x: number): number {\n${branches(10)}\n  return -1;\n}\n`;
    expect(await problems('server/services/posts/x.ts', fewer, 'complexity')).toEqual([]);
  });
});

describe('import cycles (npm run lint:cycles)', () => {
  it('fails on a cycle and passes on the code as it is', () => {
    const run = (dir: string) =>
      execFileSync(
        path.join(root, 'node_modules/.bin/madge'),
        ['--circular', '--extensions', 'ts', '--ts-config', 'tsconfig.json', dir],
        {
          cwd: root,
          stdio: 'pipe',
          encoding: 'utf8',
        },
      );
    expect(() => run('server')).not.toThrow();
    const dir = mkdtempSync(path.join(root, 'tmp-cycle-'));
    try {
      writeFileSync(path.join(dir, 'a.ts'), "import { b } from './b';\nexport const a = () => b;\n");
      writeFileSync(path.join(dir, 'b.ts'), "import { a } from './a';\nexport const b = () => a;\n");
      expect(() => run(dir)).toThrow(/circular/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
