import { Link, useSearch } from 'wouter';
import { useApp } from '../app-context';
import type { CriterionVerdict, Resume } from '../api/types';
import { useJob } from '../jobs/job-context';
import { candidateLabel } from '../lib/format';
import { idsFromSearch } from '../lib/query-ids';
import { warningText } from '../lib/warnings';
import { ErrorState, Loading } from '../ui/states';
import { ScoreBar, TierChip } from '../ui/tier';
import { useAsync } from '../ui/use-async';

const MET_ICON = { yes: '✓', partial: '◐', no: '✗' } as const;
const MET_TEXT = { yes: 'Met', partial: 'Partly', no: 'Not met' } as const;

export default function ComparePage() {
  const { api } = useApp();
  const { job } = useJob();
  const ids = idsFromSearch(useSearch(), 5);
  const resumes = useAsync(ids.length >= 2 ? `compare:${ids.join(',')}` : null, (signal) =>
    Promise.all(ids.map((id) => api.getResume(id, signal))),
  );

  if (ids.length < 2)
    return (
      <div className="state">
        <h1>Compare candidates</h1>
        <p>
          Pick 2 to 5 candidates in the <Link href="/">shortlist</Link>, then choose Compare.
        </p>
      </div>
    );
  if (resumes.error)
    return (
      <ErrorState
        error={resumes.error}
        title="Candidates could not be loaded"
        onRetry={resumes.reload}
      />
    );
  if (!resumes.data) return <Loading label="Loading candidates…" />;

  const list = resumes.data;
  const verdictOf = (resume: Resume, name: string): CriterionVerdict | undefined =>
    resume.analysis?.criteria.find((c) => c.name.toLowerCase() === name.toLowerCase());
  const names = [
    ...new Set([
      ...job.criteria.map((c) => c.name),
      ...list.flatMap((r) => r.analysis?.criteria.map((c) => c.name) ?? []),
    ]),
  ];

  return (
    <>
      <Link href="/" className="back-link">
        ← Back to the shortlist
      </Link>
      <h1>Compare {list.length} candidates</h1>
      <div className="compare-scroll" tabIndex={0} role="region" aria-label="Comparison table">
        <table className="compare">
          <caption className="visually-hidden">
            Candidates side by side against the job criteria
          </caption>
          <thead>
            <tr>
              <th scope="col">Criterion</th>
              {list.map((r) => (
                <th scope="col" key={r.id}>
                  <Link href={`/candidates/${r.id}`}>{candidateLabel(r, job.blind)}</Link>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Score</th>
              {list.map((r) => (
                <td key={r.id}>
                  <ScoreBar score={r.score} tier={r.tier} /> <TierChip tier={r.tier} />
                </td>
              ))}
            </tr>
            <tr>
              <th scope="row">Experience</th>
              {list.map((r) => (
                <td key={r.id}>
                  {r.analysis?.yearsExperience != null
                    ? `${r.analysis.yearsExperience} years`
                    : '—'}
                </td>
              ))}
            </tr>
            {names.map((name) => (
              <tr key={name}>
                <th scope="row">{name}</th>
                {list.map((r) => {
                  const v = verdictOf(r, name);
                  return (
                    <td key={r.id} className={v ? `cell-${v.met}` : undefined}>
                      {v ? (
                        <>
                          <span className={`met met-${v.met}`}>
                            <span aria-hidden="true">{MET_ICON[v.met]} </span>
                            {MET_TEXT[v.met]}
                          </span>
                          {v.evidence && <q className="compare-quote">{v.evidence}</q>}
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
            <tr>
              <th scope="row">Warnings</th>
              {list.map((r) => (
                <td key={r.id}>
                  {r.warnings.length === 0
                    ? 'None'
                    : r.warnings.map((w, i) => <div key={i}>{warningText(w.code).title}</div>)}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
    </>
  );
}
