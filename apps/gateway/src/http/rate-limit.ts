import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { AppError } from '@shortlist/contracts';
import type { Logger } from '@shortlist/observability';
import type { Redis } from '@shortlist/queue';
import type { Principal } from '../auth';
import { authFailureKey, type KnownAuthFailures } from './auth-failures';

export interface RateLimitConfig {
  perIpPerMinute: number;
  readsPerMinute: number;
  writesPerMinute: number;
  uploadsPerMinute: number;
  /** Resumes a tenant may upload per hour. */
  resumesPerHour: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  perIpPerMinute: 1_200,
  readsPerMinute: 600,
  writesPerMinute: 120,
  uploadsPerMinute: 30,
  resumesPerHour: 5_000,
};

/** Route classes: uploads cost far more than reads, so each class has its own budget. */
export type RouteClass = 'read' | 'write' | 'upload';
export const ROUTE_CLASSES: readonly RouteClass[] = ['read', 'write', 'upload'];

const MINUTE_MS = 60_000;
const HOUR_S = 3_600;

export function routeClassOf(req: Request): RouteClass {
  if (
    req.method === 'POST' &&
    /^\/v1\/jobs\/[^/]+\/batches\/?$/.test(req.originalUrl.split('?')[0]!)
  )
    return 'upload';
  if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return 'read';
  return 'write';
}

function redisDown(cause: unknown): AppError {
  return new AppError(
    'unavailable',
    'Rate limits cannot be checked right now; try again shortly.',
    {
      cause,
      extra: { retryAfterSeconds: 2 },
    },
  );
}

// One fixed window per key: counts this hit and returns {hits, ms left in the window}. With a
// second key it also returns that address's rejected-credential count and seconds left, so the
// address check and the lock-out check before authentication cost one round trip together.
const HIT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
local left = redis.call('PTTL', KEYS[1])
if left <= 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
if KEYS[2] then
  return {hits, left, tonumber(redis.call('GET', KEYS[2]) or '0'), redis.call('TTL', KEYS[2])}
