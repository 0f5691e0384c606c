import { LlmClient } from '@shortlist/llm';
import { llmCompanyExtractor, llmPersonaliser } from '@shortlist/mail';
import { mailResponder, startOpenAiServer, type OpenAiServer } from '@shortlist/testkit';
import { emailStack, type EmailStack } from './email-stack';

const SENTENCE = /Your work with TypeScript( and PostgreSQL)? is a close match for this role\./;

/**
 * The email helpers with a model. `personalise: true`: the gateway asks the OpenAI-compatible server (testkit) for one
 * sentence per candidate, caches it by (template, resume, job version), and the worker delivers
 * the email with it to the SMTP server.
 */
describe('personalised emails and company info (LLM helpers, gateway -> queue -> worker -> SMTP)', () => {
  let s: EmailStack;
  let llm: OpenAiServer;
  beforeAll(async () => {
    llm = await startOpenAiServer({ responder: mailResponder() });
    const client = new LlmClient({
      baseURL: llm.url,
      apiKey: 'test',
      model: 'gpt-4o-mini',
      maxRetries: 0,
    });
    s = await emailStack({
      gateway: {
        mail: {
          personaliser: llmPersonaliser(client),
          companyExtractor: llmCompanyExtractor(client),
        },
      },
    });
    await s.startWorker();
  }, 60_000);
  afterAll(async () => {
    await s?.close();
    await llm?.close();
  }, 30_000);

  /** Model calls for one helper (`personal_note` or `company_info`). */
  const callsFor = (schema: string) =>
    llm
      .chatRequests()
      .filter(
        (r) =>
          (r.body as { response_format?: { json_schema?: { name?: string } } } | null)
            ?.response_format?.json_schema?.name === schema,
      ).length;

  /** What each candidate received for this job, in the order sent (decoded soft line breaks). */
  async function mailsAtSink(jobId: string) {
    const ids = new Map(
      (await s.emails({ jobId })).map((e) => [e.messageId!.replace(/[<>]/g, ''), e.resumeId]),
    );
    const byResume = new Map<string, string[]>();
    for (const m of s.sink.received) {
      const resumeId = ids.get(m.messageId);
      if (!resumeId) continue;
      const text = m.raw.replace(/=\r?\n/g, '').replace(/\r\n/g, '\n');
      byResume.set(resumeId, [...(byResume.get(resumeId) ?? []), text]);
    }
    return byResume;
  }

  it('delivers the model’s sentence, and a second send of the same template makes no model call', async () => {
    const { job, resumes } = await s.seedResumes(3);
    const custom = {
      kind: 'custom',
      subject: 'Next steps for {{jobTitle}}',
      body: 'Dear {{candidateName}},\n\n{{#personalNote}}{{personalNote}}\n\n{{/personalNote}}Pick a slot: {{schedulingLink}}\n\n{{recruiterSignature}}',
      personalise: true,
      resumeIds: resumes.map((r) => r.id),
    };
    const calls = () => callsFor('personal_note');

    const first = await s.queueEmails({ ...custom, schedulingLink: 'https://cal.test/a' });
    expect(first.status).toBe(202);
    expect(first.body.personalisation).toEqual({ written: 3, cached: 0, failed: 0 });
    expect(calls()).toBe(3);
    await s.waitUntilSettled(job.id, 3);
    let mails = await mailsAtSink(job.id);
    for (const [i, r] of resumes.entries()) {
      const [mail] = mails.get(r.id)!;
      expect(mail).toMatch(SENTENCE);
      expect(mail).toContain('https://cal.test/a');
      // Candidates who matched PostgreSQL too are told so; the others are not.
      expect(mail!.includes('TypeScript and PostgreSQL')).toBe(i % 2 === 0);
    }

    // Same template, resumes and job version, another link: new emails, sentences from the cache.
    const second = await s.queueEmails({ ...custom, schedulingLink: 'https://cal.test/b' });
    expect(second.body.counts).toEqual({ queued: 3, existing: 0, rejected: 0 });
    expect(second.body.personalisation).toEqual({ written: 0, cached: 3, failed: 0 });
    expect(calls()).toBe(3);
    await s.waitUntilSettled(job.id, 6);
    mails = await mailsAtSink(job.id);
    for (const r of resumes) {
      const both = mails.get(r.id)!;
      expect(both).toHaveLength(2);
      expect(both[1]).toContain('https://cal.test/b');
      expect(both[1]).toMatch(SENTENCE);
    }
  }, 90_000);

  it('previews the sentence the send then reuses from the cache', async () => {
    const { job, resumes } = await s.seedResumes(1);
    const before = callsFor('personal_note');
    const preview = await s
      .api()
      .post('/v1/emails/preview')
      .set('authorization', s.auth)
      .send({ kind: 'invite', resumeId: resumes[0]!.id, personalise: true })
      .expect(200);
    expect(preview.body.text).toMatch(SENTENCE);
    const sent = await s.queueEmails({
      kind: 'invite',
      resumeIds: [resumes[0]!.id],
      personalise: true,
    });
    expect(sent.body.personalisation).toEqual({ written: 0, cached: 1, failed: 0 });
    expect(callsFor('personal_note') - before).toBe(1);
    await s.waitUntilSettled(job.id, 1);
    const [mail] = (await mailsAtSink(job.id)).get(resumes[0]!.id)!;
    expect(mail).toContain(SENTENCE.exec(preview.body.text)![0]);
  }, 60_000);

  it('sends the email without the sentence when the model fails', async () => {
    const { job, resumes } = await s.seedResumes(2);
    llm.inject({ kind: 'status', status: 500 }, 2);
    const res = await s.queueEmails({
      kind: 'invite',
      resumeIds: resumes.map((r) => r.id),
      personalise: true,
    });
    expect(res.status).toBe(202);
    expect(res.body.personalisation).toEqual({ written: 0, cached: 0, failed: 2 });
    const emails = await s.waitUntilSettled(job.id, 2);
    expect(emails.map((e) => e.status)).toEqual(['sent', 'sent']);
    const mails = await mailsAtSink(job.id);
    for (const r of resumes) {
      const [mail] = mails.get(r.id)!;
      expect(mail).toContain('would like to invite you to an interview');
      expect(mail).not.toMatch(/close match/);
    }
  }, 60_000);

  it('fills the sender the tenant has not set from the job description, read once per description', async () => {
    const description =
      'Globex Corporation is hiring a backend engineer.\nContact: Hank Scorpio\nApply: talent@globex.example';
    llm.configure({
      responder: mailResponder({
        company: (d) => ({
          companyName: 'Globex Corporation',
          contactName: 'Hank Scorpio',
          // A guess the description does not contain is dropped.
          contactEmail: d.includes('talent@') ? 'talent@globex.example' : 'hr@globex.example',
        }),
      }),
    });
    const calls = () => callsFor('company_info');
    const before = calls();
    const { job, resumes } = await s.seedResumes(2, undefined, { description });
    const res = await s.queueEmails({ kind: 'invite', resumeIds: resumes.map((r) => r.id) });
    expect(res.status).toBe(202);
    expect(calls() - before).toBe(1);
    const emails = await s.waitUntilSettled(job.id, 2);
    expect(emails.map((e) => [e.fromName, e.replyTo])).toEqual([
      ['Globex Corporation', 'talent@globex.example'],
      ['Globex Corporation', 'talent@globex.example'],
    ]);
    const [mail] = (await mailsAtSink(job.id)).get(resumes[0]!.id)!;
    expect(mail).toMatch(/^From: Globex Corporation <jobs@acme\.test>$/m);
    expect(mail).toMatch(/^Reply-To: talent@globex\.example$/m);
    expect(mail).toMatch(
      /^Subject: Interview invitation: Backend engineer at Globex Corporation$/m,
    );
    expect(mail).toContain('Kind regards,\nHank Scorpio\nGlobex Corporation');

    // Another job with the same description: no model call.
    const again = await s.seedResumes(1, undefined, { description });
    await s.queueEmails({ kind: 'reject', resumeIds: [again.resumes[0]!.id] }).expect(202);
    expect(calls() - before).toBe(1);

    // The model failing leaves the tenant's defaults (its account name), and caches nothing.
    llm.inject({ kind: 'status', status: 500 }, 1);
    const other = await s.seedResumes(1, undefined, { description: `${description}\nRemote.` });
    const failed = await s
      .api()
      .post('/v1/emails/preview')
      .set('authorization', s.auth)
      .send({ kind: 'invite', resumeId: other.resumes[0]!.id })
      .expect(200);
    expect(failed.body).toMatchObject({ fromName: 'Alice', replyTo: null });

    // What the tenant sets wins; what it leaves unset still comes from the description.
    await s
      .api()
      .put('/v1/email-settings')
      .set('authorization', s.auth)
      .send({ name: 'Acme Hiring', signature: '', replyTo: null })
      .expect(200);
    const preview = await s
      .api()
      .post('/v1/emails/preview')
      .set('authorization', s.auth)
      .send({ kind: 'invite', resumeId: other.resumes[0]!.id })
      .expect(200);
    expect(preview.body).toMatchObject({
      fromName: 'Acme Hiring',
      replyTo: 'talent@globex.example',
      subject: 'Interview invitation: Backend engineer at Acme Hiring',
    });
    expect(preview.body.text).toContain('Kind regards,\nHank Scorpio\nAcme Hiring');
    expect(calls() - before).toBe(3);
  }, 60_000);
});
