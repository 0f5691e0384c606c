import { AppError, batchEventsChannel, type ProgressEvent } from '@shortlist/contracts';
import { TEST_REDIS_URL, deletePrefix, testRedis, uniquePrefix } from '@shortlist/testkit';
import {
  ProgressHub,
  batchEventsStream,
  createRedis,
  publishProgress,
  type ProgressMessage,
  type Redis,
} from './index';

const event = (batchId: string, n: number): ProgressEvent => ({
  type: 'resume.done',
  batchId,
  resumeId: `res_${n}`,
  score: n % 100,
  tier: 'maybe',
  at: new Date(1_700_000_000_000 + n).toISOString(),
});

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('progress transport (real Redis)', () => {
  const prefix = uniquePrefix('prog');
  let publisher: Redis;
  let reader: Redis;
  let subscriber: Redis;
  let hub: ProgressHub;

  beforeAll(() => {
    publisher = createRedis(TEST_REDIS_URL, 'worker');
    reader = createRedis(TEST_REDIS_URL, 'producer');
    subscriber = createRedis(TEST_REDIS_URL, 'subscriber');
    hub = new ProgressHub({ subscriber, reader, prefix });
  });

  afterAll(async () => {
    await hub.close();
    const cleaner = testRedis();
    await deletePrefix(cleaner, prefix);
    await cleaner.quit();
    await Promise.all([publisher.quit(), reader.quit(), subscriber.quit()]);
  });

  it('appends each event to the batch stream with a TTL and announces it with the entry id', async () => {
    const listener = createRedis(TEST_REDIS_URL, 'subscriber');
    const heard: string[] = [];
    listener.on('message', (_channel, text: string) => heard.push(text));
    await listener.subscribe(batchEventsChannel(prefix, 'bat_a'));
    const id = await publishProgress(publisher, prefix, event('bat_a', 1));
    await until(() => heard.length === 1);
    await listener.quit();
    expect(JSON.parse(heard[0]!)).toEqual({ id, ...event('bat_a', 1) });
    const entries = await reader.xrange(batchEventsStream(prefix, 'bat_a'), '-', '+');
    expect(entries.map(([entryId]) => entryId)).toEqual([id]);
    const ttl = await reader.ttl(batchEventsStream(prefix, 'bat_a'));
    expect(ttl).toBeGreaterThan(24 * 3600);
  });

  it('publishes on an auto-pipelining connection in the same tick as its first command (the resume worker crashed there)', async () => {
    // The resume worker's connection: the first event of a batch went out in the same tick as a
    // cache lookup, the script was defined while that automatic pipeline was open, and ioredis
    // crashed the process on the pipeline's reply ("results[i] is not iterable").
    const auto = createRedis(TEST_REDIS_URL, 'worker', undefined, { enableAutoPipelining: true });
    try {
      const [looked, id] = await Promise.all([
        auto.get(`${prefix}:cache-lookup`),
        publishProgress(auto, prefix, event('bat_auto', 1)),
      ]);
      expect(looked).toBeNull();
      const entries = await reader.xrange(batchEventsStream(prefix, 'bat_auto'), '-', '+');
      expect(entries.map(([entryId]) => entryId)).toEqual([id]);
    } finally {
      await auto.quit();
    }
  });

  it('rejects an event that does not match the contract before it reaches Redis', async () => {
    await expect(
      publishProgress(publisher, prefix, { type: 'nope', batchId: 'bat_x' } as never),
    ).rejects.toThrow();
    expect(await reader.exists(batchEventsStream(prefix, 'bat_x'))).toBe(0);
  });

  it('trims a long stream to about maxLen entries', async () => {
    for (let i = 0; i < 400; i++)
      await publishProgress(publisher, prefix, event('bat_trim', i), { maxLen: 10 });
    const length = await reader.xlen(batchEventsStream(prefix, 'bat_trim'));
    expect(length).toBeGreaterThanOrEqual(10);
    expect(length).toBeLessThan(400);
  });

  it('delivers only new events to a follower that starts from now, in order', async () => {
    await publishProgress(publisher, prefix, event('bat_b', 0));
    const got: ProgressMessage[] = [];
    const follow = await hub.follow('bat_b', { after: null, onMessage: (m) => got.push(m) });
    expect(follow.replay).toEqual([]);
    follow.start();
    for (let i = 1; i <= 20; i++) await publishProgress(publisher, prefix, event('bat_b', i));
    await until(() => got.length === 20);
    await follow.close();
    expect(got.map((m) => m.event.resumeId)).toEqual(
      Array.from({ length: 20 }, (_, i) => `res_${i + 1}`),
    );
  });

  it('resumes after a Last-Event-ID while events keep coming: nothing lost, nothing twice', async () => {
    const ids: string[] = [];
    const total = 300;
    let resumeFrom = '';
    const publishing = (async () => {
      for (let i = 1; i <= total; i++) {
        ids.push((await publishProgress(publisher, prefix, event('bat_c', i)))!);
        if (i === 100) resumeFrom = ids[99]!;
      }
    })();
    await until(() => resumeFrom !== '');
    const live: ProgressMessage[] = [];
    const follow = await hub.follow('bat_c', { after: resumeFrom, onMessage: (m) => live.push(m) });
    expect(follow.gap).toBe(false);
    follow.start();
    await publishing;
    await until(() => follow.replay.length + live.length >= total - 100);
    await new Promise((r) => setTimeout(r, 100));
    await follow.close();
    const seen = [...follow.replay, ...live].map((m) => m.event.resumeId);
    expect(seen).toEqual(Array.from({ length: total - 100 }, (_, i) => `res_${i + 101}`));
  });

  it('flags a gap when the Last-Event-ID is no longer in the stream', async () => {
    await publishProgress(publisher, prefix, event('bat_d', 1));
    const follow = await hub.follow('bat_d', { after: '1-0', onMessage: () => undefined });
    expect(follow.gap).toBe(true);
    expect(follow.replay.map((m) => m.event.resumeId)).toEqual(['res_1']);
    await follow.close();
  });

  it('serves many followers of many batches through one subscriber connection', async () => {
    const follows = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        hub.follow(i % 2 === 0 ? 'bat_e' : 'bat_f', { after: null, onMessage: () => undefined }),
      ),
    );
    const counts = (await reader.call(
      'PUBSUB',
      'NUMSUB',
      batchEventsChannel(prefix, 'bat_e'),
      batchEventsChannel(prefix, 'bat_f'),
    )) as (string | number)[];
    expect(counts.filter((_, i) => i % 2 === 1).map(Number)).toEqual([1, 1]);
    expect(hub.followers).toBe(40);
    await Promise.all(follows.map((f) => f.close()));
    expect(hub.followers).toBe(0);
    // Unsubscribing is not awaited (it may wait for a reconnect): poll until Redis agrees.
    const subscribers = async () =>
      Number(
        (
          (await reader.call('PUBSUB', 'NUMSUB', batchEventsChannel(prefix, 'bat_e'))) as unknown[]
        )[1],
      );
    const started = Date.now();
    while ((await subscribers()) !== 0 && Date.now() - started < 5_000)
      await new Promise((r) => setTimeout(r, 20));
    expect(await subscribers()).toBe(0);
  });

  it('catches up from the stream after its subscriber connection drops and reconnects', async () => {
    const got: ProgressMessage[] = [];
    const follow = await hub.follow('bat_g', { after: null, onMessage: (m) => got.push(m) });
    follow.start();
    await publishProgress(publisher, prefix, event('bat_g', 1));
    await until(() => got.length === 1);
    const reconnected = new Promise((resolve) => subscriber.once('ready', resolve));
    subscriber.disconnect(true);
    for (let i = 2; i <= 5; i++) await publishProgress(publisher, prefix, event('bat_g', i));
    await reconnected;
    await until(() => got.length >= 5);
    for (let i = 6; i <= 8; i++) await publishProgress(publisher, prefix, event('bat_g', i));
    await until(() => got.length >= 8);
    await new Promise((r) => setTimeout(r, 100));
    await follow.close();
    expect(got.map((m) => m.event.resumeId)).toEqual(
      Array.from({ length: 8 }, (_, i) => `res_${i + 1}`),
    );
  });

  it('answers "unavailable" quickly when Redis cannot be reached', async () => {
    const deadReader = createRedis('redis://127.0.0.1:1', 'producer');
    const deadSubscriber = createRedis('redis://127.0.0.1:1', 'subscriber');
    const deadHub = new ProgressHub({
      subscriber: deadSubscriber,
      reader: deadReader,
      prefix,
      connectTimeoutMs: 300,
    });
    const error = await deadHub.follow('bat_h', { after: null, onMessage: () => undefined }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('unavailable');
    await deadHub.close();
    deadReader.disconnect();
    deadSubscriber.disconnect();
  });
});
