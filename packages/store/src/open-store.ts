import { join } from 'node:path';
import type { Store } from './types';
import { SqliteStore } from './sqlite/sqlite-store';

export interface StoreConfig {
  kind: 'sqlite' | 'firestore';
  /** SQLite file; defaults to `<dataDir>/shortlist.db`. */
  sqlitePath?: string | undefined;
  dataDir: string;
  cursorSecret: string;
}

/** Opens the configured backend. */
export async function openStore(config: StoreConfig): Promise<Store> {
  if (config.kind === 'sqlite') {
    return new SqliteStore({
      path: config.sqlitePath ?? join(config.dataDir, 'shortlist.db'),
      cursorSecret: config.cursorSecret,
    });
  }
  throw new Error('STORE=firestore is not available in this build yet; use STORE=sqlite');
}
