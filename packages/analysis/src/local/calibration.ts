import { DEFAULT_THRESHOLDS } from '@shortlist/contracts';

/** Raw credits (0-1) that the calibration maps onto the default maybe and shortlist levels. */
export interface CreditAnchors {
  maybe: number;
  shortlist: number;
}

/**
 * Raw criterion credit that counts as the default `maybe` level (0.45) and `shortlist` level
 * (0.70). Fitted by `bench/quality.ts --calibrate` on half of the benchmark's job categories
 * (ACCOUNTANT, AGRICULTURE, ARTS, ...: every other one by name) and checked on the other half:
 * the pair that maximises Youden's J of the maybe cut (share of same-category resumes kept minus
 * share of other resumes kept) plus the F1 of the shortlist cut for same-category resumes.
 * Graded credit runs low because a resume rarely uses every word a posting does; without this a
 * clearly relevant resume sat below the default thresholds.
 */
export const LOCAL_CALIBRATION: Readonly<CreditAnchors> = Object.freeze({
  maybe: 0.28,
  shortlist: 0.34,
});

/**
 * Maps one criterion's raw graded credit to the credit the score uses: piecewise linear through
 * (0, 0), (`maybe` anchor, 0.45), (`shortlist` anchor, 0.70) and (1, 1). A criterion met in
 * full or not at all keeps credit 1 or 0, so recruiter criteria matched outright score exactly
 * as weighted; monotone, so more evidence never lowers a credit.
 */
export function calibrateCredit(raw: number, anchors: CreditAnchors = LOCAL_CALIBRATION): number {
  const points: [number, number][] = [
    [0, 0],
    [anchors.maybe, DEFAULT_THRESHOLDS.maybe / 100],
    [anchors.shortlist, DEFAULT_THRESHOLDS.shortlist / 100],
    [1, 1],
  ];
  const x = Math.max(0, Math.min(1, raw));
  for (let i = 1; i < points.length; i += 1) {
    const [x0, y0] = points[i - 1]!;
    const [x1, y1] = points[i]!;
    if (x <= x1) return x1 === x0 ? y1 : y0 + ((x - x0) * (y1 - y0)) / (x1 - x0);
  }
  return 1;
}
