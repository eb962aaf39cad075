import type { Config } from '../../config/index.js';

/** The settings an admin changes at /admin/settings; every other one stays an environment variable. */
export const EDITABLE_KEYS = [
  'siteTitle',
  'siteDescription',
  'siteTimeZone',
  'allowGuestComments',
  'commentEditMinutes',
  'commentIntervalSeconds',
  'commentsPerPage',
  'commentsMaxDepth',
  'autoCloseDays',
  'bannedWords',
  'suspectWords',
  'holdFirstComment',
  'holdLinksOver',
  'reportsToHide',
  'spamHoldScore',
] as const satisfies readonly (keyof Config)[];

export type EditableKey = (typeof EDITABLE_KEYS)[number];
export type EditableValues = Pick<Config, EditableKey>;

export interface FieldSpec {
  key: EditableKey;
  label: string;
  hint: string;
  kind: 'text' | 'bool' | 'int' | 'words';
  group: 'site' | 'commenting' | 'moderation' | 'spam';
  /** Text: longest allowed; words: most words. */
  max?: number;
}

export const GROUPS: { id: FieldSpec['group']; title: string }[] = [
  { id: 'site', title: 'The site' },
  { id: 'commenting', title: 'Commenting' },
  { id: 'moderation', title: 'Moderation rules' },
  { id: 'spam', title: 'Spam classifier' },
];

export const FIELDS: FieldSpec[] = [
  {
    key: 'siteTitle',
    group: 'site',
    kind: 'text',
    max: 80,
    label: 'Site title',
    hint: 'In the header, page titles, feeds and mail.',
  },
  {
    key: 'siteDescription',
    group: 'site',
    kind: 'text',
    max: 200,
    label: 'Description',
    hint: 'One line: the footer, the feed and search engines.',
  },
  {
    key: 'siteTimeZone',
    group: 'site',
    kind: 'text',
    max: 60,
    label: 'Time zone',
    hint: 'Where the editors schedule posts: a name such as America/New_York, Europe/London or UTC.',
  },
  {
    key: 'allowGuestComments',
    group: 'commenting',
    kind: 'bool',
    label: 'Guests may comment',
    hint: 'With a name (and an optional email), without an account.',
  },
  {
    key: 'commentEditMinutes',
    group: 'commenting',
    kind: 'int',
    label: 'Edit window (minutes)',
    hint: 'How long writers may edit their comment (0: never).',
  },
  {
    key: 'commentIntervalSeconds',
    group: 'commenting',
    kind: 'int',
    label: 'Comment pace (seconds)',
    hint: 'Least time between two comments from one writer or address (0: no limit).',
  },
  {
    key: 'commentsPerPage',
    group: 'commenting',
    kind: 'int',
    label: 'Comments per page',
    hint: 'Top-level comments on each page of a thread.',
  },
  {
    key: 'commentsMaxDepth',
    group: 'commenting',
    kind: 'int',
    label: 'Nesting depth',
    hint: 'Deepest level of replies shown indented.',
  },
  {
    key: 'autoCloseDays',
    group: 'commenting',
    kind: 'int',
    label: 'Close comments after (days)',
    hint: 'Days after publishing (0: never).',
  },
  {
    key: 'bannedWords',
    group: 'moderation',
    kind: 'words',
    max: 500,
    label: 'Banned words',
    hint: 'A comment with one of these is refused. One per line, or separated by commas.',
  },
  {
    key: 'suspectWords',
    group: 'moderation',
    kind: 'words',
    max: 500,
    label: 'Suspect words',
    hint: 'A comment with one of these is held for a moderator.',
  },
  {
    key: 'holdFirstComment',
    group: 'moderation',
    kind: 'bool',
    label: "Hold a commenter's first comment",
    hint: 'Until a moderator approves it; later ones publish at once.',
  },
  {
    key: 'holdLinksOver',
    group: 'moderation',
    kind: 'int',
    label: 'Hold comments with more links than',
    hint: '0 holds any comment with a link.',
  },
  {
    key: 'reportsToHide',
    group: 'moderation',
    kind: 'int',
    label: 'Reports that hide a comment',
    hint: 'Until a moderator looks at it.',
  },
  {
    key: 'spamHoldScore',
    group: 'spam',
    kind: 'int',
    label: 'Hold at spam score',
    hint: '0 to 100; a comment scoring this or more is held, with its score shown to moderators (0: off).',
  },
];
