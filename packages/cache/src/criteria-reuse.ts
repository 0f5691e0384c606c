import type { Redis } from 'ioredis';
import { segment, textHash } from './keys';
import { cacheStatsKey } from './redis-cache';
import { MAX_BUCKET_MEMBERS, MAX_CANDIDATES, defineSimAdd } from './near-duplicates';
import { bandHashes, decodeSignature, encodeSignature, minhash, similarity } from './similarity';

/** One criterion as a job holds it (the cache package does not depend on the contracts). */
export interface Criterion {
  name: string;
  weight: number;
  required: boolean;
}

/** Criteria extracted earlier for a near-identical description of the same tenant. */
export interface CriteriaMatch {
  jobId: string;
  criteria: Criterion[];
  similarity: number;
}

/**
 * Job descriptions at or above this estimated similarity (Jaccard of 3-word shingles, case and
 * punctuation ignored) may share extracted criteria. A re-posted description with a typo, other
 * spacing or a new date line stays above it; a different role does not. One changed word in a
 * requirement ("Python" for "Java") would not fall below it, which is why reuse also needs the
 * same requirements fingerprint (see {@link CriteriaReuseIndex.find}).
 */
export const CRITERIA_REUSE_THRESHOLD = 0.85;

interface Doc {
  sig: string;
  guard: string;
  jobId: string;
  criteria: Criterion[];
}

/**
 * Per-tenant MinHash/LSH index of job descriptions and the criteria a (costly) extractor derived
 * from them, so a re-posted description reuses them instead of asking the model again. Keys hold
 * the tenant and the extractor id: one tenant never sees another's criteria, and a new model or
 * prompt never reuses an old answer. Nothing from another tenant is ever looked up.
 *
 * Similarity alone is not safe for hiring (a near-identical text may ask for another skill), so
 * each entry carries a `guard`: a fingerprint of what the description requires, computed by the
 * caller offline (e.g. the local extractor's criteria and the title). Reuse needs the same guard.
 */
export class CriteriaReuseIndex {
  constructor(
    private readonly options: {
      redis: Redis;
      prefix: string;
      ttlSeconds: number;
      threshold?: number;
    },
  ) {
    defineSimAdd(options.redis);
  }

  private base(userId: string, extractorId: string): string {
    return `${this.options.prefix}:jdsim:${segment(extractorId)}:${segment(userId)}`;
  }

  private byJob(jobId: string): string {
    return `${this.options.prefix}:jdsim-job:${segment(jobId)}`;
  }

  /**
   * The tenant's earlier description most similar to `description`, at or above the threshold
   * and with the same `guard`; null when there is none.
   */
  async find(
    userId: string,
    extractorId: string,
    query: { description: string; guard: string },
  ): Promise<CriteriaMatch | null> {
    const { description, guard } = query;
    const base = this.base(userId, extractorId);
    const signature = minhash(description);
    const pipeline = this.options.redis.pipeline();
    bandHashes(signature).forEach((hash, i) => pipeline.smembers(`${base}:band:${i}:${hash}`));
    const hits = new Map<string, number>();
    for (const [, members] of (await pipeline.exec()) ?? [])
      for (const member of (members as string[] | null) ?? [])
        hits.set(member, (hits.get(member) ?? 0) + 1);
    if (hits.size === 0) return null;
    const hashes = [...hits]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, MAX_CANDIDATES)
      .map(([hash]) => hash);
    const docs = await this.options.redis.mget(...hashes.map((h) => `${base}:doc:${h}`));
    let best: CriteriaMatch | null = null;
    const threshold = this.options.threshold ?? CRITERIA_REUSE_THRESHOLD;
    for (const raw of docs) {
      if (!raw) continue;
      const doc = JSON.parse(raw) as Doc;
      const score = similarity(signature, decodeSignature(doc.sig));
      if (doc.guard !== guard) continue;
      if (score >= threshold && (!best || score > best.similarity))
        best = { jobId: doc.jobId, criteria: doc.criteria, similarity: score };
    }
    return best;
  }

  /** Records the criteria extracted for a job's description (the latest job with a text keeps it). */
  async add(
    userId: string,
    extractorId: string,
    entry: { jobId: string; description: string; guard: string; criteria: Criterion[] },
  ): Promise<void> {
    const base = this.base(userId, extractorId);
    const { ttlSeconds: ttl } = this.options;
    const signature = minhash(entry.description);
    const docKey = `${base}:doc:${textHash(entry.description)}`;
    const doc: Doc = {
      sig: encodeSignature(signature),
      guard: entry.guard,
      jobId: entry.jobId,
      criteria: entry.criteria,
    };
    const bands = bandHashes(signature).map((hash, i) => `${base}:band:${i}:${hash}`);
    await this.options.redis
      .pipeline()
      .set(docKey, JSON.stringify(doc), 'EX', ttl)
      .set(this.byJob(entry.jobId), docKey, 'EX', ttl)
      .shortlistSimAdd(bands.length, ...bands, textHash(entry.description), MAX_BUCKET_MEMBERS, ttl)
      .exec();
  }

  /**
   * Counts how a costly extraction was answered, in the cache stats of namespace `criteria`:
   * `similar` when a near-identical description's criteria were reused, `misses` when the model
   * was asked. `GET /v1/cache/stats` reports both.
   */
  async recordOutcome(outcome: 'reused' | 'extracted'): Promise<void> {
    await this.options.redis.hincrby(
      cacheStatsKey(this.options.prefix),
      outcome === 'reused' ? 'criteria:similar' : 'criteria:misses',
      1,
    );
  }

  /** Forgets what a deleted job contributed, so it is never named as a source again. */
  async eraseJob(jobId: string): Promise<void> {
    const docKey = await this.options.redis.get(this.byJob(jobId));
    if (docKey) {
      const raw = await this.options.redis.get(docKey);
      if (raw && (JSON.parse(raw) as Doc).jobId === jobId) await this.options.redis.del(docKey);
    }
    await this.options.redis.del(this.byJob(jobId));
  }

  /** Forgets every tenant's recorded descriptions (cache scope `all`). Returns keys deleted. */
  async invalidate(): Promise<number> {
    let deleted = 0;
    let cursor = '0';
    do {
      const [next, keys] = await this.options.redis.scan(
        cursor,
        'MATCH',
        `${this.options.prefix}:jdsim*`,
        'COUNT',
        1000,
      );
      cursor = next;
      if (keys.length > 0) deleted += await this.options.redis.del(...keys);
    } while (cursor !== '0');
    return deleted;
  }
}
