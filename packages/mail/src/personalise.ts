import { createHash } from 'node:crypto';
import type { EmailKind } from '@shortlist/contracts';

/** What a personaliser may use: the job, and the criteria the candidate's analysis matched. */
export interface PersonalisationInput {
  kind: EmailKind;
  resumeId: string;
  /** Content hash of the resume, so a re-upload with other content is not served a stale note. */
  resumeSha256: string;
  jobTitle: string;
  jobVersion: number;
  /** Names of the criteria the candidate meets (`met: yes`), most important first. */
  matchedCriteria: string[];
  /** Hash of the template the note is written for (see {@link templateHash}). */
  templateHash: string;
}

/** Writes the optional `{{personalNote}}` sentence for one candidate. */
export interface Personaliser {
  /** Part of the cache key: a different model or prompt must not reuse old notes. */
  readonly id: string;
  note(input: PersonalisationInput): Promise<string | null>;
}

function list(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/**
 * The built-in personaliser: deterministic, offline, one sentence naming up to three matched
 * criteria. Null when nothing matched (the template then leaves the sentence out).
 */
export const localPersonaliser: Personaliser = {
  id: 'local-v1',
  async note(input) {
    const matched = input.matchedCriteria.slice(0, 3);
    if (matched.length === 0 || input.kind === 'custom') return null;
    return input.kind === 'invite'
      ? `Your experience with ${list(matched)} stood out to us in particular.`
      : `We appreciated the experience with ${list(matched)} that you described.`;
  },
};

/** Short stable hash of a template, for cache keys. */
export function templateHash(subject: string, body: string): string {
  return createHash('sha256').update(subject).update('\0').update(body).digest('hex').slice(0, 16);
}

/** The Redis commands the cache needs (an ioredis client satisfies it). */
export interface CacheClient {
  mget(...keys: string[]): Promise<(string | null)[]>;
  set(key: string, value: string, mode: 'EX', seconds: number): Promise<unknown>;
}

/**
 * Caches notes in Redis by (personaliser, template, resume content, job version), so re-sending
 * or previewing the same message never pays for the same LLM call twice.
 */
export class CachedPersonaliser {
  constructor(
    private readonly inner: Personaliser,
    private readonly redis: CacheClient,
    private readonly prefix: string,
    private readonly ttlSeconds = 30 * 24 * 3600,
  ) {}

  key(input: PersonalisationInput): string {
    return [
      this.prefix,
      'mail',
      'note',
      this.inner.id,
      input.templateHash,
      input.resumeId,
      input.resumeSha256.slice(0, 16),
      `v${input.jobVersion}`,
    ].join(':');
  }

  /** Notes for many candidates at once: one MGET, then only the misses are computed. */
  async notes(inputs: PersonalisationInput[]): Promise<{ notes: (string | null)[]; hits: number }> {
    if (inputs.length === 0) return { notes: [], hits: 0 };
    const keys = inputs.map((i) => this.key(i));
    const cached = await this.redis.mget(...keys);
    let hits = 0;
    const notes = await Promise.all(
      inputs.map(async (input, i) => {
        const hit = cached[i];
        if (hit !== null && hit !== undefined) {
          hits += 1;
          return (JSON.parse(hit) as { note: string | null }).note;
        }
        const note = await this.inner.note(input);
        await this.redis.set(keys[i]!, JSON.stringify({ note }), 'EX', this.ttlSeconds);
        return note;
      }),
    );
    return { notes, hits };
  }
}
