import { useEffect, useId, useState } from 'react';
import { Link, useSearch } from 'wouter';
import { useApp } from '../app-context';
import type { EmailKind, EmailMessage, Resume } from '../api/types';
import { useJob } from '../jobs/job-context';
import { candidateLabel, formatDate } from '../lib/format';
import { idsFromSearch } from '../lib/query-ids';
import { EmptyState, ErrorState, InlineError, Loading } from '../ui/states';
import { useAsync } from '../ui/use-async';

const KIND_TEXT: Record<EmailKind, string> = {
  invite: 'Invitation to interview',
  reject: 'Rejection',
  custom: 'Custom message',
};

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
  const ids = idsFromSearch(useSearch());
  if (!capabilities.emails)
    return (
      <EmptyState title="Email is not available on this server yet">
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
      <StatusList jobId={job.id} />
    </>
  );
}

function Composer({ ids }: { ids: string[] }) {
  const { api, capabilities } = useApp();
  const { job } = useJob();
  const form = useId();
  const resumes = useAsync(`email-resumes:${ids.join(',')}`, (signal) =>
    Promise.all(ids.map((id) => api.getResume(id, signal))),
  );
  const [kind, setKind] = useState<EmailKind>('invite');
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const [previewFor, setPreviewFor] = useState<string>(ids[0]!);
  const [sent, setSent] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const custom = kind === 'custom';
  const preview = useAsync(
    capabilities.emailPreview ? `preview:${previewFor}:${kind}:${subject}:${text}` : null,
    () =>
      api.previewEmail({
        resumeId: previewFor,
        kind,
        ...(custom ? { subject, text } : {}),
      }),
  );

  if (resumes.error) return <ErrorState error={resumes.error} onRetry={resumes.reload} />;
  if (!resumes.data) return <Loading label="Loading candidates…" />;
  const list: Resume[] = resumes.data;
  const withoutEmail = list.filter((r) => !r.candidate.email);

  return (
    <form
      className="composer"
      aria-labelledby={`${form}-h`}
      onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        setError(null);
        try {
          await api.sendEmails({
            resumeIds: ids,
            kind,
            ...(custom ? { subject, text } : {}),
          });
          setSent(`${ids.length} ${ids.length === 1 ? 'email' : 'emails'} queued.`);
        } catch (caught) {
          setError(caught as Error);
        } finally {
          setBusy(false);
        }
      }}
    >
      <h2 id={`${form}-h`}>
        Write to {list.length} {list.length === 1 ? 'candidate' : 'candidates'}
      </h2>
      <fieldset>
        <legend>Template</legend>
        {(Object.keys(KIND_TEXT) as EmailKind[]).map((k) => (
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
      {custom && (
        <>
          <label htmlFor={`${form}-subject`}>Subject</label>
          <input
            id={`${form}-subject`}
            value={subject}
            onChange={(e) => setSubject(e.target.value)}
          />
          <label htmlFor={`${form}-text`}>Message</label>
          <textarea
            id={`${form}-text`}
            rows={6}
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
          <p className="hint">
            Variables: {'{{candidateName}}'}, {'{{jobTitle}}'}, {'{{companyName}}'}.
          </p>
        </>
      )}
      {withoutEmail.length > 0 && (
        <p className="notice">
          {withoutEmail.length} of these resumes have no email address and will be skipped.
        </p>
      )}
      {capabilities.emailPreview && (
        <section className="preview" aria-label="Preview">
          <label htmlFor={`${form}-who`}>Preview for</label>
          <select
            id={`${form}-who`}
            value={previewFor}
            onChange={(e) => setPreviewFor(e.target.value)}
          >
            {list.map((r) => (
              <option key={r.id} value={r.id}>
                {candidateLabel(r, job.blind)}
              </option>
            ))}
          </select>
          {preview.error ? (
            <InlineError error={preview.error} />
          ) : preview.data ? (
            <div className="email-preview">
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
      )}
      <InlineError error={error} />
      {sent && (
        <p className="notice" role="status">
          {sent}
        </p>
      )}
      <button type="submit" className="button button-primary" disabled={busy || Boolean(sent)}>
        {busy ? 'Sending…' : `Send ${list.length === 1 ? 'email' : `${list.length} emails`}`}
      </button>
    </form>
  );
}

function StatusList({ jobId }: { jobId: string }) {
  const { api } = useApp();
  const [round, setRound] = useState(0);
  const emails = useAsync(`emails:${jobId}:${round}`, (signal) =>
    api.listEmails({ jobId }, signal),
  );
  const pending = (emails.data?.items ?? []).some(
    (e) => e.status === 'queued' || e.status === 'sending',
  );
  useEffect(() => {
    const timer = setTimeout(() => setRound((r) => r + 1), pending ? 1_500 : 10_000);
    return () => clearTimeout(timer);
  }, [pending, round]);

  return (
    <section className="email-status" aria-labelledby="email-status-h">
      <h2 id="email-status-h">Delivery status</h2>
      {emails.error && !emails.data ? (
        <ErrorState error={emails.error} onRetry={emails.reload} />
      ) : !emails.data ? (
        <Loading />
      ) : emails.data.items.length === 0 ? (
        <p className="hint">No emails sent for this job yet.</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">To</th>
              <th scope="col">Kind</th>
              <th scope="col">Status</th>
              <th scope="col">Updated</th>
            </tr>
          </thead>
          <tbody>
            {emails.data.items.map((e: EmailMessage) => (
              <tr key={e.id} data-email-status={e.status}>
                <td>{e.to}</td>
                <td>{KIND_TEXT[e.kind]}</td>
                <td>
                  <span className={`status status-${e.status}`}>
                    {STATUS_TEXT[e.status] ?? e.status}
                  </span>
                  {e.status === 'failed' && e.lastError && (
                    <span className="sub"> {e.lastError}</span>
                  )}
                </td>
                <td>{formatDate(e.sentAt ?? e.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
