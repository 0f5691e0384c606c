import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Options, type RateLimitInfo } from 'express-rate-limit';
import { RedisStore, type RedisReply } from 'rate-limit-redis';
import { AppError } from '@shortlist/contracts';
import type { Logger } from '@shortlist/observability';
import type { Redis } from '@shortlist/queue';
import type { Principal } from '../auth';

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

/**
 * rate-limit-redis sends `SCRIPT LOAD` once and keeps the promise: if Redis was away at that
 * moment the store would fail forever. Scripts are kept here instead, and `EVALSHA` falls back
 * to `EVAL` (which loads the script) whenever Redis does not know it.
 */
function sendCommandVia(redis: Redis) {
  const scripts = new Map<string, string>();
  return async (...args: string[]): Promise<RedisReply> => {
    try {
      if (args[0]?.toUpperCase() === 'SCRIPT' && args[1]?.toUpperCase() === 'LOAD') {
        const sha = createHash('sha1').update(args[2]!).digest('hex');
        scripts.set(sha, args[2]!);
        return sha;
      }
      if (args[0]?.toUpperCase() === 'EVALSHA') {
        const [, sha, ...rest] = args;
        try {
          return (await redis.call('EVALSHA', sha!, ...rest)) as RedisReply;
        } catch (error) {
          const script = scripts.get(sha!);
          if (!script || !/NOSCRIPT/.test(String(error))) throw error;
          return (await redis.call('EVAL', script, ...rest)) as RedisReply;
        }
      }
      return (await redis.call(args[0]!, ...args.slice(1))) as RedisReply;
    } catch (error) {
      throw redisDown(error);
    }
  };
}

export interface Limiters {
  /** Per client IP, before authentication (bounds password-guessing and floods). */
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
 * Rate limits shared by every replica through Redis (fixed windows): per IP, per credential and
 * route class, and the tenant's hourly resume quota. Responses carry `RateLimit-*` headers; a
 * 429 carries `Retry-After`. When Redis is down, reads go on unlimited and everything else
 * answers 503 at once.
 */
export function createLimiters(options: {
  redis: Redis;
  prefix: string;
  config?: Partial<RateLimitConfig>;
  logger: Logger;
}): Limiters {
  const config = { ...DEFAULT_RATE_LIMITS, ...options.config };
  const sendCommand = sendCommandVia(options.redis);
  const store = (name: string) =>
    new RedisStore({ sendCommand, prefix: `${options.prefix}:rl:${name}:` });
  const erlLogger = {
    error: (...args: unknown[]) =>
      options.logger.warn('rate limiter store unavailable; read allowed', {
        error: args[0] instanceof Error ? args[0].message : String(args[0]),
      }),
    warn: () => undefined,
  } as unknown as Options['logger'];

  const tooMany =
    (what: string, windowText: string): Options['handler'] =>
    (req, _res, next, opts) => {
      const info = (req as Request & { rateLimit?: RateLimitInfo }).rateLimit;
      const retryAfter = info?.resetTime
        ? Math.max(1, Math.ceil((info.resetTime.getTime() - Date.now()) / 1000))
        : Math.ceil(opts.windowMs / 1000);
      next(
        new AppError(
          'rate_limited',
          `Too many ${what}: the limit is ${info?.limit ?? '?'} per ${windowText}. Try again in ${retryAfter} s.`,
          { extra: { retryAfterSeconds: retryAfter, limit: info?.limit } },
        ),
      );
    };

  const common = {
    windowMs: MINUTE_MS,
    standardHeaders: 'draft-6' as const,
    legacyHeaders: false,
    // Not needed: `trust proxy` is set to a hop count, which is what this check asks for.
    validate: { trustProxy: false, xForwardedForHeader: false },
    logger: erlLogger,
  };

  const ipStore = store('ip');
  const perIp = rateLimit({
    ...common,
    limit: config.perIpPerMinute,
    store: ipStore,
    keyGenerator: (req) => ipKeyGenerator(req.ip ?? 'unknown'),
    handler: tooMany('requests from your address', 'minute'),
    passOnStoreError: false,
    skip: (req) => routeClassOf(req) === 'read' && options.redis.status !== 'ready',
  });

  const classLimit: Record<RouteClass, number> = {
    read: config.readsPerMinute,
    write: config.writesPerMinute,
    upload: config.uploadsPerMinute,
  };
  const classStores = Object.fromEntries(ROUTE_CLASSES.map((c) => [c, store(c)])) as Record<
    RouteClass,
    RedisStore
  >;
  const classLimiters = Object.fromEntries(
    ROUTE_CLASSES.map((cls) => [
      cls,
      rateLimit({
        ...common,
        limit: classLimit[cls],
        store: classStores[cls],
        keyGenerator: (_req, res) => credentialOf(res.locals.principal as Principal),
        handler: tooMany(
          cls === 'read' ? 'reads' : cls === 'upload' ? 'uploads' : 'changes',
          'minute',
        ),
        // Reading results must survive a Redis outage; the limits resume with Redis.
        passOnStoreError: cls === 'read',
      }),
    ]),
  ) as unknown as Record<RouteClass, RequestHandler>;
  const perKey: RequestHandler = (req, res, next) =>
    classLimiters[routeClassOf(req)](req, res, next);

  const quota = new ResumeQuota(options.redis, options.prefix, config.resumesPerHour);

  return {
    perIp,
    perKey,
    quota,
    config,
    async describe(req, principal) {
      const read = async (s: RedisStore, key: string) => {
        const info = await s.get(key).catch((error: unknown) => {
          throw redisDown(error);
        });
        return info ?? { totalHits: 0, resetTime: undefined };
      };
      const report = (
        name: string,
        scope: LimitReport['scope'],
        limit: number,
        used: { totalHits: number; resetTime?: Date | undefined },
      ): LimitReport => ({
        name,
        scope,
        limit,
        remaining: Math.max(0, limit - used.totalHits),
        windowSeconds: 60,
        resetAt: used.resetTime ? used.resetTime.toISOString() : null,
      });
      const ip = ipKeyGenerator(req.ip ?? 'unknown');
      const reports = [report('ip', 'ip', config.perIpPerMinute, await read(ipStore, ip))];
      for (const cls of ROUTE_CLASSES)
        reports.push(
          report(
            cls,
            'key',
            classLimit[cls],
            await read(classStores[cls], credentialOf(principal)),
          ),
        );
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
