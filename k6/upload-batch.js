// Upload batches: each iteration uploads 100 resumes in one multipart request and expects 202
// within 1 s; the queue absorbs the work (watch the Grafana "Queues" row scale workers out).
//   k6 run -e BASE_URL=http://localhost:8080 -e API_KEY=sl_... k6/upload-batch.js
// Without k6: node --import tsx bench/load.ts upload
import { check } from 'k6';
import { createJob, uploadBatch } from './lib.js';

export const options = {
  scenarios: {
    uploads: {
      executor: 'constant-arrival-rate',
      rate: Number(__ENV.RATE || 1),
      timeUnit: '2s',
      duration: __ENV.DURATION || '1m',
      preAllocatedVUs: 5,
      maxVUs: 20,
    },
  },
  thresholds: {
    http_req_failed: ['rate<0.01'],
    'http_req_duration{name:POST /v1/jobs/:id/batches}': ['p(95)<=1000', 'p(99)<=2000'],
    checks: ['rate>0.99'],
  },
};

export function setup() {
  return { jobId: createJob() };
}

export default function (data) {
  const offset = (__VU * 100000 + __ITER * 100) % 1_000_000;
  const res = uploadBatch(data.jobId, 100, offset);
  check(res, {
    'accepted (202)': (r) => r.status === 202,
    '100 queued or duplicate': (r) => r.status === 202 && r.json('files').length === 100,
  });
}
