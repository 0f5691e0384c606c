import { emailStack, type EmailStack } from './email-stack';

/**
 * Delivery through the queue to a real SMTP server: every message arrives exactly once (counted by
 * Message-ID at the server), whatever the server or the worker does in between.
 */
describe('email delivery (gateway -> queue -> email-worker process -> SMTP)', () => {
  let s: EmailStack;
  beforeAll(async () => {
    s = await emailStack();
  }, 30_000);
  afterAll(async () => {
    await s?.close();
  }, 30_000);
  afterEach(() => s.sink.setReply(null));

  function messageIdsAtSink(jobEmails: { messageId: string | null }[]) {
    const counts = s.sink.counts();
    return jobEmails.map((e) => counts.get(e.messageId!.replace(/[<>]/g, '')) ?? 0);
  }

  it('delivers 1,000 queued emails, each exactly once', async () => {
    const worker = await s.startWorker();
    const { job, resumes } = await s.seedResumes(1_000);
    const res = await s.queueEmails({ kind: 'invite', resumeIds: resumes.map((r) => r.id) });
    expect(res.status).toBe(202);
    expect(res.body.counts).toEqual({ queued: 1_000, existing: 0, rejected: 0 });

    const emails = await s.waitUntilSettled(job.id, 1_000);
    expect(emails.filter((e) => e.status === 'sent')).toHaveLength(1_000);
    expect(messageIdsAtSink(emails).every((n) => n === 1)).toBe(true);
    expect(s.sink.duplicates()).toEqual([]);
    const first = s.sink.received.find((m) => m.to[0] === 'candidate7@example.test')!;
    expect(first.raw).toMatch(/Subject: Interview invitation: Backend engineer at Alice/);
    expect(first.raw).toMatch(/Dear Candidate 7,/);
    await worker.stop('SIGTERM');
  }, 120_000);

  it('retries a 451 with backoff and delivers once', async () => {
    const worker = await s.startWorker();
    const { job, resumes } = await s.seedResumes(3);
    s.sink.setReply((a) =>
      a.attempt <= 2 ? { code: 451, message: '4.3.0 Temporary local problem, try later' } : null,
    );
    const res = await s.queueEmails({ kind: 'reject', resumeIds: resumes.map((r) => r.id) });
    expect(res.status).toBe(202);
    const emails = await s.waitUntilSettled(job.id, 3, 60_000);
    expect(emails.map((e) => e.status)).toEqual(['sent', 'sent', 'sent']);
    expect(emails.map((e) => e.attempts)).toEqual([3, 3, 3]);
    expect(messageIdsAtSink(emails)).toEqual([1, 1, 1]);
    for (const e of emails) expect(s.sink.attempts.get(e.messageId!.replace(/[<>]/g, ''))).toBe(3);
    await worker.stop('SIGTERM');
  }, 90_000);

  it('fails a 550 at once with the server reply stored, and never retries it', async () => {
    const worker = await s.startWorker();
    const { job, resumes } = await s.seedResumes(2);
    s.sink.setReply((a) =>
      a.to[0]!.startsWith('candidate0@')
        ? { code: 550, message: '5.1.1 Mailbox does not exist' }
        : null,
    );
    await s.queueEmails({ kind: 'invite', resumeIds: resumes.map((r) => r.id) }).expect(202);
    const emails = await s.waitUntilSettled(job.id, 2);
    const bad = emails.find((e) => e.to.startsWith('candidate0@'))!;
    const good = emails.find((e) => e.to.startsWith('candidate1@'))!;
    expect(good.status).toBe('sent');
    expect(bad).toMatchObject({ status: 'failed', attempts: 1 });
    expect(bad.lastError).toMatch(/550.*Mailbox does not exist/);
    // Give a wrongly scheduled retry time to show up before asserting there was none.
    await new Promise((r) => setTimeout(r, 3_000));
    expect(s.sink.attempts.get(bad.messageId!.replace(/[<>]/g, ''))).toBe(1);
    expect((await s.store.emails.get(s.user.id, bad.id))?.status).toBe('failed');
    await worker.stop('SIGTERM');
  }, 60_000);
});
