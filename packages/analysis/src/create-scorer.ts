import { EnvError } from '@shortlist/config';
import {
  LlmClient,
  MemoryRateLimiter,
  parsePriceOverride,
  RedisRateLimiter,
  unlimited,
  type LlmClientOptions,
  type LlmLogger,
  type RateLimiter,
} from '@shortlist/llm';
import type { Redis } from 'ioredis';
import { LlmScorer } from './llm-scorer';
import { KeywordScorer } from './local-scorer';
import type { Scorer } from './scorer';
import type { ScoringConfig } from './scoring-env';

export interface ScorerDeps {
  /** Shares the RPM/TPM limiter across processes; without it the limit holds per process. */
  redis?: Redis;
  /** Prefix of the limiter key (the deployment's REDIS_PREFIX). */
  prefix?: string;
  logger?: LlmLogger;
  /** Wraps the limiter the client uses (the worker measures the time calls wait in it). */
  wrapLimiter?: (limiter: RateLimiter) => RateLimiter;
}

/**
 * The LLM client options the scoring environment describes: endpoint, key, model, time limit,
 * retries, seed, output cap and prices. Callers add the limiter, logger or a batching fetch.
 */
export function llmClientOptions(config: ScoringConfig): LlmClientOptions {
  return {
    baseURL: config.OPENAI_BASE_URL,
    apiKey: config.OPENAI_API_KEY ?? 'not-needed',
    model: config.LLM_MODEL,
    timeoutMs: config.LLM_TIMEOUT_MS,
    maxRetries: config.LLM_MAX_RETRIES,
    seed: config.LLM_SEED,
    maxOutputTokens: config.LLM_MAX_OUTPUT_TOKENS,
    prices: parsePriceOverride(config.LLM_PRICES),
  };
}

/**
 * The scorer the environment asks for: the built-in local scorer by default, or the LLM scorer
 * over an OpenAI-compatible endpoint (`SCORER=openai`) with a limiter shared through Redis.
 * Throws {@link EnvError} naming the variable when the configuration cannot work.
 */
export function createScorer(config: ScoringConfig, deps: ScorerDeps = {}): Scorer {
  if (config.SCORER === 'local') return new KeywordScorer();
  const official = new URL(config.OPENAI_BASE_URL).hostname === 'api.openai.com';
  if (official && !config.OPENAI_API_KEY) {
    throw new EnvError([
      { variable: 'OPENAI_API_KEY', message: 'is required when SCORER=openai uses api.openai.com' },
    ]);
  }
  let limiter: RateLimiter = unlimited;
  const limits = { rpm: config.LLM_RPM, tpm: config.LLM_TPM };
  if (limits.rpm > 0 || limits.tpm > 0) {
    limiter = deps.redis
      ? new RedisRateLimiter(
          deps.redis,
          `${deps.prefix ?? 'shortlist'}:llm-limiter:${config.LLM_MODEL}`,
          limits,
        )
      : new MemoryRateLimiter(limits);
  }
  const client = new LlmClient({
    ...llmClientOptions(config),
    limiter: deps.wrapLimiter ? deps.wrapLimiter(limiter) : limiter,
    logger: deps.logger,
  });
  return new LlmScorer(client, { consensus: config.LLM_CONSENSUS });
}

/** The LLM client behind a scorer from {@link createScorer}, for start-up checks and totals. */
export function llmClientOf(scorer: Scorer): LlmClient | null {
  return scorer instanceof LlmScorer ? scorer.client : null;
}
