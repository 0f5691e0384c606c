import type { SendEmailPayload } from '@shortlist/contracts';
import type { Logger } from '@shortlist/observability';
import type { Job } from '@shortlist/queue';
import type { Store } from '@shortlist/store';
import type { OutboxTransport } from '../outbox';

export interface SendEmailDeps {
  store: Store;
  transport: OutboxTransport;
  from: string;
  logger: Logger;
  now?: () => Date;
}

/** Sends one stored message and records the outcome; a message already sent is never sent again. */
export function sendEmailProcessor(deps: SendEmailDeps) {
  const now = () => (deps.now ?? (() => new Date()))().toISOString();
  return async (payload: SendEmailPayload, job: Job) => {
    const claimed = await deps.store.emails.transition(
      payload.userId,
      payload.emailId,
      ['queued', 'sending'],
      { status: 'sending', attempts: job.attemptsMade + 1 },
      now(),
    );
    if (!claimed) return { skipped: 'not queued' };
    const messageId = claimed.messageId ?? `<${claimed.id}@shortlist.local>`;
    try {
      await deps.transport.send({
        from: deps.from,
        to: claimed.to,
        subject: claimed.subject,
        text: claimed.text,
        html: claimed.html,
        messageId,
      });
    } catch (error) {
      await deps.store.emails.update(
        payload.userId,
        payload.emailId,
        { lastError: error instanceof Error ? error.message : String(error), messageId },
        now(),
      );
      throw error;
    }
    const at = now();
    await deps.store.emails.transition(
      payload.userId,
      payload.emailId,
      ['sending'],
      {
        status: 'sent',
        messageId,
        sentAt: at,
        lastError: null,
      },
      at,
    );
    deps.logger.info('email sent', { emailId: payload.emailId });
    return { messageId };
  };
}
