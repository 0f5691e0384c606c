export * from './types';
export { CursorCodec, clampLimit, type CursorPosition } from './cursor';
export { SqliteStore, migrate, type SqliteStoreOptions } from './sqlite/sqlite-store';
export { openStore, type StoreConfig } from './open-store';
export { purgeBatch, purgeJob, purgeResumes, type BlobDeleter, type PurgeResult } from './purge';
