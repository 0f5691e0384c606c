import { commonEnv, parseEnv, storageEnv, z } from '@shortlist/config';
import { openStore, type Store } from '@shortlist/store';

/** What local admin commands read: the same variables the gateway uses for its store and Redis. */
export const LocalAdminEnv = z.object({
  ...commonEnv,
  ...storageEnv,
  CURSOR_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    .default('shortlist-dev-cursor-secret'),
});
export type LocalAdminEnv = z.infer<typeof LocalAdminEnv>;

export function localEnv(overrides: { dataDir?: string } = {}): LocalAdminEnv {
  const env = parseEnv(LocalAdminEnv);
  return overrides.dataDir ? { ...env, DATA_DIR: overrides.dataDir } : env;
}

/** Opens the store the gateway of this machine uses (DATA_DIR, STORE, SQLITE_PATH). */
export function openLocalStore(env: LocalAdminEnv): Promise<Store> {
  return openStore({
    kind: env.STORE,
    sqlitePath: env.SQLITE_PATH,
    dataDir: env.DATA_DIR,
    cursorSecret: env.CURSOR_SECRET,
  });
}
