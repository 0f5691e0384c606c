import type { Resume } from '@shortlist/contracts';
import type { GatewayCache, ResumeCacheEraser } from './deps';

/**
 * Erases what the shared caches hold about a deleted resume. Cached analyses are keyed by the
 * normalised text the worker extracted (not by resume id), which the gateway does not have, so
 * the whole job's analysis entries and near-duplicate signatures are dropped: over-eager, but no
 * quote or signature of the erased resume survives. Stored results of other resumes are kept;
 * only later cache hits for this job are lost.
 */
export function jobWideCacheEraser({
  cache,
  nearDuplicates,
  criteriaReuse,
}: GatewayCache): ResumeCacheEraser {
  const eraseResumes = async (jobId: string) => {
    await cache.invalidate({ kind: 'job', jobId });
    await nearDuplicates.invalidate(jobId);
  };
  return {
    eraseResume: (resume: Resume) => eraseResumes(resume.jobId),
    // A deleted job is never named again as the source of reused criteria.
    eraseJob: async (jobId: string) => {
      await eraseResumes(jobId);
      await criteriaReuse?.eraseJob(jobId);
    },
  };
}
