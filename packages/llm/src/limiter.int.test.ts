import { join } from 'node:path';
import {
  deletePrefix,
  startOpenAiServer,
  startProcess,
  testRedis,
  uniquePrefix,
  type OpenAiServer,
  type RunningProcess,
} from '@shortlist/testkit';
import type { Redis } from 'ioredis';
import { RedisRateLimiter } from './limiter';

/** Most arrivals inside any window of `windowMs`. */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    while (sorted[end]! - sorted[start]! >= windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

describe('RedisRateLimiter shared by processes', () => {
  let redis: Redis;
  let prefix: string;
  let server: OpenAiServer;
  const children: RunningProcess[] = [];

  beforeAll(async () => {
    redis = testRedis();
    prefix = uniquePrefix('limiter');
  });
  afterEach(async () => {
    await Promise.all(children.splice(0).map((c) => c.stop()));
    await server?.close();
  });
  afterAll(async () => {
    await deletePrefix(redis, prefix);
    await redis.quit();
  });

  it('keeps two worker processes together under the configured RPM, and every call succeeds', async () => {
    const rpm = 600; // 10 per second, a bucket of 10
    server = await startOpenAiServer({ rpm, burstSeconds: 1.2 });
    const env = {
      BASE_URL: server.url,
      LIMITER_KEY: `${prefix}:llm`,
      RPM: String(rpm),
      CALLS: '15',
    };
    const script = join(__dirname, '..', 'test', 'limiter-child.ts');
    for (const label of ['a', 'b']) {
      children.push(startProcess(process.execPath, ['--import', 'tsx', script], { env, label }));
    }
    const outputs = await Promise.all(children.map((c) => c.waitFor(/DONE (.*)/, 40_000)));
    const summaries = outputs.map(
      (m) => JSON.parse(m[1]!) as { calls: number; rateLimited: number; grants: number[] },
    );
    expect(summaries.map((s) => s.calls)).toEqual([15, 15]);
    expect(server.chatRequests().filter((r) => r.status === 200)).toHaveLength(30);

    // Grants are stamped with Redis' clock, the one both processes share.
    const grants = summaries.flatMap((s) => s.grants);
    expect(grants.length).toBe(30 + summaries.reduce((n, s) => n + s.rateLimited, 0));
    expect(summaries.every((s) => s.grants.length >= 15)).toBe(true);
    // A bucket of 10 refilled at 10/s lets at most 10 + 10·w calls through in w seconds
    // (one more for the edges of the window).
    expect(maxInWindow(grants, 1_000)).toBeLessThanOrEqual(21);
    expect(maxInWindow(grants, 2_000)).toBeLessThanOrEqual(31);
    // 30 calls at 10/s after a burst of 10 cannot all be granted in under two seconds.
    expect(Math.max(...grants) - Math.min(...grants)).toBeGreaterThanOrEqual(1_900);
    // Arrival at the provider jitters after the grant on a loaded machine, so the provider may
    // still refuse now and then: every refusal was retried (all 30 calls succeeded above).
  });

  it('keeps two processes under a TPM limit with short answers: almost no 429s, no failed call', async () => {
    // The provider charges prompt + max_tokens on admission whatever the answer's length (a
    // few tokens here), so a limiter that credited unused answer tokens back would admit several
    // times the provider's rate and collect a 429 for most calls.
    const maxTokens = 600;
    const tpm = 60 * 5 * (maxTokens + 10); // about 5 calls per second
    server = await startOpenAiServer({ tpm, burstSeconds: 1 });
    const env = {
      BASE_URL: server.url,
      LIMITER_KEY: `${prefix}:tpm`,
      RPM: '0',
      TPM: String(tpm),
      MAX_TOKENS: String(maxTokens),
      CALLS: '15',
    };
    const script = join(__dirname, '..', 'test', 'limiter-child.ts');
    for (const label of ['a', 'b']) {
      children.push(startProcess(process.execPath, ['--import', 'tsx', script], { env, label }));
    }
    const outputs = await Promise.all(children.map((c) => c.waitFor(/DONE (.*)/, 60_000)));
    const summaries = outputs.map((m) => JSON.parse(m[1]!) as { calls: number });
    expect(summaries.map((s) => s.calls)).toEqual([15, 15]);
    const answered = server.chatRequests().filter((r) => r.status === 200);
    expect(answered).toHaveLength(30);
    // Every answer used a small fraction of max_tokens, yet the provider refused (almost) none.
    expect(server.stats.rateLimited).toBeLessThanOrEqual(3);
  });

  it('grants in Redis time spaced by the rate once the burst is spent', async () => {
    const limiter = new RedisRateLimiter(redis, `${prefix}:spacing`, { rpm: 1_200, tpm: 0 });
    const grants: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      await limiter.acquire({ requests: 1, tokens: 0 });
      grants.push(limiter.lastGrantAt);
    }
    // 20/s with a bucket of 20: the 30th grant comes at least 0.5 s after the first.
    expect(grants.at(-1)! - grants[0]!).toBeGreaterThanOrEqual(450);
  });

  it('holds every caller while the provider asked for a pause', async () => {
    const a = new RedisRateLimiter(redis, `${prefix}:pause`, { rpm: 6_000, tpm: 0 });
    const b = new RedisRateLimiter(redis, `${prefix}:pause`, { rpm: 6_000, tpm: 0 });
    await a.acquire({ requests: 1, tokens: 0 });
    const pausedAt = a.lastGrantAt;
    await a.pause(300);
    await b.acquire({ requests: 1, tokens: 0 });
    expect(b.lastGrantAt - pausedAt).toBeGreaterThanOrEqual(300);
  });
});
