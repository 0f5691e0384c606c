import request from 'supertest';
import { llmCriteriaExtractor } from '@shortlist/analysis';
import { LlmClient } from '@shortlist/llm';
import { startOpenAiServer, type ChatBody, type OpenAiServer } from '@shortlist/testkit';
import { gatewayHarness } from './harness';

// A model stand-in that lists each "- " requirement line of the description as a criterion.
const criteriaResponder = (body: ChatBody) => {
  const prompt = body.messages
    .map((m) => (typeof m.content === 'string' ? m.content : ''))
    .join('\n');
  const lines = [...prompt.matchAll(/^- (.+)$/gm)].map((m) => m[1]!.trim());
  return { criteria: lines.map((name) => ({ name, weight: 3, required: false })) };
};

const POSTING = `Senior Backend Engineer at Acme Data

We build the payments platform used by thousands of small shops across Europe. You will design
and run the services that move money safely, mentor two engineers and work closely with product.
Our stack is TypeScript on Node.js with PostgreSQL and Redis, deployed on Kubernetes in GCP.

Requirements:
- 5+ years of TypeScript
- PostgreSQL schema design
- Redis caching
- Kubernetes operations

Nice to have: experience with card payments, PCI DSS audits and event sourcing. We offer a fully
remote role within two hours of CET, a learning budget, and 30 days of paid leave every year.
Apply with your resume; we answer every application within one week.`;

// The same posting re-sent: a typo, different spacing and capitalisation, a new date line.
const REPOSTED = `${POSTING.replace('services that', 'services taht')
  .replace('mentor two engineers', 'mentor two  Engineers')
  .replace(/\n\n/g, '\n\n\n')}\nPosted again on 4 December.`;

const FRONTEND = `Frontend Engineer

Help us rebuild the shop owner dashboard. You will own the React codebase, its accessibility and
its performance budget, and pair with designers on a new component library.

Requirements:
- React and TypeScript
- Accessibility (WCAG 2.2)
- Web performance profiling

Fully remote within Europe.`;

const DIFFERENT = `Data Scientist at Acme Data

Join our risk team to model fraud on card payments. You will train and ship classification models,
run experiments with the product team and explain results to compliance.

Requirements:
- Python and pandas
- Gradient boosting models
- SQL for analytics
- Experiment design

We offer a hybrid role in Berlin, a learning budget, and 30 days of paid leave every year.`;

