import type { EmailMessage, SendEmailPayload } from '@shortlist/contracts';
import { classifySendError, messageIdFor, type MailTransport } from '@shortlist/mail';
import type { Logger } from '@shortlist/observability';
import { UnrecoverableError, type Job } from '@shortlist/queue';
import { ERASED, type Store } from '@shortlist/store';

export interface SendEmailDeps {
  store: Store;
  transport: MailTransport;
  /** Sender address (from MAIL_FROM); the display name comes from the message or this default. */
  from: { name: string | null; address: string };
  logger: Logger;
  /**
   * The SMTP server could not be reached: pause the queue and return the error to throw, which
   * puts the job back without spending one of its attempts.
   */
  onServerUnreachable: (reply: string) => Promise<Error>;
  /** A message was accepted: the server is reachable again. */
  onAccepted?: () => void;
  onOutcome?: (
    outcome:
      | 'sent'
      | 'retry'
      | 'failed'
      | 'unreachable'
      | 'reconciled'
      | 'superseded'
      | 'opted-out'
      | 'erased',
  ) => void;
  /**
   * How long a second run of a message in this process waits for the first before going ahead
   * (then fenced by `attempts`), so one send stuck in the pool cannot hold its message forever.
   */
  waitForEarlierRunMs?: number;
  now?: () => Date;
}

/** Shown on a message reconciled after a crash when the transport cannot confirm delivery. */
export const UNCONFIRMED =
  'Unconfirmed: the worker stopped right after handing this message to the mail server, before it ' +
  'heard back. It was not sent again, to avoid a duplicate.';

/** Shown on a message cancelled because its recipient opted out after it was queued. */
export const OPTED_OUT = 'Cancelled: the recipient unsubscribed after this email was queued.';

const FINAL: EmailMessage['status'][] = ['sent', 'failed', 'cancelled'];

/**
 * Sends one stored message at most once per idempotency key:
 *
 * 1. `queued` -> `sending` with a Message-ID derived from the email id, before any byte goes out.
 * 2. The transport streams the message and, just before the server can accept it (SMTP: the final
 *    `.`), we durably record `handedOffAt`.
 * 3. On the server's answer: `sent`; a 5xx -> `failed` with the reply, no retry; a 4xx -> back to
 *    `queued` and retried with backoff; no answer (refused/dropped) -> back to `queued`, the whole
 *    queue pauses briefly, no attempt spent. `handedOffAt` is cleared with every recorded outcome.
 *
 * A job that finds its message `sending` with `handedOffAt` set belongs to a worker that died
 * after the hand-off: it is reconciled (outbox: the file tells; SMTP: assumed accepted, marked
 * unconfirmed), never sent again. `sending` without `handedOffAt` died before the hand-off: the
 * server never accepted it, so it is sent again with the same Message-ID.
 *
 * Two runs of one message at once (a live worker that stalled past its job lock, or a second job
 * for the same message) are fenced by `attempts`: every write after the claim is conditional on
 * the attempt number this run claimed, so once a newer run has claimed the message, the older one
 * can no longer record the hand-off and stops before the final `.`. At most one run per message
 * can reach the mail server's accept.
 */
