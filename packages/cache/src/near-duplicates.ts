import type { Redis } from 'ioredis';
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
 * Locality-sensitive index of the resume texts of each job in Redis (MinHash bands), so any
 * worker finds earlier near-duplicates in a few round trips. Identities are stored hashed.
 */
export class NearDuplicateIndex {
  constructor(private readonly options: { redis: Redis; prefix: string; ttlSeconds: number }) {}

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
    const candidates = new Set<string>();
    for (const [, members] of (await pipeline.exec()) ?? []) {
      for (const member of (members as string[] | null) ?? []) candidates.add(member);
    }
    if (options.excludeTextHash) candidates.delete(options.excludeTextHash);
    if (candidates.size === 0) return [];
    const hashes = [...candidates];
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
    const pipeline = this.options.redis.pipeline();
    pipeline.set(
      `${base}:doc:${doc.textHash}`,
      JSON.stringify({
        sig: encodeSignature(doc.signature),
        resumeId: doc.resumeId,
        identity: doc.identity,
      }),
      'EX',
      ttl,
      'NX',
    );
    bandHashes(doc.signature).forEach((hash, i) => {
      const key = `${base}:band:${i}:${hash}`;
      pipeline.sadd(key, doc.textHash);
      pipeline.expire(key, ttl);
    });
    await pipeline.exec();
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
