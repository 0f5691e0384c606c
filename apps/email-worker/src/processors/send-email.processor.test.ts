import { PassThrough } from 'node:stream';
import { newId, type EmailMessage } from '@shortlist/contracts';
import type { MailTransport, OutgoingMail, SendHooks } from '@shortlist/mail';
import { createLogger } from '@shortlist/observability';
import type { Job } from '@shortlist/queue';
import { SqliteStore } from '@shortlist/store';
import { sendEmailProcessor } from './send-email.processor';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** A transport that holds each send until the test releases it, and counts what it accepted. */
class GatedTransport implements MailTransport {
  readonly kind = 'smtp' as const;
  readonly accepted: string[] = [];
  private readonly starts = [deferred(), deferred()];
  private readonly releases = [deferred(), deferred()];
  private sends = 0;

  /** Resolves when the n-th send (0-based) has begun. */
  started(n: number): Promise<void> {
    return this.starts[n]!.promise;
  }

  release(n: number): void {
    this.releases[n]!.resolve();
  }

  async send(mail: OutgoingMail, hooks: SendHooks = {}) {
    const n = this.sends++;
    this.starts[n]!.resolve();
    await this.releases[n]!.promise;
    await hooks.beforeCommit?.();
    this.accepted.push(mail.messageId);
    return { messageId: mail.messageId, response: '250 ok' };
  }

  async lookup() {
    return 'unknown' as const;
  }
  async verify() {}
  async close() {}
}

describe('sendEmailProcessor', () => {
  let store: SqliteStore;
  beforeEach(() => {
    store = new SqliteStore({ path: ':memory:', cursorSecret: 'processor-test-secret-123' });
  });
  afterEach(async () => {
    await store.close();
  });

  async function queuedEmail(): Promise<EmailMessage> {
    const at = new Date().toISOString();
    const { message } = await store.emails.createIfAbsent({
      id: newId('eml'),
      userId: 'usr_1',
      resumeId: 'res_1',
      jobId: 'job_1',
      kind: 'invite',
      priority: 1,
      to: 'ada@example.test',
      subject: 'Interview',
      text: 'Dear Ada',
      html: null,
      status: 'queued',
      attempts: 0,
      lastError: null,
      messageId: null,
      idempotencyKey: 'res_1:invite:v1',
      createdAt: at,
      updatedAt: at,
      sentAt: null,
    });
    return message;
  }

  it('lets only the newest of two overlapping runs hand a message over', async () => {
    const transport = new GatedTransport();
    const outcomes: string[] = [];
    const process = sendEmailProcessor({
      store,
      transport,
      from: { name: 'Acme', address: 'jobs@acme.test' },
      logger: createLogger({ component: 'test', level: 'error', stream: new PassThrough() }),
      onServerUnreachable: async () => new Error('unreachable'),
      onOutcome: (o) => outcomes.push(o),
    });
    const email = await queuedEmail();
    const job = { attemptsMade: 0, opts: { attempts: 8 } } as unknown as Job;
    const payload = { userId: email.userId, emailId: email.id };

    // Run A claims and starts sending, then stalls; run B (its job lock expired) takes over.
    const a = process(payload, job);
    await transport.started(0);
    const b = process(payload, job);
    await transport.started(1);
    transport.release(1);
    await expect(b).resolves.toMatchObject({ response: '250 ok' });
    transport.release(0);
    await expect(a).resolves.toEqual({ skipped: 'superseded' });

    expect(transport.accepted).toHaveLength(1);
    expect(outcomes.sort()).toEqual(['sent', 'superseded']);
    expect(await store.emails.get(email.userId, email.id)).toMatchObject({
      status: 'sent',
      attempts: 2,
      handedOffAt: null,
    });
  });
});
