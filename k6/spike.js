// Spike: reads jump from 100/s to 2,000/s for 20 s and fall back. Nothing may fail outright:
// past capacity the edge and the gateways answer 429/503 quickly (counted separately), and
// latency must recover once the spike is over.
//   k6 run -e BASE_URL=http://localhost:8080 -e API_KEY=sl_... k6/spike.js
// Without k6: node --import tsx bench/load.ts spike
import http from 'k6/http';
import { check } from 'k6';
import { Rate } from 'k6/metrics';
import { AUTH, BASE, seededJob } from './lib.js';

const shed = new Rate('shed_load');

export const options = {
  scenarios: {
    spike: {
      executor: 'ramping-arrival-rate',
      startRate: 100,
      timeUnit: '1s',
      preAllocatedVUs: 300,
      maxVUs: 2000,
      stages: [
        { target: 100, duration: '20s' },
        { target: 2000, duration: '5s' },
        { target: 2000, duration: '20s' },
        { target: 100, duration: '5s' },
        { target: 100, duration: '30s' },
      ],
    },
  },
  thresholds: {
    // 5xx other than a quick 503, and transport errors, are failures.
    'checks{kind:answered}': ['rate>0.999'],
    'http_req_duration{expected_response:true}': ['p(99)<1000'],
    shed_load: ['rate<0.5'],
  },
};

export function setup() {
  return seededJob(100);
}

export default function (data) {
  const res = http.get(`${BASE}/v1/jobs/${data.jobId}/resumes?sort=score&limit=20`, {
    headers: AUTH,
    tags: { name: 'ranked' },
  });
  shed.add(res.status === 429 || res.status === 503);
  check(
    res,
    { answered: (r) => r.status === 200 || r.status === 429 || r.status === 503 },
    { kind: 'answered' },
  );
}
