import {
  KeywordScorer,
  LlmScorer,
  createScorer,
  type Scorer,
  type ScoringConfig,
} from '@shortlist/analysis';
import {
  LlmClient,
  RedisRateLimiter,
  parsePriceOverride,
  unlimited,
  type RateLimiter,
} from '@shortlist/llm';
import type { Logger } from '@shortlist/observability';
import type { Redis } from '@shortlist/queue';
import { createBatchFetch } from './economy';
import type { WorkerMetrics } from './metrics';

/** A limiter that reports how long each call waited for the shared RPM/TPM budget. */
export function measuredLimiter(inner: RateLimiter, metrics: WorkerMetrics): RateLimiter {
  return {
    async acquire(cost, signal) {
      const end = metrics.limiterWait.startTimer();
      try {
        await inner.acquire(cost, signal);
      } finally {
        end();
      }
    },
    adjust: (tokens) => inner.adjust(tokens),
    pause: (ms) => inner.pause(ms),
  };
}

/**
 * The scorer the environment asks for. In LLM mode the RPM/TPM limiter lives in Redis, shared
 * by every worker process, and is measured for `shortlist_llm_limiter_wait_seconds`.
 */
export function buildScorer(
  config: ScoringConfig,
  deps: { redis: Redis; prefix: string; metrics: WorkerMetrics; logger: Logger },
): Scorer {
  if (config.SCORER === 'local') return new KeywordScorer();
  // createScorer validates the configuration (key for api.openai.com) and names bad variables.
  createScorer({ ...config, LLM_RPM: 0, LLM_TPM: 0 });
  const limits = { rpm: config.LLM_RPM, tpm: config.LLM_TPM };
  const shared: RateLimiter =
    limits.rpm > 0 || limits.tpm > 0
      ? new RedisRateLimiter(deps.redis, `${deps.prefix}:llm-limiter:${config.LLM_MODEL}`, limits)
      : unlimited;
  const client = new LlmClient({
    baseURL: config.OPENAI_BASE_URL,
    apiKey: config.OPENAI_API_KEY ?? 'not-needed',
    model: config.LLM_MODEL,
    timeoutMs: config.LLM_TIMEOUT_MS,
    maxRetries: config.LLM_MAX_RETRIES,
    seed: config.LLM_SEED,
    maxOutputTokens: config.LLM_MAX_OUTPUT_TOKENS,
    prices: parsePriceOverride(config.LLM_PRICES),
    limiter: measuredLimiter(shared, deps.metrics),
    logger: deps.logger,
  });
  return new LlmScorer(client, { consensus: config.LLM_CONSENSUS });
}

export interface EconomySettings {
  windowMs: number;
  maxRequests: number;
  pollMs: number;
  maxWaitMs: number;
}

/**
 * The LLM scorer over the provider's Batch API: the same prompt, validation and scoring, half the
 * price, results when the provider is ready. Null with the local scorer. Batch calls do not count
 * against the synchronous RPM/TPM limits.
 */
export function buildEconomyScorer(
  config: ScoringConfig,
  economy: EconomySettings,
  deps: { logger: Logger },
): { scorer: Scorer; close(): void } | null {
  if (config.SCORER === 'local') return null;
  const apiKey = config.OPENAI_API_KEY ?? 'not-needed';
  const batching = createBatchFetch({
    baseURL: config.OPENAI_BASE_URL,
    apiKey,
    windowMs: economy.windowMs,
    maxRequests: economy.maxRequests,
    pollMs: economy.pollMs,
    logger: deps.logger,
  });
  const client = new LlmClient({
    baseURL: config.OPENAI_BASE_URL,
    apiKey,
    model: config.LLM_MODEL,
    timeoutMs: economy.maxWaitMs,
    maxRetries: config.LLM_MAX_RETRIES,
    seed: config.LLM_SEED,
    maxOutputTokens: config.LLM_MAX_OUTPUT_TOKENS,
    prices: parsePriceOverride(config.LLM_PRICES),
    priceDiscount: 0.5,
    fetch: batching.fetch,
    logger: deps.logger,
  });
  return {
    scorer: new LlmScorer(client, { consensus: config.LLM_CONSENSUS }),
    close: () => batching.close(),
  };
}
