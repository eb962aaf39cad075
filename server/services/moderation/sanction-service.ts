import mongoose, { Types } from 'mongoose';
import { BanModel, type Ban } from '../../../models/ban.js';
import { UserModel } from '../../../models/user.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors/index.js';
import type { AuditService } from './audit-service.js';
import type { SessionUser } from '../accounts/user-service.js';
import { canBeSanctioned } from '../../lib/roles.js';

function describe(ban: Pick<Ban, 'until' | 'reason'>): string {
  const when = ban.until ? `until ${ban.until.toISOString().slice(0, 10)}` : 'permanently';
  return `${when}${ban.reason ? ` (${ban.reason})` : ''}`;
}

const SNAPSHOT_MS = 5000;

/** Suspensions, bans and IP blocks, and the check every new comment goes through. */
export class SanctionService {
  /** Bans not lifted, by "kind:value", read at most every SNAPSHOT_MS (few, and every comment checks them). */
  private snapshot: { at: number; bans: Map<string, Ban[]> } | undefined;
  private reading: Promise<Map<string, Ban[]>> | undefined;
  /** Bumped by every change here, so a read that a change overtook is not kept. */
  private generation = 0;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly audit: AuditService,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Every ban not lifted, kept in memory for SNAPSHOT_MS: a ban made or lifted in this process
   * applies at once (the snapshot is dropped), one made in another process within seconds.
   */
  private async activeBans(): Promise<Map<string, Ban[]>> {
    if (this.snapshot && Date.now() - this.snapshot.at < SNAPSHOT_MS) return this.snapshot.bans;
    if (!this.reading) {
      const generation = this.generation;
      const reading: Promise<Map<string, Ban[]>> = BanModel.find({ lifted: false })
        .lean<Ban[]>()
        .then((list) => {
          const bans = new Map<string, Ban[]>();
          for (const ban of list) {
            const key = `${ban.kind}:${ban.value}`;
            bans.set(key, [...(bans.get(key) ?? []), ban]);
          }
          if (generation === this.generation) this.snapshot = { at: Date.now(), bans };
          return bans;
        })
        .finally(() => {
          // Only its own: a change may have started a newer read meanwhile.
          if (this.reading === reading) this.reading = undefined;
        });
      this.reading = reading;
    }
    return this.reading;
  }

  private changed(): void {
    this.forget();
    for (const listener of this.listeners) listener();
  }

  /** Bans made or lifted elsewhere (another worker said so): read them again at the next check. */
  forget(): void {
    this.generation += 1;
    this.snapshot = undefined;
    this.reading = undefined;
  }

