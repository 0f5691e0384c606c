import type { BlobStore } from '@shortlist/blobs';
import type { Health, Logger, Registry } from '@shortlist/observability';
import type { Producer } from '@shortlist/queue';
import type { Store } from '@shortlist/store';
import type { NearDuplicateIndex, RedisCache } from '@shortlist/cache';

export interface UploadLimits {
  maxFileBytes: number;
  maxFiles: number;
  maxBatchBytes: number;
}

/** The shared analysis cache as the gateway sees it (stats, invalidation, warming). */
export interface GatewayCache {
  cache: RedisCache;
  nearDuplicates: NearDuplicateIndex;
}

/** Everything the HTTP app needs; `main.ts` builds it, tests build their own. */
export interface GatewayDeps {
  store: Store;
  blobs: BlobStore;
  analysisQueue: Producer<'resume-analysis'>;
  /** Candidate emails; when absent, a producer on the analysis queue's connection is made. */
  emailQueue?: Producer<'email-delivery'>;
  logger: Logger;
  registry: Registry;
  health: Health;
  limits: UploadLimits;
  trustProxyHops: number;
  /** The shared analysis cache (`/v1/cache/*`, job warming); absent means those routes answer 503. */
  cache?: GatewayCache;
  /** Folder of the built web app to serve (embedded setup); absent = API only. */
  webDir?: string | null;
  /** Clock, injectable for tests. */
  now?: () => Date;
}
