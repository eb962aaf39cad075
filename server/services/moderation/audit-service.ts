import { AuditEntryModel, type AuditEntry } from '../../../models/audit-entry.js';
import { paging, type Paging } from '../../lib/paging.js';
import { csvRow } from '../../lib/csv.js';
import type { SessionUser } from '../accounts/user-service.js';

export interface AuditInput {
  action: string;
  targetType: 'comment' | 'post' | 'user' | 'email' | 'ip' | 'ban' | 'settings';
  targetId: string;
  targetLabel?: string;
  reason?: string;
  changes?: { field: string; before: string; after: string }[];
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
      ...(entry.changes?.length ? { changes: entry.changes } : {}),
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

  /**
   * The whole log (or its filtered part) as CSV lines, newest first, a header line first; read in
   * batches from a cursor, so an export of any size holds little in memory.
   */
  async *csv(filter: { action?: string; actor?: string }): AsyncGenerator<string> {
    const query: Record<string, string> = {};
    if (filter.action) query.action = filter.action;
    if (filter.actor) query.actorName = filter.actor;
    yield 'when,who,action,target_type,target_id,target,reason,changes\r\n';
    const cursor = AuditEntryModel.find(query)
      .sort({ _id: -1 })
      .lean<AuditEntry[]>()
      .cursor({ batchSize: 500 });
    for await (const e of cursor) {
      const row = [
        e.createdAt.toISOString(),
        e.actorName,
        e.action,
        e.targetType,
        e.targetId,
        e.targetLabel,
        e.reason,
        (e.changes ?? []).map((c) => `${c.field}: ${c.before} → ${c.after}`).join('; '),
      ];
      yield csvRow(row);
    }
  }

  async actions(): Promise<string[]> {
    return (await AuditEntryModel.distinct('action')).sort();
  }
}
