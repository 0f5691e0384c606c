import type { Criterion, Job, ResumeWarning } from '@shortlist/contracts';
import type { HiddenText } from '@shortlist/extract';
import { namePattern, redactForBlind, type CandidateProfile } from './blind';
import { guardResume, type InjectionFinding } from './guard';

/** Input of a scorer: the resume text and the job it is scored against. */
export interface ScoreInput {
  text: string;
  job: Pick<Job, 'description' | 'criteria' | 'thresholds'> & Partial<Pick<Job, 'title' | 'blind'>>;
  /** Snippets of the text the extractor found hidden in the file (white on white, tiny, off-page). */
  hiddenText?: HiddenText['snippet'][];
  /** What extraction knows about the candidate; used to redact identity. */
  profile?: CandidateProfile;
  /** Redact identity before scoring; defaults to `job.blind`. */
  blind?: boolean;
  signal?: AbortSignal;
}

/** The text a scorer may use and the warnings it must pass on. */
export interface PreparedResume {
  text: string;
  warnings: ResumeWarning[];
  injection: InjectionFinding[];
  blind: boolean;
  criteria: Criterion[];
}

/**
 * Shared first step of every scorer: hidden text and model-directed instructions out (with
 * warnings), identity out in blind mode; the candidate's own name is always taken out so that
 * it can never move a score.
 */
export function prepareResume(
  input: ScoreInput,
  deriveCriteria: (description: string) => Criterion[],
): PreparedResume {
  const guarded = guardResume(input.text, input.hiddenText);
  const blind = input.blind ?? input.job.blind ?? false;
  let text = guarded.text;
  if (blind) {
    text = redactForBlind(text, input.profile);
  } else if (input.profile?.name) {
    const byName = namePattern(input.profile.name);
    if (byName) text = text.replace(byName, ' ');
  }
  const criteria =
    input.job.criteria.length > 0 ? input.job.criteria : deriveCriteria(input.job.description);
  return { text, warnings: guarded.warnings, injection: guarded.injection, blind, criteria };
}
