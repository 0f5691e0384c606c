import { MemoryRateLimiter } from './limiter';

describe('MemoryRateLimiter', () => {
  it('lets a burst through, then one request per 1/rate, and charges tokens', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter({ rpm: 60, tpm: 600, burstSeconds: 2 }, () => now);
    const take = (tokens: number) =>
      (limiter as unknown as { take(c: { requests: number; tokens: number }): number }).take({
        requests: 1,
        tokens,
      });
    expect(take(5)).toBe(0);
    expect(take(5)).toBe(0);
    expect(take(5)).toBe(1_000);
    now += 1_000;
    expect(take(5)).toBe(0);
    now += 2_000;
    // A call larger than the bucket still runs once the bucket is full, and the debt it leaves
    // makes the next one wait: 20 tokens of burst, 100 taken, 85 to refill at 10 tokens/s.
    expect(take(100)).toBe(0);
    expect(take(5)).toBe(8_500);
  });

  it('makes everyone wait after a pause', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter({ rpm: 600, tpm: 0 }, () => now);
    await limiter.pause(500);
    const take = () =>
      (limiter as unknown as { take(c: { requests: number; tokens: number }): number }).take({
        requests: 1,
        tokens: 1,
      });
    expect(take()).toBe(500);
    now = 500;
    expect(take()).toBe(0);
  });
});
