import { join } from 'node:path';
import { LocalBlobStore } from './local';
import type { BlobStore } from './types';

export interface BlobConfig {
  kind: 'local' | 's3';
  /** Local folder; defaults to `<dataDir>/blobs`. */
  dir?: string | undefined;
  dataDir: string;
}

/** Opens the configured blob backend. */
export async function openBlobStore(config: BlobConfig): Promise<BlobStore> {
  if (config.kind === 'local')
    return new LocalBlobStore(config.dir ?? join(config.dataDir, 'blobs'));
  throw new Error('BLOBS=s3 is not available in this build yet; use BLOBS=local');
}
