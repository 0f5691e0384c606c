// Smoke: the stack answers through nginx and stays fast with two users.
//   k6 run -e BASE_URL=http://localhost:8080 -e API_KEY=sl_... k6/smoke.js
import http from 'k6/http';
import { check } from 'k6';
import { AUTH, BASE, seededJob } from './lib.js';

export const options = {
  vus: 2,
  duration: '30s',
  thresholds: {
    http_req_failed: ['rate<0.01'],
    http_req_duration: ['p(95)<200', 'p(99)<500'],
    checks: ['rate>0.99'],
  },
};

export function setup() {
  return seededJob(20);
}

export default function (data) {
  check(http.get(`${BASE}/healthz`), { 'health 200': (r) => r.status === 200 });
  check(http.get(`${BASE}/v1/jobs?limit=20`, { headers: AUTH, tags: { name: 'GET /v1/jobs' } }), {
    'jobs 200': (r) => r.status === 200,
  });
  const ranked = http.get(`${BASE}/v1/jobs/${data.jobId}/resumes?sort=score&limit=20`, {
    headers: AUTH,
    tags: { name: 'GET /v1/jobs/:id/resumes' },
  });
  check(ranked, {
    'ranked 200': (r) => r.status === 200,
    'ranked has 20': (r) => r.json('items').length === 20,
  });
}
