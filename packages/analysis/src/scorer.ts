import type { Analysis } from '@shortlist/contracts';
import type { ScoreInput } from './prepare';

/** Anything that turns a resume and a job into an {@link Analysis}. */
export interface Scorer {
  readonly model: string;
  /** Version of the prompt or algorithm; part of the cache key of an analysis. */
  readonly promptVersion: string;
  analyse(input: ScoreInput): Promise<Analysis>;
}
