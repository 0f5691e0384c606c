import { scoringEnv } from '@shortlist/analysis';
import { bool, commonEnv, int, port, storageEnv, url, z } from '@shortlist/config';
import { parseRetentionByTenant } from './retention';

const list = z
  .string()
  .default('')
  .transform((v) =>
    v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );

/** Gateway configuration, parsed once at start-up. */
export const GatewayEnv = z
  .object({
    ...commonEnv,
    ...storageEnv,
    /** The model for personal notes in emails (`SCORER=openai`), as the resume workers use it. */
    ...scoringEnv,
    HOST: z.string().default('127.0.0.1'),
    PORT: port(8080),
    /** Signs pagination cursors; set the same value on every replica. */
    CURSOR_SECRET: z
      .string()
      .min(16, 'must be at least 16 characters')
      .default('shortlist-dev-cursor-secret'),
    /** Signs candidates' unsubscribe links; set the same value on every replica, never change it. */
    UNSUBSCRIBE_SECRET: z
      .string()
      .min(16, 'must be at least 16 characters')
      .default('shortlist-dev-unsubscribe-secret'),
    /**
     * Fill the company name, signature and reply-to a tenant has not set in its email settings from
     * each job's description (read once per description and cached; the model with SCORER=openai).
     */
    COMPANY_INFO_FROM_JOB: bool(true),
    /** Public address of the gateway for links in emails (default: the address of the request). */
    PUBLIC_URL: url(undefined, ['http', 'https']).optional(),
    MAX_FILE_BYTES: int(10 * 1024 * 1024, 1),
    MAX_FILES_PER_BATCH: int(1_000, 1),
    MAX_BATCH_BYTES: int(512 * 1024 * 1024, 1),
    /** Number of proxies in front of the gateway whose X-Forwarded-For is trusted (0 = none). */
    TRUST_PROXY_HOPS: int(0, 0, 10),
    /** Built web app to serve at `/` (default: apps/web/dist when built; `off` disables). */
    WEB_DIR: z.string().optional(),
    /** `apikey`: API keys only. `firebase`: Firebase ID tokens too (API keys keep working). */
    AUTH_MODE: z.enum(['apikey', 'firebase']).default('apikey'),
    /** Firebase project whose ID tokens are accepted (AUTH_MODE=firebase). */
    FIREBASE_PROJECT_ID: z.string().optional(),
    /** Browser origins allowed to call the API cross-origin, comma-separated (empty = same-origin only). */
    CORS_ORIGINS: list,
    RATE_LIMIT_PER_IP_PER_MINUTE: int(1_200, 1),
    RATE_LIMIT_READS_PER_MINUTE: int(600, 1),
    RATE_LIMIT_WRITES_PER_MINUTE: int(120, 1),
    RATE_LIMIT_UPLOADS_PER_MINUTE: int(30, 1),
    /** Resumes a tenant may upload per hour (counted in resumes, not requests). */
    QUOTA_RESUMES_PER_HOUR: int(5_000, 1),
    /** Rejected credentials one address may send per window before it gets 429 (brute force). */
    AUTH_FAILURES_PER_IP: int(20, 1),
    AUTH_FAILURE_WINDOW_SECONDS: int(900, 1),
    /** Largest JSON body (bytes) and deepest nesting accepted. */
    JSON_MAX_BYTES: int(5 * 1024 * 1024, 1_024),
    JSON_MAX_DEPTH: int(32, 2, 1_000),
    /** Time a client has for its request headers, and for a whole request (slow clients), in ms. */
    HEADERS_TIMEOUT_MS: int(20_000, 1_000),
    REQUEST_TIMEOUT_MS: int(300_000, 1_000),
    /** Days resumes and emails are kept before the retention sweep erases them (0 = keep). */
    RETENTION_DAYS: int(0, 0, 36_500),
    /** Per-tenant retention, `userId=days,...`; overrides RETENTION_DAYS for those tenants. */
    RETENTION_DAYS_BY_TENANT: z.string().default(''),
    /** Minutes between retention sweeps (one replica sweeps per interval). */
    RETENTION_INTERVAL_MINUTES: int(60, 1, 10_080),
    /** How long shutdown waits for in-flight requests and uploads before closing them (ms). */
    SHUTDOWN_GRACE_MS: int(20_000, 0),
    /**
     * After SIGTERM, how long /readyz answers 503 while requests are still accepted, so a load
     * balancer that polls readiness stops routing here first (ms; 0 = close the listener at once).
     */
    SHUTDOWN_READINESS_DELAY_MS: int(0, 0, 60_000),
  })
  .superRefine((env, ctx) => {
    try {
      parseRetentionByTenant(env.RETENTION_DAYS_BY_TENANT);
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        path: ['RETENTION_DAYS_BY_TENANT'],
        message: (error as Error).message,
      });
    }
    if (env.AUTH_MODE === 'firebase' && !env.FIREBASE_PROJECT_ID)
      ctx.addIssue({
        code: 'custom',
        path: ['FIREBASE_PROJECT_ID'],
        message: 'is required when AUTH_MODE=firebase',
      });
  });
export type GatewayEnv = z.infer<typeof GatewayEnv>;
