import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  CACHE_NAMESPACES,
  inScope,
  invalidationPatterns,
  namespaceOf,
  type CacheNamespace,
  type InvalidationScope,
} from './keys';

/** How long entries of a namespace live and how many bytes (keys + values) they may use. */
export interface NamespacePolicy {
  ttlSeconds: number;
  maxBytes: number;
}

export const DEFAULT_POLICIES: Record<CacheNamespace, NamespacePolicy> = {
  analysis: { ttlSeconds: 30 * 24 * 3600, maxBytes: 256 * 1024 * 1024 },
  criteria: { ttlSeconds: 30 * 24 * 3600, maxBytes: 16 * 1024 * 1024 },
  job: { ttlSeconds: 7 * 24 * 3600, maxBytes: 16 * 1024 * 1024 },
  note: { ttlSeconds: 30 * 24 * 3600, maxBytes: 32 * 1024 * 1024 },
  company: { ttlSeconds: 30 * 24 * 3600, maxBytes: 4 * 1024 * 1024 },
};

export interface RedisCacheOptions {
  redis: Redis;
  /** Deployment prefix (`REDIS_PREFIX`); cache keys live under `<prefix>:cache:`. */
  prefix: string;
  policies?: Partial<Record<CacheNamespace, Partial<NamespacePolicy>>>;
  /** Lease of the in-flight lock; renewed while the computation runs (ms). */
  lockTtlMs?: number;
  /** Longest pause between two looks at a key another process is computing (ms). */
  maxPollMs?: number;
  now?: () => number;
}

/** Counters of one namespace, shared by every process using the same Redis and prefix. */
export interface NamespaceStats {
  hits: number;
  misses: number;
  /** Lookups that waited for another caller computing the same key, then used its result. */
  shared: number;
  /** Misses answered by an earlier analysis of the same candidate's near-identical resume. */
  similar: number;
  evictions: number;
  bytes: number;
  entries: number;
  maxBytes: number;
  ttlSeconds: number;
}

/** Where a value returned by {@link RedisCache.getOrCompute} came from. */
export type CacheSource = 'hit' | 'computed' | 'shared';

// Sets a value, records its size, drops entries older than the TTL from the books, then evicts
// the least recently used entries while the namespace is over its byte budget. With a fifth key
// (a computation's lock) it also counts ARGV[6] and releases the lock if ARGV[7] still holds it.
const SET_SCRIPT = `
local key, lru, sizes, stats = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local value, ttl, now, maxBytes, ns = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), ARGV[5]
local old = tonumber(redis.call('HGET', sizes, key) or '0')
local size = string.len(value) + string.len(key)
redis.call('SET', key, value, 'PX', ttl)
redis.call('ZADD', lru, now, key)
redis.call('HSET', sizes, key, size)
local bytes = redis.call('HINCRBY', stats, ns .. ':bytes', size - old)
redis.call('HSET', stats, ns .. ':maxBytes', maxBytes, ns .. ':ttlSeconds', math.floor(ttl / 1000))
local expired = redis.call('ZRANGEBYSCORE', lru, '-inf', now - ttl, 'LIMIT', 0, 200)
for _, k in ipairs(expired) do
  local s = tonumber(redis.call('HGET', sizes, k) or '0')
  redis.call('ZREM', lru, k)
  redis.call('HDEL', sizes, k)
  bytes = redis.call('HINCRBY', stats, ns .. ':bytes', -s)
end
local evicted = 0
while bytes > maxBytes do
  local victim = redis.call('ZRANGE', lru, 0, 0)[1]
  if not victim or victim == key then break end
  local s = tonumber(redis.call('HGET', sizes, victim) or '0')
  redis.call('DEL', victim)
  redis.call('ZREM', lru, victim)
  redis.call('HDEL', sizes, victim)
  bytes = redis.call('HINCRBY', stats, ns .. ':bytes', -s)
  evicted = evicted + 1
end
if evicted > 0 then redis.call('HINCRBY', stats, ns .. ':evictions', evicted) end
if #KEYS >= 5 then
  redis.call('HINCRBY', stats, ns .. ':' .. ARGV[6], 1)
  if redis.call('GET', KEYS[5]) == ARGV[7] then redis.call('DEL', KEYS[5]) end
end
return evicted
`;