end
return {hits, left}
`;

export interface Limiters {
  /**
   * Per client IP, before authentication (bounds password-guessing and floods). It also reads
   * the address's rejected-credential count in the same round trip, for `requireAuth`.
   */
  perIp: RequestHandler;
  /** Per credential and route class, after authentication. */
  perKey: RequestHandler;
  /** What the caller may still do, for `GET /v1/rate-limit`. */
  describe(req: Request, principal: Principal): Promise<LimitReport[]>;
  quota: ResumeQuota;
  config: RateLimitConfig;
}

export interface LimitReport {
  name: string;
  scope: 'ip' | 'key' | 'tenant';
  limit: number;
  remaining: number;
  windowSeconds: number;
  resetAt: string | null;
}

const credentialOf = (p: Principal) => p.keyId ?? `user:${p.userId}`;

/**
 * Rate limits shared by every replica through Redis (fixed windows of a minute): per IP, per
 * credential and route class, and the tenant's hourly resume quota. Each limit is one script
 * call (a request makes two: its address before authentication, its credential after).
 * Responses carry `RateLimit-*` headers (IETF draft 6); a 429 carries `Retry-After`. When Redis
 * is down, reads go on unlimited and everything else answers 503 at once.
 */
export function createLimiters(options: {
  redis: Redis;
  prefix: string;
  config?: Partial<RateLimitConfig>;
  logger: Logger;
  /** Prefix of the rejected-credential counters to read along with the address limit. */
  authFailures?: boolean;
}): Limiters {
  const config = { ...DEFAULT_RATE_LIMITS, ...options.config };
  const redis = options.redis;
  const keyOf = (name: string, key: string) => `${options.prefix}:rl:${name}:${key}`;
  let lastWarned = 0;
  const readAllowed = (error: unknown) => {
    if (Date.now() - lastWarned < 5_000) return;
    lastWarned = Date.now();
    options.logger.warn('rate limiter store unavailable; read allowed', {
      error: error instanceof Error ? error.message : String(error),
    });
  };

  const hit = async (keys: string[]): Promise<number[]> =>
    (await redis.eval(HIT_SCRIPT, keys.length, ...keys, String(MINUTE_MS))) as number[];

  /** Sets the draft-6 headers, and throws 429 when this hit went over `limit`. */
  const enforce = (
    res: Response,
    limit: number,
    hits: number,
    msLeft: number,
    what: string,
  ): void => {
    const resetSeconds = Math.max(1, Math.ceil(msLeft / 1000));
    res.setHeader('RateLimit-Policy', `${limit};w=${MINUTE_MS / 1000}`);
    res.setHeader('RateLimit-Limit', String(limit));
    res.setHeader('RateLimit-Remaining', String(Math.max(0, limit - hits)));
    res.setHeader('RateLimit-Reset', String(resetSeconds));
    if (hits > limit)
      throw new AppError(
        'rate_limited',
        `Too many ${what}: the limit is ${limit} per minute. Try again in ${resetSeconds} s.`,
        { extra: { retryAfterSeconds: resetSeconds, limit } },
      );
  };

  const perIp: RequestHandler = async (req, res, next) => {
    const ip = ipKeyGenerator(req.ip ?? 'unknown');
    const read = routeClassOf(req) === 'read';
    if (read && redis.status !== 'ready') return next();
    const keys = [keyOf('ip', ip)];
    if (options.authFailures) keys.push(authFailureKey(options.prefix, ip));
    let reply: number[];
    try {
      reply = await hit(keys);
    } catch (error) {
      if (read) {
        readAllowed(error);
        return next();
      }
      throw redisDown(error);
    }
    const [hits = 0, msLeft = 0, failures, failuresTtl] = reply;
    if (failures !== undefined)
      res.locals.authFailures = { failures, ttl: failuresTtl ?? -1 } satisfies KnownAuthFailures;
    enforce(res, config.perIpPerMinute, hits, msLeft, 'requests from your address');
    next();
  };

  const classLimit: Record<RouteClass, number> = {
    read: config.readsPerMinute,
    write: config.writesPerMinute,
    upload: config.uploadsPerMinute,
  };
  const classWhat: Record<RouteClass, string> = {
    read: 'reads',
    write: 'changes',
    upload: 'uploads',
  };
  const perKey: RequestHandler = async (req, res, next) => {
    const cls = routeClassOf(req);
    let reply: number[];
    try {
      reply = await hit([keyOf(cls, credentialOf(res.locals.principal as Principal))]);
    } catch (error) {
      // Reading results must survive a Redis outage; the limits resume with Redis.
      if (cls === 'read') {
        readAllowed(error);
        return next();
      }
      throw redisDown(error);
    }
    const [hits = 0, msLeft = 0] = reply;
    enforce(res, classLimit[cls], hits, msLeft, classWhat[cls]);
    next();
  };

  const quota = new ResumeQuota(redis, options.prefix, config.resumesPerHour);

  return {
    perIp,
    perKey,
    quota,
    config,
    async describe(req, principal) {
      const names: [name: string, key: string, limit: number, scope: LimitReport['scope']][] = [
        ['ip', keyOf('ip', ipKeyGenerator(req.ip ?? 'unknown')), config.perIpPerMinute, 'ip'],
        ...ROUTE_CLASSES.map(
          (cls) =>
            [cls, keyOf(cls, credentialOf(principal)), classLimit[cls], 'key'] as [
              string,
              string,
              number,
              LimitReport['scope'],
            ],
        ),
      ];
      let replies: [Error | null, unknown][];
      try {
        const pipeline = redis.pipeline();
        for (const [, key] of names) pipeline.get(key).pttl(key);
        replies = (await pipeline.exec()) ?? [];
      } catch (error) {
        throw redisDown(error);
      }
      const failed = replies.find(([error]) => error);
      if (failed) throw redisDown(failed[0]);
      const reports = names.map(([name, , limit, scope], i): LimitReport => {
        const used = Number(replies[2 * i]?.[1] ?? 0);
        const msLeft = Number(replies[2 * i + 1]?.[1] ?? -2);
        return {
          name,
          scope,
          limit,
          remaining: Math.max(0, limit - used),
          windowSeconds: 60,
          resetAt: msLeft > 0 ? new Date(Date.now() + msLeft).toISOString() : null,
        };
      });
      const q = await quota.peek(principal.userId);
      reports.push({
        name: 'resumes',
        scope: 'tenant',
        limit: q.limit,
        remaining: q.remaining,
        windowSeconds: HOUR_S,
        resetAt: q.resetAt,
      });
      return reports;
    },
  };
}

// Reserves `n` resumes if they fit in what remains of the window; returns {granted, used}.
const RESERVE_SCRIPT = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local n, limit = tonumber(ARGV[1]), tonumber(ARGV[2])
if used + n > limit then return {0, used} end
used = redis.call('INCRBY', KEYS[1], n)
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {1, used}
`;

