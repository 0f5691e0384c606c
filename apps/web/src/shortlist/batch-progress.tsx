import type { Batch } from '../api/types';
import { formatNumber } from '../lib/format';

/** Progress of the batches still running (finished ones fold into one line). */
export function BatchProgress({ batches }: { batches: Batch[] }) {
  const running = batches.filter((b) => !b.finishedAt);
  if (running.length === 0) return null;
  const sum = (key: keyof Batch['counts']) => running.reduce((n, b) => n + b.counts[key], 0);
  const total = sum('total');
  const finished = sum('done') + sum('failed') + sum('duplicate');
  return (
    <div className="batch-progress" role="status" aria-live="polite">
      <span>
        Scoring {formatNumber(finished)} of {formatNumber(total)} resumes
        {sum('failed') > 0 && ` · ${formatNumber(sum('failed'))} failed`}
      </span>
      <progress max={total || 1} value={finished} aria-label="Scoring progress" />
    </div>
  );
}
