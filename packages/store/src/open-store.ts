import { join } from 'node:path';
import type { StorageEnv } from '@shortlist/config';
import { FirestoreStore, type FirestoreStoreOptions } from './firestore/firestore-store';
import { SqliteStore } from './sqlite/sqlite-store';
import type { Store } from './types';

export interface StoreConfig {
  kind: 'sqlite' | 'firestore';
  /** SQLite file; defaults to `<dataDir>/shortlist.db`. */
  sqlitePath?: string | undefined;
  dataDir: string;
  cursorSecret: string;
  /** Required when `kind` is `firestore`. */
  firestore?: Omit<FirestoreStoreOptions, 'cursorSecret'> | undefined;
}

/** The store configuration the storage variables describe (see `storageEnv` in @shortlist/config). */
export function storeConfigFromEnv(
  env: StorageEnv & { DATA_DIR: string; CURSOR_SECRET: string },
): StoreConfig {
  return {
    kind: env.STORE,
    sqlitePath: env.SQLITE_PATH,
    dataDir: env.DATA_DIR,
    cursorSecret: env.CURSOR_SECRET,
    firestore:
      env.STORE === 'firestore' && env.FIRESTORE_PROJECT_ID
        ? {
            projectId: env.FIRESTORE_PROJECT_ID,
            databaseId: env.FIRESTORE_DATABASE_ID,
            emulatorHost: env.FIRESTORE_EMULATOR_HOST,
            credentialsFile: env.FIRESTORE_CREDENTIALS_FILE,
          }
        : undefined,
  };
}

/** Opens the configured backend. */
export async function openStore(config: StoreConfig): Promise<Store> {
  if (config.kind === 'sqlite') {
    return new SqliteStore({
      path: config.sqlitePath ?? join(config.dataDir, 'shortlist.db'),
      cursorSecret: config.cursorSecret,
    });
  }
  if (!config.firestore) throw new Error('STORE=firestore needs FIRESTORE_PROJECT_ID');
  const store = new FirestoreStore({ ...config.firestore, cursorSecret: config.cursorSecret });
  // Fail at start-up, naming the problem, rather than on the first request.
  await store.ping();
  return store;
}
