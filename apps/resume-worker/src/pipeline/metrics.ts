import { prom, type Registry } from '@shortlist/observability';

/** The resume worker's Prometheus metrics (`shortlist_*`, units in the names). */
export function createWorkerMetrics(registry: Registry) {
  const registers = [registry];
  return {
    processed: new prom.Counter({
      name: 'shortlist_resumes_processed_total',
      help: 'Resumes that reached a final state, by outcome (done, failed, rescored, skipped)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    failed: new prom.Counter({
      name: 'shortlist_resumes_failed_total',
      help: 'Resumes recorded as failed, by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
    stage: new prom.Histogram({
      name: 'shortlist_resume_stage_duration_seconds',
      help: 'Time spent per pipeline stage (download, extract, analyse, store)',
      labelNames: ['stage'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    llmCalls: new prom.Counter({
      name: 'shortlist_llm_calls_total',
      help: 'Scorer calls by outcome (ok, rate_limited, error)',
      labelNames: ['model', 'outcome'] as const,
      registers,
    }),
    llmTokens: new prom.Counter({
      name: 'shortlist_llm_tokens_total',
      help: 'Tokens used by scorer calls',
      labelNames: ['model', 'direction'] as const,
      registers,
    }),
    llmCost: new prom.Counter({
      name: 'shortlist_llm_cost_usd_total',
      help: 'Cost of scorer calls in US dollars',
      labelNames: ['model'] as const,
      registers,
    }),
    llmInFlight: new prom.Gauge({
      name: 'shortlist_llm_in_flight',
      help: 'Scorer calls running now in this process',
      registers,
    }),
    limiterWait: new prom.Histogram({
      name: 'shortlist_llm_limiter_wait_seconds',
      help: 'Time a scorer call waited for a concurrency slot and for rate-limit retries',
      buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
      registers,
    }),
    cache: new prom.Counter({
      name: 'shortlist_cache_lookups_total',
      help: 'Analysis lookups by result (hit, miss, shared, similar)',
      labelNames: ['namespace', 'result'] as const,
      registers,
    }),
    nearDuplicates: new prom.Counter({
      name: 'shortlist_near_duplicates_total',
      help: 'Near-duplicate resumes found, by decision (reused, flagged)',
      labelNames: ['decision'] as const,
      registers,
    }),
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;
