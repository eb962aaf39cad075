import { AuditEntryModel, type AuditEntry } from '../../../models/audit-entry.js';
import { paging, type Paging } from '../../lib/paging.js';
import type { SessionUser } from '../accounts/user-service.js';

export interface AuditInput {
  action: string;
  targetType: 'comment' | 'post' | 'user' | 'email' | 'ip' | 'ban';
  targetId: string;
  targetLabel?: string;
  reason?: string;
}

/** The moderation audit log: every moderator action, who, what, target, reason, when. */
export class AuditService {
  async record(actor: SessionUser, entry: AuditInput): Promise<void> {
    await AuditEntryModel.create({
      actor: actor.id,
      actorName: actor.username,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      targetLabel: entry.targetLabel ?? '',
      reason: entry.reason ?? '',
    });
  }

  async list(filter: {
    action?: string;
    actor?: string;
    page: number;
  }): Promise<{ entries: AuditEntry[]; paging: Paging }> {
    const query: Record<string, string> = {};
    if (filter.action) query.action = filter.action;
    if (filter.actor) query.actorName = filter.actor;
    const perPage = 50;
    const [total, entries] = await Promise.all([
      AuditEntryModel.countDocuments(query),
      AuditEntryModel.find(query)
        .sort({ _id: -1 })
        .skip((filter.page - 1) * perPage)
        .limit(perPage)
        .lean<AuditEntry[]>(),
    ]);
    return { entries, paging: paging(filter.page, perPage, total) };
  }

  async actions(): Promise<string[]> {
    return (await AuditEntryModel.distinct('action')).sort();
  }
}
