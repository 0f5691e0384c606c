import type { Redis, Result } from 'ioredis';
import { segment } from './keys';
import {
  bandHashes,
  decodeSignature,
  encodeSignature,
  sameCandidate,
  similarity,
} from './similarity';

/** A text seen before in the same job, with its estimated similarity to the text looked up. */
export interface NearMatch {
  textHash: string;
  resumeId: string;
  similarity: number;
  identity: string[];
}

/** What to do with a resume that resembles one seen before. */
export type NearDuplicateDecision =
  { kind: 'reuse'; match: NearMatch } | { kind: 'flag'; match: NearMatch } | { kind: 'none' };

export interface NearDuplicatePolicy {
  /** Reuse an earlier analysis only at or above this similarity, and only for the same candidate. */
  reuseThreshold: number;
  /** Flag a resume as a near-duplicate at or above this similarity. */
  flagThreshold: number;
}

export const DEFAULT_NEAR_DUPLICATE_POLICY: NearDuplicatePolicy = {
  reuseThreshold: 0.95,
  flagThreshold: 0.8,
};

/**
 * The safe-reuse rule. Reuse needs BOTH a very high text similarity AND the same candidate
 * identity (a shared email or phone number); a resume without contact details is never reused.
 * Every other close match is only flagged, and the resume is scored on its own.
 */
export function decideNearDuplicate(
  matches: NearMatch[],
  identity: readonly string[],
  policy: NearDuplicatePolicy = DEFAULT_NEAR_DUPLICATE_POLICY,
): NearDuplicateDecision {
  const sorted = [...matches].sort((a, b) => b.similarity - a.similarity);
  const reusable = sorted.find(
    (m) => m.similarity >= policy.reuseThreshold && sameCandidate(identity, m.identity),
  );
  if (reusable) return { kind: 'reuse', match: reusable };
  const close = sorted.find((m) => m.similarity >= policy.flagThreshold);
  return close ? { kind: 'flag', match: close } : { kind: 'none' };
}

/**
 * Texts kept per LSH band bucket. Distinct resumes rarely share a bucket; a batch of resumes
 * written from one template shares most of them, and without a cap every lookup would read
 * every earlier text of the job (quadratic in the batch). A text left out of a full bucket is
 * still found through its other bands, or not at all: then it is scored on its own, never reused
 * wrongly.
 */
export const MAX_BUCKET_MEMBERS = 64;
/** Earlier texts whose signatures a lookup compares: those sharing the most bands. */
export const MAX_CANDIDATES = 32;

// Adds a text to band buckets that are not full yet, and sets their expiry.
const ADD_SCRIPT = `
for i = 1, #KEYS do
  if redis.call('SCARD', KEYS[i]) < tonumber(ARGV[2]) then redis.call('SADD', KEYS[i], ARGV[1]) end
  redis.call('EXPIRE', KEYS[i], ARGV[3])
end
return 0
`;

// The lookup in one round trip: counts the band hits of every text in the buckets (KEYS), drops
// the excluded text (ARGV[3]), keeps the ARGV[2] texts sharing the most bands (ties by hash) and
// returns them with their documents (key prefix ARGV[1]) as a flat list [hash, doc, ...]. A job
// of look-alike resumes fills every bucket: reading them here keeps up to 2,048 members per
// lookup inside Redis instead of sending them to the worker to count.
const FIND_SCRIPT = `
local hits, seen = {}, {}
for i = 1, #KEYS do
  for _, m in ipairs(redis.call('SMEMBERS', KEYS[i])) do
    local c = hits[m]
    if c then hits[m] = c + 1 else hits[m] = 1; seen[#seen + 1] = m end
  end
end
if ARGV[3] ~= '' then hits[ARGV[3]] = nil end
local groups, top = {}, 0
for _, m in ipairs(seen) do
  local c = hits[m]
  if c then
    local g = groups[c]
    if not g then g = {}; groups[c] = g end
    g[#g + 1] = m
    if c > top then top = c end
  end
end
local max, picked = tonumber(ARGV[2]), {}
for c = top, 1, -1 do
  local g = groups[c]
  if g then
    table.sort(g)
    for _, m in ipairs(g) do
      if #picked >= max then break end
      picked[#picked + 1] = m
    end
  end
  if #picked >= max then break end
end
if #picked == 0 then return {} end
local keys = {}
for i, m in ipairs(picked) do keys[i] = ARGV[1] .. m end
local docs = redis.call('MGET', unpack(keys))
local out = {}
for i, m in ipairs(picked) do out[2 * i - 1] = m; out[2 * i] = docs[i] end
return out
`;

