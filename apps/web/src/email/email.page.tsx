import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link, useSearch } from 'wouter';
import { useApp } from '../app-context';
import type { EmailContent, EmailMessage, QueueEmailsResponse, Resume } from '../api/types';
import { useJob } from '../jobs/job-context';
import { candidateLabel, formatDate } from '../lib/format';
import { idsFromSearch } from '../lib/query-ids';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { EmptyState, ErrorState, InlineError, Loading } from '../ui/states';
import { useAsync } from '../ui/use-async';
import { useDebounced } from '../ui/use-debounced';
import { cancelOutcome } from './cancel-outcome';

type Kind = EmailContent['kind'];

const KIND_TEXT: Record<Kind, string> = {
  invite: 'Invitation to interview',
  reject: 'Rejection',
  custom: 'Custom message',
};

const REASONS: { value: string; text: string }[] = [
  { value: '', text: 'No reason given' },
  { value: 'position_filled', text: 'The position has been filled' },
  { value: 'experience', text: 'Looking for different experience' },
  { value: 'skills', text: 'Looking for different skills' },
  { value: 'requirements', text: 'Requirements not met' },
];

const STATUS_TEXT: Record<string, string> = {
  queued: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export default function EmailPage() {
  const { capabilities } = useApp();
  const { job } = useJob();
  const ids = idsFromSearch(useSearch(), 1_000);
  if (!capabilities.emails)
    return (
      <EmptyState title="Email is not available on this server">
        <p>This Shortlist server does not send email. Ask your administrator to enable it.</p>
      </EmptyState>
    );
  return (
    <>
      <h1>Email candidates</h1>
      {ids.length > 0 ? (
        <Composer ids={ids} />
      ) : (
        <p className="hint">
          To write to candidates, select them in the <Link href="/">shortlist</Link> and choose
          Email.
        </p>
      )}
      <StatusList jobId={job.id} blind={job.blind} />
    </>
  );
}

function Composer({ ids }: { ids: string[] }) {
  const { api } = useApp();
  const { job } = useJob();
  const form = useId();
  const resumes = useAsync(`email-resumes:${ids.join(',')}`, (signal) =>
    Promise.all(ids.map((id) => api.getResume(id, signal))),
  );
  const [kind, setKind] = useState<Kind>('invite');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [reason, setReason] = useState('');
  const [personalise, setPersonalise] = useState(false);
  const [addresses, setAddresses] = useState<Record<string, string>>({});
  const [previewFor, setPreviewFor] = useState<string>(ids[0]!);
  const [result, setResult] = useState<QueueEmailsResponse | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const resultRef = useRef<HTMLDivElement>(null);

  const content = useMemo<EmailContent>(
    () => ({
      kind,
      personalise,
      ...(kind === 'custom' ? { subject, body } : {}),
      ...(kind === 'reject' && reason ? { rejectionReason: reason } : {}),
    }),
    [kind, personalise, subject, body, reason],
  );
  const addressOf = (r: Resume) => (addresses[r.id] ?? r.candidate.email ?? '').trim();
  const previewTo = useDebounced(addresses[previewFor]?.trim() ?? '');
  const previewContent = useDebounced(content);
  const previewReady = kind !== 'custom' || (subject.trim() !== '' && body.trim() !== '');
  const previewResume = resumes.data?.find((r) => r.id === previewFor);
  const previewHasAddress = Boolean(previewTo || previewResume?.candidate.email);
  const preview = useAsync(
    previewReady && previewHasAddress
      ? `preview:${previewFor}:${previewTo}:${JSON.stringify(previewContent)}`
      : null,
    (signal) =>
      api.previewEmail(
        { ...previewContent, resumeId: previewFor, ...(previewTo ? { to: previewTo } : {}) },
        signal,
      ),
  );

  useEffect(() => {
    if (result) resultRef.current?.focus();
  }, [result]);

  if (resumes.error) return <ErrorState error={resumes.error} onRetry={resumes.reload} />;
  if (!resumes.data) return <Loading label="Loading candidates…" />;
  const list: Resume[] = resumes.data;
  const labelOf = (r: Resume) => candidateLabel(r, job.blind);
  const missing = list.filter((r) => !addressOf(r));

  async function send() {
    setBusy(true);
    setError(null);
    try {
      const items = list.map((r) => {
        const typed = addresses[r.id]?.trim();
        return { resumeId: r.id, ...(typed ? { to: typed } : {}) };
      });
      setResult(await api.sendEmails({ ...content, items }));
    } catch (caught) {
      setError(caught as Error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="composer"
      aria-labelledby={`${form}-h`}
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <h2 id={`${form}-h`}>
        Write to {list.length} {list.length === 1 ? 'candidate' : 'candidates'}
      </h2>
      <fieldset>
        <legend>Template</legend>
        {(Object.keys(KIND_TEXT) as Kind[]).map((k) => (
          <label key={k} className="radio">
            <input
              type="radio"
              name="kind"
              value={k}
              checked={kind === k}
              onChange={() => setKind(k)}
            />
            {KIND_TEXT[k]}
          </label>
        ))}
      </fieldset>
      {kind === 'reject' && (
        <div className="field">
          <label htmlFor={`${form}-reason`}>Reason given to the candidate</label>
          <select id={`${form}-reason`} value={reason} onChange={(e) => setReason(e.target.value)}>
            {REASONS.map((r) => (
              <option key={r.value} value={r.value}>
                {r.text}
              </option>
            ))}
          </select>
        </div>
      )}
      {kind === 'custom' && (
        <>
          <div className="field">
            <label htmlFor={`${form}-subject`}>Subject</label>
            <input
              id={`${form}-subject`}
              value={subject}
              onChange={(e) => setSubject(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${form}-body`}>Message</label>
            <textarea
              id={`${form}-body`}
              rows={7}
              value={body}
              onChange={(e) => setBody(e.target.value)}
            />
          </div>
          <p className="hint">
            You can use {'{{candidateName}}'}, {'{{jobTitle}}'}, {'{{companyName}}'},{' '}
            {'{{schedulingLink}}'}, {'{{recruiterSignature}}'} and, with the box below ticked,{' '}
            {'{{personalNote}}'}.
          </p>
        </>
      )}
      <label className="checkbox">
        <input
          type="checkbox"
          checked={personalise}
          onChange={(e) => setPersonalise(e.target.checked)}
        />
        Add a sentence naming the criteria each candidate matched
      </label>

      <fieldset>
        <legend>Recipients</legend>
        {missing.length > 0 && (
          <p className="notice">
            {missing.length === 1
              ? 'One resume has no email address: type it in, or it will be skipped.'
              : `${missing.length} resumes have no email address: type them in, or they will be skipped.`}
          </p>
        )}
        <ul className="recipients">
          {list.map((r) => (
            <li key={r.id}>
              <label htmlFor={`${form}-to-${r.id}`}>{labelOf(r)}</label>
              <input
                id={`${form}-to-${r.id}`}
                type="email"
                autoComplete="off"
                placeholder={
                  job.blind && r.candidate.email ? 'Address on file' : 'name@example.com'
                }
                value={addresses[r.id] ?? (job.blind ? '' : (r.candidate.email ?? ''))}
                onChange={(e) => setAddresses((a) => ({ ...a, [r.id]: e.target.value }))}
              />
            </li>
          ))}
        </ul>
      </fieldset>

      <section className="preview" aria-labelledby={`${form}-p`}>
        <h3 id={`${form}-p`}>Preview</h3>
        <label htmlFor={`${form}-who`}>Preview for</label>
        <select
          id={`${form}-who`}
          value={previewFor}
          onChange={(e) => setPreviewFor(e.target.value)}
        >
          {list.map((r) => (
            <option key={r.id} value={r.id}>
              {labelOf(r)}
            </option>
          ))}
        </select>
        {!previewReady ? (
          <p className="hint">Write a subject and a message to see the preview.</p>
        ) : !previewHasAddress ? (
          <p className="hint">Type this candidate&apos;s email address to see the preview.</p>
        ) : preview.error ? (
          <InlineError error={preview.error} />
        ) : preview.data ? (
          <div className="email-preview" data-testid="email-preview">
            <p>
              <strong>To:</strong> {job.blind ? 'hidden in blind mode' : preview.data.to}
            </p>
            <p>
              <strong>Subject:</strong> {preview.data.subject}
            </p>
            <pre>{preview.data.text}</pre>
          </div>
        ) : (
          <Loading label="Rendering preview…" />
        )}
      </section>

      <InlineError error={error} />
      {result && (
        <div className="send-result" role="status" tabIndex={-1} ref={resultRef}>
          <p>
            <strong>
              {result.counts.queued} queued
              {result.counts.existing > 0 && `, ${result.counts.existing} already sent before`}
              {result.counts.rejected > 0 && `, ${result.counts.rejected} not sent`}.
            </strong>{' '}
            Delivery status updates below.
          </p>
          {result.results.some((r) => r.outcome === 'rejected') && (
            <ul>
              {result.results
                .filter((r) => r.outcome === 'rejected')
                .map((r) => {
                  const resume = list.find((x) => x.id === r.resumeId);
                  return (
                    <li key={r.index}>
                      {resume ? labelOf(resume) : r.resumeId}: {r.error?.message}
                    </li>
                  );
                })}
            </ul>
          )}
        </div>
      )}
      <button
        type="submit"
        className="button button-primary"
        disabled={busy || !previewReady || result !== null}
      >
        {busy ? 'Sending…' : `Send ${list.length === 1 ? 'email' : `${list.length} emails`}`}
      </button>
    </form>
  );
}

type CancelRequest = { email: EmailMessage } | { allQueued: number };

function StatusList({ jobId, blind }: { jobId: string; blind: boolean }) {
  const { api, capabilities } = useApp();
  const [round, setRound] = useState(0);
  const emails = useAsync(`emails:${jobId}:${round}`, (signal) => api.listJobEmails(jobId, signal));
  const items = emails.data?.items ?? [];
  const pending = items.some((e) => e.status === 'queued' || e.status === 'sending');
  const queued = items.filter((e) => e.status === 'queued').length;
  const [asking, setAsking] = useState<CancelRequest | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<string | null>(null);
  const [cancelError, setCancelError] = useState<Error | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => setRound((r) => r + 1), pending ? 1_000 : 5_000);
    return () => clearTimeout(timer);
  }, [pending, round]);

  const recipient = (e: EmailMessage) => (blind ? 'hidden in blind mode' : e.to);
  /** Who an email goes to, in a sentence or a button's name. */
  const addressee = (e: EmailMessage) => (blind ? 'this candidate' : e.to);

  async function cancel(request: CancelRequest) {
    setBusy(true);
    setOutcome(null);
    setCancelError(null);
    try {
      if ('email' in request) {
        const { cancelled, email } = await api.cancelEmail(request.email.id);
        if (email && emails.data)
          emails.setData({
            ...emails.data,
            items: emails.data.items.map((e) => (e.id === email.id ? email : e)),
          });
        setOutcome(cancelOutcome(cancelled, email, blind ? null : request.email.to));
      } else {
        const result = await api.cancelQueuedEmails(jobId);
        setOutcome(
          `${result.cancelled === 1 ? '1 email' : `${result.cancelled} emails`} cancelled.` +
            (result.notCancelled > 0
              ? ` ${result.notCancelled} had started sending and could not be stopped.`
              : ''),
        );
      }
    } catch (caught) {
      // Most often the email started sending meanwhile: the refreshed list shows where it is.
      setCancelError(caught as Error);
    } finally {
      setBusy(false);
      setRound((r) => r + 1);
    }
  }

  return (
    <section className="email-status" aria-labelledby="email-status-h">
      <div className="section-header">
        <h2 id="email-status-h">Delivery status</h2>
        {capabilities.cancelEmails && queued > 0 && (
          <button
            type="button"
            className="button"
            disabled={busy}
            onClick={() => setAsking({ allQueued: queued })}
          >
            Cancel {queued === 1 ? 'the queued email' : `all ${queued} queued emails`}
          </button>
        )}
      </div>
      {outcome && (
        <p className="notice" role="status">
          {outcome}
        </p>
      )}
      <InlineError error={cancelError} />
      {emails.error && !emails.data ? (
        <ErrorState error={emails.error} onRetry={emails.reload} />
      ) : !emails.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="hint">No emails for this job yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">To</th>
              <th scope="col">Email</th>
              <th scope="col">Status</th>
              <th scope="col">Updated</th>
              {capabilities.cancelEmails && (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {items.map((e, index) => (
              <tr key={e.id} data-email-status={e.status} data-resume-id={e.resumeId}>
                <td>{recipient(e)}</td>
                <td>
                  {KIND_TEXT[e.kind]}
                  <span className="sub">{e.subject}</span>
                </td>
                <td>
                  <span className={`status status-${e.status}`}>
                    {STATUS_TEXT[e.status] ?? e.status}
                  </span>
                  {(e.status === 'failed' || e.status === 'cancelled') && e.lastError && (
                    <span className="sub">{e.lastError}</span>
                  )}
                </td>
                <td>{formatDate(e.sentAt ?? e.updatedAt)}</td>
                {capabilities.cancelEmails && (
                  <td>
                    {e.status === 'queued' && (
                      <button
                        type="button"
                        className="button button-quiet"
                        disabled={busy}
                        aria-label={
                          blind
                            ? `Cancel the email in row ${index + 1}`
                            : `Cancel the email to ${e.to}`
                        }
                        onClick={() => setAsking({ email: e })}
                      >
                        Cancel
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ConfirmDialog
        open={asking !== null}
        title={
          asking && 'email' in asking
            ? 'Cancel this email?'
            : `Cancel ${asking?.allQueued === 1 ? 'the queued email' : `all ${asking?.allQueued ?? 0} queued emails`}?`
        }
        keepLabel={asking && 'email' in asking ? 'Keep it' : 'Keep them'}
        confirmLabel={asking && 'email' in asking ? 'Cancel email' : 'Cancel emails'}
        onConfirm={() => {
          if (asking) void cancel(asking);
        }}
        onClose={() => setAsking(null)}
      >
        <p>
          {asking && 'email' in asking
            ? `The ${KIND_TEXT[asking.email.kind].toLowerCase()} to ${addressee(asking.email)} will not be sent.`
            : 'Emails still waiting in the queue for this job will not be sent. Emails already being sent cannot be stopped.'}{' '}
          You can send them again later from the shortlist.
        </p>
      </ConfirmDialog>
    </section>
  );
}
