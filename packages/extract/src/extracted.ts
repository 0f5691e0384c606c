import type { HiddenText, Verdict } from './types';

/** What a format reader returns before the shared quality checks and resume parsing. */
export interface Extracted {
  verdict: Verdict;
  text: string;
  pages: number;
  hidden: HiddenText[];
  /** A page or character limit stopped reading (the verdict is then `truncated`). */
  limitHit?: boolean;
  /** The sentence for the recruiter when the reader knows better than the verdict's default. */
  reason?: string;
}
