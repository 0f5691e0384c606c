import type { Analysis, Criterion, CriterionVerdict, Met } from '@shortlist/contracts';
import { calibrateCredit, LOCAL_CALIBRATION, type CreditAnchors } from './local/calibration';
import { degreeLevel, headline, yearsOfExperience } from './local/facts';
import { deriveCriteria, readJob, RELEVANCE_NAME, ROLE_PREFIX } from './local/job-profile';
import { Bag, phraseParts, termWeight, terms, titleWeight } from './local/terms';
import { prepareResume, type ScoreInput } from './prepare';
import { scoreFromVerdicts, tierFor } from './score';
import type { Scorer } from './scorer';
import { sentences } from './text';

export { deriveCriteria };

export const LOCAL_MODEL = 'local-v2';
export const LOCAL_PROMPT_VERSION = 'local-3';

/** BM25 constants: term-frequency saturation and length normalisation against a typical resume. */
const K1 = 1.2;
const B = 0.5;
const TYPICAL_RESUME_TERMS = 450;

const round = (x: number) => Math.round(x * 1000) / 1000;
const metFor = (credit: number): Met => (credit >= 0.7 ? 'yes' : credit >= 0.3 ? 'partial' : 'no');

/** Everything about one resume the criteria are judged on, computed once per analysis. */
interface ResumeView {
  bag: Bag;
  head: Bag;
  lines: string[];
  /** Terms of each line (the whole text is tokenised once, line by line). */
  lineTerms: string[][];
  /** The same as sets, built on first use (only evidence needs them). */
  lineSets?: Set<string>[];
  years: number | null;
  degree: number;
}

/** Saturating credit of one term's frequency, BM25-style (1 mention = 0.55, 3 = 0.85, ...). */
function saturation(tf: number, length: number): number {
  if (tf <= 0) return 0;
  const norm = K1 * (1 - B + (B * length) / TYPICAL_RESUME_TERMS);
  return (tf * (K1 + 1)) / (tf + norm) / (K1 + 1);
}

/**
 * Weighted share of `wanted` terms the resume has. Presence, not frequency: a criterion the
 * resume shows in full earns full credit, so "meets every criterion" means a score of 100. A
 * joined term the resume has (HR) also covers the words it stands for (human resources).
 */
function coverage(wanted: string[], view: ResumeView, extraWeight?: (t: string) => number): number {
  const unique = new Set(wanted);
  const covered = new Set<string>();
  for (const term of unique) {
    const parts = view.bag.tf(term) > 0 ? phraseParts(term) : null;
    if (parts) for (const p of parts) covered.add(p);
  }
  let total = 0;
  let got = 0;
  for (const term of unique) {
    const w = termWeight(term) * (extraWeight?.(term) ?? 1);
    total += w;
    if (covered.has(term) || view.bag.tf(term) > 0) got += w;
  }
  return total === 0 ? 1 : got / total;
}

