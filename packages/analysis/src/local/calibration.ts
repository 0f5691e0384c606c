import { DEFAULT_THRESHOLDS } from '@shortlist/contracts';

/**
 * Raw weighted credit (0-100) at which a local score reaches the default `maybe` and
 * `shortlist` thresholds. Fitted by `bench/quality.ts --calibrate` on half of the benchmark's
 * job categories (ACCOUNTANT, AGRICULTURE, ARTS, ...) and checked on the other half:
 * `maybe` is the cut that best separates same-category from other resumes (Youden's J, i.e.
 * the most relevant kept for the fewest irrelevant), `shortlist` the cut with the best F1 for
 * same-category resumes. Raw credit runs low because a resume rarely uses every word a posting
 * does, so without this a clearly relevant resume sat below the default thresholds.
 */
export const LOCAL_CALIBRATION: Readonly<{ maybe: number; shortlist: number }> = Object.freeze({
  maybe: 28,
  shortlist: 50,
});

/**
 * Maps the local scorer's raw weighted credit to its score: piecewise linear through (0, 0),
 * (maybe anchor, default maybe threshold), (shortlist anchor, default shortlist threshold) and
 * (100, 100). Monotone, so the ranking is exactly that of the raw credit; a resume meeting every
 * criterion still scores 100 and one meeting none 0.
 */
export function calibrateLocalScore(
  raw: number,
  anchors: { maybe: number; shortlist: number } = LOCAL_CALIBRATION,
): number {
  const points: [number, number][] = [
    [0, 0],
    [anchors.maybe, DEFAULT_THRESHOLDS.maybe],
    [anchors.shortlist, DEFAULT_THRESHOLDS.shortlist],
    [100, 100],
  ];
  const x = Math.max(0, Math.min(100, raw));
  for (let i = 1; i < points.length; i += 1) {
    const [x0, y0] = points[i - 1]!;
    const [x1, y1] = points[i]!;
    if (x <= x1) {
      const y = x1 === x0 ? y1 : y0 + ((x - x0) * (y1 - y0)) / (x1 - x0);
      return Math.round(y * 10) / 10;
    }
  }
  return 100;
}
