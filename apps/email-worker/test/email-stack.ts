import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import request from 'supertest';
import { LocalBlobStore } from '@shortlist/blobs';
import {
  newId,
  type EmailMessage,
  type EmailStatus,
  type Job,
  type Resume,
} from '@shortlist/contracts';
import { createHealth, createLogger, createRegistry } from '@shortlist/observability';
import { Producer, createRedis, waitForRedis } from '@shortlist/queue';
import { SqliteStore } from '@shortlist/store';
import {
  REPO_ROOT,
  TEST_REDIS_URL,
  deletePrefix,
  startProcess,
  startSmtpSink,
  tempDir,
  testRedis,
  uniquePrefix,
  type RunningProcess,
} from '@shortlist/testkit';
import { createApp } from '../../gateway/src/app';
import { createUserWithKey } from '../../gateway/src/auth';
import type { GatewayDeps } from '../../gateway/src/deps';

const CRITERIA = [
  { name: 'TypeScript', weight: 2, required: true },
  { name: 'PostgreSQL', weight: 1, required: false },
];

/**
 * The email path as deployed: the gateway app (in this process, driven over HTTP with supertest),
 * the real email-worker as a child process, a SQLite file both share, the real Redis under a
 * private prefix, and a real SMTP server (the testkit sink) on loopback.
 */
