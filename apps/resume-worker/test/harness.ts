import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { LocalBlobStore } from '@shortlist/blobs';
import {
  DEFAULT_THRESHOLDS,
  EMPTY_CANDIDATE,
  analysisJobId,
  batchEventsChannel,
  newId,
  type Batch,
  type Criterion,
  type Job,
  type ProgressEvent,
  type Resume,
} from '@shortlist/contracts';
import { Producer, createRedis } from '@shortlist/queue';
import { SqliteStore } from '@shortlist/store';
import {
  REPO_ROOT,
  TEST_REDIS_URL,
  deletePrefix,
  startProcess,
  tempDir,
  testRedis,
  uniquePrefix,
  type RunningProcess,
} from '@shortlist/testkit';

export interface WorkerProcess extends RunningProcess {
  opsPort: number;
  /** Sum of a counter (all label sets matching `labels`) from the worker's /metrics. */
  counter(name: string, labels?: Record<string, string>): Promise<number>;
}

/** Parses a Prometheus text exposition and sums the samples of `name` matching `labels`. */
export function sumMetric(text: string, name: string, labels: Record<string, string> = {}) {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = line.match(/^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/);
    if (!match || match[1] !== name) continue;
    const set = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
    );
    if (Object.entries(labels).every(([k, v]) => set[k] === v)) sum += Number(match[3]);
  }
  return sum;
}

/**
 * What the gateway would have done for a batch, on a temp SQLite file, temp blob folder and a
 * private Redis prefix; worker processes started against the same places.
 */
