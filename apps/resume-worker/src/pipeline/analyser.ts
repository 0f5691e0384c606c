import pLimit from 'p-limit';
import type { CandidateProfile, Scorer } from '@shortlist/analysis';
import {
  DEFAULT_NEAR_DUPLICATE_POLICY,
  type NearDuplicateIndex,
  type RedisCache,
  analysisKey,
  candidateIdentity,
  decideNearDuplicate,
  minhash,
  textHash,
  type NearDuplicatePolicy,
  type NearMatch,
} from '@shortlist/cache';
import type { Analysis, Job, ResumeWarning } from '@shortlist/contracts';
import type { Logger } from '@shortlist/observability';
import { BadResumeError, classifyError, retryAfterMs } from './errors';
import type { WorkerMetrics } from './metrics';

/** Where an analysis came from. */
export type AnalysisSource = 'computed' | 'hit' | 'shared' | 'similar';

export interface AnalyserDeps {
  scorer: Scorer;
  /** The same scorer through the Batch API, for economy requests; null when unavailable. */
  economyScorer?: Scorer | null;
  cache: RedisCache;
  /** Null turns near-duplicate detection off. */
  nearDuplicates: NearDuplicateIndex | null;
  nearDuplicatePolicy?: NearDuplicatePolicy;
  /** Scorer calls in flight at once in this process. */
  llmConcurrency: number;
  metrics: WorkerMetrics;
  logger: Logger;
  /** Backoff for a 429 without Retry-After: first wait and cap (ms). */
  rateLimitBackoffMs?: { initial: number; max: number };
}

export interface AnalyseRequest {
  text: string;
  /** Text hidden in the file; the scorer leaves it out and warns about it. */
  hiddenText?: string[];
  /** Score through the Batch API (economy mode) when it is available. */
  economy?: boolean;
  /** Skip every cache (exact and near-duplicate): score again and store the new answer. */
  force?: boolean;
  /** Who the resume is about, as extraction found it: lets the scorer redact identity. */
  profile?: CandidateProfile;
  job: Pick<Job, 'id' | 'version' | 'description' | 'criteria' | 'thresholds' | 'blind'>;
  resumeId: string;
}

