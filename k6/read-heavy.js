// Read-heavy: 1,000 reads per second for 30 s at a constant arrival rate (open loop: a slow
// server cannot slow the load down and hide its tail). Mix: ranked list 60%, batch progress
// 25%, one resume 15%. Goal: p95 <= 15 ms, p99 <= 40 ms, errors < 0.1%.
//   k6 run -e BASE_URL=http://localhost:8080 -e API_KEY=sl_... -e RATE=1000 k6/read-heavy.js
// The same scenario runs here without k6: node --import tsx bench/load.ts read --rate 1000
import http from 'k6/http';
import { check } from 'k6';
import { AUTH, BASE, seededJob } from './lib.js';

const RATE = Number(__ENV.RATE || 1000);

export const options = {
  scenarios: {
    reads: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: __ENV.DURATION || '30s',
      preAllocatedVUs: 200,
      maxVUs: 1000,
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.001'],
    'http_req_duration{scenario:reads}': ['p(95)<=15', 'p(99)<=40'],
    dropped_iterations: ['count<=' + Math.ceil(RATE * 0.001 * 30)],
  },
};

export function setup() {
  const seeded = seededJob(200);
  const page = http.get(`${BASE}/v1/jobs/${seeded.jobId}/resumes?limit=200`, { headers: AUTH });
  return { ...seeded, resumeIds: page.json('items').map((r) => r.id) };
}

export default function (data) {
  const roll = Math.random();
  let res;
  if (roll < 0.6)
    res = http.get(`${BASE}/v1/jobs/${data.jobId}/resumes?sort=score&limit=50`, {
      headers: AUTH,
      tags: { name: 'ranked' },
    });
  else if (roll < 0.85)
    res = http.get(`${BASE}/v1/batches/${data.batchId}`, {
      headers: AUTH,
      tags: { name: 'batch' },
    });
  else {
    const id = data.resumeIds[Math.floor(Math.random() * data.resumeIds.length)];
    res = http.get(`${BASE}/v1/resumes/${id}`, { headers: AUTH, tags: { name: 'resume' } });
  }
  check(res, { 'status 200': (r) => r.status === 200 });
}
