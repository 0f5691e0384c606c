import type { BlobStore } from '@shortlist/blobs';
import type { Resume } from '@shortlist/contracts';
import type { Health, Logger, Registry } from '@shortlist/observability';
import type { ProgressHub, Producer, Redis } from '@shortlist/queue';
import type { Store } from '@shortlist/store';
import type { IdTokenVerifier } from './auth';
import type { AuthFailureConfig } from './http/auth-failures';
import type { RateLimitConfig } from './http/rate-limit';
import type { CriteriaExtractor } from '@shortlist/analysis';
import type { CriteriaReuseIndex, NearDuplicateIndex, RedisCache } from '@shortlist/cache';
import type { CompanyExtractor, Personaliser } from '@shortlist/mail';

export interface UploadLimits {
  maxFileBytes: number;
  maxFiles: number;
  maxBatchBytes: number;
}

/** Removes what the caches hold about a resume (right to erasure). */
export interface ResumeCacheEraser {
  eraseResume(resume: Resume): Promise<void>;
  /** Removes what the caches hold about every resume of a job (job deleted, retention). */
  eraseJob(jobId: string): Promise<void>;
}

/** The shared analysis cache as the gateway sees it (stats, invalidation, warming). */
export interface GatewayCache {
  cache: RedisCache;
  nearDuplicates: NearDuplicateIndex;
  /** Per-tenant reuse of extracted job criteria (near-identical descriptions); absent = none. */
  criteriaReuse?: CriteriaReuseIndex;
}

/** Everything the HTTP app needs; `main.ts` builds it, tests build their own. */
export interface GatewayDeps {
  store: Store;
  blobs: BlobStore;
  analysisQueue: Producer<'resume-analysis'>;
  /** Candidate emails; when absent, a producer on the analysis queue's connection is made. */
  emailQueue?: Producer<'email-delivery'>;
  /**
   * The fail-fast (`producer`) connection: rate limits, quotas, queue depths, stream reads.
   * Defaults to the analysis queue's connection.
   */
  redis?: Redis;
  /** Deployment key prefix (`REDIS_PREFIX`); defaults to the analysis queue's prefix. */
  redisPrefix?: string;
  /**
   * Relays batch progress events to Server-Sent Events clients; defaults to a hub on a
   * subscriber connection duplicated from `redis` (closed by `app.close()`).
   */
  progress?: ProgressHub;
  logger: Logger;
  registry: Registry;
  health: Health;
  limits: UploadLimits;
  trustProxyHops: number;
  rateLimits?: Partial<RateLimitConfig>;
  /** Lock-out of addresses that send many rejected credentials; null turns it off. */
  authFailures?: Partial<AuthFailureConfig> | null;
  /** JSON body limits: size (bytes or e.g. `5mb`) and nesting depth. */
  jsonLimits?: { maxBytes?: number | string; maxDepth?: number };
  /** Browser origins allowed cross-origin; empty = same-origin only. */
  corsOrigins?: string[];
  /** Verifies Firebase ID tokens (AUTH_MODE=firebase); absent = API keys only. */
  idTokens?: IdTokenVerifier | null;
  /** Erases cached analyses of a deleted resume; absent = nothing cached to erase. */
  cacheEraser?: ResumeCacheEraser | null;
  /** Seconds between SSE keep-alive comments. */
  sseHeartbeatSeconds?: number;
  /** The shared analysis cache (`/v1/cache/*`, job warming); absent means those routes answer 503. */
  cache?: GatewayCache;
  /** Folder of the built web app to serve (embedded setup); absent = API only. */
  webDir?: string | null;
  /**
   * Email helpers: the writer of `{{personalNote}}` (`personalise: true`) and the extractor of
   * company name, contact and reply-to from job descriptions (null: none). Absent = built-in local ones.
   */
  mail?: { personaliser?: Personaliser; companyExtractor?: CompanyExtractor | null };
  /** Candidates' unsubscribe links: signing secret, and the public base URL (default: the request's). */
  unsubscribe?: { secret: string; publicUrl?: string | undefined };
  /**
   * Derives criteria from the description of a job created (or re-described) without any; absent
   * = the built-in local extractor. A costly (model) extractor's answers are reused across the
   * same tenant's near-identical descriptions through `cache.criteriaReuse`.
   */
  criteriaExtractor?: CriteriaExtractor;
  /** Clock, injectable for tests. */
  now?: () => Date;
}

/** {@link GatewayDeps} with the Redis-related defaults filled in. */
export type ResolvedDeps = GatewayDeps & {
  emailQueue: Producer<'email-delivery'>;
  redis: Redis;
  redisPrefix: string;
  progress: ProgressHub;
};
