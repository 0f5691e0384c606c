import type { Analysis, Criterion, CriterionVerdict } from '@shortlist/contracts';
import { prepareResume, type ScoreInput } from './prepare';
import type { Scorer } from './scorer';
import { scoreFromVerdicts, tierFor } from './score';
import { isStopword, sentences, tokenize } from './text';

export const LOCAL_MODEL = 'local-keyword-v1';
export const LOCAL_PROMPT_VERSION = 'local-1';

/**
 * Criteria derived from a job description when the recruiter gave none: the most frequent
 * content words, weighted by frequency (a plain first pass the recruiter can edit).
 */
export function deriveCriteria(description: string, max = 8): Criterion[] {
  const counts = new Map<string, number>();
  for (const token of tokenize(description)) {
    if (token.length < 2 || isStopword(token)) continue;
    counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, max)
    .map(([name, count]) => ({ name, weight: Math.min(3, count), required: false }));
}

function verdictFor(
  criterion: Criterion,
  lines: string[],
  tokenSet: Set<string>,
): CriterionVerdict {
  const terms = tokenize(criterion.name).filter((t) => !isStopword(t));
  const found = terms.filter((t) => tokenSet.has(t));
  const met =
    terms.length > 0 && found.length === terms.length ? 'yes' : found.length > 0 ? 'partial' : 'no';
  const evidenceLine =
    found.length > 0 ? lines.find((line) => tokenize(line).includes(found[0]!)) : undefined;
  return {
    name: criterion.name,
    weight: criterion.weight,
    required: criterion.required,
    met,
    evidence: evidenceLine ? evidenceLine.slice(0, 300) : null,
  };
}

/** A deterministic keyword scorer that needs no network: each criterion is met when its words appear. */
export class KeywordScorer implements Scorer {
  readonly model = LOCAL_MODEL;
  readonly promptVersion = LOCAL_PROMPT_VERSION;

  async analyse(input: ScoreInput): Promise<Analysis> {
    const started = performance.now();
    const prepared = prepareResume(input, deriveCriteria);
    const criteria = prepared.criteria;
    const lines = sentences(prepared.text);
    const tokenSet = new Set(tokenize(prepared.text));
    const verdicts = criteria.map((c) => verdictFor(c, lines, tokenSet));
    const score = scoreFromVerdicts(verdicts);
    const met = verdicts.filter((v) => v.met === 'yes').map((v) => v.name);
    const missing = verdicts.filter((v) => v.met === 'no').map((v) => v.name);
    return {
      score,
      tier: tierFor(score, input.job.thresholds, verdicts),
      criteria: verdicts,
      yearsExperience: null,
      summary:
        `Meets ${met.length} of ${verdicts.length} criteria${met.length ? ` (${met.slice(0, 4).join(', ')})` : ''}. ` +
        (missing.length ? `Missing: ${missing.slice(0, 4).join(', ')}.` : 'Nothing missing.'),
      warnings: prepared.warnings,
      model: this.model,
      promptVersion: LOCAL_PROMPT_VERSION,
      tokensIn: 0,
      tokensOut: 0,
      costUsd: 0,
      cached: false,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      blind: prepared.blind,
    };
  }
}
