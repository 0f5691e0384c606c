import {
  llmClientOptions,
  llmCriteriaExtractor,
  localCriteriaExtractor,
  type CriteriaExtractor,
  type ScoringConfig,
} from '@shortlist/analysis';
import { LlmClient, RedisRateLimiter, unlimited, type LlmLogger } from '@shortlist/llm';
import {
  llmCompanyExtractor,
  llmPersonaliser,
  localCompanyExtractor,
  localPersonaliser,
  type CompanyExtractor,
  type Personaliser,
} from '@shortlist/mail';
import type { Redis } from '@shortlist/queue';

/**
 * The email helpers the scoring configuration implies: with `SCORER=openai`, personal notes are
 * written and company info is read from job descriptions by the same OpenAI-compatible model, under the same RPM/TPM limiter the resume workers
 * share in Redis; otherwise by the built-in deterministic personaliser. The calls are short and
 * run inside a request, so one attempt is bounded to 20 s and retried at most once; a failure
 * only leaves the sentence out.
 */
export function mailHelpers(
  config: ScoringConfig & { COMPANY_INFO_FROM_JOB?: boolean },
  deps: { redis: Redis; prefix: string; logger?: LlmLogger },
): { personaliser: Personaliser; companyExtractor: CompanyExtractor | null } {
  const fromJob = config.COMPANY_INFO_FROM_JOB ?? true;
  if (config.SCORER === 'local')
    return {
      personaliser: localPersonaliser,
      companyExtractor: fromJob ? localCompanyExtractor : null,
    };
  const client = gatewayClient(config, deps, 200);
  return {
    personaliser: llmPersonaliser(client),
    companyExtractor: fromJob ? llmCompanyExtractor(client) : null,
  };
}

/**
 * The job-criteria extractor the scoring configuration implies: with `SCORER=openai`, the same
 * model reads criteria from descriptions (under the shared limiter); otherwise the local one.
 */
export function criteriaExtractorFor(
  config: ScoringConfig,
  deps: { redis: Redis; prefix: string; logger?: LlmLogger },
): CriteriaExtractor {
  if (config.SCORER === 'local') return localCriteriaExtractor;
  return llmCriteriaExtractor(gatewayClient(config, deps, 800));
}

// Calls made inside a request: one attempt bounded to 20 s and retried at most once.
function gatewayClient(
  config: ScoringConfig,
  deps: { redis: Redis; prefix: string; logger?: LlmLogger },
  maxOutputTokens: number,
): LlmClient {
  const limits = { rpm: config.LLM_RPM, tpm: config.LLM_TPM };
  const limiter =
    limits.rpm > 0 || limits.tpm > 0
      ? new RedisRateLimiter(deps.redis, `${deps.prefix}:llm-limiter:${config.LLM_MODEL}`, limits)
      : unlimited;
  return new LlmClient({
    ...llmClientOptions(config),
    timeoutMs: Math.min(config.LLM_TIMEOUT_MS, 20_000),
    maxRetries: Math.min(config.LLM_MAX_RETRIES, 1),
    rateLimitBudgetMs: 30_000,
    maxOutputTokens,
    limiter,
    logger: deps.logger,
  });
}
