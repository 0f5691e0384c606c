import request from 'supertest';
import type { Analysis, Resume, Tier } from '@shortlist/contracts';
import type { Harness } from './harness';

export const JOB = {
  title: 'Backend engineer',
  description: 'We build APIs in TypeScript on Node.js with PostgreSQL and Redis.',
  criteria: [
    { name: 'TypeScript', weight: 2, required: true },
    { name: 'PostgreSQL', weight: 1 },
  ],
};

export async function createJob(h: Harness, auth = h.alice.auth): Promise<string> {
  const res = await request(h.app)
    .post('/v1/jobs')
    .set('authorization', auth)
    .send(JOB)
    .expect(201);
  return res.body.id as string;
}

/** Uploads texts as JSON; returns the batch id and resume ids in upload order. */
export async function uploadTexts(
  h: Harness,
  jobId: string,
  texts: string[],
  auth = h.alice.auth,
): Promise<{ batchId: string; resumeIds: string[] }> {
  const res = await request(h.app)
    .post(`/v1/jobs/${jobId}/batches`)
    .set('authorization', auth)
    .send({ resumes: texts.map((text, i) => ({ fileName: `r${i}.txt`, text })) })
    .expect(202);
  return {
    batchId: res.body.batch.id as string,
    resumeIds: (res.body.files as { resumeId: string }[]).map((f) => f.resumeId),
  };
}

export function analysis(score: number, tier: Tier, extra: Partial<Analysis> = {}): Analysis {
  return {
    score,
    tier,
    criteria: [
      { name: 'TypeScript', weight: 2, required: true, met: 'yes', evidence: 'TypeScript' },
      { name: 'PostgreSQL', weight: 1, required: false, met: 'no', evidence: null },
    ],
    yearsExperience: 5,
    summary: 'ok',
    warnings: [],
    model: 'local',
    promptVersion: 'p1',
    tokensIn: 100,
    tokensOut: 20,
    costUsd: 0.001,
    cached: false,
    durationMs: 5,
    ...extra,
  };
}

/** What the resume worker does, done directly: queued -> processing -> done with an analysis. */
export async function finishResume(
  h: Harness,
  userId: string,
  resumeId: string,
  score: number,
  tier: Tier,
  patch: Partial<Resume> = {},
): Promise<void> {
  const at = new Date().toISOString();
  await h.store.resumes.transition(userId, resumeId, ['queued'], { status: 'processing' }, at);
  await h.store.resumes.transition(
    userId,
    resumeId,
    ['processing'],
    { status: 'done', analysis: analysis(score, tier), score, tier, ...patch },
    at,
  );
}

export async function failResume(h: Harness, userId: string, resumeId: string): Promise<void> {
  const at = new Date().toISOString();
  await h.store.resumes.transition(
    userId,
    resumeId,
    ['queued'],
    { status: 'failed', error: 'The file contains no text.' },
    at,
  );
}
