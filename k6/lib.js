// Shared set-up for the k6 scenarios: a job with resumes to read, made through the public API.
//   BASE_URL  nginx (or one gateway), default http://localhost:8080
//   API_KEY   an API key (`docker compose exec gateway node --import tsx src/admin.ts create-user ...`)
import http from 'k6/http';
import { check, fail } from 'k6';

export const BASE = __ENV.BASE_URL || 'http://localhost:8080';
export const AUTH = { Authorization: `Bearer ${__ENV.API_KEY}` };
const JSON_HEADERS = { ...AUTH, 'Content-Type': 'application/json' };

const SKILLS = ['TypeScript', 'PostgreSQL', 'Redis', 'Kubernetes', 'Kafka', 'GraphQL'];

/** A plain-text resume mentioning some of the job's skills. */
export function resumeText(i) {
  const skills = SKILLS.filter((_, s) => (i >> s) & 1).join(', ') || 'Excel';
  return `Candidate ${i}\ncandidate${i}@example.com\n\nExperience\nSoftware engineer, ${2 + (i % 12)} years.\nSkills: ${skills}.\n`;
}

export function createJob() {
  const res = http.post(
    `${BASE}/v1/jobs`,
    JSON.stringify({
      title: 'Backend engineer (k6)',
      description: 'Node.js services in TypeScript with PostgreSQL and Redis.',
      criteria: SKILLS.map((name, i) => ({ name, weight: i < 2 ? 2 : 1, required: i === 0 })),
    }),
    { headers: JSON_HEADERS, tags: { name: 'POST /v1/jobs' } },
  );
  if (!check(res, { 'job created': (r) => r.status === 201 }))
    fail(`could not create a job: ${res.status} ${res.body}`);
  return res.json('id');
}

/** Uploads `count` resumes as one multipart batch; returns the response. */
export function uploadBatch(jobId, count, offset = 0) {
  const body = {};
  for (let i = 0; i < count; i++) {
    // k6 needs a distinct key per part; the gateway takes every file part whatever its field name.
    body[`files${i}`] = http.file(resumeText(offset + i), `resume-${offset + i}.txt`, 'text/plain');
  }
  return http.post(`${BASE}/v1/jobs/${jobId}/batches`, body, {
    headers: AUTH,
    tags: { name: 'POST /v1/jobs/:id/batches' },
  });
}

/** A job with `count` resumes already uploaded, waited for until scored. */
export function seededJob(count) {
  const jobId = createJob();
  const res = http.post(
    `${BASE}/v1/jobs/${jobId}/batches`,
    JSON.stringify({
      resumes: Array.from({ length: count }, (_, i) => ({
        fileName: `seed-${i}.txt`,
        text: resumeText(i),
      })),
    }),
    { headers: JSON_HEADERS },
  );
  if (!check(res, { 'seed accepted': (r) => r.status === 202 }))
    fail(`could not seed resumes: ${res.status} ${res.body}`);
  const batchId = res.json('batch.id');
  for (let i = 0; i < 120; i++) {
    const batch = http.get(`${BASE}/v1/batches/${batchId}`, { headers: AUTH });
    if (batch.status === 200 && batch.json('finishedAt')) break;
    http.get(`${BASE}/healthz`); // keep the connection warm while waiting
  }
  return { jobId, batchId };
}
