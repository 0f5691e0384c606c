import { int } from '@shortlist/config';
import { EXTRACT_DEFAULTS, type ExtractorOptions } from './types';

/**
 * Extraction settings as environment variables, to spread into an app's env schema
 * (`z.object({ ...commonEnv, ...extractEnv })`).
 */
export const extractEnv = {
  /** Worker threads reading files (0 = on the event loop, for scripts). */
  EXTRACT_THREADS: int(EXTRACT_DEFAULTS.threads, 0, 64),
  /** Per-file time limit in milliseconds. */
  EXTRACT_TIMEOUT_MS: int(EXTRACT_DEFAULTS.timeoutMs, 100, 600_000),
  /** PDF pages read per file. */
  EXTRACT_MAX_PAGES: int(EXTRACT_DEFAULTS.maxPages, 1, 10_000),
  /** Characters of text kept per file. */
  EXTRACT_MAX_CHARS: int(EXTRACT_DEFAULTS.maxChars, 1_000, 50_000_000),
  /** Largest file read, in bytes. */
  EXTRACT_MAX_BYTES: int(EXTRACT_DEFAULTS.maxBytes, 1, 1024 * 1024 * 1024),
};

/** {@link createExtractor} options from values parsed with {@link extractEnv}. */
export function extractorOptionsFromEnv(env: {
  EXTRACT_THREADS: number;
  EXTRACT_TIMEOUT_MS: number;
  EXTRACT_MAX_PAGES: number;
  EXTRACT_MAX_CHARS: number;
  EXTRACT_MAX_BYTES: number;
}): ExtractorOptions {
  return {
    threads: env.EXTRACT_THREADS,
    timeoutMs: env.EXTRACT_TIMEOUT_MS,
    maxPages: env.EXTRACT_MAX_PAGES,
    maxChars: env.EXTRACT_MAX_CHARS,
    maxBytes: env.EXTRACT_MAX_BYTES,
  };
}
