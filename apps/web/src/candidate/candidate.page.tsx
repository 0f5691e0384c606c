import { useEffect, useId, useMemo, useState } from 'react';
import { Link } from 'wouter';
import { useApp } from '../app-context';
import type { CriterionVerdict, Resume } from '../api/types';
import { useJob } from '../jobs/job-context';
import { candidateLabel, formatBytes, formatDate, formatMoney, STATUS_TEXT } from '../lib/format';
import { segmentText } from '../lib/highlight';
import { maskIdentity } from '../lib/mask-identity';
import { warningText } from '../lib/warnings';
import { ErrorState, Loading } from '../ui/states';
import { ScoreBar, TierChip } from '../ui/tier';
import { useAsync } from '../ui/use-async';

const MET_TEXT = { yes: 'Met', partial: 'Partly met', no: 'Not met' } as const;

export default function CandidatePage({ resumeId }: { resumeId: string }) {
  const { api, capabilities } = useApp();
  const { job, live } = useJob();
  const resume = useAsync(`resume:${resumeId}:${live.tick}`, (signal) =>
    api.getResume(resumeId, signal),
  );
  const textSource = capabilities.resumeText
    ? 'text'
    : capabilities.resumeFile && resume.data?.mime.startsWith('text/')
      ? 'file'
      : null;
  const text = useAsync(
    resume.data?.status === 'done' && textSource ? `text:${resumeId}:${textSource}` : null,
    async (signal) =>
      textSource === 'text'
        ? api.getResumeText(resumeId, signal)
        : (await api.getResumeFile(resumeId, signal)).text(),
  );

  if (resume.error && !resume.data)
    return (
      <ErrorState
        error={resume.error}
        title="This candidate could not be opened"
        onRetry={resume.reload}
      />
    );
  if (!resume.data) return <Loading label="Loading candidate…" />;
  return (
    <CandidateView
      resume={resume.data}
      blind={job.blind}
      text={text.data ?? null}
      textLoading={text.loading}
      textError={text.error}
      canDownload={capabilities.resumeFile}
    />
  );
}

