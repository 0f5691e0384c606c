import { DEFAULT_THRESHOLDS, type CriterionVerdict } from '@shortlist/contracts';
import { calibrateCredit, LOCAL_CALIBRATION } from './local/calibration';
import { KeywordScorer, deriveCriteria } from './local-scorer';
import { scoreFromVerdicts, tierFor } from './score';

const v = (met: CriterionVerdict['met'], weight = 1, required = false): CriterionVerdict => ({
  name: 'x',
  weight,
  required,
  met,
  evidence: null,
});

describe('score and tier', () => {
  it('weights verdicts: yes counts fully, partial half, no nothing', () => {
    expect(scoreFromVerdicts([v('yes', 3), v('partial', 2), v('no', 5)])).toBe(40);
    expect(scoreFromVerdicts([])).toBe(0);
  });

  it('keeps a candidate missing a required criterion out of the shortlist', () => {
    const verdicts = [v('yes', 9), v('no', 1, true)];
    expect(scoreFromVerdicts(verdicts)).toBe(90);
    expect(tierFor(90, DEFAULT_THRESHOLDS, verdicts)).toBe('maybe');
    expect(tierFor(90, DEFAULT_THRESHOLDS, [v('yes', 9)])).toBe('shortlist');
    expect(tierFor(10, DEFAULT_THRESHOLDS)).toBe('reject');
  });
});

describe('local score calibration', () => {
  it('puts the anchors on the default threshold levels and keeps none and full credit', () => {
    expect(calibrateCredit(0)).toBe(0);
    expect(calibrateCredit(LOCAL_CALIBRATION.maybe)).toBeCloseTo(DEFAULT_THRESHOLDS.maybe / 100);
    expect(calibrateCredit(LOCAL_CALIBRATION.shortlist)).toBeCloseTo(
      DEFAULT_THRESHOLDS.shortlist / 100,
    );
    expect(calibrateCredit(1)).toBe(1);
  });

  it('never lowers a credit for more evidence', () => {
    const raws = Array.from({ length: 1001 }, (_, i) => i / 1000);
    const scores = raws.map((raw) => calibrateCredit(raw));
    for (let i = 1; i < scores.length; i += 1) {
      expect(scores[i]).toBeGreaterThanOrEqual(scores[i - 1]!);
    }
  });
});

describe('KeywordScorer', () => {
  const job = {
    description: 'Backend engineer with TypeScript, PostgreSQL and Redis',
    criteria: [
      { name: 'TypeScript', weight: 2, required: true },
      { name: 'PostgreSQL', weight: 1, required: false },
      { name: 'Kubernetes', weight: 1, required: false },
    ],
    thresholds: DEFAULT_THRESHOLDS,
  };

  it('quotes the resume line that shows each met criterion', async () => {
    const analysis = await new KeywordScorer().analyse({
      text: 'Jane Doe\nBuilt APIs in TypeScript and Node.js.\nTuned PostgreSQL queries.',
      job,
    });
    expect(analysis.criteria.map((c) => c.met)).toEqual(['yes', 'yes', 'no']);
    expect(analysis.criteria[0]!.evidence).toBe('Built APIs in TypeScript and Node.js.');
    expect(analysis.score).toBe(75);
    expect(analysis.tier).toBe('shortlist');
  });

  it('derives criteria from the description when none are given', () => {
    const names = deriveCriteria(
      'We need Kafka. Kafka streaming, Kafka ops, and Go services in Go.',
    ).map((c) => c.name);
    expect(names[0]).toBe('kafka');
    expect(names).toContain('go');
  });
});
