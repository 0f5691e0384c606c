import { PassThrough } from 'node:stream';
import { newId, type EmailMessage } from '@shortlist/contracts';
import { pendingEmailsKey, pendingMember } from '@shortlist/mail';
import { createLogger } from '@shortlist/observability';
import { Producer, type Redis } from '@shortlist/queue';
import { SqliteStore } from '@shortlist/store';
import { deletePrefix, testRedis, uniquePrefix } from '@shortlist/testkit';
import { sweepPending } from '../src/sweeper';

/** The sweeper against the real Redis queue and a real SQLite store. */
describe('sweepPending', () => {
  let redis: Redis;
  let store: SqliteStore;
  let producer: Producer<'email-delivery'>;
  let prefix: string;
  const logger = createLogger({ component: 'test', level: 'error', stream: new PassThrough() });

  beforeEach(() => {
    prefix = uniquePrefix('sweep');
    redis = testRedis() as unknown as Redis;
    store = new SqliteStore({ path: ':memory:', cursorSecret: 'sweeper-test-secret-1234' });
    producer = new Producer('email-delivery', { connection: redis, prefix });
  });
  afterEach(async () => {
    await producer.close();
    await deletePrefix(redis, prefix);
    await redis.quit();
    await store.close();
  });

  async function stored(status: EmailMessage['status']): Promise<EmailMessage> {
    const at = new Date().toISOString();
    const id = newId('eml');
    const { message } = await store.emails.createIfAbsent({
      id,
      userId: 'usr_1',
      resumeId: newId('res'),
      jobId: 'job_1',
      kind: 'invite',
      priority: 4,
      to: 'ada@example.test',
      subject: 'Interview',
      text: 'Dear Ada',
      html: null,
      status,
      attempts: 0,
      lastError: null,
      messageId: null,
      idempotencyKey: `${id}:invite:v1`,
      createdAt: at,
      updatedAt: at,
      sentAt: null,
    });
    return message;
  }

  it('queues stored-but-never-queued messages once and clears the log', async () => {
    const key = pendingEmailsKey(prefix);
    const orphan = await stored('queued');
    const withJob = await stored('queued');
    const sent = await stored('sent');
    const young = await stored('queued');
    await producer.enqueue(
      'send-email',
      { userId: 'usr_1', emailId: withJob.id },
      { jobId: withJob.id },
    );
    const now = Date.now();
    await redis.zadd(
      key,
      now - 120_000,
      pendingMember('usr_1', orphan.id),
      now - 120_000,
      pendingMember('usr_1', withJob.id),
      now - 120_000,
      pendingMember('usr_1', sent.id),
      now - 120_000,
      pendingMember('usr_1', 'eml_gone'),
      now - 120_000,
      'not json',
      now,
      pendingMember('usr_1', young.id),
    );

    const sweep = () => sweepPending({ redis, key, store, producer, olderThanMs: 60_000, logger });
    expect(await sweep()).toEqual({ queued: 1, cleared: 5 });
    const jobs = await producer.queue.getJobs(['waiting', 'prioritized']);
    expect(jobs.map((j) => j.data.emailId as string).sort()).toEqual(
      [orphan.id, withJob.id].sort(),
    );
    const swept = jobs.find((j) => j.data.emailId === orphan.id)!;
    expect(swept.id).toBe(orphan.id);
    expect(swept.opts.priority).toBe(4);
    // Only the entry of a request that may still be running is left.
    expect(await redis.zrange(key, 0, -1)).toEqual([pendingMember('usr_1', young.id)]);
    expect(await sweep()).toEqual({ queued: 0, cleared: 0 });
  });
});
