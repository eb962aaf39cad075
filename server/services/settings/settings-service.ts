import { SettingsRevisionModel, type SettingsRevision } from '../../../models/settings-revision.js';
import { ConfigError, schema, type Config } from '../../config/index.js';
import { ConflictError, ValidationError } from '../../errors/index.js';
import type { SessionUser } from '../accounts/user-service.js';
import type { DomainEvents } from '../events.js';
import type { AuditService } from '../moderation/audit-service.js';
import { EDITABLE_KEYS, FIELDS, type EditableKey, type EditableValues, type FieldSpec } from './fields.js';
import { isDuplicateKey } from '../../db/upsert.js';

export interface SettingChange {
  field: string;
  before: string;
  after: string;
}

const CONFLICT =
  'Another admin saved the settings while you were editing. The page shows them as saved now: make your change again.';

/** How a value reads in the audit log and in messages. */
export function showValue(value: unknown): string {
  if (Array.isArray(value)) return value.length ? value.join(', ') : '(none)';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

function sameValue(a: unknown, b: unknown): boolean {
  return showValue(a) === showValue(b) && Array.isArray(a) === Array.isArray(b);
}

/**
 * A stored value is used only if it has the type of the setting's default and passes the setting's
 * own check (a hand-edited record cannot break the site).
 */
function fitsType(key: EditableKey, value: unknown): boolean {
  const sample = schema[key].default as unknown;
  if (Array.isArray(sample)) return Array.isArray(value) && value.every((v) => typeof v === 'string');
  if (typeof value !== typeof sample) return false;
  if (typeof value !== 'number') return true;
  try {
    return schema[key].parse(String(value)) === value;
  } catch {
    return false;
  }
}

/**
 * The settings admins change without a restart. Environment variables are the defaults of a new
 * site; each save on /admin/settings is a numbered revision in the database and the highest number
 * is in force. Values are written into the shared `config` object, which services read on every
 * use, so a change applies at once in this process; every process reads new revisions every
 * SETTINGS_POLL_SECONDS, and at once when told over Redis (`onSaved`, see settings-sync).
 */
export class SettingsService {
  private readonly defaults: EditableValues;
  private revision = 0;
  private savedBy = '';
  private savedAt: Date | null = null;
  private timer: NodeJS.Timeout | undefined;
  private readonly savedListeners = new Set<(revision: number) => void>();

  constructor(
    private readonly config: Config,
    private readonly events: DomainEvents,
    private readonly audit: Pick<AuditService, 'record'>,
  ) {
    this.defaults = Object.fromEntries(EDITABLE_KEYS.map((k) => [k, config[k]])) as EditableValues;
  }

  /** The values in force, and which save they come from (0: the environment's defaults). */
  current(): { revision: number; values: EditableValues; savedBy: string; savedAt: Date | null } {
    const values = Object.fromEntries(EDITABLE_KEYS.map((k) => [k, this.config[k]])) as EditableValues;
    return { revision: this.revision, values, savedBy: this.savedBy, savedAt: this.savedAt };
  }

  /** Reads the latest save and applies it if it is newer than the one in force; true if it was. */
  async refresh(): Promise<boolean> {
    const latest = await SettingsRevisionModel.findOne().sort({ _id: -1 }).lean<SettingsRevision>();
    if (!latest || latest._id <= this.revision) return false;
    this.apply(latest);
    return true;
  }

  /** Reads new saves every `seconds` (unref'd: it never keeps a process alive). */
  start(seconds = this.config.settingsPollSeconds, onError: (err: unknown) => void = () => undefined): void {
    this.stop();
    this.timer = setInterval(() => void this.refresh().catch(onError), seconds * 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Called with each revision this process saves (to tell the other processes). */
  onSaved(listener: (revision: number) => void): () => void {
    this.savedListeners.add(listener);
    return () => this.savedListeners.delete(listener);
  }

  /**
   * Validates the form (every field, each error tied to its field), saves it as the next revision
   * after `baseRevision` (the one the admin's form showed; 409 if another save came in between),
   * applies it, and writes the changes with their before and after values to the audit log.
   */
  async update(
    actor: SessionUser,
    form: Record<string, unknown>,
    baseRevision: number,
  ): Promise<{ revision: number; changes: SettingChange[] }> {
    const next = parseForm(form);
    await this.refresh();
    if (baseRevision !== this.revision) throw new ConflictError(CONFLICT);
    const before = this.current().values;
    const changes: SettingChange[] = FIELDS.filter((f) => !sameValue(before[f.key], next[f.key])).map(
      (f) => ({ field: f.label, before: showValue(before[f.key]), after: showValue(next[f.key]) }),
    );
    if (!changes.length) return { revision: this.revision, changes };
    const revision = this.revision + 1;
    try {
      const saved = await SettingsRevisionModel.create({
        _id: revision,
        values: next,
        changedBy: actor.id,
        changedByName: actor.username,
      });
      this.apply(saved.toObject() as SettingsRevision);
    } catch (err) {
      if (isDuplicateKey(err)) throw new ConflictError(CONFLICT);
      throw err;
    }
    await this.audit.record(actor, {
      action: 'settings.update',
      targetType: 'settings',
      targetId: String(revision),
      targetLabel: `Settings, save ${revision}`,
      changes,
    });
    for (const listener of this.savedListeners) listener(revision);
    return { revision, changes };
  }

  private apply(saved: SettingsRevision): void {
    const changed: string[] = [];
    const target = this.config as unknown as Record<string, unknown>;
    for (const key of EDITABLE_KEYS) {
      const stored = saved.values?.[key];
      const value = stored !== undefined && fitsType(key, stored) ? stored : this.defaults[key];
      if (!sameValue(target[key], value)) changed.push(key);
      target[key] = value;
    }
    this.revision = saved._id;
    this.savedBy = saved.changedByName;
    this.savedAt = saved.createdAt;
    if (changed.length) this.events.emit('settings.changed', { revision: saved._id, keys: changed });
  }
}

function textOf(form: Record<string, unknown>, key: string): string {
  const raw = form[key];
  return typeof raw === 'string' ? raw : '';
}

/** The form's values, typed; a ValidationError names every field that is wrong. */
export function parseForm(form: Record<string, unknown>): EditableValues {
  const values: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of FIELDS) {
    try {
      values[field.key] = parseField(field, textOf(form, field.key));
    } catch (err) {
      if (!(err instanceof ConfigError) && !(err instanceof ValidationError)) throw err;
      errors[field.key] = err instanceof ConfigError ? sentence(err.detail) : err.message;
    }
  }
  const count = Object.keys(errors).length;
  if (count) {
    throw new ValidationError(
      count === 1
        ? 'One setting needs fixing; nothing was saved.'
        : `${count} settings need fixing; nothing was saved.`,
      errors,
    );
  }
  return values as EditableValues;
}

function sentence(detail: string): string {
  return `${detail.charAt(0).toUpperCase()}${detail.slice(1)}.`;
}

function parseField(field: FieldSpec, raw: string): unknown {
  const setting = schema[field.key];
  switch (field.kind) {
    case 'bool':
      // A checkbox sends its value when ticked and nothing when not.
      return raw !== '';
    case 'int':
      if (raw.trim() === '') throw new ValidationError('Enter a number.');
      return setting.parse(raw.trim());
    case 'words': {
      const words = setting.parse(raw.replace(/\r?\n/g, ',')) as string[];
      const unique = [...new Set(words)];
      if (unique.length > (field.max ?? 500)) throw new ValidationError(`At most ${field.max} words.`);
      const long = unique.find((w) => w.length > 60);
      if (long) throw new ValidationError(`"${long.slice(0, 20)}…" is longer than 60 characters.`);
      return unique;
    }
    case 'text': {
      // No control characters: the title and description go into feeds (XML) and mail headers.
      const text = [...raw]
        .map((c) => (c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127 ? ' ' : c))
        .join('')
        .replace(/\s+/g, ' ')
        .trim();
      if (!text) throw new ValidationError('This cannot be empty.');
      if (text.length > (field.max ?? 200))
        throw new ValidationError(`At most ${field.max} characters (this has ${text.length}).`);
      return setting.parse(text); // what the variable itself accepts (a time zone must be one)
    }
  }
}