// Reads a value; a hit slides its expiry and marks it recently used. With a third key (the
// stats), counts ARGV[3] on a hit and ARGV[4] on a miss (fields; empty = not counted).
const GET_SCRIPT = `
local value = redis.call('GET', KEYS[1])
if value then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  redis.call('ZADD', KEYS[2], 'XX', ARGV[2], KEYS[1])
end
if KEYS[3] then
  local field = value and ARGV[3] or ARGV[4]
  if field ~= '' then redis.call('HINCRBY', KEYS[3], field, 1) end
end
return value
`;

// A computation's first step in one round trip: the value if it is there (counting ARGV[3] and
// marking it used, as GET_SCRIPT), else the computation's lock (KEYS[4]) if nobody holds it.
// Returns the value, 1 when the lock was taken, 0 when another caller holds it.
const READ_OR_LOCK_SCRIPT = `
local value = redis.call('GET', KEYS[1])
if value then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  redis.call('ZADD', KEYS[2], 'XX', ARGV[2], KEYS[1])
  redis.call('HINCRBY', KEYS[3], ARGV[3], 1)
  return value
end
if redis.call('SET', KEYS[4], ARGV[4], 'PX', ARGV[5], 'NX') then return 1 end
return 0
`;

// Deletes entries and keeps the books (sizes, bytes, LRU) right.
const DELETE_SCRIPT = `
local lru, sizes, stats, ns = KEYS[1], KEYS[2], KEYS[3], ARGV[1]
local deleted = 0
for i = 2, #ARGV do
  local k = ARGV[i]
  local s = tonumber(redis.call('HGET', sizes, k) or '0')
  deleted = deleted + redis.call('DEL', k)
  redis.call('ZREM', lru, k)
  redis.call('HDEL', sizes, k)
  if s > 0 then redis.call('HINCRBY', stats, ns .. ':bytes', -s) end
end
return deleted
`;

// Drops entries set longer than a TTL ago (expired by Redis) from the books.
const SWEEP_SCRIPT = `
local lru, sizes, stats, ns = KEYS[1], KEYS[2], KEYS[3], ARGV[1]
local expired = redis.call('ZRANGEBYSCORE', lru, '-inf', tonumber(ARGV[2]), 'LIMIT', 0, 10000)
for _, k in ipairs(expired) do
  local s = tonumber(redis.call('HGET', sizes, k) or '0')
  redis.call('ZREM', lru, k)
  redis.call('HDEL', sizes, k)
  redis.call('HINCRBY', stats, ns .. ':bytes', -s)
end
return #expired
`;

const RENEW_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

type ScriptedRedis = Redis & {
  shortlistCacheSet(...args: (string | number)[]): Promise<number>;
  shortlistCacheFill(...args: (string | number)[]): Promise<number>;
  shortlistCacheGet(...args: (string | number)[]): Promise<string | null>;
  shortlistCacheGetCounted(...args: (string | number)[]): Promise<string | null>;
  shortlistCacheReadOrLock(...args: (string | number)[]): Promise<string | number>;
  shortlistCacheDelete(...args: (string | number)[]): Promise<number>;
  shortlistCacheSweep(...args: (string | number)[]): Promise<number>;
  shortlistCacheRenew(...args: (string | number)[]): Promise<number>;
  shortlistCacheRelease(...args: (string | number)[]): Promise<number>;
};

