export {
  sniff,
  looksLikeText,
  unreadableReason,
  READABLE_KINDS,
  type FileKind,
  type Sniffed,
} from './sniff';
export { decodeText } from './formats/text';
export { createExtractor, type Extractor } from './extractor';
export { readCapped } from './read-capped';
export { extractBytes, type ExtractBytesOptions } from './extract-bytes';
export { parseResumeText, emptyProfile, type ParseOptions } from './profile/parse-resume';
export { candidateOf } from './profile/candidate';
export { MONTHS } from './profile/dates';
export { extractEnv, extractorOptionsFromEnv } from './env';
export {
  EXTRACT_DEFAULTS,
  type ExtractionResult,
  type ExtractLimits,
  type ExtractorOptions,
  type HiddenReason,
  type HiddenText,
  type ResumeProfile,
  type SectionName,
  type EducationLevel,
  type Verdict,
} from './types';
