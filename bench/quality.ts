/**
 * Ranking quality of the local scorer on real resumes, side by side with plain BM25.
 *
 *   node --import tsx bench/quality.ts [--write]
 *
 * All 806 livecareer resumes are pooled; for each of the 24 categories the job description in
 * bench/jobs/<CATEGORY>.md (written as a recruiter would) is created as a job the way the
 * gateway does it (criteria derived from the description), every resume is scored against it,
 * and same-category resumes count as relevant. Reports NDCG@10, P@10 and MAP per category and
 * their means, plus tier accuracy. `--write` replaces the quality section of BENCHMARKS.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deriveCriteria, LocalScorer } from '../packages/analysis/src';
import { DEFAULT_THRESHOLDS } from '../packages/contracts/src';
import { Bm25 } from './lib/bm25-baseline';
import { livecareerDir, loadLivecareer } from './lib/livecareer';
import { averagePrecision, ndcgAt, precisionAt, rankBy } from './lib/ranking-metrics';
import { replaceSection } from './lib/benchmarks-md';

interface Row {
  category: string;
  relevant: number;
  ours: [number, number, number];
  bm25: [number, number, number];
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const f = (x: number) => x.toFixed(3);

async function main(): Promise<void> {
  const dir = livecareerDir();
  if (!dir) {
    console.log(
      'SKIPPED: livecareer PDFs not found (set SHORTLIST_DATA_DIR; see ../shared/data/README.md)',
    );
    return;
  }
  const resumes = await loadLivecareer(dir);
  const jobsDir = join(__dirname, 'jobs');
  const categories = readdirSync(jobsDir)
    .filter((name) => name.endsWith('.md'))
    .map((name) => name.replace(/\.md$/, ''))
    .sort();
  const bm25 = new Bm25(resumes.map((r) => r.text));
  const scorer = new LocalScorer();
  const rows: Row[] = [];
  let tierRelevantShortlisted = 0;
  let tierRelevant = 0;
  let tierIrrelevantRejected = 0;
  let tierIrrelevant = 0;

  for (const category of categories) {
    const description = readFileSync(join(jobsDir, `${category}.md`), 'utf8');
    const title = description.match(/^#\s+(.+)$/m)?.[1] ?? category;
    const job = {
      title,
      description,
      criteria: deriveCriteria(description, title),
      thresholds: DEFAULT_THRESHOLDS,
    };
    const total = resumes.filter((r) => r.category === category).length;
    const ours = new Map<string, number>();
    for (const r of resumes) {
      const analysis = scorer.analyseSync({ text: r.text, job });
      ours.set(r.id, analysis.score);
      const relevant = r.category === category;
      if (relevant) {
        tierRelevant += 1;
        if (analysis.tier === 'shortlist') tierRelevantShortlisted += 1;
      } else {
        tierIrrelevant += 1;
        if (analysis.tier === 'reject') tierIrrelevantRejected += 1;
      }
    }
    const baseline = bm25.scores(description);
    const bmById = new Map(resumes.map((r, i) => [r.id, baseline[i]!]));
    const metrics = (score: (r: { id: string }) => number): [number, number, number] => {
      const ranked = rankBy(resumes, score).map((r) => r.category === category);
      return [ndcgAt(ranked, 10, total), precisionAt(ranked, 10), averagePrecision(ranked, total)];
    };
    rows.push({
      category,
      relevant: total,
      ours: metrics((r) => ours.get(r.id)!),
      bm25: metrics((r) => bmById.get(r.id)!),
    });
  }

  const meanOurs = [0, 1, 2].map((i) => mean(rows.map((r) => r.ours[i]!)));
  const meanBm = [0, 1, 2].map((i) => mean(rows.map((r) => r.bm25[i]!)));
  const lines = [
    '| category | relevant | NDCG@10 local | NDCG@10 BM25 | P@10 local | P@10 BM25 | AP local | AP BM25 |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.category} | ${r.relevant} | ${f(r.ours[0])} | ${f(r.bm25[0])} | ${f(r.ours[1])} | ${f(r.bm25[1])} | ${f(r.ours[2])} | ${f(r.bm25[2])} |`,
    ),
    `| **mean** | ${resumes.length} | **${f(meanOurs[0]!)}** | **${f(meanBm[0]!)}** | **${f(meanOurs[1]!)}** | **${f(meanBm[1]!)}** | **${f(meanOurs[2]!)}** | **${f(meanBm[2]!)}** |`,
  ];
  const ratio = meanOurs[0]! / meanBm[0]!;
  const tierLine =
    `Tier accuracy (default thresholds 70/45): ${f(tierRelevantShortlisted / tierRelevant)} of relevant resumes shortlisted, ` +
    `${f(tierIrrelevantRejected / tierIrrelevant)} of irrelevant ones rejected.`;
  console.log(lines.join('\n'));
  console.log(`\nNDCG@10 local / BM25 = ${ratio.toFixed(2)}x`);
  console.log(tierLine);

  if (process.argv.includes('--write')) {
    replaceSection(
      'Scoring quality',
      [
        `Command: \`node --import tsx bench/quality.ts --write\` (${new Date().toISOString().slice(0, 10)}, ${process.version}, 2 cores).`,
        `Data: ${resumes.length} livecareer resume PDFs in ${categories.length} categories, all pooled; text extracted once with unpdf 1.7 and cached (bench/.cache, gitignored).`,
        'Jobs: one recruiter-style posting per category in `bench/jobs/` (title, responsibilities, required skills), created the way the gateway creates a job (criteria derived from the description). Relevant = same category; binary gains.',
        'Baseline: plain Okapi BM25 (k1 1.2, b 0.75, stopwords removed, no stemming or synonyms, IDF from the pool) over the same texts with the whole description as query, in the same run.',
        '',
        ...lines,
        '',
        `NDCG@10: local ${f(meanOurs[0]!)} vs BM25 ${f(meanBm[0]!)} = **${ratio.toFixed(2)}x** (bar: >= 0.75 and >= 1.15x). The scores are deterministic, so one run is the result.`,
        '',
        tierLine,
      ].join('\n'),
    );
  }
}

void main();
