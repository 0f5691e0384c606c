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
  /** Bytes a DOCX or PDF may expand to when unpacked (zip and decompression bombs). */
  EXTRACT_MAX_INFLATED_BYTES: int(EXTRACT_DEFAULTS.maxInflatedBytes!, 1024, 4 * 1024 * 1024 * 1024),
  /** Parts a DOCX may hold. */
  EXTRACT_MAX_ZIP_ENTRIES: int(EXTRACT_DEFAULTS.maxZipEntries!, 10, 65_535),
};

/** {@link createExtractor} options from values parsed with {@link extractEnv}. */
export function extractorOptionsFromEnv(env: {
  EXTRACT_THREADS: number;
  EXTRACT_TIMEOUT_MS: number;
  EXTRACT_MAX_PAGES: number;
  EXTRACT_MAX_CHARS: number;
  EXTRACT_MAX_BYTES: number;
  EXTRACT_MAX_INFLATED_BYTES?: number;
  EXTRACT_MAX_ZIP_ENTRIES?: number;
}): ExtractorOptions {
  return {
    threads: env.EXTRACT_THREADS,
    timeoutMs: env.EXTRACT_TIMEOUT_MS,
    maxPages: env.EXTRACT_MAX_PAGES,
    maxChars: env.EXTRACT_MAX_CHARS,
    maxBytes: env.EXTRACT_MAX_BYTES,
    maxInflatedBytes: env.EXTRACT_MAX_INFLATED_BYTES ?? EXTRACT_DEFAULTS.maxInflatedBytes,
    maxZipEntries: env.EXTRACT_MAX_ZIP_ENTRIES ?? EXTRACT_DEFAULTS.maxZipEntries,
  };
}
