export { scoreFromVerdicts, tierFor } from './score';
export { tokenize, sentences, isStopword } from './text';
export {
  KeywordScorer,
  deriveCriteria,
  LOCAL_MODEL,
  LOCAL_PROMPT_VERSION,
  type Scorer,
  type ScoreInput,
} from './local-scorer';
