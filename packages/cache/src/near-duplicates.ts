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

/** Defines the bounded band-bucket insert on `redis` once (shared by the similarity indexes). */
export function defineSimAdd(redis: Redis): void {
  if (typeof redis.shortlistSimAdd !== 'function')
    redis.defineCommand('shortlistSimAdd', { lua: ADD_SCRIPT });
}

declare module 'ioredis' {
  interface RedisCommander<Context> {
    shortlistSimAdd(numberOfKeys: number, ...args: (string | number)[]): Result<number, Context>;
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
    const bands = bandHashes(signature);
    const pipeline = this.options.redis.pipeline();
    bands.forEach((hash, i) => pipeline.smembers(`${base}:band:${i}:${hash}`));
    // Band hits per earlier text: texts sharing more bands are likely more similar.
    const hits = new Map<string, number>();
    for (const [, members] of (await pipeline.exec()) ?? []) {
      for (const member of (members as string[] | null) ?? [])
        hits.set(member, (hits.get(member) ?? 0) + 1);
    }
    if (options.excludeTextHash) hits.delete(options.excludeTextHash);
    if (hits.size === 0) return [];
    const hashes = [...hits]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, MAX_CANDIDATES)
      .map(([hash]) => hash);
    const docs = await this.options.redis.mget(...hashes.map((h) => `${base}:doc:${h}`));
    const matches: NearMatch[] = [];
    docs.forEach((raw, i) => {
      if (!raw) return;
      const doc = JSON.parse(raw) as { sig: string; resumeId: string; identity: string[] };
      const score = similarity(signature, decodeSignature(doc.sig));
      if (score >= options.minSimilarity)
        matches.push({
          textHash: hashes[i]!,
          resumeId: doc.resumeId,
          similarity: score,
          identity: doc.identity,
        });
    });
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
