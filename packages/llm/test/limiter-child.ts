/**
 * One of the processes of the shared-limiter test: makes CALLS structured calls (4 at a time)
 * to the test server through a RedisRateLimiter on LIMITER_KEY, then prints a summary line with
 * the Redis time of every grant.
 */
import { Redis } from 'ioredis';
import { z } from 'zod';
import { LlmClient, RedisRateLimiter } from '../src';

async function main(): Promise<void> {
  const env = process.env;
  const redis = new Redis(env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
    maxRetriesPerRequest: null,
  });
  const limiter = new RedisRateLimiter(redis, env.LIMITER_KEY!, {
    rpm: Number(env.RPM),
    tpm: Number(env.TPM ?? 0),
  });
  const grants: number[] = [];
  const acquire = limiter.acquire.bind(limiter);
  limiter.acquire = async (cost, signal) => {
    await acquire(cost, signal);
    grants.push(limiter.lastGrantAt);
  };
  const client = new LlmClient({
    baseURL: env.BASE_URL!,
    apiKey: 'test',
    model: 'gpt-4o-mini',
    limiter,
    backoffBaseMs: 50,
    ...(env.MAX_TOKENS ? { maxOutputTokens: Number(env.MAX_TOKENS) } : {}),
  });
  const calls = Number(env.CALLS);
  let next = 0;
  const worker = async () => {
    while (next < calls) {
      next += 1;
      await client.structured({
        messages: [{ role: 'user', content: `call from ${process.pid}` }],
        schema: z.object({ ok: z.boolean() }),
        schemaName: 'ok',
      });
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  const totals = client.totals();
  process.stdout.write(
    `DONE ${JSON.stringify({ calls: totals.calls, rateLimited: totals.rateLimited, grants })}\n`,
  );
  await redis.quit();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