function withScripts(redis: Redis): ScriptedRedis {
  const r = redis as ScriptedRedis;
  if (typeof r.shortlistCacheSet !== 'function') {
    redis.defineCommand('shortlistCacheSet', { numberOfKeys: 4, lua: SET_SCRIPT });
    redis.defineCommand('shortlistCacheFill', { numberOfKeys: 5, lua: SET_SCRIPT });
    redis.defineCommand('shortlistCacheGet', { numberOfKeys: 2, lua: GET_SCRIPT });
    redis.defineCommand('shortlistCacheGetCounted', { numberOfKeys: 3, lua: GET_SCRIPT });
    redis.defineCommand('shortlistCacheReadOrLock', { numberOfKeys: 4, lua: READ_OR_LOCK_SCRIPT });
    redis.defineCommand('shortlistCacheDelete', { numberOfKeys: 3, lua: DELETE_SCRIPT });
    redis.defineCommand('shortlistCacheSweep', { numberOfKeys: 3, lua: SWEEP_SCRIPT });
    redis.defineCommand('shortlistCacheRenew', { numberOfKeys: 1, lua: RENEW_SCRIPT });
    redis.defineCommand('shortlistCacheRelease', { numberOfKeys: 1, lua: RELEASE_SCRIPT });
  }
  return r;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The hash of `<namespace>:<counter>` fields that {@link RedisCache.stats} reports. */
export function cacheStatsKey(prefix: string): string {
  return `${prefix}:cachemeta:stats`;
}

/**
 * A JSON cache in Redis shared by every process of a deployment. Keys are relative keys from the
 * builders in `keys.ts` (`analysis:...`), so the namespace, TTL and byte budget follow from the
 * key. `getOrCompute` makes concurrent callers of one key, in any process, compute it once.
 *
 * Entries of a namespace share one TTL, so an entry set longer than a TTL ago has expired; the
 * bookkeeping (LRU set, sizes) relies on that.
 */
export class RedisCache {
  private readonly redis: ScriptedRedis;
  private readonly policies: Record<CacheNamespace, NamespacePolicy>;
  private readonly lockTtlMs: number;
  private readonly maxPollMs: number;
  private readonly now: () => number;
  private readonly local = new Map<string, Promise<{ value: unknown; source: CacheSource }>>();
  private sequence = 0;

  constructor(private readonly options: RedisCacheOptions) {
    this.redis = withScripts(options.redis);
    this.policies = Object.fromEntries(
      CACHE_NAMESPACES.map((ns) => [ns, { ...DEFAULT_POLICIES[ns], ...options.policies?.[ns] }]),
    ) as Record<CacheNamespace, NamespacePolicy>;
    this.lockTtlMs = options.lockTtlMs ?? 30_000;
    this.maxPollMs = options.maxPollMs ?? 200;
    this.now = options.now ?? Date.now;
  }

  /** LRU score: ms, with a per-process sequence in the fraction so same-ms writes keep their order. */
  private stamp(): number {
    this.sequence = (this.sequence + 1) % 1000;
    return this.now() + this.sequence / 1000;
  }

  private full(key: string): string {
    return `${this.options.prefix}:cache:${key}`;
  }

  private meta(ns: CacheNamespace, what: 'lru' | 'sizes'): string {
    return `${this.options.prefix}:cachemeta:${ns}:${what}`;
  }

  private get statsKey(): string {
    return cacheStatsKey(this.options.prefix);
  }

  private lockKey(key: string): string {
    return `${this.options.prefix}:cachelock:${key}`;
  }

  policy(ns: CacheNamespace): NamespacePolicy {
    return this.policies[ns];
  }

  /** The value under `key` without counting a hit or a miss. */
  async peek<T>(key: string): Promise<T | undefined> {
    return this.read<T>(key);
  }

  /** Counts a lookup outcome decided by the caller (e.g. a miss answered by a near-duplicate). */
  async record(key: string, field: 'hits' | 'misses' | 'shared' | 'similar'): Promise<void> {
    await this.count(key, field);
  }

  private async read<T>(key: string): Promise<T | undefined> {
    const ns = namespaceOf(key);
    const raw = await this.redis.shortlistCacheGet(
      this.full(key),
      this.meta(ns, 'lru'),
      this.policies[ns].ttlSeconds * 1000,
      this.stamp(),
    );
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  private async count(key: string, field: 'hits' | 'misses' | 'shared' | 'similar'): Promise<void> {
    await this.redis.hincrby(this.statsKey, `${namespaceOf(key)}:${field}`, 1);
  }

  /** The value under `key`, counting a hit or a miss (one round trip). */
  async get<T>(key: string): Promise<T | undefined> {
    const ns = namespaceOf(key);
    const raw = await this.redis.shortlistCacheGetCounted(
      this.full(key),
      this.meta(ns, 'lru'),
      this.statsKey,
      this.policies[ns].ttlSeconds * 1000,
      this.stamp(),
      `${ns}:hits`,
      `${ns}:misses`,
    );
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  /**
   * The values under many keys in one round trip, counting a hit or a miss for each (undefined
   * for a miss), for callers that look up a whole batch before computing only the misses.
   */
  async getMany<T>(keys: string[]): Promise<(T | undefined)[]> {
    if (keys.length === 0) return [];
    const pipeline = this.redis.pipeline() as ReturnType<Redis['pipeline']> & {
      shortlistCacheGet(...args: (string | number)[]): unknown;
    };
    for (const key of keys) {
      const ns = namespaceOf(key);
      pipeline.shortlistCacheGet(
        this.full(key),
        this.meta(ns, 'lru'),
        this.policies[ns].ttlSeconds * 1000,
        this.stamp(),
      );
    }
    const results = (await pipeline.exec()) ?? [];
    const values = keys.map((_, i) => {
      const [error, raw] = results[i] ?? [null, null];
      if (error) throw error;
      return raw === null || raw === undefined ? undefined : (JSON.parse(raw as string) as T);
    });
    const counts = new Map<string, number>();
    values.forEach((value, i) => {
      const field = `${namespaceOf(keys[i]!)}:${value === undefined ? 'misses' : 'hits'}`;
      counts.set(field, (counts.get(field) ?? 0) + 1);
    });
    const books = this.redis.pipeline();
    for (const [field, n] of counts) books.hincrby(this.statsKey, field, n);
    await books.exec();
    return values;
  }

  /** Stores `value` (JSON) under `key` with its namespace's TTL; evicts LRU entries over budget. */
  async set(key: string, value: unknown): Promise<void> {
    const ns = namespaceOf(key);
    const policy = this.policies[ns];
    await this.redis.shortlistCacheSet(
      this.full(key),
      this.meta(ns, 'lru'),
      this.meta(ns, 'sizes'),
      this.statsKey,
      JSON.stringify(value),
      policy.ttlSeconds * 1000,
      this.stamp(),
      policy.maxBytes,
      ns,
    );
  }

  /**
   * The cached value of `key`, or the result of `compute()` stored under it. Concurrent callers
   * of one key share one computation: within a process through a promise, across processes
   * through a Redis lock whose holder computes while the others wait for the value. A lock whose
   * holder died expires (its lease is renewed only while the holder is alive), and a holder whose
   * computation failed releases it, so a waiter then computes itself. Values for which
   * `shouldStore` is false are returned but not cached.
   */
  async getOrCompute<T>(
    key: string,
    compute: () => Promise<T>,
    shouldStore: (value: T) => boolean = () => true,
  ): Promise<{ value: T; source: CacheSource }> {
    const pending = this.local.get(key);
    if (pending) {
      const result = await pending;
      const source: CacheSource = result.source === 'hit' ? 'hit' : 'shared';
      await this.count(key, source === 'hit' ? 'hits' : 'shared');
      return { value: result.value as T, source };
    }
    const run = this.computeOnce(key, compute, shouldStore);
    this.local.set(key, run);
    try {
      return (await run) as { value: T; source: CacheSource };
    } finally {
      this.local.delete(key);
    }
  }

  /**
   * One round trip when the value is there (read, mark used, count), one more to take the lock
   * when it is not, and one to store, count and release after computing: the look, the lock and
   * the store are atomic scripts, so no second look is needed between taking the lock and
   * computing.
   */
  private async computeOnce<T>(
    key: string,
    compute: () => Promise<T>,
    shouldStore: (value: T) => boolean,
  ): Promise<{ value: T; source: CacheSource }> {
    const ns = namespaceOf(key);
    const policy = this.policies[ns];
    const lock = this.lockKey(key);
    let waited = false;
    let pollMs = 10;
    for (;;) {
      const token = randomBytes(8).toString('hex');
      const found = await this.redis.shortlistCacheReadOrLock(
        this.full(key),
        this.meta(ns, 'lru'),
        this.statsKey,
        lock,
        policy.ttlSeconds * 1000,
        this.stamp(),
        `${ns}:${waited ? 'shared' : 'hits'}`,
        token,
        this.lockTtlMs,
      );
      if (typeof found === 'string')
        return { value: JSON.parse(found) as T, source: waited ? 'shared' : 'hit' };
      if (found === 1) {
        let value: T;
        try {
          value = await this.whileHolding(key, token, compute);
        } catch (error) {
          await this.release(lock, token);
          throw error;
        }
        if (!shouldStore(value)) {
          await Promise.all([this.count(key, 'misses'), this.release(lock, token)]);
          return { value, source: 'computed' };
        }
        try {
          await this.redis.shortlistCacheFill(
            this.full(key),
            this.meta(ns, 'lru'),
            this.meta(ns, 'sizes'),
            this.statsKey,
            lock,
            JSON.stringify(value),
            policy.ttlSeconds * 1000,
            this.stamp(),
            policy.maxBytes,
            ns,
            'misses',
            token,
          );
        } catch (error) {
          await this.release(lock, token);
          throw error;
        }
        return { value, source: 'computed' };
      }
      waited = true;
      await sleep(pollMs);
      pollMs = Math.min(this.maxPollMs, Math.ceil(pollMs * 1.5));
    }
  }

  private async release(lock: string, token: string): Promise<void> {
    await this.redis
      .shortlistCacheRelease(lock, token)
      .catch(() => undefined /* the lease expires on its own */);
  }

  private async whileHolding<T>(key: string, token: string, compute: () => Promise<T>) {
    const timer = setInterval(
      () => {
        void this.redis
          .shortlistCacheRenew(this.lockKey(key), token, this.lockTtlMs)
          .catch(() => undefined);
      },
      Math.max(100, Math.floor(this.lockTtlMs / 3)),
    );
    try {
      return await compute();
    } finally {
      clearInterval(timer);
    }
  }

  /** Deletes single entries (e.g. every cached analysis of an erased resume). */
  async delete(keys: string[]): Promise<number> {
    let deleted = 0;
    const byNs = new Map<CacheNamespace, string[]>();
    for (const key of keys) {
      const ns = namespaceOf(key);
      byNs.set(ns, [...(byNs.get(ns) ?? []), this.full(key)]);
    }
    for (const [ns, full] of byNs) {
      for (let i = 0; i < full.length; i += 500) {
        deleted += await this.redis.shortlistCacheDelete(
          this.meta(ns, 'lru'),
          this.meta(ns, 'sizes'),
          this.statsKey,
          ns,
          ...full.slice(i, i + 500),
        );
      }
    }
    return deleted;
  }

  /** Deletes every entry in `scope`; returns how many were deleted. */
  async invalidate(scope: InvalidationScope): Promise<number> {
    const base = `${this.options.prefix}:cache:`;
    const matched = new Set<string>();
    for (const pattern of invalidationPatterns(scope)) {
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', base + pattern, 'COUNT', 1000);
        cursor = next;
        for (const full of keys) {
          const key = full.slice(base.length);
          if (inScope(key, scope)) matched.add(key);
        }
      } while (cursor !== '0');
    }
    const deleted = await this.delete([...matched]);
    if (scope.kind === 'all') {
      // Entries that expired on their own still sit in the books; clear those too.
      const books = CACHE_NAMESPACES.flatMap((ns) => [
        this.meta(ns, 'lru'),
        this.meta(ns, 'sizes'),
      ]);
      await this.redis.del(...books);
      await this.redis.hdel(this.statsKey, ...CACHE_NAMESPACES.map((ns) => `${ns}:bytes`));
    }
    return deleted;
  }

  /** Counters and sizes of every namespace. */
  async stats(): Promise<Record<CacheNamespace, NamespaceStats>> {
    for (const ns of CACHE_NAMESPACES) {
      await this.redis.shortlistCacheSweep(
        this.meta(ns, 'lru'),
        this.meta(ns, 'sizes'),
        this.statsKey,
        ns,
        this.now() - this.policies[ns].ttlSeconds * 1000,
      );
    }
    const pipeline = this.redis.pipeline();
    pipeline.hgetall(this.statsKey);
    for (const ns of CACHE_NAMESPACES) pipeline.zcard(this.meta(ns, 'lru'));
    const results = (await pipeline.exec()) ?? [];
    const raw = (results[0]?.[1] ?? {}) as Record<string, string>;
    const num = (field: string) => Number(raw[field] ?? 0);
    return Object.fromEntries(
      CACHE_NAMESPACES.map((ns, i) => [
        ns,
        {
          hits: num(`${ns}:hits`),
          misses: num(`${ns}:misses`),
          shared: num(`${ns}:shared`),
          similar: num(`${ns}:similar`),
          evictions: num(`${ns}:evictions`),
          bytes: Math.max(0, num(`${ns}:bytes`)),
          entries: Number(results[i + 1]?.[1] ?? 0),
          // The budget the writers enforce (they record it), else this instance's own.
          maxBytes: num(`${ns}:maxBytes`) || this.policies[ns].maxBytes,
          ttlSeconds: num(`${ns}:ttlSeconds`) || this.policies[ns].ttlSeconds,
        },
      ]),
    ) as Record<CacheNamespace, NamespaceStats>;
  }
}