function CandidateView({
  resume,
  blind,
  text,
  textLoading,
  textError,
  canDownload,
}: {
  resume: Resume;
  blind: boolean;
  text: string | null;
  textLoading: boolean;
  textError: Error | null;
  canDownload: boolean;
}) {
  const [revealed, setRevealed] = useState(false);
  const [focused, setFocused] = useState<number | null>(null);
  const hidden = blind && !revealed;
  const analysis = resume.analysis;
  const criteria = analysis?.criteria ?? [];
  const ids = useId();

  return (
    <article className="candidate" aria-labelledby={`${ids}-name`}>
      <Link href="/" className="back-link">
        ← Back to the shortlist
      </Link>
      <header className="candidate-header">
        <div>
          <h1 id={`${ids}-name`}>{candidateLabel(resume, hidden)}</h1>
          {!hidden && <ContactLine resume={resume} />}
          <p className="sub">
            Uploaded {formatDate(resume.uploadedAt)}
            {!hidden && ` · ${resume.fileName}`} · {formatBytes(resume.size)}
          </p>
        </div>
        <div className="candidate-score">
          {resume.status === 'done' ? (
            <>
              <TierChip tier={resume.tier} />
              <ScoreBar score={resume.score} tier={resume.tier} />
              {analysis?.yearsExperience != null && (
                <span className="sub">{analysis.yearsExperience} years of experience</span>
              )}
            </>
          ) : (
            <span className={`status status-${resume.status}`}>{STATUS_TEXT[resume.status]}</span>
          )}
        </div>
      </header>
      {blind && (
        <p className="notice">
          Blind mode hides who this is.{' '}
          <button type="button" className="link-button" onClick={() => setRevealed((r) => !r)}>
            {revealed ? 'Hide identity again' : 'Reveal identity'}
          </button>
        </p>
      )}

      {resume.status === 'failed' && (
        <div className="state state-error" role="alert">
          <h2>This resume could not be scored</h2>
          <p>{resume.error ?? 'The file could not be read.'}</p>
        </div>
      )}

      {resume.warnings.length > 0 && (
        <section aria-labelledby={`${ids}-warn`} className="warnings">
          <h2 id={`${ids}-warn`}>Warnings</h2>
          <ul>
            {resume.warnings.map((warning, i) => {
              const words = warningText(warning.code);
              return (
                <li key={`${warning.code}-${i}`} className={`warning warning-${warning.code}`}>
                  <strong>{words.title}.</strong> {words.explain}
                  {warning.message && warning.message !== words.title && (
                    <span className="sub"> {warning.message}</span>
                  )}
                  {warning.snippet && (
                    <blockquote className="snippet">
                      <span className="visually-hidden">Flagged text: </span>
                      {warning.snippet}
                    </blockquote>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      )}

      {analysis && (
        <div className="candidate-body">
          <section aria-labelledby={`${ids}-crit`} className="breakdown">
            <h2 id={`${ids}-crit`}>Score breakdown</h2>
            {analysis.summary && <p className="summary">{analysis.summary}</p>}
            <ol className="verdicts">
              {criteria.map((c, i) => (
                <Verdict
                  key={`${c.name}-${i}`}
                  verdict={c}
                  index={i}
                  active={focused === i}
                  onShow={() => {
                    setFocused(i);
                    document
                      .getElementById(`evidence-${i}`)
                      ?.scrollIntoView({ block: 'center', behavior: 'smooth' });
                  }}
                />
              ))}
            </ol>
            <p className="sub">
              Scored by {analysis.model}
              {analysis.cached ? ' (from cache)' : ''} · {formatMoney(analysis.costUsd)}
            </p>
          </section>
          <section aria-labelledby={`${ids}-text`} className="resume-text">
            <div className="section-head">
              <h2 id={`${ids}-text`}>Resume</h2>
              {canDownload && <OriginalFileButton resume={resume} />}
            </div>
            {text !== null ? (
              <HighlightedText
                text={hidden ? maskIdentity(text, resume.candidate) : text}
                criteria={criteria}
                focused={focused}
              />
            ) : textLoading ? (
              <Loading label="Loading resume text…" />
            ) : textError ? (
              <p className="inline-error" role="alert">
                The resume text could not be loaded: {textError.message}
              </p>
            ) : (
              <EvidenceOnly criteria={criteria} />
            )}
          </section>
        </div>
      )}
    </article>
  );
}

function ContactLine({ resume }: { resume: Resume }) {
  const { email, phone, links } = resume.candidate;
  const parts = [email, phone, ...links].filter((p): p is string => Boolean(p));
  if (parts.length === 0) return null;
  return <p className="contact">{parts.join(' · ')}</p>;
}

function Verdict({
  verdict,
  index,
  active,
  onShow,
}: {
  verdict: CriterionVerdict;
  index: number;
  active: boolean;
  onShow(): void;
}) {
  return (
    <li className={`verdict verdict-${verdict.met}${active ? ' active' : ''}`}>
      <div className="verdict-head">
        <span className={`met met-${verdict.met}`}>{MET_TEXT[verdict.met]}</span>
        <span className="verdict-name">{verdict.name}</span>
        <span className="sub">
          weight {verdict.weight}
          {verdict.required ? ' · required' : ''}
        </span>
      </div>
      {verdict.evidence ? (
        <button
          type="button"
          className="evidence-button"
          onClick={onShow}
          aria-label={`Show evidence for ${verdict.name} in the resume`}
        >
          <span className={`quote-key q${index % 6}`} aria-hidden="true" />“{verdict.evidence}”
        </button>
      ) : (
        <p className="sub">No evidence found in the resume.</p>
      )}
    </li>
  );
}

/** The resume text with each criterion's quote marked; resume text is rendered as plain text only. */
function HighlightedText({
  text,
  criteria,
  focused,
}: {
  text: string;
  criteria: CriterionVerdict[];
  focused: number | null;
}) {
  const segments = useMemo(
    () =>
      segmentText(
        text,
        criteria.map((c) => (c.met === 'no' ? null : c.evidence)),
      ),
    [text, criteria],
  );
  const marked = new Set<number>();
  return (
    <pre
      className="resume-pre"
      role="region"
      tabIndex={0}
      aria-label="Resume text with evidence highlighted"
    >
      {segments.map((segment, i) => {
        if (segment.quote === null) return <span key={i}>{segment.text}</span>;
        const first = !marked.has(segment.quote);
        marked.add(segment.quote);
        return (
          <mark
            key={i}
            id={first ? `evidence-${segment.quote}` : undefined}
            className={`evidence q${segment.quote % 6}${focused === segment.quote ? ' focused' : ''}`}
            title={criteria[segment.quote]?.name}
          >
            {segment.text}
          </mark>
        );
      })}
    </pre>
  );
}

function EvidenceOnly({ criteria }: { criteria: CriterionVerdict[] }) {
  const quotes = criteria.filter((c) => c.evidence);
  return (
    <div className="evidence-only">
      <p className="hint">
        The full text of this file is not available here; these are the quoted passages.
      </p>
      {quotes.map((c, i) => (
        <blockquote key={i} id={`evidence-${criteria.indexOf(c)}`}>
          <mark className={`evidence q${criteria.indexOf(c) % 6}`}>{c.evidence}</mark>
          <footer>{c.name}</footer>
        </blockquote>
      ))}
    </div>
  );
}

function OriginalFileButton({ resume }: { resume: Resume }) {
  const { api } = useApp();
  const [error, setError] = useState<string | null>(null);
  const [url, setUrl] = useState<string | null>(null);
  useEffect(
    () => () => {
      if (url) URL.revokeObjectURL(url);
    },
    [url],
  );
  return (
    <span>
      {url ? (
        <a className="button" href={url} target="_blank" rel="noopener noreferrer">
          Open original file
        </a>
      ) : (
        <button
          type="button"
          className="button"
          onClick={async () => {
            setError(null);
            try {
              const blob = await api.getResumeFile(resume.id);
              // Served as an opaque download so an uploaded HTML or SVG can never run in our origin.
              const safe = new Blob([blob], {
                type:
                  blob.type === 'application/pdf' ? 'application/pdf' : 'application/octet-stream',
              });
              const objectUrl = URL.createObjectURL(safe);
              setUrl(objectUrl);
              window.open(objectUrl, '_blank', 'noopener');
            } catch (caught) {
              setError((caught as Error).message);
            }
          }}
        >
          Original file
        </button>
      )}
      {error && (
        <span className="inline-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
