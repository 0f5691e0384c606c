import { createHash } from 'node:crypto';

/**
 * Cache namespaces. Each has its own TTL, byte budget and hit/miss/bytes counters.
 * - `analysis`: one scored resume for one job version, model, prompt version and blind flag.
 * - `criteria`: criteria derived from a job description (shared by identical descriptions).
 * - `job`: a job's scoring inputs at one version, warmed when the job is created or edited.
 * - `note`: the personal sentence of one candidate's email (template, resume, job version).
 * - `company`: company name, signature and reply-to extracted from a job description.
 */
export const CACHE_NAMESPACES = ['analysis', 'criteria', 'job', 'note', 'company'] as const;
export type CacheNamespace = (typeof CACHE_NAMESPACES)[number];

const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;

/**
 * The text a cache key is computed from: Unicode NFKC, zero-width and soft-hyphen characters
 * removed, line endings unified, runs of spaces/tabs collapsed, blank-line runs collapsed and
 * trailing spaces trimmed. Case and words are kept: two texts that normalise the same read the
 * same to a person, so they may share an analysis.
 */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(ZERO_WIDTH, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{2,}/g, '\n\n')
    .trim();
}

/** sha256 (hex) of the normalised text. */
export function textHash(text: string): string {
  return createHash('sha256').update(normaliseText(text), 'utf8').digest('hex');
}

/** A key segment: `:` and `*?[]` are escaped so segments can never collide or act as SCAN globs. */
export function segment(value: string | number): string {
  return encodeURIComponent(String(value)).replace(
    /[*?[\]]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export interface AnalysisKeyParts {
  jobId: string;
  jobVersion: number;
  model: string;
  promptVersion: string;
  blind: boolean;
  /** {@link textHash} of the resume text. */
  textHash: string;
}

/**
 * `analysis:<jobId>:v<jobVersion>:<model>:<promptVersion>:b<0|1>:<textHash>`. The job id and
 * version come first so one job's entries can be found (and invalidated) by prefix.
 */
export function analysisKey(p: AnalysisKeyParts): string {
  return [
    'analysis',
    segment(p.jobId),
    `v${p.jobVersion}`,
    segment(p.model),
    segment(p.promptVersion),
    p.blind ? 'b1' : 'b0',
    segment(p.textHash),
  ].join(':');
}

/** `criteria:<model>:<promptVersion>:<descriptionHash>`: criteria derived from one description. */
export function criteriaKey(p: {
  model: string;
  promptVersion: string;
  description: string;
}): string {
  return ['criteria', segment(p.model), segment(p.promptVersion), textHash(p.description)].join(
    ':',
  );
}

/** `job:<jobId>:v<jobVersion>`: a job's scoring inputs at one version. */
export function jobKey(p: { jobId: string; jobVersion: number }): string {
  return ['job', segment(p.jobId), `v${p.jobVersion}`].join(':');
}

/**
 * `note:<jobId>:v<jobVersion>:<resumeId>:<resumeHash>:<writer>:<templateHash>`: the personal
 * sentence of one candidate's email. Job and resume come first so erasing a job or one resume
 * finds its notes by prefix; `writer` names the personaliser (model and prompt version), so a new
 * model or prompt never reuses old sentences.
 */
export function noteKey(p: {
  jobId: string;
  jobVersion: number;
  resumeId: string;
  /** Content hash of the resume (a re-upload with other content gets a new note). */
  resumeHash: string;
  writer: string;
  templateHash: string;
}): string {
  return [
    'note',
    segment(p.jobId),
    `v${p.jobVersion}`,
    segment(p.resumeId),
    segment(p.resumeHash.slice(0, 16)),
    segment(p.writer),
    segment(p.templateHash),
  ].join(':');
}

/** `company:<extractor>:<descriptionHash>`: company info extracted from one job description. */
export function companyKey(p: { extractor: string; description: string }): string {
  return ['company', segment(p.extractor), textHash(p.description)].join(':');
}

/** What to invalidate: one job's entries, every entry made with one prompt version, or all. */
export type InvalidationScope =
  | { kind: 'job'; jobId: string }
  | { kind: 'promptVersion'; promptVersion: string }
  | { kind: 'all' };

/**
 * SCAN patterns (relative to the cache key prefix) matching the entries of `scope`. Segments are
 * escaped by {@link segment}, so a `*` here only ever matches whole segments.
 */
export function invalidationPatterns(scope: InvalidationScope): string[] {
  switch (scope.kind) {
    case 'job':
      return [
        `analysis:${segment(scope.jobId)}:*`,
        `job:${segment(scope.jobId)}:*`,
        `note:${segment(scope.jobId)}:*`,
      ];
    case 'promptVersion':
      return [
        `analysis:*:*:*:${segment(scope.promptVersion)}:*`,
        `criteria:*:${segment(scope.promptVersion)}:*`,
      ];
    case 'all':
      return CACHE_NAMESPACES.map((ns) => `${ns}:*`);
  }
}

/** True when the relative `key` belongs to `scope` (checked segment by segment, not by glob). */
export function inScope(key: string, scope: InvalidationScope): boolean {
  const parts = key.split(':');
  switch (scope.kind) {
    case 'job':
      return (
        (parts[0] === 'analysis' || parts[0] === 'job' || parts[0] === 'note') &&
        parts[1] === segment(scope.jobId)
      );
    case 'promptVersion':
      return (
        (parts[0] === 'analysis' && parts[4] === segment(scope.promptVersion)) ||
        (parts[0] === 'criteria' && parts[2] === segment(scope.promptVersion))
      );
    case 'all':
      return (CACHE_NAMESPACES as readonly string[]).includes(parts[0]!);
  }
}

/** The namespace of a relative key (its first segment). */
export function namespaceOf(key: string): CacheNamespace {
  const ns = key.slice(0, key.indexOf(':'));
  if (!(CACHE_NAMESPACES as readonly string[]).includes(ns))
    throw new Error(`cache key "${key}" has no known namespace`);
  return ns as CacheNamespace;
}