  /** Calls `listener` after each ban made or lifted in this process; returns the function that stops it. */
  onChanged(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async active(kind: Ban['kind'], value: string): Promise<Ban | null> {
    const bans = (await this.activeBans()).get(`${kind}:${value}`) ?? [];
    const now = this.now();
    return bans.find((ban) => !ban.until || ban.until.getTime() > now) ?? null;
  }

  /** Throws a 403 with a clear message when the writer may not post. */
  async assertMayPost(who: { userId?: string; email?: string; ipHash?: string }): Promise<void> {
    // Looked up in the snapshot of bans; the first that applies, in this order, answers.
    const [userBan, emailBan, block] = await Promise.all([
      who.userId ? this.active('user', who.userId) : null,
      who.email ? this.active('email', who.email.toLowerCase()) : null,
      who.ipHash ? this.active('ip', who.ipHash) : null,
    ]);
    if (userBan) {
      throw new ForbiddenError(
        userBan.until
          ? `Your account is suspended ${describe(userBan)}, so you cannot comment until then.`
          : `Your account has been banned ${describe(userBan)}, so you cannot comment.`,
        userBan.until ? 'suspended' : 'banned',
      );
    }
    if (emailBan) {
      throw new ForbiddenError(`This email address may not comment here ${describe(emailBan)}.`, 'banned');
    }
    // An address is shared (an office, a carrier): its block stops guests, and accounts made after
    // it (the blocked writer registering to get round it), not readers who had an account before.
    if (block && (!who.userId || accountMadeAfter(who.userId, block)))
      // Without the moderator's reason: everyone on that network reads this, not only its writer.
      throw new ForbiddenError(
        `Comments from your network are blocked ${describe({ ...block, reason: '' })}.`,
        'blocked',
      );
  }

  /** Suspends for `days` days, or bans when days is 0. */
  async sanctionUser(actor: SessionUser, userId: string, days: number, reason: string): Promise<void> {
    const user = Types.ObjectId.isValid(userId)
      ? await UserModel.findById(userId).select('username role').lean()
      : null;
    if (!user) throw new NotFoundError('There is no such user.');
    if (!canBeSanctioned(user))
      throw new ValidationError('Staff accounts cannot be suspended; change their role first.');
    if (!Number.isInteger(days) || days < 0 || days > 3650) {
      throw new ValidationError('Choose a number of days between 1 and 3650, or 0 for a ban.', {
        days: 'Not a valid number of days.',
      });
    }
    const until = days ? new Date(this.now() + days * 86400000) : null;
    await BanModel.create({ kind: 'user', value: userId, label: user.username, until, reason, by: actor.id });
    this.changed();
    await this.audit.record(actor, {
      action: days ? 'user.suspend' : 'user.ban',
      targetType: 'user',
      targetId: userId,
      targetLabel: user.username,
      reason: days ? `${days} days${reason ? `: ${reason}` : ''}` : reason,
    });
  }

  async banEmail(actor: SessionUser, email: string, reason: string): Promise<void> {
    const value = email.trim().toLowerCase();
    if (!value) throw new ValidationError('That comment has no email to ban.');
    await BanModel.create({ kind: 'email', value, label: value, reason, by: actor.id });
    this.changed();
    await this.audit.record(actor, {
      action: 'email.ban',
      targetType: 'email',
      targetId: value,
      targetLabel: value,
      reason,
    });
  }

  async blockIp(actor: SessionUser, ipHash: string, reason: string, label: string): Promise<void> {
    if (!ipHash) throw new ValidationError('That comment has no recorded address to block.');
    await BanModel.create({ kind: 'ip', value: ipHash, label, reason, by: actor.id });
    this.changed();
    await this.audit.record(actor, {
      action: 'ip.block',
      targetType: 'ip',
      targetId: ipHash,
      targetLabel: label,
      reason,
    });
  }

  async lift(actor: SessionUser, banId: string): Promise<void> {
    const ban = Types.ObjectId.isValid(banId) ? await BanModel.findById(banId).lean<Ban>() : null;
    const result = ban
      ? await BanModel.updateOne({ _id: banId, lifted: false }, { $set: { lifted: true } })
      : { matchedCount: 0 };
    if (!result.matchedCount) throw new NotFoundError('There is no such sanction.');
    this.changed();
    const [labelled] = await withLabels([ban!]);
    await this.audit.record(actor, {
      action: 'ban.lift',
      targetType: ban!.kind,
      targetId: ban!.value,
      targetLabel: labelled.label,
    });
  }

  /** The latest sanctions, each with who it is for as moderators know them, and whether it is in force. */
  async list(): Promise<SanctionState[]> {
    const bans = await withLabels(await BanModel.find({}).sort({ _id: -1 }).limit(200).lean<Ban[]>());
    const now = this.now();
    return bans.map((ban) => sanctionState(ban, now));
  }
}

export type SanctionState = Ban & { what: string; active: boolean; over: boolean };

/**
 * A sanction as a moderator reads it (the sanctions page, a commenter's history): what it is in
 * words, and whether it is in force, lifted, or over by its date.
 */
export function sanctionState(ban: Ban, now: number): SanctionState {
  const what =
    ban.kind === 'user'
      ? ban.until
        ? 'Suspended'
        : 'Banned'
      : ban.kind === 'email'
        ? 'Email banned'
        : 'Address blocked';
  const over = Boolean(ban.until && ban.until.getTime() <= now);
  return { ...ban, what, active: !ban.lifted && !over, over: !ban.lifted && over };
}

/**
 * Sanctions with a label: kept since they were made, or for an account suspended before there were
 * any, its name now (one read by _id for all of them).
 */
async function withLabels(bans: Ban[]): Promise<Ban[]> {
  const missing = bans.filter((b) => !b.label && b.kind === 'user' && Types.ObjectId.isValid(b.value));
  if (!missing.length) return bans;
  const users = await UserModel.find({ _id: mongoose.trusted({ $in: missing.map((b) => b.value) }) })
    .select('username')
    .lean();
  const names = new Map(users.map((u) => [String(u._id), u.username as string]));
  return bans.map((b) =>
    b.label ? b : { ...b, label: names.get(b.value) ?? (b.kind === 'user' ? '[gone]' : b.value) },
  );
}

/** Whether the account was made after the sanction (an account's id says when it was made). */
function accountMadeAfter(userId: string, ban: Ban): boolean {
  if (!Types.ObjectId.isValid(userId)) return true;
  const made = new Types.ObjectId(userId).getTimestamp().getTime();
  return made >= new Date(ban.createdAt ?? 0).getTime() - 1000;
}
