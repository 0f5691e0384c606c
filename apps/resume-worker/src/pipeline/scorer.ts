import {
  LlmScorer,
  createScorer,
  llmClientOptions,
  type Scorer,
  type ScoringConfig,
} from '@shortlist/analysis';
import { LlmClient, type RateLimiter } from '@shortlist/llm';
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
  // createScorer validates the configuration (key for api.openai.com) and names bad variables.
  return createScorer(config, {
    redis: deps.redis,
    prefix: deps.prefix,
    logger: deps.logger,
    wrapLimiter: (limiter) => measuredLimiter(limiter, deps.metrics),
  });
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
    ...llmClientOptions(config),
    timeoutMs: economy.maxWaitMs,
    priceDiscount: 0.5,
    fetch: batching.fetch,
    logger: deps.logger,
  });
  return {
    scorer: new LlmScorer(client, { consensus: config.LLM_CONSENSUS }),
    close: () => batching.close(),
  };
}
