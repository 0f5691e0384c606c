import { bool, int, url, z } from '@shortlist/config';
import { PriceTable } from '@shortlist/llm';

const pricesJson = z
  .string()
  .optional()
  .refine(
    (value) => {
      if (value === undefined) return true;
      try {
        return PriceTable.safeParse(JSON.parse(value)).success;
      } catch {
        return false;
      }
    },
    {
      message:
        'must be JSON like {"gpt-4o-mini":{"input":0.15,"cachedInput":0.075,"output":0.6}} (USD per 1M tokens)',
    },
  );

/**
 * Environment variables that choose and tune the scorer; spread into an app's env schema
 * (`z.object({ ...commonEnv, ...scoringEnv })`) and pass the result to {@link createScorer}.
 */
export const scoringEnv = {
  /** `local`: built-in scorer, no key, no network, deterministic. `openai`: any OpenAI-compatible API. */
  SCORER: z.enum(['local', 'openai']).default('local'),
  OPENAI_BASE_URL: url('https://api.openai.com/v1', ['http', 'https']),
  /** Required for api.openai.com; local servers (Ollama, vLLM) accept anything. */
  OPENAI_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().min(1).default('gpt-4o-mini'),
  /** One attempt's time limit. */
  LLM_TIMEOUT_MS: int(60_000, 1_000, 600_000),
  /** Retries after 5xx, timeouts and dropped connections (429s are always waited out). */
  LLM_MAX_RETRIES: int(4, 0, 20),
  /** Provider limits shared by all workers through Redis; 0 = no limit. */
  LLM_RPM: int(0, 0, 10_000_000),
  LLM_TPM: int(0, 0, 1_000_000_000),
  /** JSON price table merged over the built-in one (USD per 1M tokens). */
  LLM_PRICES: pricesJson,
  /** Runs per resume in LLM mode; the median is kept and the spread reported. */
  LLM_CONSENSUS: int(1, 1, 9),
  LLM_SEED: int(7, 0, 2_147_483_647),
  LLM_MAX_OUTPUT_TOKENS: int(1_024, 64, 32_768),
  /** Fail start-up when the endpoint does not list LLM_MODEL (GET /models). */
  LLM_CHECK_MODEL: bool(false),
};

export const ScoringEnv = z.object(scoringEnv);
export type ScoringConfig = z.infer<typeof ScoringEnv>;
