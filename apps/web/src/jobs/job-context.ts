import { createContext, useContext } from 'react';
import type { Job } from '../api/types';
import type { JobLive } from './use-job-live';

export interface JobContextValue {
  job: Job;
  setJob(job: Job): void;
  live: JobLive;
  /** Candidates picked in the shortlist for compare and email. */
  selected: string[];
  setSelected(update: (ids: string[]) => string[]): void;
}

export const JobContext = createContext<JobContextValue | null>(null);

export function useJob(): JobContextValue {
  const value = useContext(JobContext);
  if (!value) throw new Error('useJob outside a job page');
  return value;
}
