import { createHash } from 'node:crypto';
import { Router, type Request } from 'express';
import {
  AppError,
  CancelEmailsBody,
  CompanyProfileBody,
  ListEmailsQuery,
  OptOutBody,
  PageQuery,
  PreviewEmailBody,
  QueueEmailsBody,
  newId,
  type CompanyProfile,
  type EmailKind,
  type EmailMessage,
  type EmailRecipient,
  type ErrorCode,
  type Job,
  type QueueEmailResult,
  type Resume,
} from '@shortlist/contracts';
import { RedisCache } from '@shortlist/cache';
import {
  DEFAULT_TEMPLATES,
  REJECTION_REASONS,
  checkAddress,
  checkTemplate,
  isHeaderSafe,
  companyInfoFor,
  localCompanyExtractor,
  localPersonaliser,
  pendingEmailsKey,
  personalise,
  pendingMember,
  emailRenderer,
  templateHash,
  templateVariables,
  unsubscribeFooter,
  unsubscribeToken,
  type EmailTemplate,
  type PersonalisationInput,
  type PersonalisedNotes,
  type RenderedEmail,
} from '@shortlist/mail';
import type { Redis } from '@shortlist/queue';
import { principal } from '../auth';
import { senderProfile } from '../email-sender';
import type { ResolvedDeps as GatewayDeps } from '../deps';
import { parse } from '../http/validate';
import { DEV_UNSUBSCRIBE_SECRET } from './unsubscribe.routes';

/** Lower number runs first: one manual email before a bulk run, invitations before rejections. */
const PRIORITY: Record<'single' | 'bulk', Record<EmailKind, number>> = {
  single: { invite: 1, custom: 2, reject: 3 },
  bulk: { invite: 4, custom: 5, reject: 6 },
};

type Content = Omit<PreviewEmailBody, 'resumeId' | 'to' | 'name'>;

interface Prepared {
  resume: Resume;
  job: Job;
  to: string;
  email: RenderedEmail;
  /** Company name (display name), signature and reply-to this email was rendered with. */
  sender: CompanyProfile;
  unsubscribeUrl: string;
  idempotencyKey: string;
}

type Checked = { ok: true; prepared: Prepared } | { ok: false; error: QueueEmailResult['error'] };

const NO_COMPANY_INFO = { name: null, contactName: null, replyTo: null };

/** What personalisation did for a request: notes written now, served from the cache, failed. */
type NotesReport = Omit<PersonalisedNotes, 'notes'>;

function itemError(code: ErrorCode, status: number, field: string, message: string) {
  return { ok: false as const, error: { status, code, field, message } };
}

