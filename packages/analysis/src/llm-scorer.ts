import type { Analysis, CriterionVerdict, ResumeWarning } from '@shortlist/contracts';
import type { LlmClient, StructuredResult } from '@shortlist/llm';
import { deriveCriteria } from './local-scorer';
import { prepareResume, type ScoreInput } from './prepare';
import { buildMessages, LLM_PROMPT_VERSION, ModelAnswer } from './prompt';
import { scoreFromVerdicts, tierFor } from './score';
import type { Scorer } from './scorer';

export interface LlmScorerOptions {
  /** Runs per resume; the median score wins and the spread is reported. Default 1. */
  consensus?: number;
}

const squash = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/**
 * Scores with any OpenAI-compatible model. The model gives one verdict and a quote per
 * criterion; our code computes the score and tier from them, checks every quote against the
 * resume (a quote that is not there is dropped and flagged), and in consensus mode runs k times
 * with different seeds and keeps the median run.
 */
export class LlmScorer implements Scorer {
  readonly model: string;
  readonly promptVersion = LLM_PROMPT_VERSION;

  constructor(
    readonly client: LlmClient,
    private readonly options: LlmScorerOptions = {},
  ) {
    this.model = client.model;
  }

  async analyse(input: ScoreInput): Promise<Analysis> {
    const started = performance.now();
    const prepared = prepareResume(input, (d) => deriveCriteria(d, input.job.title));
    const messages = buildMessages(input.job, prepared.criteria, prepared.text);
    const runs = Math.max(1, this.options.consensus ?? 1);
    const results: StructuredResult<ModelAnswer>[] = await Promise.all(
      Array.from({ length: runs }, (_, i) =>
        this.client.structured({
          messages,
          schema: ModelAnswer,
          schemaName: 'resume_assessment',
          signal: input.signal,
          ...(i > 0 ? { seed: i } : {}),
        }),
      ),
    );

    const haystack = squash(prepared.text);
    let unquotable = 0;
    const assessed = results.map((result) => {
      const verdicts: CriterionVerdict[] = prepared.criteria.map((criterion, index) => {
        const answer =
          result.value.criteria.find((c) => squash(c.name) === squash(criterion.name)) ??
          result.value.criteria[index];
        let evidence = answer?.evidence?.trim() || null;
        if (evidence && !haystack.includes(squash(evidence))) {
          unquotable += 1;
          evidence = null;
        }
        return {
          name: criterion.name,
          weight: criterion.weight,
          required: criterion.required,
          met: answer?.met ?? 'no',
          evidence: evidence ? evidence.slice(0, 500) : null,
        };
      });
      return { result, verdicts, score: scoreFromVerdicts(verdicts) };
    });
    const scores = assessed.map((a) => a.score);
    const middle = median(scores);
    const chosen = assessed.find((a) => a.score === middle)!;

    const warnings: ResumeWarning[] = [...prepared.warnings];
    if (unquotable > 0) {
      warnings.push({
        code: 'low_confidence',
        message: `The model quoted ${unquotable} passage(s) that are not in the resume; those quotes were dropped.`,
        snippet: null,
      });
    }
    const spread = Math.max(...scores) - Math.min(...scores);
    if (runs > 1 && spread >= 20) {
      warnings.push({
        code: 'low_confidence',
        message: `Repeated assessments disagree (scores ${Math.min(...scores)}-${Math.max(...scores)}); check this candidate by hand.`,
        snippet: null,
      });
    }
    const sum = (pick: (r: StructuredResult<ModelAnswer>) => number) =>
      results.reduce((total, r) => total + pick(r), 0);
    return {
      score: middle,
      tier: tierFor(middle, input.job.thresholds, chosen.verdicts),
      criteria: chosen.verdicts,
      yearsExperience: chosen.result.value.yearsExperience,
      summary: chosen.result.value.summary,
      warnings,
      model: chosen.result.model,
      promptVersion: LLM_PROMPT_VERSION,
      tokensIn: sum((r) => r.tokensIn),
      tokensOut: sum((r) => r.tokensOut),
      costUsd: Math.round(sum((r) => r.costUsd) * 1e8) / 1e8,
      cached: false,
      durationMs: Math.round(performance.now() - started),
      consensus: runs > 1 ? { runs, scores, spread } : null,
      blind: prepared.blind,
    };
  }
}