export interface AnalyseResult {
  analysis: Analysis;
  source: AnalysisSource;
  warnings: ResumeWarning[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Scores resume text with every saving that is safe: an exact cache hit (same normalised text,
 * job version, model, prompt version and blind flag), a computation already running in any worker,
 * or an earlier analysis of the same candidate's near-identical resume. Scorer calls are bounded
 * per process, and a rate-limited call waits and tries again rather than failing the resume.
 */
export function createAnalyser(deps: AnalyserDeps) {
  const limit = pLimit(deps.llmConcurrency);
  const policy = deps.nearDuplicatePolicy ?? DEFAULT_NEAR_DUPLICATE_POLICY;
  const backoff = deps.rateLimitBackoffMs ?? { initial: 500, max: 20_000 };
  const model = deps.scorer.model;
  const keyFor = (job: AnalyseRequest['job'], hash: string) =>
    analysisKey({
      jobId: job.id,
      jobVersion: job.version,
      model,
      promptVersion: deps.scorer.promptVersion,
      blind: job.blind,
      textHash: hash,
    });

  // Economy calls wait for a batch, not for the provider's rate: they take no synchronous slot.
  const economyLimit = pLimit(10_000);
  const callScorer = async (request: AnalyseRequest): Promise<Analysis> => {
    const queuedAt = performance.now();
    const economy = Boolean(request.economy && deps.economyScorer);
    const scorer = economy ? deps.economyScorer! : deps.scorer;
    return (economy ? economyLimit : limit)(async () => {
      let waitedMs = performance.now() - queuedAt;
      for (let attempt = 0; ; attempt++) {
        deps.metrics.llmInFlight.inc();
        try {
          const analysis = await scorer.analyse({
            text: request.text,
            hiddenText: request.hiddenText,
            profile: request.profile,
            job: request.job,
          });
          deps.metrics.llmCalls.inc({ model, outcome: 'ok' });
          deps.metrics.llmTokens.inc({ model, direction: 'in' }, analysis.tokensIn);
          deps.metrics.llmTokens.inc({ model, direction: 'out' }, analysis.tokensOut);
          deps.metrics.llmCost.inc({ model }, analysis.costUsd);
          deps.metrics.limiterWait.observe(waitedMs / 1000);
          return analysis;
        } catch (error) {
          const kind = classifyError(error);
          deps.metrics.llmCalls.inc({ model, outcome: kind === 'rate_limited' ? kind : 'error' });
          if (kind === 'rejected') {
            const detail = error instanceof Error ? error.message.slice(0, 200) : String(error);
            throw new BadResumeError(
              `The AI provider refused to score this resume: ${detail}`,
              'provider_rejected',
            );
          }
          if (kind !== 'rate_limited') throw error;
          const delay =
            retryAfterMs(error) ??
            Math.min(backoff.max, backoff.initial * 2 ** Math.min(attempt, 10));
          const jittered = delay * (1 + Math.random() * 0.2);
          waitedMs += jittered;
          await sleep(jittered);
        } finally {
          deps.metrics.llmInFlight.dec();
        }
      }
    });
  };

  return {
    async analyse(request: AnalyseRequest): Promise<AnalyseResult> {
      const started = performance.now();
      // Hidden text changes what the scorer sees and warns about, so it is part of the key.
      const hash = textHash(
        request.hiddenText?.length
          ? `${request.text}\u0000${request.hiddenText.join('\n')}`
          : request.text,
      );
      const key = keyFor(request.job, hash);
      let reused: NearMatch | undefined;
      let flagged: NearMatch | undefined;
      let signature: Uint32Array | undefined;
      let identity: string[] = [];

      if (request.force) await deps.cache.delete([key]);
      const { value, source } = await deps.cache.getOrCompute(
        key,
        async () => {
          if (deps.nearDuplicates && !request.force) {
            signature = minhash(request.text);
            identity = candidateIdentity(request.text);
            const matches = await deps.nearDuplicates.find(request.job.id, signature, {
              minSimilarity: Math.min(policy.flagThreshold, policy.reuseThreshold),
              excludeTextHash: hash,
            });
            const decision = decideNearDuplicate(matches, identity, policy);
            if (decision.kind === 'reuse') {
              const earlier = await deps.cache.peek<Analysis>(
                keyFor(request.job, decision.match.textHash),
              );
              if (earlier) {
                reused = decision.match;
                await deps.cache.record(key, 'similar');
                return earlier;
              }
            }
            if (decision.kind !== 'none') flagged = decision.match;
          }
          return callScorer(request);
        },
        () => reused === undefined,
      );

      if (source === 'computed' && deps.nearDuplicates && signature && !reused) {
        await deps.nearDuplicates.add(request.job.id, {
          textHash: hash,
          resumeId: request.resumeId,
          signature,
          identity,
        });
      }

      const warnings: ResumeWarning[] = [];
      const finalSource: AnalysisSource = reused ? 'similar' : source;
      deps.metrics.cache.inc({
        namespace: 'analysis',
        result: finalSource === 'computed' ? 'miss' : finalSource,
      });
      if (reused) {
        deps.metrics.nearDuplicates.inc({ decision: 'reused' });
        warnings.push({
          code: 'duplicate',
          message: `Same candidate as resume ${reused.resumeId} (${Math.round(reused.similarity * 100)}% identical text, same contact details): re-scored from cache.`,
          snippet: null,
        });
      } else if (flagged) {
        deps.metrics.nearDuplicates.inc({ decision: 'flagged' });
        warnings.push({
          code: 'duplicate',
          message: `Near-duplicate of resume ${flagged.resumeId} (${Math.round(flagged.similarity * 100)}% similar text) but not the same contact details: scored on its own.`,
          snippet: null,
        });
      } else if (source !== 'computed' && deps.nearDuplicates) {
        const first = await deps.nearDuplicates.firstResumeWith(request.job.id, hash);
        if (first && first !== request.resumeId)
          warnings.push({
            code: 'duplicate',
            message: `Same text as resume ${first}: analysis reused from cache.`,
            snippet: null,
          });
      }

      const analysis: Analysis =
        finalSource === 'computed'
          ? value
          : {
              ...value,
              cached: true,
              tokensIn: 0,
              tokensOut: 0,
              costUsd: 0,
              durationMs: Math.round((performance.now() - started) * 100) / 100,
            };
      return { analysis, source: finalSource, warnings };
    },
  };
}

export type Analyser = ReturnType<typeof createAnalyser>;
