import { AppError } from '@shortlist/contracts';
import type { Producer, Redis } from '@shortlist/queue';
import type { EmailCopy } from '@shortlist/store';

/** Jobs added per round trip. */
const CHUNK = 500;

/**
 * Queues the deletion of the copies erased messages left with the mail transport (the outbox
 * `.eml` files, which only the email worker can reach). One job per message, idempotent by id.
 */
export async function forgetEmailCopies(
  queue: Producer<'email-delivery'>,
  copies: EmailCopy[],
): Promise<void> {
  for (let i = 0; i < copies.length; i += CHUNK) {
    await queue.enqueueBulk(
      copies.slice(i, i + CHUNK).map((copy) => ({
        name: 'forget-email' as const,
        payload: copy,
        options: { jobId: `forget-${copy.emailId}` },
      })),
    );
  }
}

/**
 * An erasure that involves emails needs the email queue (to delete the transport's copies): it is
 * refused before anything is erased rather than leave copies that no job will delete.
 */
export function requireEmailQueue(queue: Producer<'email-delivery'>): void {
  if ((queue.queue.opts.connection as Redis).status !== 'ready')
    throw new AppError('unavailable', 'The email queue is unavailable; try again shortly.');
}
