import type { Redis, Result } from 'ioredis';
import { sleep } from './backoff';

/** What one call costs against the provider's limits. */
export interface RateCost {
  requests: number;
  tokens: number;
}

/**
 * Keeps calls under a requests-per-minute and tokens-per-minute budget. `acquire` waits until the
 * cost fits; `adjust` corrects the token estimate once the real usage is known; `pause` stops
 * every holder for a while (after the provider answered 429).
 */
export interface RateLimiter {
  acquire(cost: RateCost, signal?: AbortSignal): Promise<void>;
  adjust(tokens: number): Promise<void>;
  pause(ms: number): Promise<void>;
}

export interface RateLimits {
  /** Requests per minute; 0 = unlimited. */
  rpm: number;
  /** Tokens per minute; 0 = unlimited. */
  tpm: number;
  /**
   * Bucket size in seconds of the rate (how much may go at once after a quiet spell). Default
   * 0.5: smaller than a provider's own bucket (a second or more), so the provider always holds
   * a reserve of half a second of its rate. That reserve absorbs the jitter between our grant and
   * the request's arrival (a busy event loop, a slow connection) without lowering the sustained
   * rate: with equal buckets, a request granted on time but arriving early in the provider's
   * refill is refused with a 429.
   */
  burstSeconds?: number;
}

/** The shared bucket state and the one decision both implementations make. */
interface BucketState {
  r: number;
  t: number;
  ts: number;
  pause: number;
}

const DEFAULT_BURST_SECONDS = 0.5;

function capacities(limits: RateLimits): { capR: number; capT: number } {
  const burst = limits.burstSeconds ?? DEFAULT_BURST_SECONDS;
  return {
    capR: limits.rpm > 0 ? Math.max(1, (limits.rpm / 60) * burst) : 0,
    capT: limits.tpm > 0 ? Math.max(1, (limits.tpm / 60) * burst) : 0,
  };
}

/** No limits at all (the default when neither RPM nor TPM is configured). */
export const unlimited: RateLimiter = {
  acquire: async () => {},
  adjust: async () => {},
  pause: async () => {},
};

/** Waits in slices so an abort or a pause set by another process is noticed promptly. */
async function waitLoop(
  tryTake: () => Promise<number>,
  signal: AbortSignal | undefined,
): Promise<void> {
  for (;;) {
    signal?.throwIfAborted();
    const waitMs = await tryTake();
    if (waitMs <= 0) return;
    await sleep(Math.min(waitMs, 1_000) + Math.random() * 5, signal);
  }
}

/**
 * Token buckets for requests and tokens in one process (the CLI, tests). Same algorithm as
 * {@link RedisRateLimiter}.
 */
export class MemoryRateLimiter implements RateLimiter {
  private state: BucketState;
  private readonly capR: number;
  private readonly capT: number;

  constructor(
    private readonly limits: RateLimits,
    private readonly now: () => number = Date.now,
  ) {
    ({ capR: this.capR, capT: this.capT } = capacities(limits));
    this.state = { r: this.capR, t: this.capT, ts: now(), pause: 0 };
  }

  private refill(): void {
    const now = this.now();
    const dt = Math.max(0, now - this.state.ts);
    if (this.limits.rpm > 0)
      this.state.r = Math.min(this.capR, this.state.r + (dt * this.limits.rpm) / 60_000);
    if (this.limits.tpm > 0)
      this.state.t = Math.min(this.capT, this.state.t + (dt * this.limits.tpm) / 60_000);
    this.state.ts = now;
  }

  private take(cost: RateCost): number {
    this.refill();
    if (this.state.pause > this.state.ts) return this.state.pause - this.state.ts;
    const needT = Math.min(cost.tokens, this.capT);
    const waitR =
      this.limits.rpm > 0 && this.state.r < cost.requests
        ? ((cost.requests - this.state.r) * 60_000) / this.limits.rpm
        : 0;
    const waitT =
      this.limits.tpm > 0 && this.state.t < needT
        ? ((needT - this.state.t) * 60_000) / this.limits.tpm
        : 0;
    if (waitR > 0 || waitT > 0) return Math.ceil(Math.max(waitR, waitT));
    this.state.r -= cost.requests;
    this.state.t -= cost.tokens;
    return 0;
  }

  acquire(cost: RateCost, signal?: AbortSignal): Promise<void> {
    return waitLoop(async () => this.take(cost), signal);
  }

  async adjust(tokens: number): Promise<void> {
    this.refill();
    this.state.t = Math.min(this.capT, this.state.t - tokens);
  }

  async pause(ms: number): Promise<void> {
    this.state.pause = Math.max(this.state.pause, this.now() + ms);
  }
}

/**
 * One Lua script does refill, check and take atomically on a hash in Redis, with Redis' own
 * clock (TIME), so every process sharing the key shares one budget whatever their clocks say.
 * Returns {waitMs, nowMs}. ARGV: rpm, tpm, capR, capT, needR, needT, mode
 * (mode 0 = take if it fits, 1 = adjust tokens unconditionally, 2 = pause for needT ms).
 */
const SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rpm, tpm = tonumber(ARGV[1]), tonumber(ARGV[2])
local capR, capT = tonumber(ARGV[3]), tonumber(ARGV[4])
local needR, needT, mode = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local s = redis.call('HMGET', KEYS[1], 'r', 't', 'ts', 'pause')
local r = tonumber(s[1]) or capR
local tk = tonumber(s[2]) or capT
local ts = tonumber(s[3]) or now
local pause = tonumber(s[4]) or 0
local dt = math.max(0, now - ts)
if rpm > 0 then r = math.min(capR, r + dt * rpm / 60000) end
if tpm > 0 then tk = math.min(capT, tk + dt * tpm / 60000) end
local wait = 0
if mode == 1 then
  tk = math.min(capT, tk - needT)
elseif mode == 2 then
  pause = math.max(pause, now + needT)
elseif pause > now then
  wait = pause - now
else
  local effT = math.min(needT, capT)
  local waitR, waitT = 0, 0
  if rpm > 0 and r < needR then waitR = (needR - r) * 60000 / rpm end
  if tpm > 0 and tk < effT then waitT = (effT - tk) * 60000 / tpm end
  wait = math.ceil(math.max(waitR, waitT))
  if wait <= 0 then
    r = r - needR
    tk = tk - needT
  end
end
redis.call('HSET', KEYS[1], 'r', tostring(r), 't', tostring(tk), 'ts', tostring(now), 'pause', tostring(pause))
redis.call('PEXPIRE', KEYS[1], 120000)
return {wait, now}
`;

/**
 * Token buckets for RPM and TPM kept in Redis, shared by every process that uses the same `key`
 * (all resume-workers of a deployment): adding workers cannot push the provider past its limits.
 */
export class RedisRateLimiter implements RateLimiter {
  private readonly capR: number;
  private readonly capT: number;
  /** Redis time (ms) of the last successful take; tests use it to check the spacing of grants. */
  lastGrantAt = 0;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly limits: RateLimits,
  ) {
    ({ capR: this.capR, capT: this.capT } = capacities(limits));
    if (!redis.limiterTake) redis.defineCommand('limiterTake', { numberOfKeys: 1, lua: SCRIPT });
  }

  private async run(needR: number, needT: number, mode: 0 | 1 | 2): Promise<number> {
    const [wait, now] = (await this.redis.limiterTake(
      this.key,
      this.limits.rpm,
      this.limits.tpm,
      this.capR,
      this.capT,
      needR,
      needT,
      mode,
    )) as [number, number];
    if (mode === 0 && wait <= 0) this.lastGrantAt = now;
    return wait;
  }

  acquire(cost: RateCost, signal?: AbortSignal): Promise<void> {
    return waitLoop(() => this.run(cost.requests, cost.tokens, 0), signal);
  }

  async adjust(tokens: number): Promise<void> {
    if (tokens !== 0 && this.limits.tpm > 0) await this.run(0, tokens, 1);
  }

  async pause(ms: number): Promise<void> {
    await this.run(0, Math.ceil(ms), 2);
  }
}

declare module 'ioredis' {
  interface RedisCommander<Context> {
    limiterTake(key: string, ...args: (string | number)[]): Result<[number, number], Context>;
  }
}

/** How much of the shared RPM/TPM budget is unused right now, as the autoscaler reads it. */
export interface LimiterHeadroom {
  /** 0 (every call waits for the limiter, or the provider asked us to pause) to 1 (idle). */
  ratio: number;
  /** The provider answered 429 and every worker is paused until this Redis time (ms), else 0. */
  pausedUntil: number;
}

/**
 * Reads the {@link RedisRateLimiter} bucket under `key` without taking from it: the scarcer of
 * its request and token buckets, refilled to Redis' current time, as a fraction of capacity.
 * With no limits configured, or no call made yet, it is 1. Workers added while this stays near 0
 * only queue behind the limiter.
 */
export async function readLimiterHeadroom(
  redis: Redis,
  key: string,
  limits: RateLimits,
): Promise<LimiterHeadroom> {
  if (limits.rpm <= 0 && limits.tpm <= 0) return { ratio: 1, pausedUntil: 0 };
  const { capR, capT } = capacities(limits);
  const [[, time], [, state]] = (await redis
    .multi()
    .time()
    .hmget(key, 'r', 't', 'ts', 'pause')
    .exec()) as [[null, [string, string]], [null, (string | null)[]]];
  const now = Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000);
  const [r, t, ts, pause] = state.map((v) => (v === null ? null : Number(v)));
  if (ts == null) return { ratio: 1, pausedUntil: 0 };
  if ((pause ?? 0) > now) return { ratio: 0, pausedUntil: pause! };
  const dt = Math.max(0, now - ts);
  const ratios: number[] = [];
  if (limits.rpm > 0) ratios.push(Math.min(capR, (r ?? capR) + (dt * limits.rpm) / 60_000) / capR);
  if (limits.tpm > 0) ratios.push(Math.min(capT, (t ?? capT) + (dt * limits.tpm) / 60_000) / capT);
  return { ratio: Math.max(0, Math.min(1, ...ratios)), pausedUntil: 0 };
}
