import { OnceCache } from '../../lib/once-cache.js';
import { Types } from 'mongoose';
import { UserModel, type User } from '../../../models/user.js';
import { WarningModel, type Warning } from '../../../models/warning.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors/index.js';
import type { SessionUser } from '../accounts/user-service.js';
import type { AuditService } from './audit-service.js';
import { canBeSanctioned } from '../../lib/roles.js';

/**
 * Warnings: a moderator tells an account, with a reason, that it crossed a line. The account sees
 * it on its next page and must acknowledge it before it may comment again; both steps are in the
 * audit log.
 */
export class WarningService {
  /** Each account's open warning, as read in the last ten seconds (every page of theirs asks). */
  private readonly open = new OnceCache<Warning | null>(10000, 20000);

  constructor(private readonly audit: Pick<AuditService, 'record'>) {}

  async warn(actor: SessionUser, userId: string, reasonRaw: string): Promise<void> {
    const reason = reasonRaw.trim();
    if (!reason) {
      throw new ValidationError('Say why: the commenter reads it.', {
        reason: 'Give the reason for the warning.',
      });
    }
    if (reason.length > 1000) throw new ValidationError('Keep the reason under 1,000 characters.');
    const user = Types.ObjectId.isValid(userId)
      ? await UserModel.findById(userId).select('username role').lean<User>()
      : null;
    if (!user) throw new NotFoundError('There is no such account.');
    // As with suspensions: staff are not silenced by their peers; an admin changes their role first.
    if (!canBeSanctioned(user))
      throw new ForbiddenError('Staff accounts cannot be warned; an admin can change their role first.');
    await WarningModel.create({ user: user._id, reason, byName: actor.username });
    this.open.forget(String(user._id));
    await this.audit.record(actor, {
      action: 'user.warn',
      targetType: 'user',
      targetId: String(user._id),
      targetLabel: user.username,
      reason,
    });
  }

  /** The oldest warning the account has not acknowledged, if any. */
  async pending(userId: string): Promise<Warning | null> {
    return this.open.once(userId, () => this.oldestOpen(userId));
  }

  private async oldestOpen(userId: string): Promise<Warning | null> {
    const open = await WarningModel.find({ user: new Types.ObjectId(userId) })
      .sort({ _id: -1 })
      .limit(20)
      .lean<Warning[]>();
    return open.filter((w) => !w.acknowledgedAt).at(-1) ?? null;
  }

  async acknowledge(user: SessionUser, warningId: string): Promise<void> {
    const result = Types.ObjectId.isValid(warningId)
      ? await WarningModel.updateOne(
          { _id: warningId, user: new Types.ObjectId(user.id), acknowledgedAt: null },
          { $set: { acknowledgedAt: new Date() } },
        )
      : { matchedCount: 0 };
    this.open.forget(user.id);
    if (!result.matchedCount) throw new NotFoundError('There is no such warning to acknowledge.');
    await this.audit.record(user, {
      action: 'user.acknowledge-warning',
      targetType: 'user',
      targetId: user.id,
      targetLabel: user.username,
    });
  }
}
