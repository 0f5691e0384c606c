import { join } from 'node:path';
import { Producer, createRedis, readQueueDepth } from '@shortlist/queue';
import {
  REPO_ROOT,
  TEST_REDIS_URL,
  deletePrefix,
  tempDir,
  testRedis,
  uniquePrefix,
} from '@shortlist/testkit';
import { Autoscaler } from '../src/autoscaler';
import { LocalProcessScaler } from '../src/scalers/local.scaler';

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The embedded setup: real resume-worker processes on one SQLite file, scaled by queue depth. */
describe('local-process scaler with real resume-workers', () => {
  const prefix = uniquePrefix('autoscale');
  const connection = createRedis(TEST_REDIS_URL, 'producer');
  const producer = new Producer('resume-analysis', { connection, prefix });
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let scaler: LocalProcessScaler;

  beforeAll(async () => {
    dir = await tempDir('autoscale');
    scaler = new LocalProcessScaler({
      services: {
        'resume-worker': {
          command: process.execPath,
          args: ['--import', 'tsx', join(REPO_ROOT, 'apps', 'resume-worker', 'src', 'main.ts')],
          cwd: REPO_ROOT,
          env: {
            DATA_DIR: dir.path,
            REDIS_URL: TEST_REDIS_URL,
            REDIS_PREFIX: prefix,
            OPS_PORT: '0',
            LOG_LEVEL: 'warn',
            SHUTDOWN_GRACE_MS: '5000',
          },
        },
      },
      stdio: 'ignore',
      stopTimeoutMs: 20_000,
    });
  });

  afterAll(async () => {
    await scaler?.close();
    await producer.close();
    const redis = testRedis();
    await deletePrefix(redis, prefix);
    await redis.quit();
    await connection.quit();
    await dir?.remove();
  }, 40_000);

  it('starts workers for a backlog, stops them gracefully when it is gone, and replaces a dead one', async () => {
    let clock = 0;
    const autoscaler = new Autoscaler({
      targets: [
        { service: 'resume-worker', queue: 'resume-analysis', min: 1, max: 3, jobsPerReplica: 20 },
      ],
      scaler,
      readDepth: () => readQueueDepth(producer.queue),
      readHeadroom: async () => ({ ratio: 1, pausedUntil: 0 }),
      policy: { upCooldownMs: 0, downCooldownMs: 1_000, headroomFloor: 0.1 },
      now: () => clock,
    });

    // 100 analysis jobs for resumes that were deleted meanwhile: each worker settles them fast.
    await producer.enqueueBulk(
      Array.from({ length: 100 }, (_, i) => ({
        name: 'analyse-resume' as const,
        payload: {
          userId: 'usr_1',
          resumeId: `res_${i}`,
          jobId: 'job_1',
          batchId: 'bat_1',
          jobVersion: 1,
        },
        options: { jobId: `res_${i}-v1` },
      })),
    );
    expect(await autoscaler.tick()).toEqual([
      expect.objectContaining({ current: 0, replicas: 3, reason: 'below-minimum' }),
    ]);
    const started = scaler.pids('resume-worker');
    expect(started).toHaveLength(3);
    expect(started.every(isAlive)).toBe(true);

    // The processes are real workers: all three connect to the queue and drain it.
    await until(
      async () => (await producer.queue.getWorkersCount()) >= 3,
      90_000,
      'three workers on the queue',
    );
    await until(
      async () => {
        const depth = await readQueueDepth(producer.queue);
        return depth.waiting + depth.active === 0;
      },
      90_000,
      'the workers to drain the queue',
    );

    clock = 2_000;
    expect(await autoscaler.tick()).toEqual([
      expect.objectContaining({ current: 3, replicas: 1, reason: 'scale-down' }),
    ]);
    await scaler.settled();
    const [survivor] = scaler.pids('resume-worker');
    expect(started).toContain(survivor);
    const stopped = started.filter((pid) => pid !== survivor);
    expect(stopped.some(isAlive)).toBe(false);
    // SIGTERM: they shut down cleanly, not killed.
    expect(
      scaler.exits.filter((e) => stopped.includes(e.pid)).map((e) => [e.code, e.signal]),
    ).toEqual([
      [0, null],
      [0, null],
    ]);

    // A worker that dies is replaced on the next tick, cool-down or not.
    process.kill(survivor!, 'SIGKILL');
    await until(
      () => !isAlive(survivor!) && scaler.pids('resume-worker').length === 0,
      10_000,
      'the kill',
    );
    clock = 2_100;
    expect(await autoscaler.tick()).toEqual([
      expect.objectContaining({ current: 0, replicas: 1, reason: 'below-minimum' }),
    ]);
    const [replacement] = scaler.pids('resume-worker');
    expect(replacement).not.toBe(survivor);
    expect(isAlive(replacement!)).toBe(true);
  }, 150_000);
});
