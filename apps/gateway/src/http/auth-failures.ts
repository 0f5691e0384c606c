import type { Request } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { AppError } from '@shortlist/contracts';
import type { Logger } from '@shortlist/observability';
import type { Redis } from '@shortlist/queue';

export interface AuthFailureConfig {
  /** Rejected credentials one client address may send per window before it is locked out. */
  maxFailures: number;
  windowSeconds: number;
}

export const DEFAULT_AUTH_FAILURES: AuthFailureConfig = { maxFailures: 20, windowSeconds: 900 };

/**
 * Slows down guessing of API keys: every rejected credential counts against the client address
 * (in Redis, shared by every replica), and an address over the limit gets 429 before its
 * credential is even looked at. Failures are logged with the address and count, never the key.
 * When Redis is down the check is skipped: the credential is still verified as usual.
 */
export class AuthFailureLimiter {
  readonly config: AuthFailureConfig;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    config: Partial<AuthFailureConfig> = {},
  ) {
    this.config = { ...DEFAULT_AUTH_FAILURES, ...config };
  }

  private key(req: Request): string {
    return `${this.prefix}:authfail:${ipKeyGenerator(req.ip ?? 'unknown')}`;
  }

  /** Throws 429 when the caller's address has failed too often in the current window. */
  async check(req: Request): Promise<void> {
    const key = this.key(req);
    let ttl: number;
    try {
      // Every authenticated request pays this GET, so it is one plain command; the TTL is only
      // asked for when the address is actually locked out.
      const failures = Number((await this.redis.get(key)) ?? 0);
      if (failures < this.config.maxFailures) return;
      ttl = await this.redis.ttl(key);
    } catch {
      return;
    }
    const retryAfter = Math.max(1, ttl > 0 ? ttl : this.config.windowSeconds);
    throw new AppError(
      'rate_limited',
      `Too many rejected credentials from your address; try again in ${retryAfter} s.`,
      { field: 'authorization', extra: { retryAfterSeconds: retryAfter } },
    );
  }

  /** Counts a rejected credential and logs it (address and count only). */
  async fail(req: Request, logger: Logger | undefined, why: string): Promise<void> {
    let failures = 0;
    try {
      const key = this.key(req);
      failures = await this.redis.incr(key);
      if (failures === 1) await this.redis.expire(key, this.config.windowSeconds);
    } catch {
      /* Redis down: the failure is still logged below */
    }
    logger?.warn('credential rejected', {
      ip: req.ip,
      why,
      failures,
      lockedOut: failures >= this.config.maxFailures,
    });
  }
}
