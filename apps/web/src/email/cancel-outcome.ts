import type { EmailMessage } from '../api/types';

/**
 * What became of one email the recruiter asked to cancel, in a sentence: cancelled, or why not
 * (most often it started sending a moment before). `to` is null in blind mode.
 */
export function cancelOutcome(
  cancelled: boolean,
  email: EmailMessage | null,
  to: string | null,
): string {
  const subject = to === null ? 'The email' : `The email to ${to}`;
  if (cancelled) return `${subject} was cancelled.`;
  switch (email?.status) {
    case 'sending':
      return `${subject} is already being sent, so it can't be cancelled.`;
    case 'sent':
      return `${subject} was already sent, so it can't be cancelled.`;
    case 'cancelled':
      return `${subject} was already cancelled.`;
    case 'failed':
      return `${subject} could not be delivered and is no longer waiting, so there is nothing to cancel.`;
    case 'queued':
      return `${subject} could not be cancelled just now. Try again.`;
    default:
      return `${subject} no longer exists (it may have been erased).`;
  }
}
