import type { ApiStats } from '../api/types';
import { fromApi } from './job-stats';

const base: ApiStats = {
  total: 12,
  byStatus: { done: 10, failed: 2 },
  byTier: { shortlist: 3, maybe: 4, reject: 3 },
  scoreHistogram: [0, 0, 1, 2, 3, 2, 1, 1, 0, 0],
  costUsd: 0.5,
  tokensIn: 100,
  tokensOut: 10,
  processing: { batches: 2, analysed: 12, busySeconds: 60, resumesPerMinute: 12 },
};
const point = (minute: number, done: number, cached = 0) => ({
  minute: new Date(Date.UTC(2026, 10, 25, 10, minute)).toISOString(),
  done,
  failed: 0,
  cached,
  costUsd: 0,
});

describe('dashboard numbers from the stats endpoint', () => {
  it('takes the batch rate, the recent cache hit rate and the series from its first busy minute', () => {
    const stats = fromApi({
      ...base,
      throughput: {
        minutes: 5,
        points: [point(0, 0), point(1, 0), point(2, 0), point(3, 6, 3), point(4, 4, 0)],
        done: 10,
        failed: 0,
        cacheHitRate: 0.3,
      },
    });
    expect(stats.rate?.resumesPerMinute).toBe(12);
    expect(stats.recent).toEqual({ minutes: 5, done: 10, cached: 3, cacheHitRate: 0.3 });
    expect(stats.series?.map((p) => [p.count, p.cached])).toEqual([
      [0, 0],
      [6, 3],
      [4, 0],
    ]);
  });

  it('has no series when nothing finished in the window, and no recent numbers without Redis', () => {
    const idle = fromApi({
      ...base,
      throughput: {
        minutes: 2,
        points: [point(0, 0), point(1, 0)],
        done: 0,
        failed: 0,
        cacheHitRate: null,
      },
    });
    expect(idle.series).toBeUndefined();
    expect(idle.recent?.cacheHitRate).toBeNull();
    expect(fromApi({ ...base, throughput: null }).recent).toBeUndefined();
  });
});
