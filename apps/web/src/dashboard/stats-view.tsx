import type { JobStats } from '../api/types';
import { formatMoney, formatNumber, formatPercent } from '../lib/format';
import { BarChart, LineChart, Stat } from './charts';

/** The numbers and charts shared by the job and tenant dashboards. */
export function StatsView({ stats }: { stats: JobStats }) {
  const done = stats.byStatus.done ?? 0;
  const analysed = done;
  const cacheRate =
    stats.cachedCount !== undefined && analysed > 0 ? stats.cachedCount / analysed : null;
  return (
    <>
      <div className="stats-row">
        <Stat label="Resumes" value={formatNumber(stats.total)} />
        <Stat label="Scored" value={formatNumber(done)} />
        <Stat label="Failed" value={formatNumber(stats.byStatus.failed ?? 0)} />
        <Stat label="Duplicates" value={formatNumber(stats.byStatus.duplicate ?? 0)} />
        <Stat
          label="LLM cost"
          value={formatMoney(stats.costUsd)}
          hint={`${formatNumber(stats.tokensIn + stats.tokensOut)} tokens`}
        />
        <Stat
          label="Cache hit rate"
          value={cacheRate === null ? '—' : formatPercent(cacheRate)}
          hint={
            stats.cachedCount !== undefined
              ? `${formatNumber(stats.cachedCount)} from cache`
              : undefined
          }
        />
      </div>
      <div className="charts">
        <BarChart
          title="Candidates per tier"
          data={[
            { label: 'Shortlist', value: stats.byTier.shortlist ?? 0, tone: 'tone-shortlist' },
            { label: 'Maybe', value: stats.byTier.maybe ?? 0, tone: 'tone-maybe' },
            { label: 'Reject', value: stats.byTier.reject ?? 0, tone: 'tone-reject' },
          ]}
          format={formatNumber}
        />
        <BarChart
          title="Score distribution"
          data={stats.scoreHistogram.map((value, i) => ({
            label: i === 9 ? '90-100' : `${i * 10}-${i * 10 + 9}`,
            value,
          }))}
          format={formatNumber}
        />
        <LineChart
          title="Resumes scored per minute"
          points={(stats.throughput ?? []).map((p) => ({
            label: new Date(p.at).toLocaleTimeString('en', { hour: '2-digit', minute: '2-digit' }),
            value: p.count,
          }))}
          format={formatNumber}
        />
      </div>
    </>
  );
}
