import type { HelperDelegate } from 'handlebars';
import { asset } from './asset.js';
import { auditHref } from './audit-href.js';
import { badgeLabel } from './badge-label.js';
import { can } from './can.js';
import { eq } from './eq.js';
import { formatDate } from './format-date.js';
import { isOwn } from './is-own.js';
import { isoDate } from './iso-date.js';
import { percent } from './percent.js';
import { pluralize } from './pluralize.js';
import { urlEncode } from './url-encode.js';

/** Every helper the templates may use, by the name they use. */
export const helpers: Record<string, HelperDelegate> = {
  asset,
  auditHref,
  badgeLabel,
  can,
  eq,
  formatDate,
  isOwn,
  isoDate,
  percent,
  pluralize,
  urlEncode,
};
