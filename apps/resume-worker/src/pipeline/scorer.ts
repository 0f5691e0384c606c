import pLimit from 'p-limit';
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

/** `work`, or a rejection as soon as `signal` aborts (`work` is then left to finish alone). */
function orAbort(work: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return work;
  work.catch(() => undefined);
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    void work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Callers of one process asking the shared limiter at once; the rest queue in order. */
const LIMITER_ASKERS = 2;

/**
 * A limiter that reports how long each call waited for the shared RPM/TPM budget, and lets only
 * a few calls of this process at a time ask for it (first come, first served). At the provider's
 * rate hundreds of calls wait at once; each asking Redis whenever a grant might be due cost
 * about six Redis scripts per call, nearly all answered "not yet". Queued here, about one.
 */
export function measuredLimiter(inner: RateLimiter, metrics: WorkerMetrics): RateLimiter {
  const askers = pLimit(LIMITER_ASKERS);
  return {
    async acquire(cost, signal) {
      const end = metrics.limiterWait.startTimer();
      try {
        await orAbort(
          askers(() => inner.acquire(cost, signal)),
          signal,
        );
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
