// k6 smoke test: the API answers and stays fast. Run: k6 run -e BASE_URL=http://localhost -e API_KEY=sl_... k6/smoke.js
import http from 'k6/http';
import { check } from 'k6';

export const options = {
  vus: 2,
  duration: '30s',
  thresholds: { http_req_failed: ['rate<0.01'], http_req_duration: ['p(95)<200'] },
};

const BASE = __ENV.BASE_URL || 'http://localhost:8080';
const headers = { Authorization: `Bearer ${__ENV.API_KEY}` };

export default function () {
  check(http.get(`${BASE}/healthz`), { 'health 200': (r) => r.status === 200 });
  check(http.get(`${BASE}/v1/jobs?limit=20`, { headers }), { 'jobs 200': (r) => r.status === 200 });
}
