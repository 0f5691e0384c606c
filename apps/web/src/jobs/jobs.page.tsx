import { Link } from 'wouter';
import { useApp } from '../app-context';
import { formatDate } from '../lib/format';
import { EmptyState, ErrorState, Loading } from '../ui/states';
import { useAsync } from '../ui/use-async';

export function JobsPage() {
  const { api } = useApp();
  const jobs = useAsync('jobs', () => api.listJobs());

  return (
    <div className="page">
      <div className="page-header">
        <h1>Jobs</h1>
        <Link href="/jobs/new" className="button button-primary">
          New job
        </Link>
      </div>
      {jobs.error ? (
        <ErrorState error={jobs.error} title="Jobs could not be loaded" onRetry={jobs.reload} />
      ) : !jobs.data ? (
        <Loading label="Loading jobs…" />
      ) : jobs.data.items.length === 0 ? (
        <EmptyState
          title="No jobs yet"
          action={
            <Link href="/jobs/new" className="button button-primary">
              Create your first job
            </Link>
          }
        >
          <p>
            A job holds the description and the criteria resumes are scored against. Create one,
            then drop in resumes.
          </p>
        </EmptyState>
      ) : (
        <ul className="job-list">
          {jobs.data.items.map((job) => (
            <li key={job.id} className="job-card">
              <Link href={`/jobs/${job.id}`} className="job-card-title">
                {job.title}
              </Link>
              <p className="job-card-meta">
                {job.criteria.length} criteria · created {formatDate(job.createdAt)}
                {job.blind && <span className="badge">Blind</span>}
              </p>
              <p className="job-card-desc">{job.description.slice(0, 180)}</p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
