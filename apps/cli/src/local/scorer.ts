import { createScorer, ScoringEnv, type Scorer } from '@shortlist/analysis';
import { parseEnv } from '@shortlist/config';

export interface ScorerFlags {
  scorer?: 'local' | 'openai';
  model?: string;
  llmUrl?: string;
}

/**
 * The scorer of a local run, from the same variables the workers read (SCORER, OPENAI_BASE_URL,
 * OPENAI_API_KEY, LLM_MODEL, LLM_RPM, ...) with flags taking precedence. The built-in local scorer
 * is the default; naming a model or an endpoint implies `--scorer openai`. A bad variable throws
 * EnvError naming it (exit 78).
 */
export function chooseScorer(flags: ScorerFlags, env: NodeJS.ProcessEnv = process.env): Scorer {
  const impliedOpenAi = flags.model !== undefined || flags.llmUrl !== undefined;
  const config = parseEnv(ScoringEnv, {
    ...env,
    ...(flags.scorer || impliedOpenAi ? { SCORER: flags.scorer ?? 'openai' } : {}),
    ...(flags.model ? { LLM_MODEL: flags.model } : {}),
    ...(flags.llmUrl ? { OPENAI_BASE_URL: flags.llmUrl } : {}),
  });
  return createScorer(config);
}