/** Mounted on `/v1`: queue, preview, list and cancel candidate emails; company settings; opt-outs. */
export function emailsRoutes(deps: GatewayDeps) {
  const router = Router();
  const queue = deps.emailQueue;
  const now = () => (deps.now ?? (() => new Date()))().toISOString();
  // Notes live in the shared cache (the queue's Redis and key prefix unless one is given).
  const cache =
    deps.cache?.cache ??
    new RedisCache({
      redis: queue.queue.opts.connection as Redis,
      prefix: queue.queue.opts.prefix ?? 'bull',
    });
  const personaliser = deps.mail?.personaliser ?? localPersonaliser;
  const companyExtractor =
    deps.mail?.companyExtractor === undefined ? localCompanyExtractor : deps.mail.companyExtractor;

  const unsubscribeSecret = deps.unsubscribe?.secret ?? DEV_UNSUBSCRIBE_SECRET;
  /** Where candidates reach the gateway: PUBLIC_URL, else the address this request came to. */
  const publicBase = (req: Request) =>
    (deps.unsubscribe?.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`).replace(
      /\/+$/,
      '',
    );
  const redis = queue.queue.opts.connection as Redis;
  const pendingKey = pendingEmailsKey(queue.queue.opts.prefix ?? 'bull');
  async function markPending(members: string[]): Promise<void> {
    if (members.length === 0) return;
    const at = Date.now();
    try {
      await redis.zadd(pendingKey, ...members.flatMap((m) => [at, m]));
    } catch (error) {
      throw new AppError('unavailable', 'The email queue is unavailable; try again shortly.', {
        cause: error,
      });
    }
  }

  async function tenantSender(userId: string) {
    const stored = await deps.store.companies.get(userId);
    const accountName = stored ? null : ((await deps.store.users.get(userId))?.name ?? null);
    return { userId, stored, accountName };
  }

  /** The tenant's own settings (or the defaults from its account name), without any job. */
  async function company(userId: string): Promise<CompanyProfile> {
    return senderProfile(await tenantSender(userId), NO_COMPANY_INFO, now());
  }

  /** The sender details of one job's emails: tenant settings, gaps filled from the description. */
  async function senderFor(
    tenant: Awaited<ReturnType<typeof tenantSender>>,
    job: Job,
  ): Promise<CompanyProfile> {
    const complete = tenant.stored && tenant.stored.signature !== '' && tenant.stored.replyTo;
    const info =
      companyExtractor && !complete
        ? await companyInfoFor(job.description, {
            extractor: companyExtractor,
            cache,
            onFailure: (error) =>
              deps.logger.warn('company info extraction failed; tenant defaults used', {
                jobId: job.id,
                error: error instanceof Error ? error.message : String(error),
              }),
          })
        : NO_COMPANY_INFO;
    return senderProfile(tenant, info, now());
  }

  function templateFor(content: Content): EmailTemplate {
    const base =
      content.kind === 'custom' ? { subject: '', body: '' } : DEFAULT_TEMPLATES[content.kind];
    const template = { subject: content.subject ?? base.subject, body: content.body ?? base.body };
    if (!isHeaderSafe(template.subject)) {
      throw new AppError('validation_failed', 'subject: line breaks (CR/LF) are not allowed', {
        field: 'subject',
      });
    }
    const problems = checkTemplate(template);
    if (problems.length > 0) {
      throw new AppError('validation_failed', `${problems[0]!.field}: ${problems[0]!.message}`, {
        field: problems[0]!.field,
        errors: problems,
      });
    }
    return template;
  }

  /** Validates and renders every recipient; one bad recipient never blocks the others. */
  async function prepare(
    userId: string,
    content: Content,
    recipients: EmailRecipient[],
    fieldOf: (index: number, key?: 'to' | 'name') => string,
    baseUrl: string,
  ): Promise<{ checked: Checked[]; notes: NotesReport | null }> {
    const template = templateFor(content);
    const render = emailRenderer(template);
    const hash = templateHash(template.subject, template.body);
    const tenant = await tenantSender(userId);
    const senders = new Map<string, Promise<CompanyProfile>>();
    const jobs = new Map<string, Promise<Job | null>>();
    const resumes = await Promise.all(
      recipients.map((r) => deps.store.resumes.get(userId, r.resumeId)),
    );
    const addresses: string[] = [];
    const staged: Checked[] = [];
    const pending: { index: number; job: Job; resume: Resume; name: string; to: string }[] = [];
    for (const [index, recipient] of recipients.entries()) {
      const resume = resumes[index];
      if (!resume) {
        staged.push(itemError('not_found', 404, fieldOf(index), 'No such resume.'));
        continue;
      }
      if (!jobs.has(resume.jobId))
        jobs.set(resume.jobId, deps.store.jobs.get(userId, resume.jobId));
      const job = await jobs.get(resume.jobId)!;
      if (!job) {
        staged.push(
          itemError('not_found', 404, fieldOf(index), 'The resume’s job no longer exists.'),
        );
        continue;
      }
      const name = (recipient.name ?? resume.candidate.name ?? '').trim();
      if (!isHeaderSafe(name)) {
        staged.push(
          itemError(
            'validation_failed',
            400,
            fieldOf(index, 'name'),
            'The candidate name contains a line break (CR/LF), which could inject email headers.',
          ),
        );
        continue;
      }
      const address = checkAddress(recipient.to ?? resume.candidate.email);
      if (!address.ok) {
        const missing = !(recipient.to ?? resume.candidate.email);
        staged.push(
          itemError(
            missing ? 'unprocessable' : 'validation_failed',
            missing ? 422 : 400,
            fieldOf(index, 'to'),
            missing ? 'The resume has no email address; send one as "to".' : address.reason,
          ),
        );
        continue;
      }
      addresses.push(address.address);
      pending.push({ index, job, resume, name, to: address.address });
      staged.push({ ok: false, error: undefined });
    }

    const optedOut = await deps.store.optOuts.findMany(userId, addresses);
    // Only candidates who will get the email, and only when the template has a place for the note.
    const usesNote =
      content.personalise &&
      [template.subject, template.body].some((t) => templateVariables(t).includes('personalNote'));
    const toNote = usesNote ? pending.filter((p) => !optedOut.has(p.to.toLowerCase())) : [];
    const inputs: PersonalisationInput[] = toNote.map(({ job, resume }) => ({
      kind: content.kind,
      resumeId: resume.id,
      resumeSha256: resume.sha256,
      jobId: job.id,
      jobTitle: job.title,
      jobVersion: job.version,
      templateHash: hash,
      matchedCriteria: (resume.analysis?.criteria ?? [])
        .filter((c) => c.met === 'yes')
        .sort((a, b) => b.weight - a.weight)
        .map((c) => c.name),
    }));
    const notes = await personalise(inputs, {
      personaliser,
      cache,
      onFailure: (error, input) =>
        deps.logger.warn('personal note failed; email goes without it', {
          resumeId: input.resumeId,
          error: error instanceof Error ? error.message : String(error),
        }),
    });
    const noteOf = new Map(toNote.map((p, i) => [p.index, notes.notes[i] ?? null]));
    const reason = content.rejectionReason
      ? (REJECTION_REASONS[content.rejectionReason] ?? content.rejectionReason)
      : null;

    for (const item of pending) {
      if (!senders.has(item.job.id)) senders.set(item.job.id, senderFor(tenant, item.job));
      const profile = await senders.get(item.job.id)!;
      if (optedOut.has(item.to.toLowerCase())) {
        staged[item.index] = itemError(
          'unprocessable',
          422,
          fieldOf(item.index, 'to'),
          'This address opted out of emails from you.',
        );
        continue;
      }
      const unsubscribeUrl = `${baseUrl}/v1/unsubscribe/${unsubscribeToken(unsubscribeSecret, { userId, address: item.to })}`;
      const rendered = render(
        {
          candidateName: item.name || 'candidate',
          candidateFirstName: item.name.split(/\s+/)[0] || 'there',
          jobTitle: item.job.title,
          companyName: profile.name,
          recruiterSignature: profile.signature,
          schedulingLink: content.schedulingLink ?? profile.schedulingLink,
          rejectionReason: reason,
          personalNote: noteOf.get(item.index) ?? null,
        },
        { footer: unsubscribeFooter(profile.name, unsubscribeUrl) },
      );
      if (!rendered.ok) {
        staged[item.index] = itemError(
          'validation_failed',
          400,
          rendered.field === 'subject' && item.name ? fieldOf(item.index, 'name') : rendered.field,
          rendered.message,
        );
        continue;
      }
      const customHash =
        content.kind === 'custom'
          ? `:${createHash('sha256').update(rendered.email.subject).update(rendered.email.text).digest('hex').slice(0, 16)}`
          : '';
      staged[item.index] = {
        ok: true,
        prepared: {
          resume: item.resume,
          job: item.job,
          to: item.to,
          email: rendered.email,
          sender: profile,
          unsubscribeUrl,
          idempotencyKey: `${item.resume.id}:${content.kind}:v${item.job.version}${customHash}`,
        },
      };
    }
    const report = content.personalise
      ? { written: notes.written, cached: notes.cached, failed: notes.failed }
      : null;
    return { checked: staged, notes: report };
  }

  router.post('/emails', async (req, res) => {
    const { userId } = principal(res);
    const body = parse(QueueEmailsBody, req.body);
    const recipients = body.items ?? body.resumeIds!.map((resumeId) => ({ resumeId }));
    const fieldOf = (i: number, key?: 'to' | 'name') =>
      body.items ? `items.${i}${key ? `.${key}` : ''}` : `resumeIds.${i}`;
    const { checked, notes } = await prepare(userId, body, recipients, fieldOf, publicBase(req));
    const priority = PRIORITY[recipients.length === 1 ? 'single' : 'bulk'][body.kind];
    const at = now();

    const results: (QueueEmailResult | null)[] = [];
    const toEnqueue: { emailId: string; jobId: string }[] = [];
    const fresh: { index: number; message: EmailMessage }[] = [];
    const repeats: { index: number; first: number }[] = [];
    const firstByKey = new Map<string, number>();
    for (const [index, item] of checked.entries()) {
      const resumeId = recipients[index]!.resumeId;
      if (!item.ok) {
        results.push({ index, resumeId, outcome: 'rejected', error: item.error! });
        continue;
      }
      results.push(null);
      const p = item.prepared;
      const first = firstByKey.get(p.idempotencyKey);
      if (first !== undefined) {
        repeats.push({ index, first });
        continue;
      }
      firstByKey.set(p.idempotencyKey, index);
      fresh.push({
        index,
        message: {
          id: newId('eml'),
          userId,
          resumeId,
          jobId: p.job.id,
          kind: body.kind,
          priority,
          to: p.to,
          subject: p.email.subject,
          text: p.email.text,
          html: p.email.html,
          status: 'queued',
          attempts: 0,
          lastError: null,
          messageId: null,
          idempotencyKey: p.idempotencyKey,
          createdAt: at,
          updatedAt: at,
          sentAt: null,
          fromName: p.sender.name,
          replyTo: p.sender.replyTo,
          handedOffAt: null,
          unsubscribeUrl: p.unsubscribeUrl,
        },
      });
    }

    // Logged before the rows exist, so a request that dies before queueing them is swept later.
    const marked = fresh.map((f) => pendingMember(userId, f.message.id));
    await markPending(marked);
    // One store call for the whole request: a bulk run is one transaction (SQLite) or a few batches.
    const stored = await deps.store.emails.createManyIfAbsent(fresh.map((f) => f.message));
    for (const [i, { message: row, created }] of stored.entries()) {
      const { index } = fresh[i]!;
      let current = row;
      if (created) {
        toEnqueue.push({ emailId: row.id, jobId: row.id });
      } else if (row.status === 'queued') {
        // Covers a request that stored the row but died before enqueueing: re-adding the same job id is a no-op otherwise.
        toEnqueue.push({ emailId: row.id, jobId: row.id });
      } else if (row.status === 'cancelled') {
        marked.push(pendingMember(userId, row.id));
        await markPending(marked.slice(-1));
        const requeued = await deps.store.emails.transition(
          userId,
          row.id,
          ['cancelled'],
          { status: 'queued', lastError: null },
          at,
        );
        if (requeued) {
          current = requeued;
          toEnqueue.push({ emailId: row.id, jobId: `${row.id}-${Date.now().toString(36)}` });
        }
      }
      results[index] = {
        index,
        resumeId: recipients[index]!.resumeId,
        outcome: created ? 'queued' : 'existing',
        emailId: current.id,
        status: current.status,
      };
    }
    for (const { index, first } of repeats) {
      results[index] = {
        index,
        resumeId: recipients[index]!.resumeId,
        outcome: 'existing',
        emailId: results[first]!.emailId!,
        status: results[first]!.status!,
      };
    }

    await queue.enqueueBulk(
      toEnqueue.map((e) => ({
        name: 'send-email' as const,
        payload: { userId, emailId: e.emailId, requestId: res.locals.requestId as string },
        options: { jobId: e.jobId, priority },
      })),
    );
    if (marked.length > 0) await redis.zrem(pendingKey, ...marked).catch(() => undefined);

    const final = results as QueueEmailResult[];
    const counts = {
      queued: final.filter((r) => r.outcome === 'queued').length,
      existing: final.filter((r) => r.outcome === 'existing').length,
      rejected: final.filter((r) => r.outcome === 'rejected').length,
    };
    if (counts.queued + counts.existing === 0) {
      const errors = final.map((r) => ({ field: r.error!.field, message: r.error!.message }));
      throw new AppError('validation_failed', `No email was queued: ${errors[0]!.message}`, {
        field: errors[0]!.field,
        errors,
        extra: { results: final, counts },
      });
    }
    res.status(202).json({ results: final, counts, ...(notes ? { personalisation: notes } : {}) });
  });

  router.post('/emails/preview', async (req, res) => {
    const { userId } = principal(res);
    const body = parse(PreviewEmailBody, req.body);
    const {
      checked: [checked],
    } = await prepare(userId, body, [body], (_i, key) => key ?? 'resumeId', publicBase(req));
    if (!checked!.ok) {
      const e = checked!.error!;
      throw new AppError(e.code as ErrorCode, e.message, { field: e.field });
    }
    const p = checked!.prepared;
    res.json({
      to: p.to,
      fromName: p.sender.name,
      replyTo: p.sender.replyTo,
      subject: p.email.subject,
      text: p.email.text,
      html: p.email.html,
      idempotencyKey: p.idempotencyKey,
    });
  });

  router.get('/emails', async (req, res) => {
    const { userId } = principal(res);
    const q = parse(ListEmailsQuery, req.query, 'query');
    res.json(
      await deps.store.emails.list(
        userId,
        { jobId: q.jobId, resumeId: q.resumeId, status: q.status },
        { cursor: q.cursor, limit: q.limit },
      ),
    );
  });

  router.get('/jobs/:jobId/emails', async (req, res) => {
    const { userId } = principal(res);
    if (!(await deps.store.jobs.get(userId, req.params.jobId)))
      throw new AppError('not_found', 'No such job.');
    const q = parse(ListEmailsQuery, req.query, 'query');
    res.json(
      await deps.store.emails.list(
        userId,
        { jobId: req.params.jobId, resumeId: q.resumeId, status: q.status },
        { cursor: q.cursor, limit: q.limit },
      ),
    );
  });

  router.get('/resumes/:resumeId/emails', async (req, res) => {
    const { userId } = principal(res);
    if (!(await deps.store.resumes.get(userId, req.params.resumeId)))
      throw new AppError('not_found', 'No such resume.');
    const q = parse(ListEmailsQuery, req.query, 'query');
    res.json(
      await deps.store.emails.list(
        userId,
        { resumeId: req.params.resumeId, status: q.status },
        { cursor: q.cursor, limit: q.limit },
      ),
    );
  });

  router.get('/emails/:emailId', async (req, res) => {
    const { userId } = principal(res);
    const email = await deps.store.emails.get(userId, req.params.emailId);
    if (!email) throw new AppError('not_found', 'No such email.');
    res.json(email);
  });

  async function cancel(userId: string, emailId: string) {
    const cancelled = await deps.store.emails.transition(
      userId,
      emailId,
      ['queued'],
      { status: 'cancelled' },
      now(),
    );
    if (cancelled) await queue.queue.remove(emailId).catch(() => undefined);
    return cancelled;
  }

  router.post('/emails/:emailId/cancel', async (req, res) => {
    const { userId } = principal(res);
    const cancelled = await cancel(userId, req.params.emailId);
    if (cancelled) return void res.json(cancelled);
    const email = await deps.store.emails.get(userId, req.params.emailId);
    if (!email) throw new AppError('not_found', 'No such email.');
    throw new AppError(
      'conflict',
      `The email is already ${email.status}; only queued emails can be cancelled.`,
      {
        field: 'emailId',
        extra: { status: email.status },
      },
    );
  });

  router.post('/emails/cancel', async (req, res) => {
    const { userId } = principal(res);
    const body = parse(CancelEmailsBody, req.body);
    let ids = body.emailIds ?? [];
    if (body.jobId) {
      if (!(await deps.store.jobs.get(userId, body.jobId)))
        throw new AppError('not_found', 'No such job.', { field: 'jobId' });
      let cursor: string | undefined;
      do {
        const page = await deps.store.emails.list(
          userId,
          { jobId: body.jobId, status: 'queued' },
          { cursor, limit: 200 },
        );
        ids = ids.concat(page.items.map((e) => e.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
    }
    let cancelled = 0;
    for (const id of ids) if (await cancel(userId, id)) cancelled += 1;
    res.json({ cancelled, notCancelled: ids.length - cancelled });
  });

  router.get('/email-settings', async (_req, res) => {
    const { userId } = principal(res);
    const stored = await deps.store.companies.get(userId);
    res.json({ ...(stored ?? (await company(userId))), isDefault: !stored });
  });

  router.put('/email-settings', async (req, res) => {
    const { userId } = principal(res);
    const body = parse(CompanyProfileBody, req.body);
    if (!isHeaderSafe(body.name))
      throw new AppError('validation_failed', 'name: line breaks are not allowed', {
        field: 'name',
      });
    let replyTo: string | null = null;
    if (body.replyTo) {
      const checked = checkAddress(body.replyTo);
      if (!checked.ok)
        throw new AppError('validation_failed', `replyTo: ${checked.reason}`, { field: 'replyTo' });
      replyTo = checked.address;
    }
    const profile = await deps.store.companies.put({
      userId,
      name: body.name,
      signature: body.signature,
      replyTo,
      schedulingLink: body.schedulingLink,
      updatedAt: now(),
    });
    res.json({ ...profile, isDefault: false });
  });

  router.get('/opt-outs', async (req, res) => {
    const { userId } = principal(res);
    const q = parse(PageQuery, req.query, 'query');
    res.json(await deps.store.optOuts.list(userId, { cursor: q.cursor, limit: q.limit }));
  });

  router.post('/opt-outs', async (req, res) => {
    const { userId } = principal(res);
    const body = parse(OptOutBody, req.body);
    const at = now();
    const results: { index: number; address: string; outcome: string; error?: string }[] = [];
    for (const [index, raw] of body.addresses.entries()) {
      const checked = checkAddress(raw);
      if (!checked.ok) {
        results.push({ index, address: raw, outcome: 'rejected', error: checked.reason });
        continue;
      }
      await deps.store.optOuts.add({
        userId,
        address: checked.address.toLowerCase(),
        reason: body.reason ?? null,
        createdAt: at,
      });
      results.push({ index, address: checked.address.toLowerCase(), outcome: 'added' });
    }
    if (!results.some((r) => r.outcome === 'added')) {
      throw new AppError('validation_failed', `addresses.0: ${results[0]!.error}`, {
        field: 'addresses.0',
        errors: results.map((r) => ({ field: `addresses.${r.index}`, message: r.error ?? '' })),
      });
    }
    res.json({ results });
  });

  router.delete('/opt-outs/:address', async (req, res) => {
    const { userId } = principal(res);
    if (!(await deps.store.optOuts.remove(userId, req.params.address)))
      throw new AppError('not_found', 'That address is not on your opt-out list.');
    res.status(204).end();
  });

  return router;
}
