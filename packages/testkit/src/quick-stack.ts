import { join } from 'node:path';
import { startProcess, type RunningProcess } from './process';
import { deletePrefix, testRedis, uniquePrefix } from './redis';
import { REPO_ROOT } from './shared-data';
import { tempDir } from './temp';

/** A batch as `GET /v1/batches/:id` shows it, as far as the end-to-end tests read it. */
export interface BatchState {
  counts: Record<string, number>;
  finishedAt: string | null;
}

/** The quick-start stack (`scripts/serve.mjs`) running for a test. */
export interface QuickStack {
  /** Base URL of the gateway, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** The API key the launcher created and printed. */
  key: string;
  /** The stack's `DATA_DIR` (SQLite file, blobs, `logs/`), removed by {@link QuickStack.close}. */
  dir: string;
  /** The stack's Redis key prefix, deleted by {@link QuickStack.close}. */
  prefix: string;
  /** The launcher process (its output; stop it early to read the logs it leaves). */
  process: RunningProcess;
  /** `fetch` against the gateway with the API key set. */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** Polls the batch until `finishedAt` is set or `timeoutMs` passes; returns the last state read. */
  waitForBatch(batchId: string, timeoutMs?: number): Promise<BatchState | undefined>;
  /**
   * Stops the processes (SIGTERM, then SIGKILL after 20 s), deletes the Redis prefix and the data
   * folder. Resolves with the launcher's exit code (0 for a clean shutdown).
   */
  close(): Promise<number | null>;
}

export interface QuickStackOptions {
  /** Names the temp folder and the Redis prefix. */
  name: string;
  /** Extra environment; a function gets the data folder first (to write files into it). */
  env?:
    | Record<string, string>
    | ((dataDir: string) => Record<string, string> | Promise<Record<string, string>>);
  /** How long the stack may take to announce its URL (default 90 s). */
  readyTimeoutMs?: number;
}

/**
 * Starts the quick-start launcher (what `npm start` runs: gateway, resume worker, email worker on
 * the real Redis) on a fresh data folder and Redis prefix, and waits for its URL and API key. If
 * it does not come up, everything it started is stopped and removed before the error is thrown.
 */
export async function startQuickStack(options: QuickStackOptions): Promise<QuickStack> {
  const dir = await tempDir(options.name);
  const prefix = uniquePrefix(options.name);
  let running: RunningProcess | undefined;
  const cleanUp = async () => {
    const code = (await running?.stop('SIGTERM', 20_000)) ?? null;
    const redis = testRedis();
    await deletePrefix(redis, prefix);
    await redis.quit();
    await dir.remove();
    return code;
  };
  try {
    const extra =
      typeof options.env === 'function' ? await options.env(dir.path) : (options.env ?? {});
    running = startProcess(process.execPath, [join(REPO_ROOT, 'scripts', 'serve.mjs')], {
      cwd: REPO_ROOT,
      env: { DATA_DIR: dir.path, PORT: '0', REDIS_PREFIX: prefix, ...extra },
      label: 'serve',
    });
    const url = (
      await running.waitFor(/running at (http:\/\/\S+)/, options.readyTimeoutMs ?? 90_000)
    )[1]!;
    const key = (await running.waitFor(/API key: (sl_\S+)/))[1]!;
    const stackProcess = running;
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${url}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${key}`, ...(init.headers ?? {}) },
      });
    return {
      url,
      key,
      dir: dir.path,
      prefix,
      process: stackProcess,
      api,
      async waitForBatch(batchId, timeoutMs = 60_000) {
        const deadline = Date.now() + timeoutMs;
        let state: BatchState | undefined;
        while (!state?.finishedAt && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 150));
          state = (await (await api(`/v1/batches/${batchId}`)).json()) as BatchState;
        }
        return state;
      },
      close: cleanUp,
    };
  } catch (error) {
    await cleanUp().catch(() => undefined);
    throw error;
  }
}
