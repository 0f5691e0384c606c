import { lazy, useMemo, useState } from 'react';
import { Link, Route, Switch, useLocation } from 'wouter';
import { useApp } from '../app-context';
import type { Job } from '../api/types';
import { ShortlistPage } from '../shortlist/shortlist.page';
import { ErrorState, Loading } from '../ui/states';
import { useAsync } from '../ui/use-async';
import { JobContext, type JobContextValue } from './job-context';
import { JobForm } from './job-form';
import { useJobLive } from './use-job-live';

const CandidatePage = lazy(() => import('../candidate/candidate.page'));
const ComparePage = lazy(() => import('../compare/compare.page'));
const EmailPage = lazy(() => import('../email/email.page'));
const JobDashboardPage = lazy(() => import('../dashboard/job-dashboard.page'));

export function JobLayout({ jobId }: { jobId: string }) {
  const { api } = useApp();
  const job = useAsync(`job:${jobId}`, (signal) => api.getJob(jobId, signal));

  if (job.error)
    return (
      <div className="page">
        <ErrorState error={job.error} title="This job could not be opened" onRetry={job.reload} />
        <Link href="~/jobs">Back to jobs</Link>
      </div>
    );
  if (!job.data) return <Loading label="Opening job…" />;
  return <JobLoaded job={job.data} setJob={job.setData} />;
}

function JobLoaded({ job, setJob }: { job: Job; setJob(job: Job): void }) {
  const { api, capabilities } = useApp();
  const live = useJobLive(api, job.id, capabilities.batchEvents);
  const [selected, setSelectedState] = useState<string[]>([]);
  const [location, navigate] = useLocation();

  const value = useMemo<JobContextValue>(
    () => ({ job, setJob, live, selected, setSelected: setSelectedState }),
    [job, setJob, live, selected],
  );

  const tab = (href: string, label: string) => {
    const active = href === '/' ? location === '/' : location.startsWith(href);
    return (
      <Link
        href={href}
        className={active ? 'tab active' : 'tab'}
        aria-current={active ? 'page' : undefined}
      >
        {label}
      </Link>
    );
  };

  return (
    <JobContext.Provider value={value}>
      <div className="page">
        <nav className="breadcrumbs" aria-label="Breadcrumb">
          <Link href="~/jobs">Jobs</Link> <span aria-hidden="true">/</span> <span>{job.title}</span>
        </nav>
        <nav className="tabs" aria-label="Job sections">
          {tab('/', 'Shortlist')}
          {tab('/dashboard', 'Dashboard')}
          {tab('/email', 'Email')}
          {tab('/edit', 'Edit job')}
        </nav>
        <Switch>
          <Route path="/">
            <ShortlistPage />
          </Route>
          <Route path="/edit">
            <h1>Edit {job.title}</h1>
            <p className="hint">
              Changing the description, criteria, tiers or blind mode starts a new version of the
              job; resumes are scored against the version current when they were analysed.
            </p>
            <JobForm
              job={job}
              submitLabel="Save changes"
              onSubmit={async (input) => {
                setJob(await api.updateJob(job.id, input));
                navigate('/');
              }}
              onCancel={() => navigate('/')}
            />
          </Route>
          <Route path="/candidates/:resumeId">
            {(params) => <CandidatePage resumeId={params.resumeId} />}
          </Route>
          <Route path="/compare">
            <ComparePage />
          </Route>
          <Route path="/email">
            <EmailPage />
          </Route>
          <Route path="/dashboard">
            <JobDashboardPage />
          </Route>
          <Route>
            <ErrorState error="There is nothing at this address." title="Page not found" />
          </Route>
        </Switch>
      </div>
    </JobContext.Provider>
  );
}
