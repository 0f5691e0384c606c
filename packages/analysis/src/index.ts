export { scoreFromVerdicts, tierFor } from './score';
export { tokenize, sentences, isStopword } from './text';
export {
  LocalScorer,
  KeywordScorer,
  deriveCriteria,
  LOCAL_MODEL,
  LOCAL_PROMPT_VERSION,
} from './local-scorer';
export { readJob, type JobSections } from './local/job-profile';
export { calibrateCredit, LOCAL_CALIBRATION, type CreditAnchors } from './local/calibration';
export { yearsOfExperience, degreeLevel } from './local/facts';
export type { Scorer } from './scorer';
export { prepareResume, type ScoreInput, type PreparedResume } from './prepare';
export { guardResume, detectInjection, type InjectionFinding, type GuardedText } from './guard';
export { redactForBlind, type CandidateProfile } from './blind';
export { LlmScorer, type LlmScorerOptions } from './llm-scorer';
export { buildMessages, ModelAnswer, SYSTEM_PROMPT, LLM_PROMPT_VERSION } from './prompt';
export { scoringEnv, ScoringEnv, type ScoringConfig } from './scoring-env';
export {
  CRITERIA_PROMPT_VERSION,
  llmCriteriaExtractor,
  localCriteriaExtractor,
  type CriteriaExtractor,
} from './criteria-extractor';
export { createScorer, llmClientOf, llmClientOptions, type ScorerDeps } from './create-scorer';
