import type { Tier } from '../api/types';

export const TIER_LABEL: Record<Tier, string> = {
  shortlist: 'Shortlist',
  maybe: 'Maybe',
  reject: 'Reject',
};

export function TierChip({ tier }: { tier: Tier | null }) {
  if (!tier) return <span className="chip chip-none">—</span>;
  return <span className={`chip chip-${tier}`}>{TIER_LABEL[tier]}</span>;
}

/** A score 0-100 as a bar plus the number; the number is what screen readers hear. */
export function ScoreBar({ score, tier }: { score: number | null; tier: Tier | null }) {
  if (score === null) return <span className="score-none">—</span>;
  const value = Math.round(score);
  return (
    <span className="score" title={`Score ${value} of 100`}>
      <span className="score-track" aria-hidden="true">
        <span className={`score-fill fill-${tier ?? 'none'}`} style={{ width: `${value}%` }} />
      </span>
      <span className="score-value">{value}</span>
    </span>
  );
}
