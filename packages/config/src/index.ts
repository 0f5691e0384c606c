import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** Thrown by {@link parseEnv}; its message lists every bad variable by name. */
export class EnvError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(`Invalid environment:\n${issues.map((i) => `  ${i.variable}: ${i.message}`).join('\n')}`);
    this.name = 'EnvError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Parses `env` with a zod object schema whose keys are variable names. Empty strings count as
 * unset, so `FOO=` falls back to the default instead of failing a number or URL check. Any
 * variable may instead be read from a file named by `<NAME>_FILE` (for secrets); the variable
 * itself wins when both are set. Schemas
 * that include {@link storageEnv} also get its cross-variable rules checked.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: Env = process.env): z.infer<S> {
  const cleaned: Env = {};
  const fileIssues: { variable: string; message: string }[] = [];
  for (const key of Object.keys(schema.shape)) {
    let value = env[key];
    // Secrets may come from files (Docker/Kubernetes secrets): FOO_FILE=/run/secrets/foo.
    const file = env[`${key}_FILE`];
    if ((value === undefined || value.trim() === '') && file && file.trim() !== '') {
      try {
        value = readFileSync(file.trim(), 'utf8');
      } catch (error) {
        fileIssues.push({
          variable: `${key}_FILE`,
          message: `cannot read ${file.trim()} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        });
        continue;
      }
    }
    if (value !== undefined && value.trim() !== '') cleaned[key] = value.trim();
  }
  if (fileIssues.length > 0) throw new EnvError(fileIssues);
  const result = schema.safeParse(cleaned);
  if (result.success) {
    const issues = 'STORE' in schema.shape ? storageIssues(result.data) : [];
    if (issues.length === 0) return result.data;
    throw new EnvError(issues);
  }
  throw new EnvError(
    result.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? '(env)'),
      message: issue.message,
    })),
  );
}

/**
 * {@link parseEnv} for process start-up: on a bad value, prints which variable is wrong and exits
 * with status 78 (EX_CONFIG) before anything connects anywhere.
 */
export function loadEnv<S extends z.ZodObject>(schema: S, env: Env = process.env): z.infer<S> {
  try {
    return parseEnv(schema, env);
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
}

/** `true/false/1/0/yes/no/on/off`, anything else is an error (no JavaScript truthiness). */
export function bool(defaultValue: boolean) {
  return z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], {
      error: 'must be one of true, false, 1, 0, yes, no, on, off',
    })
    .default(defaultValue ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes' || v === 'on');
}

/** An integer within bounds, from its decimal string. */
export function int(defaultValue: number, min = 0, max = Number.MAX_SAFE_INTEGER) {
  return z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`)
    .default(defaultValue);
}

/** A TCP port; 0 asks the OS for a free one. */
export function port(defaultValue: number) {
  return int(defaultValue, 0, 65_535);
}

/** A URL whose scheme is one of `protocols` (without the colon). */
export function url(defaultValue: string | undefined, protocols: string[]) {
  const base = z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol.replace(/:$/, ''));
      } catch {
        return false;
      }
    },
    { message: `must be a URL starting with ${protocols.map((p) => `${p}://`).join(' or ')}` },
  );
  return defaultValue === undefined ? base : base.default(defaultValue);
}

/** Settings every process shares: logging, Redis and the key prefix that isolates deployments. */
export const commonEnv = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'http', 'debug']).default('info'),
  REDIS_URL: url('redis://127.0.0.1:6379', ['redis', 'rediss']),
  /** Prefix of every Redis key and BullMQ queue: two deployments can share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]{1,32}$/, 'letters, digits, - and _ only (max 32)')
    .default('shortlist'),
  /** Where the embedded defaults (SQLite file, blob folder, outbox) live. */
  DATA_DIR: z.string().default('./data'),
};

/** `host:port`, as emulator variables are written. */
function hostPort() {
  return z
    .string()
    .regex(
      /^[A-Za-z0-9.-]+:\d{1,5}$|^\[[0-9a-fA-F:]+\]:\d{1,5}$/,
      'must be host:port, e.g. 127.0.0.1:8080',
    );
}

