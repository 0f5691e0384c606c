import { useApp } from '../app-context';
import { useJob } from '../jobs/job-context';
import { ErrorState, Loading } from '../ui/states';
import { useAsync } from '../ui/use-async';
import { loadJobStats } from './job-stats';
import { StatsView } from './stats-view';

export default function JobDashboardPage() {
  const { api, capabilities } = useApp();
  const { job, live } = useJob();
  const stats = useAsync(`job-stats:${job.id}:${live.tick}`, (signal) =>
    loadJobStats(api, job.id, capabilities.jobStats, signal),
  );
  return (
    <>
      <h1>Dashboard: {job.title}</h1>
      {stats.error && !stats.data ? (
        <ErrorState
          error={stats.error}
          title="Numbers could not be loaded"
          onRetry={stats.reload}
        />
      ) : !stats.data ? (
        <Loading label="Counting…" />
      ) : (
        <StatsView stats={stats.data} batches={live.batches} />
      )}
    </>
  );
}
