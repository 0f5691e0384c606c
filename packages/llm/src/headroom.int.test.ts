import { deletePrefix, testRedis, uniquePrefix } from '@shortlist/testkit';
import { readLimiterHeadroom, RedisRateLimiter } from './limiter';

describe('readLimiterHeadroom on the shared Redis bucket', () => {
  const redis = testRedis();
  const prefix = uniquePrefix('headroom');
  const limits = { rpm: 600, tpm: 6_000_000, burstSeconds: 1 }; // 10 calls/s, bucket of 10 calls and 100k tokens

  afterAll(async () => {
    await deletePrefix(redis, prefix);
    await redis.quit();
  });

  it('is full before any call and when no limit is configured', async () => {
    expect(await readLimiterHeadroom(redis, `${prefix}:none`, limits)).toEqual({
      ratio: 1,
      pausedUntil: 0,
    });
    expect(await readLimiterHeadroom(redis, `${prefix}:none`, { rpm: 0, tpm: 0 })).toEqual({
      ratio: 1,
      pausedUntil: 0,
    });
  });

  it('drops as calls take the budget and does not take from it itself', async () => {
    const key = `${prefix}:busy`;
    const limiter = new RedisRateLimiter(redis, key, limits);
    for (let i = 0; i < 8; i++) await limiter.acquire({ requests: 1, tokens: 1_000 });
    const busy = await readLimiterHeadroom(redis, key, limits);
    // 8 of 10 requests gone (a little refilled meanwhile); tokens are plentiful, requests scarce.
    expect(busy.ratio).toBeGreaterThan(0.15);
    expect(busy.ratio).toBeLessThan(0.6);
    const before = await redis.hgetall(key);
    for (let i = 0; i < 5; i++) await readLimiterHeadroom(redis, key, limits);
    // Reading wrote nothing: the bucket is exactly as the last call left it.
    expect(await redis.hgetall(key)).toEqual(before);
  });

  it('is 0 while the provider has paused every worker (429 with Retry-After)', async () => {
    const key = `${prefix}:paused`;
    const limiter = new RedisRateLimiter(redis, key, limits);
    await limiter.acquire({ requests: 1, tokens: 100 });
    await limiter.pause(30_000);
    const paused = await readLimiterHeadroom(redis, key, limits);
    expect(paused.ratio).toBe(0);
    expect(paused.pausedUntil).toBeGreaterThan(Date.now() + 20_000);
  });
});
