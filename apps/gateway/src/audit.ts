import {
  MAX_AUDIT_SUBJECT_IDS,
  newId,
  type AuditAction,
  type AuditRecord,
} from '@shortlist/contracts';
import type { Store } from '@shortlist/store';
import type { Principal } from './auth';

/** What an erasure did, for its audit record: ids and counts, never content. */
export interface AuditEntry {
  userId: string;
  action: AuditAction;
  /** The caller, or null for the retention schedule. */
  principal: Principal | null;
  targetId?: string | null;
  subjectIds?: string[];
  counts: AuditRecord['counts'];
  retentionDays?: number | null;
  at: string;
}

/**
 * Stores the audit record of an erasure. Only ids and counts are accepted, so personal data
 * cannot reach the trail through this path.
 */
export async function recordAudit(store: Store, entry: AuditEntry): Promise<AuditRecord> {
  return store.audit.append({
    id: newId('aud'),
    userId: entry.userId,
    action: entry.action,
    actor: entry.principal
      ? { type: entry.principal.via, keyId: entry.principal.keyId }
      : { type: 'system', keyId: null },
    targetId: entry.targetId ?? null,
    subjectIds: (entry.subjectIds ?? []).slice(0, MAX_AUDIT_SUBJECT_IDS),
    counts: entry.counts,
    retentionDays: entry.retentionDays ?? null,
    createdAt: entry.at,
  });
}
