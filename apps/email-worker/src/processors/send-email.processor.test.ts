import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { newId, type EmailMessage } from '@shortlist/contracts';
import {
  OutboxTransport,
  type MailTransport,
  type OutgoingMail,
  type SendHooks,
} from '@shortlist/mail';
import { createLogger } from '@shortlist/observability';
import type { Job } from '@shortlist/queue';
import { ERASED, SqliteStore, eraseEmail } from '@shortlist/store';
import { makeJob } from '../../../../packages/store/test/fixtures';
import { forgetEmailProcessor } from './forget-email.processor';
import { OPTED_OUT, sendEmailProcessor } from './send-email.processor';

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
  async forget() {
    return false;
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

  function processorFor(
    transport: MailTransport,
    outcomes: string[],
    waitForEarlierRunMs?: number,
  ) {
    return sendEmailProcessor({
      ...(waitForEarlierRunMs === undefined ? {} : { waitForEarlierRunMs }),
      store,
      transport,
      from: { name: 'Acme', address: 'jobs@acme.test' },
      logger: createLogger({ component: 'test', level: 'error', stream: new PassThrough() }),
      onServerUnreachable: async () => new Error('unreachable'),
      onOutcome: (o) => outcomes.push(o),
    });
  }
  const job = { attemptsMade: 0, opts: { attempts: 8 } } as unknown as Job;

  it('lets only the newest of two overlapping runs in two workers hand a message over', async () => {
    const transport = new GatedTransport();
    const outcomes: string[] = [];
    const workerA = processorFor(transport, outcomes);
    const workerB = processorFor(transport, outcomes);
    const email = await queuedEmail();
    const payload = { userId: email.userId, emailId: email.id };

    // Worker A claims and starts sending, then stalls; worker B (A's job lock expired) takes over.
    const a = workerA(payload, job);
    await transport.started(0);
    const b = workerB(payload, job);
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

  it('makes a second run of a message in the same worker wait for the first', async () => {
    const transport = new GatedTransport();
    const outcomes: string[] = [];
    const worker = processorFor(transport, outcomes);
    const email = await queuedEmail();
    const payload = { userId: email.userId, emailId: email.id };

    const first = worker(payload, job);
    await transport.started(0);
    const second = worker(payload, job);
    transport.release(0);
    await expect(first).resolves.toMatchObject({ response: '250 ok' });
    await expect(second).resolves.toEqual({ skipped: 'sent' });
    expect(transport.accepted).toHaveLength(1);
    expect(outcomes).toEqual(['sent']);
    expect(await store.emails.get(email.userId, email.id)).toMatchObject({
      status: 'sent',
      attempts: 1,
      lastError: null,
    });
  });

  it('cancels a queued message whose recipient unsubscribed meanwhile, sending nothing', async () => {
    const transport = new GatedTransport();
    const outcomes: string[] = [];
    const worker = processorFor(transport, outcomes);
    const email = await queuedEmail();
    await store.optOuts.add({
      userId: email.userId,
      address: 'ADA@example.test',
      reason: 'unsubscribe link',
      createdAt: new Date().toISOString(),
    });
    await expect(worker({ userId: email.userId, emailId: email.id }, job)).resolves.toEqual({
      skipped: 'opted out',
    });
    expect(transport.accepted).toEqual([]);
    expect(outcomes).toEqual(['opted-out']);
    expect(await store.emails.get(email.userId, email.id)).toMatchObject({
      status: 'cancelled',
      lastError: OPTED_OUT,
    });
  });

  it('cancels a message erased while a retry was pending, sending nothing and keeping no address', async () => {
    const transport = new GatedTransport();
    const outcomes: string[] = [];
    const worker = processorFor(transport, outcomes);
    const email = await queuedEmail();
    // A transient failure put it back with the server's reply; then the candidate was erased.
    await store.emails.update(
      email.userId,
      email.id,
      { attempts: 1, lastError: '452 4.2.2 <ada@example.test>: mailbox full' },
      new Date().toISOString(),
    );
    await eraseEmail(
      store,
      (await store.emails.get(email.userId, email.id))!,
      new Date().toISOString(),
    );
    // Erasure cancels a queued message itself; a run that was in flight can leave it queued.
    await store.emails.update(
      email.userId,
      email.id,
      { status: 'queued' },
      new Date().toISOString(),
    );

    await expect(worker({ userId: email.userId, emailId: email.id }, job)).resolves.toEqual({
      skipped: 'erased',
    });
    expect(transport.accepted).toEqual([]);
    expect(outcomes).toEqual(['erased']);
    const stored = await store.emails.get(email.userId, email.id);
    expect(stored).toMatchObject({ status: 'cancelled', to: ERASED, lastError: null });
    expect(JSON.stringify(stored)).not.toContain('ada@example.test');
  });

  it('stops waiting for a first run stuck in the pool and fences it', async () => {
    const transport = new GatedTransport();
    const outcomes: string[] = [];
    const worker = processorFor(transport, outcomes, 50);
    const email = await queuedEmail();
    const payload = { userId: email.userId, emailId: email.id };

    const stuck = worker(payload, job);
    await transport.started(0);
    const second = worker(payload, job);
    await transport.started(1);
    transport.release(1);
    await expect(second).resolves.toMatchObject({ response: '250 ok' });
    transport.release(0);
    await expect(stuck).resolves.toEqual({ skipped: 'superseded' });
    expect(transport.accepted).toHaveLength(1);
  });

  describe('outbox copies of erased messages', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'outbox-erase-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    /** The real outbox, held at the start of each send until the test releases it. */
    class HeldOutbox extends OutboxTransport {
      readonly started = deferred();
      readonly released = deferred();
      override async send(mail: OutgoingMail, hooks?: SendHooks) {
        this.started.resolve();
        await this.released.promise;
        return super.send(mail, hooks);
      }
    }

    const forgetter = (transport: MailTransport) =>
      forgetEmailProcessor({
        store,
        transport,
        logger: createLogger({ component: 'test', level: 'error', stream: new PassThrough() }),
      });

    it('deletes the .eml of an erased message, and never the copy of a message still on record', async () => {
      const outbox = new OutboxTransport(dir);
      const worker = processorFor(outbox, []);
      const email = await queuedEmail();
      await worker({ userId: email.userId, emailId: email.id }, job);
      const sent = (await store.emails.get(email.userId, email.id))!;
      expect(await readdir(dir)).toHaveLength(1);
      const payload = { userId: email.userId, emailId: email.id, messageId: sent.messageId! };

      await expect(forgetter(outbox)(payload)).resolves.toEqual({ skipped: 'not erased' });
      expect(await readdir(dir)).toHaveLength(1);

      await eraseEmail(store, sent, new Date().toISOString());
      await expect(forgetter(outbox)(payload)).resolves.toEqual({ removed: true });
      expect(await readdir(dir)).toEqual([]);
    });

    it('deletes the copy of a message erased while the outbox was writing it', async () => {
      const outbox = new HeldOutbox(dir);
      const outcomes: string[] = [];
      const worker = processorFor(outbox, outcomes);
      const email = await queuedEmail();
      const run = worker({ userId: email.userId, emailId: email.id }, job);
      await outbox.started.promise;

      // Erasure while the message is being handed over: its forget job finds no file yet.
      const claimed = (await store.emails.get(email.userId, email.id))!;
      expect(claimed.status).toBe('sending');
      await eraseEmail(store, claimed, new Date().toISOString());
      await expect(
        forgetter(outbox)({
          userId: email.userId,
          emailId: email.id,
          messageId: claimed.messageId!,
        }),
      ).resolves.toEqual({ removed: false });

      outbox.released.resolve();
      await run;
      expect(outcomes).toEqual(['sent']);
      expect(await readdir(dir)).toEqual([]);
    });

    it('leaves no copy, not even the half-written one, of a message whose job was deleted mid-send', async () => {
      const outbox = new HeldOutbox(dir);
      const worker = processorFor(outbox, []);
      const email = await queuedEmail();
      await store.jobs.create(makeJob(email.userId, { id: email.jobId }));
      const run = worker({ userId: email.userId, emailId: email.id }, job);
      await outbox.started.promise;
      expect(await store.jobs.delete(email.userId, email.jobId)).not.toBeNull();
      expect(await store.emails.get(email.userId, email.id)).toBeNull();
      outbox.released.resolve();
      await run;
      expect(await readdir(dir)).toEqual([]);
    });
  });
});
