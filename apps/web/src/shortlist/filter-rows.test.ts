import type { CriterionVerdict, Resume } from '../api/types';
import { criteriaSummary, filterRows } from './filter-rows';

const verdict = (name: string, met: CriterionVerdict['met'], evidence: string | null = null) =>
  ({ name, met, evidence, weight: 1, required: name === 'Go' }) as CriterionVerdict;

const resume = (id: string, criteria: CriterionVerdict[], warnings = 0) =>
  ({
    id,
    analysis: { criteria, summary: 'Missing: Kubernetes.' },
    warnings: Array.from({ length: warnings }, () => ({ code: 'hidden_text' })),
  }) as unknown as Resume;

const rows = [
  resume('a', [verdict('Kubernetes', 'yes', 'Ran Kubernetes clusters'), verdict('Go', 'no')]),
  resume('b', [verdict('Kubernetes', 'no'), verdict('Go', 'yes', 'Wrote services in Go')], 1),
  resume('c', [verdict('Cloud', 'partial', 'Some EKS and kubernetes work'), verdict('Go', 'no')]),
  { id: 'd', analysis: null, warnings: [] } as unknown as Resume,
];

describe('shortlist filters', () => {
  it('finds candidates with a skill by criterion name or evidence, never by a missing one', () => {
    expect(
      filterRows(rows, { search: 'KUBERNETES', warningsOnly: false }).map((r) => r.id),
    ).toEqual(['a', 'c']);
    expect(filterRows(rows, { search: '  ', warningsOnly: false })).toHaveLength(4);
  });

  it('keeps only candidates with warnings when asked, combined with the search', () => {
    expect(filterRows(rows, { search: '', warningsOnly: true }).map((r) => r.id)).toEqual(['b']);
    expect(filterRows(rows, { search: 'kubernetes', warningsOnly: true })).toEqual([]);
  });

  it('summarises criteria met (partial counts half) and required ones missing', () => {
    expect(criteriaSummary(rows[0]!)).toEqual({ met: 1, total: 2, missingRequired: 1 });
    expect(criteriaSummary(rows[2]!)).toEqual({ met: 0.5, total: 2, missingRequired: 1 });
    expect(criteriaSummary(rows[3]!)).toEqual({ met: 0, total: 0, missingRequired: 0 });
  });
});
