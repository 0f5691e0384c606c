import { NearDuplicateIndex, RedisCache } from '@shortlist/cache';
import type { Resume } from '@shortlist/contracts';
import type { Redis } from '@shortlist/queue';
import type { ResumeCacheEraser } from './deps';

/**
 * Erases what the shared caches hold about a deleted resume. Cached analyses are keyed by the
 * normalised text the worker extracted (not by resume id), which the gateway does not have, so
 * the whole job's analysis entries and near-duplicate signatures are dropped: over-eager, but no
 * quote or signature of the erased resume survives. Stored results of other resumes are kept;
 * only later cache hits for this job are lost.
 */
export function jobWideCacheEraser(options: {
  redis: Redis;
  prefix: string;
  nearDuplicateTtlSeconds?: number;
}): ResumeCacheEraser {
  const cache = new RedisCache({ redis: options.redis, prefix: options.prefix });
  const nearDuplicates = new NearDuplicateIndex({
    redis: options.redis,
    prefix: options.prefix,
    ttlSeconds: options.nearDuplicateTtlSeconds ?? 30 * 24 * 3600,
  });
  return {
    async eraseResume(resume: Resume) {
      await cache.invalidate({ kind: 'job', jobId: resume.jobId });
      await nearDuplicates.invalidate(resume.jobId);
    },
  };
}
