/**
 * Progress events across a Redis restart, on a redis-server of our own (AOF in a temp folder, as
 * in production) so it can be stopped and started again without touching the shared one.
 */
import { createServer, type AddressInfo } from 'node:net';
import type { ProgressEvent } from '@shortlist/contracts';
import { startProcess, tempDir, type RunningProcess } from '@shortlist/testkit';
import {
  ProgressHub,
  STREAM_START,
  createRedis,
  publishProgress,
  type Follow,
  type ProgressMessage,
  type Redis,
  waitForRedis,
} from './index';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until(check: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what} not met in time`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const done = (batchId: string, n: number): ProgressEvent => ({
  type: 'resume.done',
  batchId,
  resumeId: `res_${n}`,
  score: 50 + n,
  tier: 'maybe',
  at: new Date(1_700_000_000_000 + n).toISOString(),
});
const finished = (batchId: string): ProgressEvent => ({
  type: 'batch.finished',
  batchId,
  at: new Date(1_700_000_100_000).toISOString(),
});

/**
 * A listener as the SSE route and an EventSource client make one together: follows the batch,
 * and when the feed reports Redis lost, follows again after the last id it saw; it stops at
 * `batch.finished`, as clients do.
 */
function listen(hub: ProgressHub, batchId: string) {
  const seen: ProgressMessage[] = [];
  let lastId = STREAM_START;
  let current: Follow | null = null;
  let stopped = false;
  let resumes = 0;
  const follow = async (): Promise<void> => {
    while (!stopped) {
      try {
        const f = await hub.follow(batchId, {
          after: lastId,
          onMessage: take,
          onError: () => {
            void f.close();
            resumes++;
            void follow();
          },
        });
        current = f;
        for (const message of f.replay) take(message);
        f.start();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  function take(message: ProgressMessage) {
    if (stopped) return;
    seen.push(message);
    lastId = message.id;
    if (message.event.type === 'batch.finished') {
      stopped = true;
      void current?.close();
    }
  }
  return {
    seen,
    ready: follow(),
    get finished() {
      return stopped;
    },
    get resumes() {
      return resumes;
    },
    async close() {
      stopped = true;
      await current?.close();
    },
  };
}

describe('progress events across a Redis restart (own redis-server)', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let port: number;
  let server: RunningProcess;
  const open: Redis[] = [];
  const prefix = 'restart';

  const startRedis = async () => {
    server = startProcess(
      'redis-server',
      // The AOF keeps the event log across the restart, as production's compose file does.
      [
        ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir.path],
        ...['--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''],
      ],
      { label: 'redis-restart' },
    );
    await server.waitFor(/Ready to accept connections/, 20_000);
  };
  const connect = (role: 'producer' | 'worker' | 'subscriber', retryMs?: number) => {
    const redis = createRedis(
      `redis://127.0.0.1:${port}`,
      role,
      undefined,
      retryMs ? { retryStrategy: () => retryMs } : {},
    );
    open.push(redis);
    return redis;
  };
  const down = (redis: Redis) => until(() => redis.status !== 'ready', 5_000, 'disconnect');

  beforeAll(async () => {
    dir = await tempDir('redis-restart');
    port = await freePort();
    await startRedis();
  });
  afterAll(async () => {
    for (const redis of open) redis.disconnect();
    await server.stop('SIGTERM', 10_000);
    await dir.remove();
  });

  it('delivers every event published around a restart exactly once, with batch.finished last', async () => {
    const batchId = 'bat_restart';
    const hub = new ProgressHub({
      subscriber: connect('subscriber', 100),
      reader: connect('producer', 100),
      prefix,
    });
    // Two workers whose connections come back at different times after the restart, as they do
    // with exponential reconnect back-off: the late one still holds a result it stored earlier.
    const early = connect('worker', 100);
    const late = connect('worker', 2_500);
    await Promise.all(open.map((r) => waitForRedis(r)));

    const listener = listen(hub, batchId);
    await listener.ready;
    for (let n = 1; n <= 3; n++) await publishProgress(early, prefix, done(batchId, n));
    await until(() => listener.seen.length === 3, 5_000, 'the first events');

    await server.stop('SIGTERM', 10_000);
    await Promise.all([down(early), down(late)]);
    // Stored while Redis is away: both wait in their connection's offline queue.
    const lateDone = publishProgress(late, prefix, done(batchId, 4));
    const earlyDone = (async () => {
      await publishProgress(early, prefix, done(batchId, 5));
      // The worker whose result closed the batch's counters: 5 results are counted.
      await publishProgress(early, prefix, finished(batchId), { finals: 5 });
    })();
    await new Promise((r) => setTimeout(r, 500));
    await startRedis();
    await Promise.all([earlyDone, lateDone]);
    // A publish repeated because its reply was lost (or its job re-ran) is logged once.
    await publishProgress(late, prefix, done(batchId, 4));
    await publishProgress(early, prefix, finished(batchId), { finals: 5 });

    await until(() => listener.finished, 15_000, 'batch.finished');
    await new Promise((r) => setTimeout(r, 200));
    await listener.close();
    await hub.close();

    const order = listener.seen.map((m) => m.event.resumeId ?? m.event.type);
    expect(order.slice(0, 3)).toEqual(['res_1', 'res_2', 'res_3']);
    expect(order.slice(3, 5).sort()).toEqual(['res_4', 'res_5']);
    expect(order.slice(5)).toEqual(['batch.finished']);
    const ids = listener.seen.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    // The log itself holds each event once, for any listener that resumes later.
    const log = await early.xrange(`${prefix}:events:batch:${batchId}:log`, '-', '+');
    expect(log).toHaveLength(6);
  }, 60_000);

  it('a follower set up while the subscriber drops still gets what was published meanwhile', async () => {
    const batchId = 'bat_drop';
    const subscriber = connect('subscriber', 300);
    const reader = connect('producer', 50);
    const worker = connect('worker', 50);
    await Promise.all([subscriber, reader, worker].map((r) => waitForRedis(r)));
    const hub = new ProgressHub({ subscriber, reader, prefix });
    await publishProgress(worker, prefix, done(batchId, 1));

    const got: ProgressMessage[] = [];
    const follow = await hub.follow(batchId, {
      after: STREAM_START,
      onMessage: (m) => got.push(m),
    });
    // Between reading the stream and starting live delivery (the route writes the replay then),
    // the subscriber's connection drops and events are published while it is away.
    const back = new Promise((resolve) => subscriber.once('ready', resolve));
    subscriber.disconnect(true);
    for (let n = 2; n <= 4; n++) await publishProgress(worker, prefix, done(batchId, n));
    await back;
    follow.start();
    await publishProgress(worker, prefix, done(batchId, 5));
    await until(() => follow.replay.length + got.length >= 5, 5_000, 'every event');
    await new Promise((r) => setTimeout(r, 200));
    await follow.close();
    await hub.close();
    expect([...follow.replay, ...got].map((m) => m.event.resumeId)).toEqual([
      'res_1',
      'res_2',
      'res_3',
      'res_4',
      'res_5',
    ]);
  }, 30_000);
});
