/**
 * Ranking and tier quality of the local scorer on real resumes, side by side with plain BM25.
 *
 *   node --import tsx bench/quality.ts [--write] [--calibrate]
 *
 * All 806 livecareer resume PDFs are read through `@shortlist/extract` (the product path, cached
 * by bench/lib/livecareer.ts) and pooled; for each of the 24 categories the job description in
 * bench/jobs/<CATEGORY>.md (written as a recruiter would) is created as a job the way the
 * gateway does it (criteria derived from the description, default thresholds), every resume is
 * scored against it as the resume worker does (visible text, hidden text, identity), and
 * same-category resumes count as relevant. Reports NDCG@10, P@10 and MAP per category and their
 * means for both, and where relevant and irrelevant resumes land by tier.
 *
 * Tier calibration is checked on held-out categories: the categories alternate (sorted by name)
 * between a tuning half and a held-out half. `--calibrate` fits the local scorer's calibration
 * anchors (LOCAL_CALIBRATION) on each half from the raw weighted credit; the shipped anchors are
 * the tuning half's, and the tier table is reported for the held-out half and for all.
 * `--write` replaces the quality section of BENCHMARKS.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tier } from '../packages/contracts/src';
import { DEFAULT_THRESHOLDS } from '../packages/contracts/src';
import {
  deriveCriteria,
  LOCAL_CALIBRATION,
  LocalScorer,
  scoreFromVerdicts,
  tierFor,
} from '../packages/analysis/src';
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

/** One (job, resume) pair: whether it is relevant, the raw credit and what the product shows. */
interface Scored {
  category: string;
  relevant: boolean;
  raw: number;
  tier: Tier;
  /** The tier the raw credit would get (no calibration), for comparison. */
  rawTier: Tier;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const f = (x: number) => x.toFixed(3);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/**
 * The calibration anchors from raw credits: `maybe` maximises Youden's J (share of relevant
 * kept minus share of irrelevant kept), `shortlist` maximises F1 of relevant resumes, each
 * over cuts in steps of 0.5.
 */
function fitAnchors(pairs: Scored[]): { maybe: number; shortlist: number } {
  const rel = pairs.filter((p) => p.relevant).map((p) => p.raw);
  const irr = pairs.filter((p) => !p.relevant).map((p) => p.raw);
  let best = { j: -Infinity, maybe: 0, f1: -Infinity, shortlist: 0 };
  for (let cut = 0; cut <= 100; cut += 0.5) {
    const tp = rel.filter((x) => x >= cut).length;
    const fp = irr.filter((x) => x >= cut).length;
    const j = tp / rel.length - fp / irr.length;
    const f1 = (2 * tp) / (tp + fp + rel.length);
    if (j > best.j) best = { ...best, j, maybe: cut };
    if (f1 > best.f1) best = { ...best, f1, shortlist: cut };
  }
  return { maybe: best.maybe, shortlist: best.shortlist };
}

/** Where relevant and irrelevant resumes land by tier, with each tier's precision. */
function tierTable(label: string, pairs: Scored[]): string[] {
  const rel = pairs.filter((p) => p.relevant);
  const irr = pairs.filter((p) => !p.relevant);
  const count = (xs: Scored[], tiers: Tier[]) => xs.filter((p) => tiers.includes(p.tier)).length;
  const row = (name: string, tiers: Tier[], wantRelevant: boolean) => {
    const r = count(rel, tiers);
    const i = count(irr, tiers);
    const precision = r + i === 0 ? 0 : (wantRelevant ? r : i) / (r + i);
    const recall = wantRelevant ? r / rel.length : i / irr.length;
    return `| ${label} | ${name} | ${r} (${pct(r / rel.length)}) | ${i} (${pct(i / irr.length)}) | ${f(precision)} | ${f(recall)} |`;
  };
  return [
    row('shortlist', ['shortlist'], true),
    row('maybe', ['maybe'], true),
    row('shortlist + maybe', ['shortlist', 'maybe'], true),
    row('reject', ['reject'], false),
  ];
}

async function main(): Promise<void> {
  const dir = livecareerDir();
  if (!dir) {
    console.log(
      'SKIPPED: livecareer PDFs not found (set SHORTLIST_DATA_DIR; see ../shared/data/README.md)',
    );
    return;
  }
  const resumes = await loadLivecareer(dir);
  const notOk = resumes.filter((r) => r.verdict !== 'ok');
  const jobsDir = join(__dirname, 'jobs');
  const categories = readdirSync(jobsDir)
    .filter((name) => name.endsWith('.md'))
    .map((name) => name.replace(/\.md$/, ''))
    .sort();
  const tuning = new Set(categories.filter((_, i) => i % 2 === 0));
  const bm25 = new Bm25(resumes.map((r) => r.text));
  const scorer = new LocalScorer();
  const rows: Row[] = [];
  const pairs: Scored[] = [];

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
      const relevant = r.category === category;
      // A file that is not `ok` is never scored (the worker fails it with its reason): last.
      if (r.verdict !== 'ok') {
        ours.set(r.id, -1);
        continue;
      }
      const analysis = scorer.analyseSync({
        text: r.text,
        hiddenText: r.hiddenText,
        profile: r.profile,
        job,
      });
      ours.set(r.id, analysis.score);
      const raw = scoreFromVerdicts(analysis.criteria);
      const rawTier = tierFor(raw, job.thresholds, analysis.criteria);
      pairs.push({ category, relevant, raw, tier: analysis.tier, rawTier });
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

  const heldOut = pairs.filter((p) => !tuning.has(p.category));
  const fitTuning = fitAnchors(pairs.filter((p) => tuning.has(p.category)));
  const fitHeldOut = fitAnchors(heldOut);
  const tiers = [
    '| categories | tier | relevant in tier (share of relevant) | irrelevant in tier (share of irrelevant) | precision | recall |',
    '|---|---|---:|---:|---:|---:|',
    ...tierTable('held-out half', heldOut),
    ...tierTable('all 24', pairs),
    ...tierTable(
      'all 24, uncalibrated',
      pairs.map((p) => ({ ...p, tier: p.rawTier })),
    ),
  ];
  const anchors = `tuning half ${JSON.stringify(fitTuning)}, held-out half ${JSON.stringify(fitHeldOut)}, shipped ${JSON.stringify(LOCAL_CALIBRATION)}`;

  console.log(lines.join('\n'));
  console.log(`\nNDCG@10 local / BM25 = ${ratio.toFixed(2)}x`);
  console.log(`\n${tiers.join('\n')}`);
  if (process.argv.includes('--calibrate'))
    console.log(`\nCalibration anchors (raw credit): ${anchors}`);

  if (process.argv.includes('--write')) {
    replaceSection(
      'Scoring quality',
      [
        `Command: \`node --import tsx bench/quality.ts --write --calibrate\` (${new Date().toISOString().slice(0, 10)}, ${process.version}, 2 cores; the scores are deterministic, so one run is the result).`,
        `Data: ${resumes.length} livecareer resume PDFs in ${categories.length} categories, all pooled, read through \`@shortlist/extract\` exactly as the resume worker reads uploads (${notOk.length} not \`ok\`: ${notOk.map((r) => `${r.category}/${r.id} ${r.verdict}`).join(', ') || 'none'}; such a file is never scored, so it ranks last); each resume is scored with its visible text, hidden-text snippets and identity as the worker passes them. Extracted texts are cached in bench/.cache (gitignored), keyed by a hash of packages/extract/src.`,
        'Jobs: one recruiter-style posting per category in `bench/jobs/` (title, responsibilities, required skills), created the way the gateway creates a job (criteria derived from the description, default thresholds 70/45). Relevant = same category; binary gains.',
        'Baseline: plain Okapi BM25 (k1 1.2, b 0.75, stopwords removed, no stemming or synonyms, IDF from the pool) over the same extracted texts with the whole description as query, in the same run.',
        '',
        ...lines,
        '',
        `NDCG@10: local ${f(meanOurs[0]!)} vs BM25 ${f(meanBm[0]!)} = **${ratio.toFixed(2)}x** (bar: >= 0.75 and >= 1.15x).`,
        '',
        '### Tiers',
        '',
        "Where same-category (relevant) and other (irrelevant) resumes land with the default thresholds (shortlist >= 70, maybe >= 45). Precision of a tier is the share of relevant resumes in it (for reject: of irrelevant ones); recall is the share of all relevant (for reject: irrelevant) resumes it holds. Only 1 resume in 24 is relevant to a job here and the categories overlap (FINANCE, BANKING and ACCOUNTANT resumes answer each other's postings), so shortlist precision is a floor.",
        '',
        ...tiers,
        '',
        `The local score is the raw weighted credit of the criteria mapped by a fixed piecewise-linear curve (\`calibrateLocalScore\` in packages/analysis) through (0, 0), (raw ${LOCAL_CALIBRATION.maybe}, 45), (raw ${LOCAL_CALIBRATION.shortlist}, 70), (100, 100); the curve is monotone, so the ranking above is that of the raw credit. The anchors were fitted on the tuning half of the categories (those at even positions in name order: ACCOUNTANT, AGRICULTURE, ARTS, ...): \`maybe\` at the cut with the best Youden's J (relevant kept minus irrelevant kept), \`shortlist\` at the cut with the best F1 for relevant resumes. Fitted anchors: ${anchors}. The held-out rows above are categories the anchors never saw; the uncalibrated rows are the same scorer with the raw credit as the score, as before this calibration.`,
      ].join('\n'),
    );
  }
}

void main();
