import { Link } from 'wouter';
import { useApp } from '../app-context';
import { formatNumber } from '../lib/format';
import { EmptyState, ErrorState, Loading } from '../ui/states';
import { useAsync } from '../ui/use-async';
import { BarChart } from './charts';
import { fromApi } from './job-stats';
import { StatsView } from './stats-view';

interface QueueDepth {
  name: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** Reads `/v1/queues` in the shapes a gateway may answer with: an array or a map by queue name. */
function toDepths(body: unknown): QueueDepth[] {
  const value = (body as { queues?: unknown })?.queues ?? body;
  const entries: [string, Record<string, unknown>][] = Array.isArray(value)
    ? value.map((q: Record<string, unknown>) => [
        String(q.name ?? q.queue ?? ''),
        (q.counts as Record<string, unknown>) ?? q,
      ])
    : Object.entries((value ?? {}) as Record<string, Record<string, unknown>>).map(([k, v]) => [
        k,
        (v?.counts as Record<string, unknown>) ?? v,
      ]);
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  return entries.map(([name, c]) => ({
    name,
    waiting: n(c.waiting) + n(c.prioritized) + n(c.wait),
    active: n(c.active),
    delayed: n(c.delayed),
    failed: n(c.failed),
  }));
}

export default function DashboardPage() {
  const { api, capabilities } = useApp();
  const stats = useAsync(capabilities.tenantStats ? 'tenant-stats' : null, async (signal) =>
    fromApi(await api.getTenantStats(signal)),
  );
  const jobs = useAsync(capabilities.tenantStats ? null : 'jobs', () => api.listJobs());
  const queues = useAsync(capabilities.queues ? 'queues' : null, async (signal) =>
    toDepths(await api.getQueues(signal)),
  );
  const queuesForbidden = (queues.error as { status?: number } | null)?.status === 403;

  return (
    <div className="page">
      <h1>Dashboard</h1>
      {capabilities.tenantStats ? (
        stats.error ? (
          <ErrorState
            error={stats.error}
            title="Numbers could not be loaded"
            onRetry={stats.reload}
          />
        ) : !stats.data ? (
          <Loading label="Counting…" />
        ) : (
          <StatsView stats={stats.data} />
        )
      ) : jobs.data ? (
        jobs.data.items.length === 0 ? (
          <EmptyState title="Nothing to show yet">
            <p>Create a job and upload resumes to see numbers here.</p>
          </EmptyState>
        ) : (
          <section>
            <h2>Jobs</h2>
            <p className="hint">Open a job&apos;s dashboard for its charts.</p>
            <ul className="job-list">
              {jobs.data.items.map((job) => (
                <li key={job.id} className="job-card">
                  <Link href={`/jobs/${job.id}/dashboard`} className="job-card-title">
                    {job.title}
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        )
      ) : jobs.error ? (
        <ErrorState error={jobs.error} onRetry={jobs.reload} />
      ) : (
        <Loading />
      )}
      {capabilities.queues && !queuesForbidden && (
        <section className="queues">
          <h2>Queues</h2>
          {queues.data ? (
            <div className="charts">
              {queues.data.map((q) => (
                <BarChart
                  key={q.name}
                  title={`${q.name}`}
                  data={[
                    { label: 'Waiting', value: q.waiting },
                    { label: 'Active', value: q.active },
                    { label: 'Delayed', value: q.delayed },
                    { label: 'Failed', value: q.failed, tone: 'tone-reject' },
                  ]}
                  format={formatNumber}
                />
              ))}
            </div>
          ) : queues.error ? (
            <ErrorState error={queues.error} onRetry={queues.reload} />
          ) : (
            <Loading />
          )}
        </section>
      )}
    </div>
  );
}