export interface QuotaState {
  limit: number;
  remaining: number;
  resetAt: string;
}

/**
 * The tenant's resumes-per-hour quota: a fixed hourly window counted in resumes, shared by all
 * replicas. Uploads reserve resumes as files arrive and give back what was not accepted.
 */
export class ResumeQuota {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly limit: number,
  ) {}

  private window(now = Date.now()) {
    const start = Math.floor(now / 1000 / HOUR_S) * HOUR_S;
    return { start, resetAt: new Date((start + HOUR_S) * 1000) };
  }

  private key(userId: string, start: number) {
    return `${this.prefix}:quota:resumes:${userId}:${start}`;
  }

  async peek(userId: string): Promise<QuotaState> {
    const { start, resetAt } = this.window();
    let used: number;
    try {
      used = Number((await this.redis.get(this.key(userId, start))) ?? 0);
    } catch (error) {
      throw redisDown(error);
    }
    return {
      limit: this.limit,
      remaining: Math.max(0, this.limit - used),
      resetAt: resetAt.toISOString(),
    };
  }

  /** A ticket against the current hour's window, for one request to take resumes from. */
  ticket(userId: string): QuotaTicket {
    const { start, resetAt } = this.window();
    return new QuotaTicket(this.redis, this.key(userId, start), this.limit, resetAt);
  }
}

/**
 * Resumes taken by one request. `take` reserves more or throws 429 naming how many the tenant
 * had left before this request; `giveBack` returns those that were not accepted.
 */
export class QuotaTicket {
  taken = 0;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly limit: number,
    private readonly resetAt: Date,
  ) {}

  async take(n: number): Promise<void> {
    let reply: [number, number];
    try {
      reply = (await this.redis.eval(
        RESERVE_SCRIPT,
        1,
        this.key,
        String(n),
        String(this.limit),
        String(HOUR_S + 60),
      )) as [number, number];
    } catch (error) {
      throw redisDown(error);
    }
    const [granted, used] = reply;
    if (granted === 1) {
      this.taken += n;
      return;
    }
    const remaining = Math.max(0, this.limit - used) + this.taken;
    const retryAfter = Math.max(1, Math.ceil((this.resetAt.getTime() - Date.now()) / 1000));
    const reset = this.resetAt.toISOString();
    throw new AppError(
      'rate_limited',
      `Your hourly quota allows ${remaining} more resume${remaining === 1 ? '' : 's'} and this batch has more. Send at most ${remaining}, or wait until ${reset}.`,
      {
        field: 'files',
        extra: { retryAfterSeconds: retryAfter, remaining, limit: this.limit, resetAt: reset },
      },
    );
  }

  async giveBack(n = this.taken): Promise<void> {
    const give = Math.min(n, this.taken);
    if (give <= 0) return;
    this.taken -= give;
    await this.redis.decrby(this.key, give).catch(() => undefined);
  }
}
