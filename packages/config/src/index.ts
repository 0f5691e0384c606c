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
 * unset, so `FOO=` falls back to the default instead of failing a number or URL check.
 */
export function parseEnv<S extends z.ZodObject>(schema: S, env: Env = process.env): z.infer<S> {
  const cleaned: Env = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '') cleaned[key] = value.trim();
  }
  const result = schema.safeParse(cleaned);
  if (result.success) return result.data;
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

/** Which store and blob backends to use; the embedded defaults need no account. */
export const storageEnv = {
  STORE: z.enum(['sqlite', 'firestore']).default('sqlite'),
  SQLITE_PATH: z.string().optional(),
  BLOBS: z.enum(['local', 's3']).default('local'),
  BLOBS_DIR: z.string().optional(),
};

export { z };
