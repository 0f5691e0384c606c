import { parsePendingMember } from '@shortlist/mail';
import type { Logger } from '@shortlist/observability';
import type { Producer, Redis } from '@shortlist/queue';
import type { Store } from '@shortlist/store';

export interface SweepDeps {
  redis: Redis;
  /** The pending log ({@link pendingEmailsKey}). */
  key: string;
  store: Store;
  producer: Producer<'email-delivery'>;
  /** Entries younger than this may belong to a request still running; they are left alone. */
  olderThanMs: number;
  logger: Logger;
  /** Entries looked at per sweep. */
  limit?: number;
  now?: () => number;
}

/**
 * Queues messages that a gateway stored but never queued (it died, or Redis failed, between the
 * two). Safe to run in every worker at once: a message whose job still exists is left alone, and
 * a second job for one message would be fenced by the processor anyway.
 */
export async function sweepPending(deps: SweepDeps): Promise<{ queued: number; cleared: number }> {
  const cutoff = (deps.now ?? Date.now)() - deps.olderThanMs;
  const members = await deps.redis.zrangebyscore(
    deps.key,
    '-inf',
    cutoff,
    'LIMIT',
    0,
    deps.limit ?? 500,
  );
  let queued = 0;
  for (const member of members) {
    const entry = parsePendingMember(member);
    const email = entry ? await deps.store.emails.get(entry.userId, entry.emailId) : null;
    if (entry && email?.status === 'queued') {
      const job = await deps.producer.queue.getJob(entry.emailId);
      const live = job && !(await job.isCompleted()) && !(await job.isFailed());
      if (!live) {
        await deps.producer.enqueue(
          'send-email',
          { userId: entry.userId, emailId: entry.emailId },
          {
            jobId: job ? `${entry.emailId}-${Date.now().toString(36)}` : entry.emailId,
            priority: email.priority,
          },
        );
        queued += 1;
      }
    }
    await deps.redis.zrem(deps.key, member);
  }
  if (queued > 0) deps.logger.warn('queued emails a gateway had stored but not queued', { queued });
  return { queued, cleared: members.length };
}
