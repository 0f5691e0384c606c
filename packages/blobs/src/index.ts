export * from './types';
export { LocalBlobStore } from './local';
export { openBlobStore, type BlobConfig } from './open-blob-store';
