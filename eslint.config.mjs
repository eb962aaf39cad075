import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Layers point down: routes -> controllers (HTTP in and out) -> services (rules, writes, events;
 * no req, no HTML) -> models (schemas). rendering/ and sockets/ sit beside the controllers; lib/,
 * errors/ and config/ hold what has no domain. A wrong arrow fails `npm run lint`; cycles are
 * caught by madge in the same script.
 */
const HTTP = ['routes', 'controllers', 'sockets', 'middleware', 'auth'];
const layer = (message, names, allowTypeImports = false) => ({
  group: names.flatMap((name) => [`**/${name}/*`, `**/${name}/**`, `**/${name}`]),
  message,
  allowTypeImports,
});
/**
 * Each collection written from more than one service has one owner, the only module that imports
 * its model's value (types are fine anywhere): the comments' is services/comments/comment-store.ts,
 * where the rule "write, record the thread's new version, then emit the event" lives.
 */
const OWNERS = [
  {
    group: ['**/models/comment', '**/models/comment.js'],
    message:
      'The comments collection has one owner: query and write comments through server/services/comments/comment-store.ts (importing the Comment type is fine).',
    allowTypeImports: true,
  },
];
const restrictOnly = (...patterns) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { patterns }],
});
const restrict = (...patterns) => restrictOnly(...patterns, ...OWNERS);
const SERVICES = [
  layer('Services hold rules, not HTTP or HTML: no req, no templates, no sockets.', [...HTTP, 'rendering']),
  {
    group: ['express', 'handlebars', 'socket.io', 'express-session', 'passport'],
    message: 'Services never see HTTP, templates or sockets: controllers and rendering do.',
  },
];
const boundaries = [
  {
    files: ['models/**/*.ts'],
    rules: restrict(layer('Models are schemas and types: they import nothing of the server.', ['server'])),
  },
  {
    files: ['server/lib/**/*.ts', 'server/errors/**/*.ts', 'server/config/**/*.ts'],
    rules: restrict(
      layer('lib/, errors/ and config/ import no layer above them: every layer may import them.', [
        ...HTTP,
        'services',
        'rendering',
        'db',
      ]),
      // lib/roles.ts answers questions about a model's role type; no lib file reads the database.
      layer('lib/ reads model types only, never the database.', ['models'], true),
    ),
  },
  {
    files: ['server/services/**/*.ts', 'server/mail/**/*.ts', 'server/db/**/*.ts'],
    rules: restrict(...SERVICES),
  },
  {
    // The owner of the comments collection.
    files: ['server/services/comments/comment-store.ts'],
    rules: restrictOnly(...SERVICES),
  },
  {
    // Everything else that runs the site or works on its data: the entry point, the seed, scripts.
    files: ['server/*.ts', 'server/cluster/**/*.ts', 'server/seed/**/*.ts', 'scripts/**/*.ts'],
    rules: restrict(),
  },
  {
    files: ['server/rendering/**/*.ts'],
    rules: restrict(
      layer('Rendering turns views into HTML; it is called by controllers and sockets.', HTTP),
      layer(
        'Rendering reads the shapes services return (types only), never calls them.',
        ['services', 'models'],
        true,
      ),
    ),
  },
  {
    files: ['server/controllers/**/*.ts', 'server/sockets/**/*.ts'],
    rules: restrict(
      layer(
        'Controllers and socket handlers are called by routes and the socket server, not the other way.',
        ['routes'],
      ),
      layer(
        'Controllers and sockets reach the database through services (model types are fine).',
        ['models'],
        true,
      ),
    ),
  },
  {
    files: ['server/routes/**/*.ts'],
    rules: restrict(
      layer(
        'Routes map URLs to controllers: no rules or queries here.',
        ['services', 'models', 'sockets'],
        true,
      ),
    ),
  },
  {
    files: ['server/auth/**/*.ts', 'server/middleware/**/*.ts'],
    rules: restrict(
      layer('Auth and middleware run before controllers; they do not call them.', [
        'routes',
        'controllers',
        'sockets',
      ]),
      layer(
        'Auth and middleware reach the database through services (model types are fine).',
        ['models'],
        true,
      ),
    ),
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/',
      '.builds/',
      'backups/',
      'node_modules/',
      'coverage/',
      'tools/embedded-mongo/',
      'data/',
      'tmp/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  ...boundaries,
  {
    // Size and branching: levels the code meets. A longer function is split into named steps
    // (search: plan, execute, describe). A factory of route handlers and the composition roots
    // say why they are longer, where they are; each handler inside is measured on its own.
    files: ['server/**/*.ts', 'models/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      'max-lines-per-function': ['error', { max: 100, skipBlankLines: true, skipComments: true }],
      complexity: ['error', 20],
    },
  },
  {
    // Role rules have one home: server/lib/roles.ts (isStaff, canModerate, badgeFor…), and the
    // `can` and `badgeLabel` helpers for templates.
    files: ['server/**/*.ts'],
    ignores: ['server/lib/roles.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "BinaryExpression[operator=/^[!=]==?$/] > MemberExpression.left[property.name='role']",
          message:
            'Ask server/lib/roles.ts (isStaff, canModerate, canEdit, canAdminister…) instead of comparing roles here.',
        },
      ],
    },
  },
  {
    files: ['scripts/**', 'bench/**', 'test/**', 'tools/**', '*.js', '*.mjs'],
    languageOptions: { globals: { ...globals.node } },
    rules: { 'no-console': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['public/js/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser, io: 'readonly' } },
  },
);