export function sendEmailProcessor(deps: SendEmailDeps) {
  const now = () => (deps.now ?? (() => new Date()))().toISOString();
  const outcome = (o: Parameters<NonNullable<SendEmailDeps['onOutcome']>>[0]) =>
    deps.onOutcome?.(o);

  async function reconcile(message: EmailMessage, messageId: string) {
    const found = await deps.transport.lookup(messageId);
    if (found === 'not-delivered') return null;
    const at = now();
    const settled = await deps.store.emails.transition(
      message.userId,
      message.id,
      ['sending'],
      {
        status: 'sent',
        sentAt: message.handedOffAt ?? at,
        handedOffAt: null,
        lastError: found === 'unknown' ? UNCONFIRMED : null,
      },
      at,
      { attempts: message.attempts, handedOffAt: message.handedOffAt },
    );
    if (!settled) return { skipped: 'changed meanwhile' };
    outcome('reconciled');
    deps.logger.warn('email reconciled after an interrupted attempt', {
      emailId: message.id,
      confirmed: found === 'delivered',
    });
    return { reconciled: found };
  }

  // A job whose lock renewal came late (a busy event loop) is handed to this same process again
  // while its first run still waits for the pool; the second run waits for the first instead of
  // superseding it. Runs in other processes are fenced by `attempts` (see above).
  const inFlight = new Map<string, Promise<unknown>>();

  return async (payload: SendEmailPayload, job: Job) => {
    const previous = inFlight.get(payload.emailId);
    const run = (async () => {
      if (previous) await settledOrAfter(previous, deps.waitForEarlierRunMs ?? 90_000);
      return processOnce(payload, job);
    })();
    inFlight.set(payload.emailId, run);
    try {
      return await run;
    } finally {
      if (inFlight.get(payload.emailId) === run) inFlight.delete(payload.emailId);
    }
  };

  async function processOnce(payload: SendEmailPayload, job: Job) {
    const { userId, emailId } = payload;
    const stored = await deps.store.emails.get(userId, emailId);
    if (!stored) return { skipped: 'missing' };
    if (FINAL.includes(stored.status)) return { skipped: stored.status };
    const messageId = stored.messageId ?? messageIdFor(stored.id, deps.from.address);
    if (stored.status === 'sending' && stored.handedOffAt) {
      const reconciled = await reconcile(stored, messageId);
      if (reconciled) return reconciled;
    }
    // Erased (on request or by retention) while a run was in flight or a retry was pending: the
    // recipient is gone and must stay gone, including from an earlier SMTP reply in lastError.
    if (stored.to === ERASED) {
      const cancelled = await deps.store.emails.transition(
        userId,
        emailId,
        [stored.status],
        { status: 'cancelled', lastError: null, handedOffAt: null },
        now(),
        { attempts: stored.attempts, handedOffAt: stored.handedOffAt ?? null },
      );
      if (!cancelled) return { skipped: 'changed meanwhile' };
      outcome('erased');
      return { skipped: 'erased' };
    }
    const optedOut = await deps.store.optOuts.findMany(userId, [stored.to]);
    if (optedOut.has(stored.to.toLowerCase())) {
      const cancelled = await deps.store.emails.transition(
        userId,
        emailId,
        [stored.status],
        { status: 'cancelled', lastError: OPTED_OUT, handedOffAt: null },
        now(),
        { attempts: stored.attempts, handedOffAt: stored.handedOffAt ?? null },
      );
      if (!cancelled) return { skipped: 'changed meanwhile' };
      outcome('opted-out');
      return { skipped: 'opted out' };
    }

    const claimed = await deps.store.emails.transition(
      userId,
      emailId,
      [stored.status],
      { status: 'sending', attempts: stored.attempts + 1, messageId, handedOffAt: null },
      now(),
      { attempts: stored.attempts, handedOffAt: stored.handedOffAt ?? null },
    );
    if (!claimed) return { skipped: 'changed meanwhile' };
    const mine = { attempts: claimed.attempts };

    let handoff: Promise<unknown> | null = null;
    let handoffError: unknown = null;
    let fenced = false;
    let response: string;
    try {
      ({ response } = await deps.transport.send(
        {
          from: { name: claimed.fromName ?? deps.from.name, address: deps.from.address },
          to: claimed.to,
          replyTo: claimed.replyTo,
          subject: claimed.subject,
          text: claimed.text,
          html: claimed.html,
          messageId,
          unsubscribeUrl: claimed.unsubscribeUrl ?? null,
        },
        {
          beforeCommit: async () => {
            const at = now();
            handoff = deps.store.emails.transition(
              userId,
              emailId,
              ['sending'],
              { handedOffAt: at },
              at,
              { ...mine, handedOffAt: null },
            );
            let recorded: unknown;
            try {
              recorded = await handoff;
            } catch (error) {
              handoffError = error;
              throw error;
            }
            if (!recorded) {
              fenced = true;
              throw new Error('a newer run claimed this message; not handing it over');
            }
          },
        },
      ));
    } catch (error) {
      if (handoff) await Promise.resolve(handoff).catch(() => undefined);
      // Our own store failed, not the mail server: let the job retry as any other error.
      if (handoffError) throw handoffError;
      if (fenced) return superseded(claimed);
      return failed(claimed, job, error);
    }

    const at = now();
    const sent = await deps.store.emails.transition(
      userId,
      emailId,
      ['sending'],
      { status: 'sent', sentAt: at, lastError: null, handedOffAt: null },
      at,
      mine,
    );
    // Erased (or its job deleted) while the transport was writing its copy: the forget job the
    // erasure queued may have found no copy yet, so this run deletes it. An erasure after this
    // read queues its forget job after the copy exists.
    if (!sent || sent.to === ERASED) {
      const current = sent ?? (await deps.store.emails.get(userId, emailId));
      if (!current || current.to === ERASED) await deps.transport.forget(messageId);
    }
    deps.onAccepted?.();
    outcome('sent');
    return { messageId, response };
  }

  /** A newer run owns the message now: this one records nothing more and ends quietly. */
  function superseded(message: EmailMessage) {
    outcome('superseded');
    deps.logger.warn('email run superseded by a newer one', { emailId: message.id });
    return { skipped: 'superseded' };
  }

  async function failed(message: EmailMessage, job: Job, error: unknown) {
    const failure = classifySendError(error);
    const reply = failure.code ? `${failure.code} ${failure.reply}` : failure.reply;
    const attemptsAllowed = job.opts.attempts ?? 1;
    const lastAttempt = job.attemptsMade + 1 >= attemptsAllowed;
    const at = now();
    if (failure.kind === 'permanent' || (failure.kind === 'transient' && lastAttempt)) {
      const lastError =
        failure.kind === 'permanent'
          ? reply
          : `gave up after ${message.attempts} attempts: ${reply}`;
      const settled = await deps.store.emails.transition(
        message.userId,
        message.id,
        ['sending'],
        { status: 'failed', lastError, handedOffAt: null },
        at,
        { attempts: message.attempts },
      );
      if (!settled) return superseded(message);
      outcome('failed');
      deps.logger.warn('email failed', { emailId: message.id, code: failure.code });
      throw new UnrecoverableError(lastError);
    }
    const requeued = await deps.store.emails.transition(
      message.userId,
      message.id,
      ['sending'],
      { status: 'queued', lastError: reply, handedOffAt: null },
      at,
      { attempts: message.attempts },
    );
    if (!requeued) return superseded(message);
    if (failure.kind === 'transient') {
      outcome('retry');
      throw error instanceof Error ? error : new Error(reply);
    }
    outcome('unreachable');
    throw await deps.onServerUnreachable(reply);
  }
}

/** Resolves when `promise` settles or after `ms`, whichever comes first; never rejects. */
async function settledOrAfter(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise.catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

/**
 * Settles a message whose job BullMQ gave up on outside the processor (stalled too often, an
 * unexpected error on the last attempt), so no message stays `queued` or `sending` forever.
 */
export async function settleAbandoned(
  store: Store,
  payload: SendEmailPayload,
  reason: string,
  at: string,
): Promise<void> {
  const message = await store.emails.get(payload.userId, payload.emailId);
  if (!message || FINAL.includes(message.status)) return;
  if (message.status === 'sending' && message.handedOffAt) {
    await store.emails.transition(
      payload.userId,
      payload.emailId,
      ['sending'],
      { status: 'sent', sentAt: message.handedOffAt, handedOffAt: null, lastError: UNCONFIRMED },
      at,
    );
    return;
  }
  await store.emails.transition(
    payload.userId,
    payload.emailId,
    ['queued', 'sending'],
    { status: 'failed', lastError: reason, handedOffAt: null },
    at,
  );
}
