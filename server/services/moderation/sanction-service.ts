import { Types } from 'mongoose';
import { BanModel, type Ban } from '../../../models/ban.js';
import { UserModel } from '../../../models/user.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors/index.js';
import type { AuditService } from './audit-service.js';
import type { SessionUser } from '../accounts/user-service.js';

function describe(ban: Pick<Ban, 'until' | 'reason'>): string {
  const when = ban.until ? `until ${ban.until.toISOString().slice(0, 10)}` : 'permanently';
  return `${when}${ban.reason ? ` (${ban.reason})` : ''}`;
}

/** Suspensions, bans and IP blocks, and the check every new comment goes through. */
export class SanctionService {
  constructor(
    private readonly audit: AuditService,
    private readonly now: () => number = Date.now,
  ) {}

  private async active(kind: Ban['kind'], value: string): Promise<Ban | null> {
    const bans = await BanModel.find({ kind, value, lifted: false }).lean<Ban[]>();
    const now = this.now();
    return bans.find((ban) => !ban.until || ban.until.getTime() > now) ?? null;
  }

  /** Throws a 403 with a clear message when the writer may not post. */
  async assertMayPost(who: { userId?: string; email?: string; ipHash: string }): Promise<void> {
    // The three lookups at once (each is indexed); the first that applies, in this order, answers.
    const [userBan, emailBan, block] = await Promise.all([
      who.userId ? this.active('user', who.userId) : null,
      who.email ? this.active('email', who.email.toLowerCase()) : null,
      this.active('ip', who.ipHash),
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
    if (block)
      throw new ForbiddenError(`Comments from your network are blocked ${describe(block)}.`, 'blocked');
  }

  /** Suspends for `days` days, or bans when days is 0. */
  async sanctionUser(actor: SessionUser, userId: string, days: number, reason: string): Promise<void> {
    const user = Types.ObjectId.isValid(userId)
      ? await UserModel.findById(userId).select('username role').lean()
      : null;
    if (!user) throw new NotFoundError('There is no such user.');
    if (user.role !== 'commenter')
      throw new ValidationError('Staff accounts cannot be suspended; change their role first.');
    if (!Number.isInteger(days) || days < 0 || days > 3650) {
      throw new ValidationError('Choose a number of days between 1 and 3650, or 0 for a ban.', {
        days: 'Not a valid number of days.',
      });
    }
    const until = days ? new Date(this.now() + days * 86400000) : null;
    await BanModel.create({ kind: 'user', value: userId, until, reason, by: actor.id });
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
    await BanModel.create({ kind: 'email', value, reason, by: actor.id });
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
    await BanModel.create({ kind: 'ip', value: ipHash, reason, by: actor.id });
    await this.audit.record(actor, {
      action: 'ip.block',
      targetType: 'ip',
      targetId: ipHash,
      targetLabel: label,
      reason,
    });
  }

  async lift(actor: SessionUser, banId: string): Promise<void> {
    const result = Types.ObjectId.isValid(banId)
      ? await BanModel.updateOne({ _id: banId, lifted: false }, { $set: { lifted: true } })
      : { matchedCount: 0 };
    if (!result.matchedCount) throw new NotFoundError('There is no such sanction.');
    await this.audit.record(actor, { action: 'ban.lift', targetType: 'ban', targetId: banId });
  }

  async list(): Promise<(Ban & { active: boolean })[]> {
    const bans = await BanModel.find({}).sort({ _id: -1 }).limit(200).lean<Ban[]>();
    const now = this.now();
    return bans.map((ban) => ({ ...ban, active: !ban.lifted && (!ban.until || ban.until.getTime() > now) }));
  }
}
