import { useLocation } from 'wouter';
import { useApp } from '../app-context';
import { JobForm } from './job-form';

export function JobFormPage() {
  const { api } = useApp();
  const [, navigate] = useLocation();
  return (
    <div className="page page-narrow">
      <h1>New job</h1>
      <JobForm
        submitLabel="Create job"
        onSubmit={async (input) => {
          const job = await api.createJob(input);
          navigate(`/jobs/${job.id}`);
        }}
        onCancel={() => navigate('/jobs')}
      />
    </div>
  );
}
