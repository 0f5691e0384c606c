export * from './types';
export { CursorCodec, clampLimit, type CursorPosition, type SortValue } from './cursor';
export { SqliteStore, migrate, type SqliteStoreOptions } from './sqlite/sqlite-store';
export {
  FirestoreStore,
  MAX_BATCH_WRITES,
  type FirestoreStoreOptions,
} from './firestore/firestore-store';
export { openStore, storeConfigFromEnv, type StoreConfig } from './open-store';
export {
  ERASED,
  copiesOf,
  eraseEmail,
  isErasedEmail,
  purgeBatch,
  purgeJob,
  purgeOlderThan,
  purgeResumes,
  type BlobDeleter,
  type EmailCopy,
  type PurgeResult,
  type RetentionResult,
} from './purge';