export async function workerHarness(label = 'worker') {
  const dir = await tempDir(`${label}-test`);
  const prefix = uniquePrefix(label);
  const sqlitePath = join(dir.path, 'shortlist.db');
  const store = new SqliteStore({ path: sqlitePath, cursorSecret: 'test-cursor-secret-123' });
  const blobs = new LocalBlobStore(join(dir.path, 'blobs'));
  const producerRedis = createRedis(TEST_REDIS_URL, 'producer');
  const producer = new Producer('resume-analysis', { connection: producerRedis, prefix });
  const subscriber = createRedis(TEST_REDIS_URL, 'subscriber');
  const events: ProgressEvent[] = [];
  subscriber.on('pmessage', (_pattern, _channel, message: string) => {
    events.push(JSON.parse(message) as ProgressEvent);
  });
  await subscriber.psubscribe(batchEventsChannel(prefix, '*'));
  const workers: WorkerProcess[] = [];
  const userId = newId('usr');
  const at = new Date().toISOString();
  await store.users.create({
    id: userId,
    name: 'Test',
    role: 'member',
    firebaseUid: null,
    createdAt: at,
  });

  const env = (extra: Record<string, string>) => ({
    DATA_DIR: dir.path,
    SQLITE_PATH: sqlitePath,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    OPS_PORT: '0',
    LOG_LEVEL: 'info',
    LOCK_DURATION_MS: '8000',
    STALLED_INTERVAL_MS: '1000',
    SHUTDOWN_GRACE_MS: '5000',
    ...extra,
  });

  return {
    store,
    blobs,
    prefix,
    userId,
    events,
    dir: dir.path,
    producer,

    async createJob(criteria: Criterion[], description = 'Software engineer building services.') {
      const job: Job = {
        id: newId('job'),
        userId,
        title: 'Engineer',
        description,
        criteria,
        criteriaDerived: false,
        thresholds: DEFAULT_THRESHOLDS,
        blind: false,
        version: 1,
        createdAt: at,
        updatedAt: at,
      };
      return store.jobs.create(job);
    },

    /** Stores files as the gateway does (blob + rows) and enqueues one job per resume. */
    async upload(
      job: Job,
      files: { fileName: string; bytes: Buffer }[],
      options: { economy?: boolean } = {},
    ) {
      const batchId = newId('bat');
      const resumes: Resume[] = [];
      for (const file of files) {
        const id = newId('res');
        const blobKey = `resumes/${userId}/${id}`;
        await blobs.put(blobKey, Readable.from([file.bytes]));
        resumes.push({
          id,
          userId,
          jobId: job.id,
          batchId,
          fileName: file.fileName,
          blobKey,
          sha256: createHash('sha256').update(file.bytes).digest('hex'),
          size: file.bytes.length,
          mime: 'text/plain',
          uploadedAt: at,
          status: 'queued',
          error: null,
          duplicateOf: null,
          jobVersion: job.version,
          textChars: null,
          candidate: EMPTY_CANDIDATE,
          analysis: null,
          score: null,
          tier: null,
          warnings: [],
          updatedAt: at,
        });
      }
      const batch: Batch = {
        id: batchId,
        userId,
        jobId: job.id,
        counts: {
          total: resumes.length,
          queued: resumes.length,
          processing: 0,
          done: 0,
          failed: 0,
          duplicate: 0,
        },
        createdAt: at,
        finishedAt: null,
      };
      await store.batches.create(batch);
      await store.resumes.createMany(resumes);
      await this.enqueue(resumes, job.version, options);
      return { batch, resumes };
    },

    /** Enqueues analysis jobs as the gateway does (one per resume and job version). */
    async enqueue(resumes: Resume[], jobVersion: number, options: { economy?: boolean } = {}) {
      await producer.enqueueBulk(
        resumes.map((r) => ({
          name: 'analyse-resume' as const,
          payload: {
            userId,
            resumeId: r.id,
            jobId: r.jobId,
            batchId: r.batchId,
            jobVersion,
            ...(options.economy ? { economy: true } : {}),
          },
          options: { jobId: analysisJobId(r.id, jobVersion) },
        })),
      );
    },

    async startWorkers(count: number, extra: Record<string, string> = {}) {
      const started = Array.from({ length: count }, (_, i) => {
        const proc = startProcess(
          process.execPath,
          ['--import', 'tsx', join(REPO_ROOT, 'apps', 'resume-worker', 'src', 'main.ts')],
          { cwd: REPO_ROOT, env: env(extra), label: `resume-worker-${workers.length + i}` },
        );
        return proc;
      });
      const ready = await Promise.all(
        started.map(async (proc) => {
          const match = await proc.waitFor(/"opsPort":(\d+)/, 60_000);
          const opsPort = Number(match[1]);
          const worker: WorkerProcess = {
            ...proc,
            opsPort,
            async counter(name, labels) {
              const res = await fetch(`http://127.0.0.1:${opsPort}/metrics`);
              return sumMetric(await res.text(), name, labels);
            },
          };
          return worker;
        }),
      );
      workers.push(...ready);
      return ready;
    },

    /** Polls until the batch has `finishedAt` and its `batch.finished` event arrived, or throws after `timeoutMs`. */
    async waitForBatch(batchId: string, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const batch = await store.batches.get(userId, batchId);
        // Done once the store says so and the last event has been published after it.
        if (
          batch?.finishedAt &&
          events.some((e) => e.batchId === batchId && e.type === 'batch.finished')
        )
          return batch;
        if (Date.now() > deadline)
          throw new Error(
            `batch not finished after ${timeoutMs} ms: ${JSON.stringify(batch?.counts)}`,
          );
        await new Promise((r) => setTimeout(r, 100));
      }
    },

    async waitUntil(check: () => Promise<boolean>, timeoutMs = 60_000, what = 'condition') {
      const deadline = Date.now() + timeoutMs;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`${what} not reached after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },

    async sumCounter(name: string, labels?: Record<string, string>) {
      const values = await Promise.all(
        workers.filter((w) => w.child.exitCode === null).map((w) => w.counter(name, labels)),
      );
      return values.reduce((a, b) => a + b, 0);
    },

    async close() {
      const codes = await Promise.all(workers.map((w) => w.stop('SIGTERM', 15_000)));
      await subscriber.quit();
      await producer.close();
      await producerRedis.quit();
      const cleaner = testRedis();
      await deletePrefix(cleaner, prefix);
      await cleaner.quit();
      await store.close();
      await dir.remove();
      return codes;
    },
  };
}

export type WorkerHarness = Awaited<ReturnType<typeof workerHarness>>;
