import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root (this file is packages/testkit/src/shared-data.ts). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/**
 * The folder of real resumes used by tests and benchmarks (never copied into the repo):
 * `SHORTLIST_DATA_DIR`, else `../shared/data` next to the repository, else `/work/shared/data`.
 * Returns null when none exists; callers skip with a message saying so.
 */
export function sharedDataDir(): string | null {
  const candidates = [
    process.env.SHORTLIST_DATA_DIR,
    join(REPO_ROOT, '..', 'shared', 'data'),
    '/work/shared/data',
  ].filter((p): p is string => Boolean(p));
  return candidates.find((p) => existsSync(p)) ?? null;
}
