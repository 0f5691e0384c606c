import type { BatchCounts, ResumeStatus } from '@shortlist/contracts';

/** The batch counter fields, in storage order. */
export const COUNTER_KEYS = [
  'total',
  'queued',
  'processing',
  'done',
  'failed',
  'duplicate',
] as const satisfies readonly (keyof BatchCounts)[];

/** Counter change for a resume moving from one status to another (empty when it stays). */
export function statusDelta(from: ResumeStatus, to: ResumeStatus): Partial<BatchCounts> {
  return from === to ? {} : { [from]: -1, [to]: 1 };
}

/** True when a counter change can finish a batch (more final resumes, or fewer resumes). */
export function canFinish(delta: Partial<BatchCounts>): boolean {
  return (
    (delta.done ?? 0) > 0 ||
    (delta.failed ?? 0) > 0 ||
    (delta.duplicate ?? 0) > 0 ||
    (delta.total ?? 0) < 0
  );
}

/** True when every resume of the batch is in a final state. */
export function allFinal(counts: BatchCounts): boolean {
  return counts.done + counts.failed + counts.duplicate >= counts.total;
}
