import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CandidateProfile } from '../../packages/analysis/src';
import { candidateOf, createExtractor, type Verdict } from '../../packages/extract/src';
import { REPO_ROOT, sharedDataDir } from '@shortlist/testkit';

/**
 * One real resume of the livecareer set as the product reads it: what the resume worker hands
 * the scorer after `@shortlist/extract` (visible text, hidden-text snippets, identity fields).
 */
export interface LabelledResume {
  id: string;
  category: string;
  /** Extraction verdict; the worker scores only `ok` files (the others keep an empty text). */
  verdict: Verdict;
  text: string;
  hiddenText: string[];
  profile: CandidateProfile;
}

const CACHE_DIR = join(REPO_ROOT, 'bench', '.cache');
const EXTRACT_SRC = join(REPO_ROOT, 'packages', 'extract', 'src');

/** Where the livecareer PDFs are, or null (the benchmark then says so and exits). */
export function livecareerDir(): string | null {
  const base = sharedDataDir();
  const dir = base ? join(base, 'livecareer-pdfs') : null;
  return dir && existsSync(join(dir, 'index.csv')) ? dir : null;
}

/** A hash of the extractor's source and pdf.js version: the cache is stale when either moves. */
function extractorVersion(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!/\.test\.ts$/.test(entry.name)) hash.update(entry.name).update(readFileSync(path));
    }
  };
  walk(EXTRACT_SRC);
  const unpdf = join(REPO_ROOT, 'packages', 'extract', 'node_modules', 'unpdf', 'package.json');
  if (existsSync(unpdf)) hash.update(readFileSync(unpdf));
  return hash.digest('hex').slice(0, 16);
}

/**
 * The 806 livecareer resumes, read through `createExtractor()` (the product path: worker
 * threads, reading order, hidden text, verdict, profile) and cached under bench/.cache
 * (gitignored) keyed by a hash of the extractor's source, so reruns take a second.
 */
export async function loadLivecareer(dir: string): Promise<LabelledResume[]> {
  const cacheFile = join(CACHE_DIR, `livecareer-extract-${extractorVersion()}.json`);
  if (existsSync(cacheFile)) {
    return JSON.parse(await readFile(cacheFile, 'utf8')) as LabelledResume[];
  }
  const rows = (await readFile(join(dir, 'index.csv'), 'utf8'))
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));
  const extractor = createExtractor({ threads: 2 });
  try {
    const resumes = await Promise.all(
      rows.map(async ([id, category, path]): Promise<LabelledResume> => {
        const result = await extractor.extract(await readFile(join(dir, path!)));
        return {
          id: id!,
          category: category!,
          verdict: result.verdict,
          // As the resume worker does: only an `ok` file has text to score.
          text: result.verdict === 'ok' ? result.text : '',
          hiddenText: result.hiddenText.map((h) => h.snippet),
          profile: { ...candidateOf(result.profile), location: result.profile.location },
        };
      }),
    );
    await mkdir(CACHE_DIR, { recursive: true });
    await writeFile(cacheFile, JSON.stringify(resumes));
    return resumes;
  } finally {
    await extractor.close();
  }
}