describe('job criteria: near-identical descriptions of one tenant reuse extracted criteria', () => {
  let server: OpenAiServer;
  let h: Awaited<ReturnType<typeof gatewayHarness>>;

  beforeAll(async () => {
    server = await startOpenAiServer({ responder: criteriaResponder });
    h = await gatewayHarness({
      extra: {
        criteriaExtractor: llmCriteriaExtractor(
          new LlmClient({
            baseURL: server.url,
            apiKey: 'test',
            model: 'gpt-4o-mini',
            maxRetries: 0,
          }),
        ),
      },
    });
  });
  afterAll(async () => {
    await h.close();
    await server.close();
  });

  const calls = () => server.chatRequests().length;
  const post = async (auth: string, description: string, title = 'Senior Backend Engineer') =>
    (
      await request(h.app)
        .post('/v1/jobs')
        .set('authorization', auth)
        .send({ title, description })
        .expect(201)
    ).body as {
      id: string;
      criteria: { name: string }[];
      criteriaDerived: boolean;
      criteriaReusedFrom?: string;
    };

  const criteriaStats = async () =>
    (
      (await request(h.app).get('/v1/cache/stats').set('authorization', h.admin.auth).expect(200))
        .body as { namespaces: Record<string, Record<string, number>> }
    ).namespaces.criteria!;
  const read = async (jobId: string) =>
    (await request(h.app).get(`/v1/jobs/${jobId}`).set('authorization', h.alice.auth).expect(200))
      .body as { criteriaReusedFrom?: string };

  it('extracts once, then serves a re-posted description with trivial edits without the model', async () => {
    const statsBefore = await criteriaStats();
    const first = await post(h.alice.auth, POSTING);
    expect(calls()).toBe(1);
    expect(first.criteria.map((c) => c.name)).toEqual([
      '5+ years of TypeScript',
      'PostgreSQL schema design',
      'Redis caching',
      'Kubernetes operations',
    ]);
    expect(first.criteriaReusedFrom).toBeUndefined();

    const again = await post(h.alice.auth, REPOSTED);
    expect(calls()).toBe(1);
    expect(again.criteriaReusedFrom).toBe(first.id);
    expect(again.criteria).toEqual(first.criteria);
    expect(again.criteriaDerived).toBe(true);
    // Stored with the job, not only in the create answer; counted in the cache stats.
    expect((await read(again.id)).criteriaReusedFrom).toBe(first.id);
    expect((await read(first.id)).criteriaReusedFrom).toBeUndefined();
    const statsAfter = await criteriaStats();
    expect(statsAfter.similar).toBe(statsBefore.similar! + 1);
    expect(statsAfter.misses).toBe(statsBefore.misses! + 1);

    // The recruiter can still change the reused criteria.
    const edited = await request(h.app)
      .patch(`/v1/jobs/${again.id}`)
      .set('authorization', h.alice.auth)
      .send({ criteria: [{ name: 'Go', weight: 2 }] })
      .expect(200);
    expect(edited.body).toMatchObject({ criteria: [{ name: 'Go' }], criteriaDerived: false });
    expect(edited.body.criteriaReusedFrom).toBeUndefined();
    expect((await read(again.id)).criteriaReusedFrom).toBeUndefined();
    expect(calls()).toBe(1);
  });

  it('asks the model for a materially different description', async () => {
    const before = calls();
    // Near-identical text, but one requirement asks for another language.
    const java = await post(h.alice.auth, POSTING.replace('of TypeScript', 'of Java'));
    expect(calls()).toBe(before + 1);
    expect(java.criteriaReusedFrom).toBeUndefined();
    expect(java.criteria.map((c) => c.name)).toContain('5+ years of Java');
    const job = await post(h.alice.auth, DIFFERENT, 'Data Scientist');
    expect(calls()).toBe(before + 2);
    expect(job.criteriaReusedFrom).toBeUndefined();
    expect(job.criteria.map((c) => c.name)).toContain('Python and pandas');
  });

  it("never reuses another tenant's criteria, even for the identical description", async () => {
    const before = calls();
    const job = await post(h.bob.auth, POSTING);
    expect(calls()).toBe(before + 1);
    expect(job.criteriaReusedFrom).toBeUndefined();
  });

  it('re-derives criteria when a derived job is re-described, reusing a near-identical one', async () => {
    const job = await post(h.alice.auth, DIFFERENT.replace('Berlin', 'Munich'), 'Data Scientist');
    const source = job.criteriaReusedFrom;
    expect(source).toBeDefined();
    const before = calls();
    const res = await request(h.app)
      .patch(`/v1/jobs/${job.id}`)
      .set('authorization', h.alice.auth)
      .send({ title: 'Senior Backend Engineer', description: POSTING })
      .expect(200);
    expect(calls()).toBe(before);
    expect(res.body.criteria.map((c: { name: string }) => c.name)).toContain('Redis caching');
    expect(res.body.criteriaReusedFrom).toEqual(expect.stringMatching(/^job_/));
    expect(await h.store.jobs.get(h.alice.id, res.body.criteriaReusedFrom)).not.toBeNull();
    expect((await read(job.id)).criteriaReusedFrom).toBe(res.body.criteriaReusedFrom);
    expect(res.body.criteriaDerived).toBe(true);
  });

  it('never names a deleted job as the source', async () => {
    const source = await post(h.alice.auth, FRONTEND, 'Frontend Engineer');
    expect(source.criteriaReusedFrom).toBeUndefined();
    await request(h.app)
      .delete(`/v1/jobs/${source.id}`)
      .set('authorization', h.alice.auth)
      .expect(204);
    const before = calls();
    const job = await post(h.alice.auth, FRONTEND, 'Frontend Engineer');
    expect(job.criteriaReusedFrom).toBeUndefined();
    expect(calls()).toBe(before + 1);
  });
});