/**
 * Which store and blob backends to use, and how to reach them. The embedded defaults (SQLite file,
 * local folder) need no account; `STORE=firestore` and `BLOBS=s3` are for scaled-out deployments.
 * Cross-variable rules (e.g. `S3_BUCKET` required with `BLOBS=s3`) are checked by {@link parseEnv}.
 */
export const storageEnv = {
  STORE: z.enum(['sqlite', 'firestore']).default('sqlite'),
  SQLITE_PATH: z.string().optional(),
  /** Google Cloud project of the Firestore database; required with `STORE=firestore`. */
  FIRESTORE_PROJECT_ID: z
    .string()
    .regex(
      /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/,
      'must be a project id: 6-30 lower-case letters, digits or hyphens, starting with a letter',
    )
    .optional(),
  FIRESTORE_DATABASE_ID: z
    .string()
    .regex(/^\(default\)$|^[a-z][a-z0-9-]{2,61}[a-z0-9]$/, 'must be (default) or a database id')
    .default('(default)'),
  /** `host:port` of a Firestore emulator; when set, no credentials are used. */
  FIRESTORE_EMULATOR_HOST: hostPort().optional(),
  /** Service-account JSON key file; unset means Application Default Credentials. */
  FIRESTORE_CREDENTIALS_FILE: z.string().optional(),
  BLOBS: z.enum(['local', 's3']).default('local'),
  BLOBS_DIR: z.string().optional(),
  /** Bucket for uploaded files; required with `BLOBS=s3`. */
  S3_BUCKET: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'must be a bucket name: 3-63 lower-case letters, digits, dots or hyphens',
    )
    .optional(),
  S3_REGION: z
    .string()
    .regex(/^[a-z0-9-]{2,32}$/, 'must be a region such as us-east-1')
    .default('us-east-1'),
  /** S3-compatible endpoint (MinIO, R2, s3rver...); unset means AWS. */
  S3_ENDPOINT: url(undefined, ['http', 'https']).optional(),
  /** Path-style URLs (`endpoint/bucket/key`); most S3-compatible servers need it. */
  S3_FORCE_PATH_STYLE: bool(false),
  /** Static keys; unset means the AWS default chain (AWS_* variables, profile, instance role). */
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** Prefix of every object key, so deployments can share a bucket, e.g. `shortlist/`. */
  S3_PREFIX: z
    .string()
    .regex(
      /^((?!\.{1,2}\/)[A-Za-z0-9_.-]+\/)*$/,
      'must be folder-like, e.g. shortlist/ (each part ends in /)',
    )
    .default(''),
  /** Multipart part size in MiB (S3's minimum is 5). */
  S3_PART_SIZE_MB: int(5, 5, 5_000),
  /** Parts uploaded in parallel per file; each adds about two parts of memory. */
  S3_UPLOAD_CONCURRENCY: int(1, 1, 16),
};

/** The parsed storage variables, as every app's env holds them. */
export type StorageEnv = z.infer<z.ZodObject<typeof storageEnv>>;

/** Rules across storage variables; each names the variable to fix. */
function storageIssues(env: Record<string, unknown>): { variable: string; message: string }[] {
  const issues: { variable: string; message: string }[] = [];
  if (env.STORE === 'firestore' && !env.FIRESTORE_PROJECT_ID)
    issues.push({ variable: 'FIRESTORE_PROJECT_ID', message: 'is required when STORE=firestore' });
  if (env.BLOBS === 's3' && !env.S3_BUCKET)
    issues.push({ variable: 'S3_BUCKET', message: 'is required when BLOBS=s3' });
  if (Boolean(env.S3_ACCESS_KEY_ID) !== Boolean(env.S3_SECRET_ACCESS_KEY))
    issues.push({
      variable: env.S3_ACCESS_KEY_ID ? 'S3_SECRET_ACCESS_KEY' : 'S3_ACCESS_KEY_ID',
      message: 'set both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY, or neither',
    });
  return issues;
}

export { z };
