import type { ForgetEmailPayload } from '@shortlist/contracts';
import type { MailTransport } from '@shortlist/mail';
import type { Logger } from '@shortlist/observability';
import { ERASED, type Store } from '@shortlist/store';

export interface ForgetEmailDeps {
  store: Store;
  transport: MailTransport;
  logger: Logger;
}

/**
 * Deletes the transport's copy of a message whose content was erased (the outbox `.eml`: recipient
 * and body). The gateway queues one such job per erased message that had been claimed for sending;
 * this process is the one that knows where the outbox is. A message whose row still holds its
 * content is never touched; a missing row went with its deleted job.
 */
export function forgetEmailProcessor(deps: ForgetEmailDeps) {
  return async (payload: ForgetEmailPayload) => {
    const stored = await deps.store.emails.get(payload.userId, payload.emailId);
    if (stored && stored.to !== ERASED) return { skipped: 'not erased' };
    const removed = await deps.transport.forget(payload.messageId);
    if (removed) deps.logger.info('erased email copy deleted', { emailId: payload.emailId });
    return { removed };
  };
}