/** Defines the bounded band-bucket insert on `redis` once (shared by the similarity indexes). */
export function defineSimAdd(redis: Redis): void {
  if (typeof redis.shortlistSimAdd !== 'function')
    redis.defineCommand('shortlistSimAdd', { lua: ADD_SCRIPT });
  if (typeof redis.shortlistSimFind !== 'function')
    redis.defineCommand('shortlistSimFind', { lua: FIND_SCRIPT });
}

declare module 'ioredis' {
  interface RedisCommander<Context> {
    shortlistSimAdd(numberOfKeys: number, ...args: (string | number)[]): Result<number, Context>;
    shortlistSimFind(
      numberOfKeys: number,
      ...args: (string | number)[]
    ): Result<(string | null)[], Context>;
  }
}

/**
 * Locality-sensitive index of the resume texts of each job in Redis (MinHash bands), so any
 * worker finds earlier near-duplicates in a few round trips, at a bounded cost per lookup
 * however alike the job's resumes are. Identities are stored hashed.
 */
export class NearDuplicateIndex {
  constructor(private readonly options: { redis: Redis; prefix: string; ttlSeconds: number }) {
    defineSimAdd(options.redis);
  }

  private base(jobId: string): string {
    return `${this.options.prefix}:sim:${segment(jobId)}`;
  }

  /** Earlier texts of the job at or above `minSimilarity`, best first (the text itself excluded). */
  async find(
    jobId: string,
    signature: Uint32Array,
    options: { minSimilarity: number; excludeTextHash?: string },
  ): Promise<NearMatch[]> {
    const base = this.base(jobId);
    const bands = bandHashes(signature).map((hash, i) => `${base}:band:${i}:${hash}`);
    // Texts sharing more bands are likely more similar: the script returns the best candidates.
    const found = await this.options.redis.shortlistSimFind(
      bands.length,
      ...bands,
      `${base}:doc:`,
      MAX_CANDIDATES,
      options.excludeTextHash ?? '',
    );
    const matches: NearMatch[] = [];
    for (let i = 0; i + 1 < found.length; i += 2) {
      const raw = found[i + 1];
      if (!raw) continue;
      const doc = JSON.parse(raw) as { sig: string; resumeId: string; identity: string[] };
      const score = similarity(signature, decodeSignature(doc.sig));
      if (score >= options.minSimilarity)
        matches.push({
          textHash: found[i]!,
          resumeId: doc.resumeId,
          similarity: score,
          identity: doc.identity,
        });
    }
    return matches.sort((a, b) => b.similarity - a.similarity);
  }

  /** The first resume of the job recorded with exactly this text, if any. */
  async firstResumeWith(jobId: string, textHash: string): Promise<string | null> {
    const raw = await this.options.redis.get(`${this.base(jobId)}:doc:${textHash}`);
    return raw ? (JSON.parse(raw) as { resumeId: string }).resumeId : null;
  }

  /** Records a text of the job; the first resume recorded with a text keeps it. */
  async add(
    jobId: string,
    doc: { textHash: string; resumeId: string; signature: Uint32Array; identity: string[] },
  ): Promise<void> {
    const base = this.base(jobId);
    const ttl = this.options.ttlSeconds;
    const bands = bandHashes(doc.signature).map((hash, i) => `${base}:band:${i}:${hash}`);
    await this.options.redis
      .pipeline()
      .set(
        `${base}:doc:${doc.textHash}`,
        JSON.stringify({
          sig: encodeSignature(doc.signature),
          resumeId: doc.resumeId,
          identity: doc.identity,
        }),
        'EX',
        ttl,
        'NX',
      )
      .shortlistSimAdd(bands.length, ...bands, doc.textHash, MAX_BUCKET_MEMBERS, ttl)
      .exec();
  }

  /** Forgets one job's texts, or every job's when `jobId` is omitted. Returns keys deleted. */
  async invalidate(jobId?: string): Promise<number> {
    const pattern = jobId ? `${this.base(jobId)}:*` : `${this.options.prefix}:sim:*`;
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.options.redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) deleted += await this.options.redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  }
}
