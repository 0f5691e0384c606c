import { commonEnv, int, port, storageEnv, z } from '@shortlist/config';

/** Gateway configuration, parsed once at start-up. */
export const GatewayEnv = z.object({
  ...commonEnv,
  ...storageEnv,
  HOST: z.string().default('127.0.0.1'),
  PORT: port(8080),
  /** Signs pagination cursors; set the same value on every replica. */
  CURSOR_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    .default('shortlist-dev-cursor-secret'),
  MAX_FILE_BYTES: int(10 * 1024 * 1024, 1),
  MAX_FILES_PER_BATCH: int(1_000, 1),
  MAX_BATCH_BYTES: int(512 * 1024 * 1024, 1),
  /** Number of proxies in front of the gateway whose X-Forwarded-For is trusted (0 = none). */
  TRUST_PROXY_HOPS: int(0, 0, 10),
  /** Built web app to serve at `/` (default: apps/web/dist when built; `off` disables). */
  WEB_DIR: z.string().optional(),
});
export type GatewayEnv = z.infer<typeof GatewayEnv>;
