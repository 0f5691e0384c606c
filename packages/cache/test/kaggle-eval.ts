import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Redis } from 'ioredis';
import { textHash } from '../src/keys';
import {
  DEFAULT_NEAR_DUPLICATE_POLICY,
  NearDuplicateIndex,
  decideNearDuplicate,
  type NearDuplicatePolicy,
} from '../src/near-duplicates';
import { candidateIdentity, minhash, shingles } from '../src/similarity';

/** The Kaggle resume rows (`Category`, `Resume`), in file order. */
export function readKaggleResumes(dataDir: string): string[] {
  const csv = readFileSync(join(dataDir, 'kaggle-resumes', 'UpdatedResumeDataSet.csv'), 'utf8');
  return (parse(csv, { columns: true, skip_empty_lines: true }) as { Resume: string }[]).map(
    (row) => row.Resume,
  );
}

export interface Tally {
  uploads: number;
  exactHits: number;
  reused: number;
  flagged: number;
  scored: number;
}

/** Counts of one run, plus every reuse with the truth of whether it was the same candidate. */
export interface EvalResult {
  kaggle: Tally;
  sameCandidateReformatted: Tally;
  otherCandidateSameTemplate: Tally;
  sameCandidateEdited: Tally;
  reusesAcrossCandidates: number;
  /** Lowest exact Jaccard similarity (3-word shingles) between a reused text and its source. */
  minExactSimilarityOfReuse: number;
}

function jaccard(a: string, b: string): number {
  const x = shingles(a);
  const y = shingles(b);
  let both = 0;
  for (const h of x) if (y.has(h)) both++;
  return both / (x.size + y.size - both);
}

const empty = (): Tally => ({ uploads: 0, exactHits: 0, reused: 0, flagged: 0, scored: 0 });

/** A copy laid out differently: lines joined with bullets, headings upper-cased, spacing changed. */
function reformat(text: string): string {
  return text
    .split('\n')
    .map((line, i) => (i % 5 === 0 ? line.toUpperCase() : line))
    .join('  •  ')
    .replace(/ {2,}/g, '   ');
}

/**
 * Replays uploads through the near-duplicate index exactly as the worker decides (exact text
 * hash first, then MinHash similarity + candidate identity):
 * 1. the 962 Kaggle rows in file order (166 distinct texts, no reuse allowed between them: they
 *    are different people as far as anyone can tell);
 * 2. each distinct text given a synthetic contact line, then re-sent re-formatted by the same
 *    candidate (reuse is right), by a different candidate with the same body (reuse is wrong),
 *    and by the same candidate with a real edit (the last fifth removed: must be re-scored).
 */
export async function evaluateNearDuplicates(
  redis: Redis,
  prefix: string,
  rows: string[],
  policy: NearDuplicatePolicy = DEFAULT_NEAR_DUPLICATE_POLICY,
): Promise<EvalResult> {
  const index = new NearDuplicateIndex({ redis, prefix, ttlSeconds: 600 });
  const owners = new Map<string, string>(); // text hash -> candidate id (ground truth)
  const texts = new Map<string, string>();
  let reusesAcrossCandidates = 0;
  let minExactSimilarityOfReuse = 1;

  const upload = async (jobId: string, tally: Tally, text: string, candidate: string) => {
    tally.uploads += 1;
    const hash = textHash(text);
    if (owners.has(`${jobId}:${hash}`)) {
      tally.exactHits += 1;
      return;
    }
    const signature = minhash(text);
    const identity = candidateIdentity(text);
    const matches = await index.find(jobId, signature, {
      minSimilarity: Math.min(policy.flagThreshold, policy.reuseThreshold),
      excludeTextHash: hash,
    });
    const decision = decideNearDuplicate(matches, identity, policy);
    if (decision.kind === 'reuse') {
      tally.reused += 1;
      if (owners.get(`${jobId}:${decision.match.textHash}`) !== candidate)
        reusesAcrossCandidates += 1;
      const source = texts.get(`${jobId}:${decision.match.textHash}`)!;
      minExactSimilarityOfReuse = Math.min(minExactSimilarityOfReuse, jaccard(text, source));
      return;
    }
    if (decision.kind === 'flag') tally.flagged += 1;
    tally.scored += 1;
    owners.set(`${jobId}:${hash}`, candidate);
    texts.set(`${jobId}:${hash}`, text);
    await index.add(jobId, { textHash: hash, resumeId: candidate, signature, identity });
  };

  const result: EvalResult = {
    kaggle: empty(),
    sameCandidateReformatted: empty(),
    otherCandidateSameTemplate: empty(),
    sameCandidateEdited: empty(),
    reusesAcrossCandidates: 0,
    minExactSimilarityOfReuse: 1,
  };
  // In the raw data identical texts are the same upload repeated; distinct texts are distinct people.
  const distinct = [...new Set(rows)];
  const personOf = new Map(distinct.map((text, i) => [text, `kaggle-${i}`]));
  for (const text of rows) await upload('job-kaggle', result.kaggle, text, personOf.get(text)!);

  for (const [i, body] of distinct.entries()) {
    const job = `job-${i}`;
    const contact = (n: number) =>
      `Candidate ${n}\ncandidate.${n}@example.org | +44 20 7946 ${String(n).padStart(4, '0')}\n`;
    const mine = `${contact(i)}${body}`;
    await upload(job, empty(), mine, `person-${i}`);
    await upload(job, result.sameCandidateReformatted, reformat(mine), `person-${i}`);
    await upload(
      job,
      result.otherCandidateSameTemplate,
      `${contact(10_000 + i)}${body}`,
      `other-${i}`,
    );
    const edited = mine.slice(0, Math.floor(mine.length * 0.8));
    await upload(job, result.sameCandidateEdited, edited, `person-${i}`);
  }
  result.reusesAcrossCandidates = reusesAcrossCandidates;
  result.minExactSimilarityOfReuse = minExactSimilarityOfReuse;
  return result;
}
