import type { CriterionVerdict, Met, Tier, TierThresholds } from '@shortlist/contracts';

const CREDIT: Record<Met, number> = { yes: 1, partial: 0.5, no: 0 };

/**
 * The score is ours, not the model's: the weight-normalised credit of the criterion verdicts,
 * 0-100 with one decimal. A verdict's credit is its graded `credit` when the scorer measured one
 * (the local scorer), else yes 1, partial 0.5, no 0. With no weighted criteria the score is 0.
 */
export function scoreFromVerdicts(verdicts: CriterionVerdict[]): number {
  const totalWeight = verdicts.reduce((sum, v) => sum + v.weight, 0);
  if (totalWeight <= 0) return 0;
  const earned = verdicts.reduce((sum, v) => sum + v.weight * (v.credit ?? CREDIT[v.met]), 0);
  return Math.round((earned / totalWeight) * 1000) / 10;
}

/**
 * Tier by the job's thresholds; a required criterion that is not met keeps the candidate out of
 * `shortlist` (at most `maybe`).
 */
export function tierFor(
  score: number,
  thresholds: TierThresholds,
  verdicts: CriterionVerdict[] = [],
): Tier {
  const missingRequired = verdicts.some((v) => v.required && v.met === 'no');
  if (score >= thresholds.shortlist && !missingRequired) return 'shortlist';
  if (score >= thresholds.maybe) return 'maybe';
  return 'reject';
}
