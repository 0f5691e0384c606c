import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { LocalBlobStore } from '@shortlist/blobs';
import { createLogger } from '@shortlist/observability';
import { Producer, createRedis } from '@shortlist/queue';
import { TEST_REDIS_URL } from '@shortlist/testkit';
import { emailStack, type EmailStack } from '../../apps/email-worker/test/email-stack';
import { RetentionSweeper } from '../../apps/gateway/src/retention';

const DAY = 86_400_000;

/** The `.eml` files in an outbox folder (none when it does not exist yet). */
const emlFiles = async (outbox: string) =>
  (await readdir(outbox).catch(() => [])).filter((f) => f.endsWith('.eml'));
/** The outbox file name of a message. */
const fileOf = (messageId: string | null) => `${messageId!.replace(/[<>]/g, '')}.eml`;

/** The email stack with a real email-worker process writing to `<data>/outbox` (no SMTP_URL). */
async function outboxStack(): Promise<{ s: EmailStack; outbox: string }> {
  const s = await emailStack();
  const outbox = join(s.dir, 'outbox');
  await s.startWorker({ SMTP_URL: '', OUTBOX_DIR: outbox });
  return { s, outbox };
}

/** Polls until `check` holds or `timeoutMs` passes; returns the last value read. */
async function until<T>(read: () => Promise<T>, check: (v: T) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    value = await read();
  }
  return value;
}

/**
 * Erasure and retention against the real email worker (a child process) writing to its outbox
 * folder (the embedded transport): the `.eml` copy of each erased message, which holds the
 * candidate's address and the whole letter, is deleted too; the audit trail stays free of both.
 */
describe('security: erasure and retention delete the outbox copies of sent emails', () => {
  let s: EmailStack;
  let outbox: string;
  beforeAll(async () => {
    ({ s, outbox } = await outboxStack());
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  }, 30_000);

  const files = () => emlFiles(outbox);

  it('deletes the .eml of an erased candidate at once, and of every expired one on the retention sweep', async () => {
    const { job, resumes } = await s.seedResumes(3);
    const queued = await s.queueEmails({ kind: 'invite', resumeIds: resumes.map((r) => r.id) });
    expect(queued.status).toBe(202);
    const sent = await s.waitUntilSettled(job.id, 3);
    expect(sent.map((e) => e.status)).toEqual(['sent', 'sent', 'sent']);
    const byResume = new Map(sent.map((e) => [e.resumeId, e]));
    expect((await files()).sort()).toEqual(sent.map((e) => fileOf(e.messageId)).sort());
    const erasedFile = fileOf(byResume.get(resumes[0]!.id)!.messageId);
    expect(await readFile(join(outbox, erasedFile), 'utf8')).toContain('candidate0@example.test');

    // Erasure on request.
    await s.api().delete(`/v1/resumes/${resumes[0]!.id}`).set('authorization', s.auth).expect(204);
    const afterErasure = await until(files, (f) => !f.includes(erasedFile));
    expect(afterErasure.sort()).toEqual(
      [resumes[1]!, resumes[2]!].map((r) => fileOf(byResume.get(r.id)!.messageId)).sort(),
    );

    // Retention: a sweep 31 days on with a 30-day period erases the rest, copies included.
    const redis = createRedis(TEST_REDIS_URL, 'producer');
    const emailQueue = new Producer('email-delivery', { connection: redis, prefix: s.prefix });
    try {
      const sweeper = new RetentionSweeper({
        store: s.store,
        blobs: new LocalBlobStore(join(s.dir, 'blobs')),
        redis,
        prefix: s.prefix,
        logger: createLogger({ component: 'retention-test', stream: new PassThrough() }),
        policy: { defaultDays: 30, byTenant: {} },
        cacheEraser: null,
        emailQueue,
      });
      const totals = await sweeper.sweepOnce(new Date(Date.now() + 31 * DAY));
      expect(totals).toMatchObject({ resumesDeleted: 2, emailsErased: 2 });
      expect(await until(files, (f) => f.length === 0)).toEqual([]);
    } finally {
      await emailQueue.close();
      await redis.quit();
    }

    // The rows keep their delivery status as the record; the trail holds ids and counts only.
    for (const email of await s.emails({ jobId: job.id }))
      expect(email).toMatchObject({ status: 'sent', to: '[erased]', text: '' });
    const trail = await s.api().get('/v1/audit').set('authorization', s.auth).expect(200);
    expect(trail.body.items.map((r: { action: string }) => r.action).sort()).toEqual([
      'resume.erased',
      'retention.swept',
    ]);
    expect(trail.text).not.toMatch(/candidate\d@example\.test|Candidate \d|Dear /);
  }, 90_000);
});

describe('security: deleting a job deletes the outbox copies of its emails', () => {
  let s: EmailStack;
  let outbox: string;
  beforeAll(async () => {
    ({ s, outbox } = await outboxStack());
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  }, 30_000);

  it('leaves no .eml of a deleted job and keeps those of other jobs', async () => {
    const files = () => emlFiles(outbox);
    const deleted = await s.seedResumes(2);
    const kept = await s.seedResumes(1);
    for (const { resumes } of [deleted, kept])
      expect(
        (await s.queueEmails({ kind: 'invite', resumeIds: resumes.map((r) => r.id) })).status,
      ).toBe(202);
    await s.waitUntilSettled(deleted.job.id, 2);
    const [keptEmail] = await s.waitUntilSettled(kept.job.id, 1);
    expect(await files()).toHaveLength(3);

    await s.api().delete(`/v1/jobs/${deleted.job.id}`).set('authorization', s.auth).expect(204);
    const left = await until(files, (f) => f.length === 1);
    expect(left).toEqual([fileOf(keptEmail!.messageId)]);
    const trail = await s.api().get('/v1/audit').set('authorization', s.auth).expect(200);
    expect(trail.body.items[0]).toMatchObject({ action: 'job.deleted', counts: { emails: 2 } });
    expect(trail.text).not.toMatch(/candidate\d@example\.test|Candidate \d/);
  }, 60_000);
});

/**
 * A candidate erased while their email still waits in the queue: the email worker (a real process,
 * started after the erasure) cancels it and the real SMTP server receives nothing for them.
 */
describe('security: erasure cancels queued emails before they reach the mail server', () => {
  let s: EmailStack;
  beforeAll(async () => {
    s = await emailStack();
  }, 30_000);
  afterAll(async () => {
    await s?.close();
  }, 30_000);

  it('sends nothing to an erased candidate whose email was queued, and still sends the others', async () => {
    const { job, resumes } = await s.seedResumes(2);
    const queued = await s.queueEmails({ kind: 'invite', resumeIds: resumes.map((r) => r.id) });
    expect(queued.body.counts).toMatchObject({ queued: 2 });
    await s.api().delete(`/v1/resumes/${resumes[0]!.id}`).set('authorization', s.auth).expect(204);

    await s.startWorker();
    const settled = await s.waitUntilSettled(job.id, 2);
    const byResume = new Map(settled.map((e) => [e.resumeId, e]));
    expect(byResume.get(resumes[0]!.id)).toMatchObject({ status: 'cancelled', to: '[erased]' });
    expect(byResume.get(resumes[1]!.id)).toMatchObject({ status: 'sent' });
    const recipients = s.sink.received.flatMap((m) => m.to);
    expect(recipients).toEqual(['candidate1@example.test']);
    expect(s.sink.received.map((m) => m.raw).join('\n')).not.toContain('Candidate 0');
  }, 60_000);
});