export async function emailStack(
  options: { workerEnv?: Record<string, string>; gateway?: Partial<GatewayDeps> } = {},
) {
  const dir = await tempDir('email-e2e');
  const prefix = uniquePrefix('mail');
  const sqlitePath = join(dir.path, 'shortlist.db');
  const store = new SqliteStore({ path: sqlitePath, cursorSecret: 'test-cursor-secret-123' });
  const sink = await startSmtpSink();
  const redis = createRedis(TEST_REDIS_URL, 'producer');
  // A fail-fast producer connection: requests made before it is up would answer 503.
  await waitForRedis(redis);
  const analysisQueue = new Producer('resume-analysis', { connection: redis, prefix });
  const emailQueue = new Producer('email-delivery', { connection: redis, prefix });
  const logs = new PassThrough();
  logs.resume();
  const app = createApp({
    store,
    blobs: new LocalBlobStore(join(dir.path, 'blobs')),
    analysisQueue,
    emailQueue,
    logger: createLogger({ component: 'email-e2e', stream: logs }),
    registry: createRegistry('email-e2e'),
    health: createHealth({}),
    limits: { maxFileBytes: 1_000_000, maxFiles: 10, maxBatchBytes: 5_000_000 },
    trustProxyHops: 0,
    ...options.gateway,
  });
  const { user, apiKey } = await createUserWithKey(store, { name: 'Alice', role: 'member' });
  const auth = `Bearer ${apiKey}`;
  const workers: RunningProcess[] = [];

  const workerEnv = (extra: Record<string, string> = {}) => ({
    DATA_DIR: dir.path,
    SQLITE_PATH: sqlitePath,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    SMTP_URL: sink.url,
    SMTP_MAX_CONNECTIONS: '5',
    SMTP_RATE_PER_SECOND: '0',
    WORKER_CONCURRENCY: '50',
    EMAIL_LOCK_MS: '2000',
    SMTP_DOWN_PAUSE_MS: '250',
    MAIL_FROM: 'Shortlist <jobs@acme.test>',
    LOG_LEVEL: 'warn',
    ...options.workerEnv,
    ...extra,
  });

  return {
    app,
    store,
    sink,
    prefix,
    user,
    auth,
    dir: dir.path,

    /** Starts `apps/email-worker` as a real process and waits until it consumes the queue. */
    async startWorker(extra: Record<string, string> = {}): Promise<RunningProcess> {
      const worker = startProcess(
        process.execPath,
        ['--import', 'tsx', join(REPO_ROOT, 'apps', 'email-worker', 'src', 'main.ts')],
        { cwd: REPO_ROOT, env: workerEnv({ LOG_LEVEL: 'info', ...extra }), label: 'email-worker' },
      );
      workers.push(worker);
      await worker.waitFor(/email-worker started/, 30_000);
      return worker;
    },

    /** A job with `count` scored resumes, each with a unique candidate address. */
    async seedResumes(
      count: number,
      candidate?: (i: number) => Partial<Resume['candidate']>,
      jobFields: Partial<Pick<Job, 'title' | 'description'>> = {},
    ) {
      const at = new Date().toISOString();
      const job: Job = {
        id: newId('job'),
        userId: user.id,
        title: 'Backend engineer',
        description: 'Node.js services in TypeScript with PostgreSQL.',
        ...jobFields,
        criteria: CRITERIA,
        criteriaDerived: false,
        thresholds: { shortlist: 70, maybe: 45 },
        blind: false,
        version: 1,
        createdAt: at,
        updatedAt: at,
      };
      await store.jobs.create(job);
      const batchId = newId('bat');
      const resumes: Resume[] = Array.from({ length: count }, (_, i) => ({
        id: newId('res'),
        userId: user.id,
        jobId: job.id,
        batchId,
        fileName: `candidate-${i}.txt`,
        blobKey: `k/${i}`,
        sha256: i.toString(16).padStart(64, '0'),
        size: 100,
        mime: 'text/plain',
        uploadedAt: at,
        status: 'done',
        error: null,
        duplicateOf: null,
        jobVersion: 1,
        textChars: 100,
        candidate: {
          name: `Candidate ${i}`,
          email: `candidate${i}@example.test`,
          phone: null,
          links: [],
          ...candidate?.(i),
        },
        analysis: {
          score: 80,
          tier: 'shortlist',
          criteria: [
            { ...CRITERIA[0]!, met: 'yes', evidence: 'TypeScript since 2019' },
            { ...CRITERIA[1]!, met: i % 2 === 0 ? 'yes' : 'no', evidence: null },
          ],
          yearsExperience: 5,
          summary: 'Solid backend engineer.',
          warnings: [],
          model: 'local',
          promptVersion: 'test',
          tokensIn: 0,
          tokensOut: 0,
          costUsd: 0,
          cached: false,
          durationMs: 1,
        },
        score: 80,
        tier: 'shortlist',
        warnings: [],
        updatedAt: at,
      }));
      await store.resumes.createMany(resumes);
      return { job, resumes };
    },

    /** `POST /v1/emails`. */
    queueEmails(body: Record<string, unknown>) {
      return request(app).post('/v1/emails').set('authorization', auth).send(body);
    },

    api: () => request(app),

    /** Every email of the tenant (all pages). */
    async emails(filter: { jobId?: string } = {}): Promise<EmailMessage[]> {
      const all: EmailMessage[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.emails.list(user.id, filter, { cursor, limit: 200 });
        all.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return all;
    },

    /** Polls the store until every email of the job is in a final state (or times out). */
    async waitUntilSettled(jobId: string, expected: number, timeoutMs = 60_000) {
      const final: EmailStatus[] = ['sent', 'failed', 'cancelled'];
      const deadline = Date.now() + timeoutMs;
      let emails: EmailMessage[] = [];
      while (Date.now() < deadline) {
        emails = await this.emails({ jobId });
        if (emails.length >= expected && emails.every((e) => final.includes(e.status)))
          return emails;
        await new Promise((r) => setTimeout(r, 200));
      }
      const byStatus = emails.reduce<Record<string, number>>((acc, e) => {
        acc[e.status] = (acc[e.status] ?? 0) + 1;
        return acc;
      }, {});
      throw new Error(`emails not settled after ${timeoutMs} ms: ${JSON.stringify(byStatus)}`);
    },

    async close() {
      for (const worker of workers) await worker.stop('SIGTERM', 10_000);
      await sink.close();
      await emailQueue.close();
      await analysisQueue.close();
      const cleaner = testRedis();
      await deletePrefix(cleaner, prefix);
      await cleaner.quit();
      await redis.quit();
      await store.close();
      await dir.remove();
    },
  };
}

export type EmailStack = Awaited<ReturnType<typeof emailStack>>;
