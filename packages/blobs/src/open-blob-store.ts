import { join } from 'node:path';
import type { StorageEnv } from '@shortlist/config';
import { LocalBlobStore } from './local';
import { S3BlobStore, type S3BlobConfig } from './s3';
import type { BlobStore } from './types';

export interface BlobConfig {
  kind: 'local' | 's3';
  /** Local folder; defaults to `<dataDir>/blobs`. */
  dir?: string | undefined;
  dataDir: string;
  /** Required when `kind` is `s3`. */
  s3?: S3BlobConfig | undefined;
}

/** The blob configuration the storage variables describe (see `storageEnv` in @shortlist/config). */
export function blobConfigFromEnv(env: StorageEnv & { DATA_DIR: string }): BlobConfig {
  return {
    kind: env.BLOBS,
    dir: env.BLOBS_DIR,
    dataDir: env.DATA_DIR,
    s3:
      env.BLOBS === 's3' && env.S3_BUCKET
        ? {
            bucket: env.S3_BUCKET,
            region: env.S3_REGION,
            endpoint: env.S3_ENDPOINT,
            forcePathStyle: env.S3_FORCE_PATH_STYLE,
            accessKeyId: env.S3_ACCESS_KEY_ID,
            secretAccessKey: env.S3_SECRET_ACCESS_KEY,
            prefix: env.S3_PREFIX,
            partSizeBytes: env.S3_PART_SIZE_MB * 1024 * 1024,
            queueSize: env.S3_UPLOAD_CONCURRENCY,
          }
        : undefined,
  };
}

/** Opens the configured blob backend. */
export async function openBlobStore(config: BlobConfig): Promise<BlobStore> {
  if (config.kind === 'local')
    return new LocalBlobStore(config.dir ?? join(config.dataDir, 'blobs'));
  if (!config.s3) throw new Error('BLOBS=s3 needs S3 settings (at least S3_BUCKET)');
  return new S3BlobStore(config.s3);
}