/** Coverage of a criterion with alternatives ("Accounting or Finance"): half all, half the best. */
function criterionCoverage(name: string, view: ResumeView): number {
  const all = coverage(termsOfJobText(name), view);
  const alternatives = name.split(/\s+or\s+|\//i).filter((p) => termsOfJobText(p).length > 0);
  if (alternatives.length < 2) return all;
  const best = Math.max(...alternatives.map((p) => coverage(termsOfJobText(p), view)));
  return 0.5 * all + 0.5 * best;
}

const DEGREE_WORDS =
  /\b(bachelor'?s?|master'?s?|mba|ph\.?d|doctorate|associate'?s?|degree|diploma|bsn|adn|b\.?s\.?|b\.?a\.?|m\.?s\.?)\b/gi;
const YEARS = /(\d{1,2})\s*\+?\s*(?:-\s*\d+\s*)?(?:years?|yrs?)\b/i;

/** BM25 relevance of the resume to a text, scaled to 0-1 by its maximum. */
function relevance(queryTerms: string[], view: ResumeView): number {
  const q = new Bag(queryTerms);
  let max = 0;
  let got = 0;
  for (const [term, qtf] of q.counts) {
    const w = termWeight(term) * Math.min(3, qtf);
    max += w;
    got += w * saturation(view.bag.tf(term), view.bag.length);
  }
  return max === 0 ? 0 : got / max;
}

/** The line of the resume that best supports `wanted`, for the recruiter to read. */
function evidenceFor(wanted: string[], view: ResumeView): string | null {
  const want = [...new Set(wanted)];
  view.lineSets ??= view.lineTerms.map((l) => new Set(l));
  let best = -1;
  let bestScore = 0;
  view.lineSets.forEach((lineSet, i) => {
    let score = 0;
    for (const t of want) if (lineSet.has(t)) score += termWeight(t);
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  });
  return best >= 0 ? view.lines[best]!.slice(0, 300) : null;
}

/** The text the responsibilities criterion is measured against: title, duties, requirements. */
function relevanceQuery(description: string, title?: string): string {
  const job = readJob(description, title);
  const query = [job.title ?? '', ...job.responsibilities, ...job.required].join('\n');
  return query.trim() ? query : description;
}

/** Terms of job-side texts (criteria, descriptions), which repeat for every resume of a job. */
const jobTerms = new Map<string, string[]>();
function termsOfJobText(text: string): string[] {
  let cached = jobTerms.get(text);
  if (!cached) {
    if (jobTerms.size > 5_000) jobTerms.clear();
    cached = terms(text);
    jobTerms.set(text, cached);
  }
  return cached;
}

/**
 * The built-in scorer: no key, no network, deterministic. Each criterion gets graded credit:
 * the role criterion compares the job title with the resume's headline and text, the
 * responsibilities criterion is a BM25 relevance of the resume to them, year and degree
 * requirements are checked against the dates and degrees in the resume, and every other
 * criterion is matched term by term (stemming, synonyms, common resume words discounted). Each
 * graded credit is put on the default thresholds' scale by {@link calibrateCredit}; the score is
 * the weighted credit, computed by {@link scoreFromVerdicts}.
 */
export class LocalScorer implements Scorer {
  readonly model = LOCAL_MODEL;
  readonly promptVersion = LOCAL_PROMPT_VERSION;
  private readonly calibration: CreditAnchors | null;

  /**
   * @param options.calibration credit anchors; null keeps the raw graded credit (the quality
   *   benchmark fits the anchors from it). Defaults to {@link LOCAL_CALIBRATION}.
   */
  constructor(options: { calibration?: CreditAnchors | null } = {}) {
    this.calibration = options.calibration === undefined ? LOCAL_CALIBRATION : options.calibration;
  }

  async analyse(input: ScoreInput): Promise<Analysis> {
    return this.analyseSync(input);
  }

  /** The same analysis, synchronously (benchmarks and the CLI score thousands at once). */
  analyseSync(input: ScoreInput): Analysis {
    const started = performance.now();
    const prepared = prepareResume(input, (d) => deriveCriteria(d, input.job.title));
    const text = prepared.text;
    const lines = sentences(text);
    const lineTerms = lines.map(terms);
    const view: ResumeView = {
      bag: new Bag(lineTerms.flat()),
      head: new Bag(terms(headline(text))),
      lines,
      lineTerms,
      years: yearsOfExperience(text),
      degree: degreeLevel(text),
    };
    const verdicts = prepared.criteria.map((c) => this.judge(c, input, view));
    const score = scoreFromVerdicts(verdicts);
    const met = verdicts.filter((v) => v.met === 'yes').map((v) => v.name);
    const missing = verdicts.filter((v) => v.met === 'no').map((v) => v.name);
    return {
      score,
      tier: tierFor(score, input.job.thresholds, verdicts),
      criteria: verdicts,
      yearsExperience: view.years,
      summary:
        `Meets ${met.length} of ${verdicts.length} criteria${met.length ? ` (${met.slice(0, 3).join('; ')})` : ''}` +
        `${view.years !== null ? `, about ${view.years} years of experience` : ''}. ` +
        (missing.length ? `Not shown: ${missing.slice(0, 3).join('; ')}.` : 'Nothing missing.'),
      warnings: prepared.warnings,
      model: this.model,
      promptVersion: this.promptVersion,
      tokensIn: 0,
      tokensOut: 0,
      costUsd: 0,
      cached: false,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      blind: prepared.blind,
    };
  }

  private judge(criterion: Criterion, input: ScoreInput, view: ResumeView): CriterionVerdict {
    const { credit, wanted, evidence } = this.credit(criterion, input, view);
    const raw = Math.max(0, Math.min(1, credit));
    const c = round(this.calibration ? calibrateCredit(raw, this.calibration) : raw);
    return {
      name: criterion.name,
      weight: criterion.weight,
      required: criterion.required,
      met: metFor(c),
      evidence: c > 0 ? (evidence ?? evidenceFor(wanted, view)) : null,
      credit: c,
    };
  }

  private credit(
    criterion: Criterion,
    input: ScoreInput,
    view: ResumeView,
  ): { credit: number; wanted: string[]; evidence?: string | null } {
    const name = criterion.name;
    if (name.startsWith(ROLE_PREFIX)) {
      const wanted = termsOfJobText(name.slice(ROLE_PREFIX.length));
      let total = 0;
      let inHeadline = 0;
      for (const t of new Set(wanted)) {
        total += titleWeight(t);
        if (view.head.tf(t) > 0) inHeadline += titleWeight(t);
      }
      const headlineCredit = total ? inHeadline / total : 0;
      // How much of the history shows the role: each title word graded by how often it appears.
      let history = 0;
      for (const t of new Set(wanted)) {
        history += titleWeight(t) * saturation(view.bag.tf(t), view.bag.length);
      }
      const credit = 0.6 * headlineCredit + 0.4 * (total ? history / total : 0);
      return { credit, wanted };
    }
    if (name === RELEVANCE_NAME) {
      const wanted = termsOfJobText(relevanceQuery(input.job.description, input.job.title));
      return { credit: Math.min(1, relevance(wanted, view) * 1.6), wanted };
    }
    const wanted = termsOfJobText(name);
    const years = name.match(YEARS);
    const needDegree = DEGREE_WORDS.test(name) ? degreeLevel(name) || 2 : 0;
    DEGREE_WORDS.lastIndex = 0;
    const rest = name.replace(YEARS, ' ').replace(DEGREE_WORDS, ' ');
    const restCoverage = termsOfJobText(rest).length > 0 ? criterionCoverage(rest, view) : null;
    const parts: number[] = [];
    if (years) parts.push(Math.min(1, (view.years ?? 0) / Math.max(1, Number(years[1]))));
    if (needDegree > 0) parts.push(view.degree >= needDegree ? 1 : view.degree > 0 ? 0.5 : 0);
    // Years and degree count 40% next to the field they are asked in ("3+ years in accounting").
    const requirement = parts.length ? parts.reduce((a, b) => a + b, 0) / parts.length : null;
    const credit =
      requirement === null
        ? (restCoverage ?? 0)
        : restCoverage === null
          ? requirement
          : 0.4 * requirement + 0.6 * restCoverage;
    return { credit, wanted };
  }
}

/** The local scorer under its first name; kept so existing callers compile. */
export { LocalScorer as KeywordScorer };
