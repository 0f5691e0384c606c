import { CursorCodec } from './cursor';
import type { EmailFilter, ResumeFilter, ResumeSortKey } from './types';

/*
 * Every adapter binds its cursors to the same query description, so a cursor names exactly one
 * list: a change of tenant, filter or sort makes it invalid instead of silently skipping rows.
 */

export function jobListFingerprint(userId: string): string {
  return CursorCodec.fingerprint(['jobs', userId]);
}

export function batchListFingerprint(userId: string, jobId: string | undefined): string {
  return CursorCodec.fingerprint(['batches', userId, jobId ?? null]);
}

export function resumeListFingerprint(
  userId: string,
  filter: ResumeFilter,
  sort: ResumeSortKey,
): string {
  return CursorCodec.fingerprint([
    'resumes',
    userId,
    filter.jobId ?? null,
    filter.batchId ?? null,
    filter.tier ?? null,
    filter.status ?? null,
    filter.minScore ?? null,
    filter.hasWarnings ?? null,
    sort,
  ]);
}

export function emailListFingerprint(userId: string, filter: EmailFilter): string {
  return CursorCodec.fingerprint([
    'emails',
    userId,
    filter.jobId ?? null,
    filter.resumeId ?? null,
    filter.status ?? null,
  ]);
}

export function optOutListFingerprint(userId: string): string {
  return CursorCodec.fingerprint(['opt-outs', userId]);
}

export function auditListFingerprint(userId: string): string {
  return CursorCodec.fingerprint(['audit', userId]);
}
