export {
  LlmClient,
  type LlmClientOptions,
  type ChatMessage,
  type StructuredRequest,
  type StructuredResult,
  type LlmTotals,
  type LlmLogger,
} from './client';
export { LlmError, type LlmErrorCode } from './errors';
export {
  MemoryRateLimiter,
  RedisRateLimiter,
  unlimited,
  type RateLimiter,
  type RateLimits,
  type RateCost,
} from './limiter';
export {
  DEFAULT_PRICES,
  ModelPrice,
  PriceTable,
  costUsd,
  priceFor,
  parsePriceOverride,
  type TokenUsage,
} from './prices';
export { strictJsonSchema } from './json-schema';
export { backoffDelay, retryAfterMs, sleep } from './backoff';
