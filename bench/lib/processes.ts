import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, TEST_REDIS_URL } from '@shortlist/testkit';

/** Node arguments that run one of the repository's TypeScript entry points. */
export const tsx = (file: string): string[] => ['--import', 'tsx', join(REPO_ROOT, file)];

/** Environment of a bench's gateway and workers: own data folder and Redis prefix, no web app. */
export function benchEnv(
  dataDir: string,
  redisPrefix: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    PORT: '0',
    OPS_PORT: '0',
    WEB_DIR: 'off',
    ...extra,
  };
}

/** Creates an admin user in the bench's store and returns its API key. */
export function createBenchKey(env: Record<string, string>): string {
  return execFileSync(
    process.execPath,
    [...tsx('apps/gateway/src/admin.ts'), 'create-user', '--name', 'bench', '--role', 'admin'],
    { cwd: REPO_ROOT, env: { ...process.env, ...env }, encoding: 'utf8' },
  ).trim();
}
