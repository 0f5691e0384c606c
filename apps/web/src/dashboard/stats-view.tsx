import type { Batch, JobStats } from '../api/types';
import { formatMoney, formatNumber, formatPercent } from '../lib/format';
import { BarChart, LineChart, Stat } from './charts';

/** The numbers and charts shared by the job and tenant dashboards. */
export function StatsView({ stats, batches = [] }: { stats: JobStats; batches?: Batch[] }) {
  const done = stats.byStatus.done ?? 0;
  const analysed = done;
  const cacheRate = stats.recent
    ? stats.recent.cacheHitRate
    : stats.cachedCount !== undefined && analysed > 0
      ? stats.cachedCount / analysed
      : null;
  const cacheHint = stats.recent
    ? `${formatNumber(stats.recent.cached)} of ${formatNumber(stats.recent.done)} in the last ${formatNumber(stats.recent.minutes)} min`
    : stats.cachedCount !== undefined
      ? `${formatNumber(stats.cachedCount)} from cache`
      : undefined;
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
        {stats.rate && (
          <Stat
            label="Throughput"
            value={`${formatNumber(stats.rate.resumesPerMinute)}/min`}
            hint={`${formatNumber(stats.rate.analysed)} analysed in ${formatNumber(stats.rate.batches)} batches`}
          />
        )}
        <Stat
          label="Cache hit rate"
          value={cacheRate === null ? '—' : formatPercent(cacheRate)}
          hint={cacheHint}
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
        {stats.series && stats.series.length > 1 ? (
          <>
            <LineChart
              title="Resumes scored per minute"
              points={stats.series.map((p) => ({ label: minuteLabel(p.at), value: p.count }))}
              format={formatNumber}
            />
            {stats.series.some((p) => p.cached !== undefined) && (
              <LineChart
                title="Cache hit rate per minute"
                points={stats.series.map((p) => ({
                  label: minuteLabel(p.at),
                  value: p.count > 0 ? (p.cached ?? 0) / p.count : 0,
                }))}
                format={formatPercent}
              />
            )}
          </>
        ) : (
          <BatchThroughput batches={batches} />
        )}
      </div>
    </>
  );
}

const minuteLabel = (iso: string) =>
  new Date(iso).toLocaleTimeString('en', { hour: '2-digit', minute: '2-digit' });

/** Resumes per minute of each batch, oldest first: throughput over time from batch counters. */
function BatchThroughput({ batches }: { batches: Batch[] }) {
  const points = [...batches]
    .filter((b) => b.counts.done + b.counts.failed > 0)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .slice(-24)
    .map((b) => {
      const end = b.finishedAt ? Date.parse(b.finishedAt) : Date.now();
      const minutes = Math.max(1 / 60, (end - Date.parse(b.createdAt)) / 60_000);
      return {
        label: new Date(b.createdAt).toLocaleTimeString('en', {
          hour: '2-digit',
          minute: '2-digit',
        }),
        value: Math.round(((b.counts.done + b.counts.failed) / minutes) * 10) / 10,
      };
    });
  return (
    <BarChart title="Resumes scored per minute, by batch" data={points} format={formatNumber} />
  );
}
