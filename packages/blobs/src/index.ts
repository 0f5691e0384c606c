export * from './types';
export { LocalBlobStore } from './local';
export { S3BlobStore, type S3BlobConfig } from './s3';
export { blobConfigFromEnv, openBlobStore, type BlobConfig } from './open-blob-store';
