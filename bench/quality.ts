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
 * anchors (LOCAL_CALIBRATION) on each half from the raw criterion credits; the shipped anchors are
 * the tuning half's, and the tier table is reported for the held-out half and for all.
 * `--write` replaces the quality section of BENCHMARKS.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CriterionVerdict, Tier } from '../packages/contracts/src';
import { DEFAULT_THRESHOLDS } from '../packages/contracts/src';
import {
  calibrateCredit,
  deriveCriteria,
  LOCAL_CALIBRATION,
  type CreditAnchors,
  LocalScorer,
  scoreFromVerdicts,
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

/** One (job, resume) pair: whether it is relevant, its raw verdicts and what the product shows. */
interface Scored {
  category: string;
  relevant: boolean;
  /** Verdicts with raw (uncalibrated) credit, for fitting the calibration. */
  raw: CriterionVerdict[];
  tier: Tier;
  /** The tier with raw credit (no calibration), for comparison. */
  rawTier: Tier;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const f = (x: number) => x.toFixed(3);
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** The score a pair gets with `anchors` (what LocalScorer computes with that calibration). */
const scoreWith = (p: Scored, anchors: CreditAnchors) =>
  scoreFromVerdicts(p.raw.map((v) => ({ ...v, credit: calibrateCredit(v.credit ?? 0, anchors) })));

/**
 * The calibration anchors: over a grid of raw credits (steps of 0.02), the pair that maximises
 * Youden's J at the default maybe threshold (share of relevant resumes kept minus share of
 * irrelevant ones kept) plus the F1 of relevant resumes at the default shortlist threshold.
 */
function fitAnchors(pairs: Scored[]): CreditAnchors & { objective: number } {
  const relevant = pairs.filter((p) => p.relevant).length;
  const irrelevant = pairs.length - relevant;
  let best = { maybe: 0, shortlist: 0, objective: -Infinity };
  for (let maybe = 0.1; maybe <= 0.5001; maybe += 0.02) {
    for (let shortlist = maybe + 0.04; shortlist <= 0.8001; shortlist += 0.02) {
      const anchors = { maybe: round2(maybe), shortlist: round2(shortlist) };
      let keptR = 0;
      let keptI = 0;
      let listedR = 0;
      let listedI = 0;
      for (const p of pairs) {
        const score = scoreWith(p, anchors);
        if (score >= DEFAULT_THRESHOLDS.maybe) {
          if (p.relevant) keptR += 1;
          else keptI += 1;
        }
        if (score >= DEFAULT_THRESHOLDS.shortlist) {
          if (p.relevant) listedR += 1;
          else listedI += 1;
        }
      }
      const objective =
        keptR / relevant - keptI / irrelevant + (2 * listedR) / (listedR + listedI + relevant);
      if (objective > best.objective) best = { ...anchors, objective };
    }
  }
  return best;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

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
  const rawScorer = new LocalScorer({ calibration: null });
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
      const raw = rawScorer.analyseSync({
        text: r.text,
        hiddenText: r.hiddenText,
        profile: r.profile,
        job,
      });
      pairs.push({ category, relevant, raw: raw.criteria, tier: analysis.tier, rawTier: raw.tier });
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
  const calibrate = process.argv.includes('--calibrate');
  const fitTuning = calibrate ? fitAnchors(pairs.filter((p) => tuning.has(p.category))) : null;
  const fitHeldOut = calibrate ? fitAnchors(heldOut) : null;
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
  const show = (a: (CreditAnchors & { objective: number }) | null) =>
    a ? `maybe ${a.maybe}, shortlist ${a.shortlist} (objective ${f(a.objective)})` : 'not run';
  const anchors = `tuning half: ${show(fitTuning)}; held-out half: ${show(fitHeldOut)}; shipped: maybe ${LOCAL_CALIBRATION.maybe}, shortlist ${LOCAL_CALIBRATION.shortlist}`;

  console.log(lines.join('\n'));
  console.log(`\nNDCG@10 local / BM25 = ${ratio.toFixed(2)}x`);
  console.log(`\n${tiers.join('\n')}`);
  if (calibrate) console.log(`\nCalibration anchors (raw credit): ${anchors}`);

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
        `Calibration: each criterion's graded credit goes through a fixed piecewise-linear curve (\`calibrateCredit\` in packages/analysis) through (0, 0), (${LOCAL_CALIBRATION.maybe}, 0.45), (${LOCAL_CALIBRATION.shortlist}, 0.70), (1, 1) before the weighted score is taken, so a criterion met outright or not at all keeps credit 1 or 0 (recruiter criteria matched exactly score as weighted) and only partial evidence is lifted. The anchors were fitted on the tuning half of the categories (those at even positions in name order: ACCOUNTANT, AGRICULTURE, ARTS, ...) as the grid pair (steps of 0.02) maximising Youden's J at the maybe threshold (relevant kept minus irrelevant kept) plus the F1 of relevant resumes at the shortlist threshold. Fitted anchors: ${anchors}. The held-out rows above are categories the anchors never saw; the uncalibrated rows are the same scorer with raw credit, as before this calibration.`,
      ].join('\n'),
    );
  }
}

void main();
