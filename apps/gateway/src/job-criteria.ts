import { localCriteriaExtractor } from '@shortlist/analysis';
import { createHash } from 'node:crypto';
import type { Criterion } from '@shortlist/contracts';
import type { GatewayDeps } from './deps';

export interface DerivedCriteria {
  criteria: Criterion[];
  /** The tenant's earlier job whose extracted criteria were reused, or null when extracted now. */
  reusedFrom: string | null;
}

/**
 * Criteria for job `jobId`'s description: the criteria extracted for a near-identical description
 * of one of the same tenant's existing jobs when there is one, else freshly extracted and recorded
 * for next time. A failing model or cache never fails the request: the local extractor answers
 * (and its answer is not recorded as the model's).
 */
export async function criteriaFor(
  deps: Pick<GatewayDeps, 'criteriaExtractor' | 'cache' | 'store' | 'logger'>,
  userId: string,
  job: { id: string; description: string; title: string },
): Promise<DerivedCriteria> {
  const extractor = deps.criteriaExtractor ?? localCriteriaExtractor;
  const reuse = extractor.costly ? (deps.cache?.criteriaReuse ?? null) : null;
  const guard = reuse ? await requirementsGuard(job) : '';
  if (reuse) {
    const match = await reuse
      .find(userId, extractor.id, { description: job.description, guard })
      .catch((error: unknown) => {
        deps.logger.warn('criteria reuse lookup failed', { error });
        return null;
      });
    // The source must still be one of this tenant's jobs (a deleted job is never named).
    if (match && (await deps.store.jobs.get(userId, match.jobId))) {
      await countOutcome(deps, reuse, 'reused');
      return { criteria: match.criteria, reusedFrom: match.jobId === job.id ? null : match.jobId };
    }
  }
  let criteria: Criterion[];
  try {
    criteria = await extractor.extract(job.description, job.title);
  } catch (error) {
    deps.logger.warn('criteria extraction failed; using the local extractor', { error });
    return {
      criteria: await localCriteriaExtractor.extract(job.description, job.title),
      reusedFrom: null,
    };
  }
  await reuse
    ?.add(userId, extractor.id, { jobId: job.id, description: job.description, guard, criteria })
    .catch((error: unknown) => deps.logger.warn('criteria reuse recording failed', { error }));
  if (reuse) await countOutcome(deps, reuse, 'extracted');
  return { criteria, reusedFrom: null };
}

/** Best effort: a stats counter never fails the request. */
async function countOutcome(
  deps: Pick<GatewayDeps, 'logger'>,
  reuse: NonNullable<NonNullable<GatewayDeps['cache']>['criteriaReuse']>,
  outcome: 'reused' | 'extracted',
): Promise<void> {
  await reuse
    .recordOutcome(outcome)
    .catch((error: unknown) => deps.logger.warn('criteria reuse counter not updated', { error }));
}

/**
 * What a description requires, read offline: the title and the local extractor's criteria. Two
 * near-identical descriptions asking for different skills or seniority get different guards, so
 * their criteria are never shared.
 */
async function requirementsGuard(job: { description: string; title: string }): Promise<string> {
  const local = await localCriteriaExtractor.extract(job.description, job.title);
  const parts = [
    job.title.trim().toLowerCase(),
    ...local.map((c) => `${c.name.toLowerCase()}|${c.required ? 1 : 0}`).sort(),
  ];
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
}
