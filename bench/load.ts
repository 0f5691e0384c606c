/**
 * Load benchmarks through nginx on this machine: the k6 scenarios (k6/) as a Node harness.
 * Each scenario starts the real topology (nginx from apt in front of 2 gateways, workers, a
 * private redis-server) as separate processes; this process only generates load.
 *
 *   node --import tsx bench/load.ts read        [--rate 1000] [--duration 30] [--runs 3]
 *   node --import tsx bench/load.ts spike       [--runs 1]
 *   node --import tsx bench/load.ts throughput  [--duration 10] [--connections 50] [--runs 3]
 *   node --import tsx bench/load.ts upload      [--files 100] [--runs 5]
 *   node --import tsx bench/load.ts connections [--sse 5000] [--idle 5000] [--rate 200] [--duration 30]
 *   node --import tsx bench/load.ts cpu         [--rate 200] [--duration 10] [--only TEXT] [--profile DIR]
 *
 * read / spike / connections are open loop (constant arrival rate, latency from the due time,
 * requests that could not start within 1 s reported as "not sent"); throughput is closed loop
 * (autocannon, as many requests as the connections carry) against a bare Express hello world
 * measured in the same run. cpu sends each read of the mix alone at a rate the machine keeps up
 * with and reports the gateways' CPU per request (from /proc): on a shared machine that moves
 * far less with the neighbours' load than latency does. `--profile DIR` also writes each
 * gateway's V8 CPU profile there (`node --cpu-prof`).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { Agent, request } from 'node:http';
import type { Socket } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { REPO_ROOT, generateTextResumes, sharedDataDir, startProcess } from '@shortlist/testkit';
import { percentile, runOpenLoop, type OpenLoopResult } from './lib/open-loop';
import { startTopology, type Topology } from './lib/topology';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    rate: { type: 'string' },
    duration: { type: 'string' },
    runs: { type: 'string' },
    connections: { type: 'string' },
    files: { type: 'string', default: '100' },
    sse: { type: 'string', default: '5000' },
    idle: { type: 'string', default: '5000' },
    profile: { type: 'string' },
    only: { type: 'string' },
  },
});
const scenario = positionals[0] ?? 'read';
const SKILLS = ['TypeScript', 'PostgreSQL', 'Redis', 'Kubernetes', 'Kafka', 'GraphQL'];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const fmt = (ms: number) => ms.toFixed(1);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Everything above people's limits: the benchmark measures the machine, not the quotas. */
const UNLIMITED = {
  RATE_LIMIT_PER_IP_PER_MINUTE: '100000000',
  RATE_LIMIT_READS_PER_MINUTE: '100000000',
  RATE_LIMIT_WRITES_PER_MINUTE: '100000000',
  RATE_LIMIT_UPLOADS_PER_MINUTE: '100000000',
  QUOTA_RESUMES_PER_HOUR: '100000000',
  LOG_LEVEL: 'warn',
};

async function topology(extra: Parameters<typeof startTopology>[0] = {}): Promise<Topology> {
  const topo = await startTopology({
    label: 'bench-load',
    resumeWorkers: 1,
    emailWorkers: 0,
    ...extra,
    env: { ...UNLIMITED, ...extra.env },
    nginx: { accessLog: false, ...extra.nginx },
  });
  return topo;
}

/** Apps log at warn, so readiness is awaited on their ports instead of their log lines. */
function api(topo: Topology) {
  return async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${topo.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${topo.apiKey}`,
        ...(typeof init.body === 'string' ? { 'content-type': 'application/json' } : {}),
        ...(init.headers ?? {}),
      },
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
}

/** A job with `count` scored resumes (local scorer), as the read scenarios need. */
async function seed(topo: Topology, count: number) {
  const call = api(topo);
  const job = await call('/v1/jobs', {
    method: 'POST',
    body: JSON.stringify({
      title: 'Platform engineer',
      description: 'Backend services in TypeScript on PostgreSQL, Redis and Kafka.',
      criteria: SKILLS.map((name) => ({ name, weight: 1 })),
    }),
  });
  const resumes = generateTextResumes(count, SKILLS, 11).map((r) => ({
    fileName: r.fileName,
    text: r.text,
  }));
  const upload = await call(`/v1/jobs/${job.id}/batches`, {
    method: 'POST',
    body: JSON.stringify({ resumes }),
  });
  const batchId = upload.batch.id as string;
  for (;;) {
    const batch = await call(`/v1/batches/${batchId}`);
    if (batch.finishedAt) break;
    await sleep(200);
  }
  const page = await call(`/v1/jobs/${job.id}/resumes?limit=200`);
  return {
    jobId: job.id as string,
    batchId,
    resumeIds: (page.items as { id: string }[]).map((r) => r.id),
  };
}

/** The read mix of k6/read-heavy.js: ranked list 60%, batch progress 25%, one resume 15%. */
function readMix(topo: Topology, data: Awaited<ReturnType<typeof seed>>) {
  const headers = { authorization: `Bearer ${topo.apiKey}` };
  return (i: number) => {
    const roll = (i * 7919) % 100;
    if (roll < 60) return { path: `/v1/jobs/${data.jobId}/resumes?sort=score&limit=50`, headers };
    if (roll < 85) return { path: `/v1/batches/${data.batchId}`, headers };
    return { path: `/v1/resumes/${data.resumeIds[i % data.resumeIds.length]}`, headers };
  };
}

function report(label: string, r: OpenLoopResult) {
  const errorRate = r.errors / Math.max(1, r.due);
  console.log(
    `${label}: due ${r.due}, completed ${r.completed}, p50 ${fmt(r.latencyMs.p50)} ms, ` +
      `p95 ${fmt(r.latencyMs.p95)} ms, p99 ${fmt(r.latencyMs.p99)} ms, max ${fmt(r.latencyMs.max)} ms, ` +
      `errors ${r.errors} (${(errorRate * 100).toFixed(3)}%), not sent ${r.notSent}, ` +
      `statuses ${JSON.stringify(r.statuses)}, achieved ${r.achievedRate.toFixed(0)}/s`,
  );
}

async function readScenario() {
  const rate = Number(values.rate ?? 1000);
  const durationMs = Number(values.duration ?? 30) * 1000;
  const runs = Number(values.runs ?? 3);
  const topo = await topology();
  try {
    const data = await seed(topo, 200);
    const mix = readMix(topo, data);
    // Warm-up: connections, JIT, SQLite page cache.
    await runOpenLoop({
      baseUrl: topo.url,
      rate,
      durationMs: 5_000,
      connections: 200,
      request: mix,
    });
    const results: OpenLoopResult[] = [];
    for (let run = 1; run <= runs; run++) {
      const cpu = cpuMeter(topo);
      const r = await runOpenLoop({
        baseUrl: topo.url,
        rate,
        durationMs,
        connections: 200,
        request: mix,
      });
      report(`run ${run}`, r);
      console.log(`  ${cpu(r.completed)}; load average ${loadavg()[0]!.toFixed(1)}`);
      results.push(r);
    }
    console.log(
      `MEDIAN reads ${rate}/s x ${durationMs / 1000} s over ${runs} runs: ` +
        `p50 ${fmt(median(results.map((r) => r.latencyMs.p50)))} ms, ` +
        `p95 ${fmt(median(results.map((r) => r.latencyMs.p95)))} ms, ` +
        `p99 ${fmt(median(results.map((r) => r.latencyMs.p99)))} ms, ` +
        `errors ${median(results.map((r) => r.errors))}, not sent ${median(results.map((r) => r.notSent))}`,
    );
  } finally {
    await topo.stop();
  }
}

async function spikeScenario() {
  const topo = await topology();
  try {
    const data = await seed(topo, 100);
    const headers = { authorization: `Bearer ${topo.apiKey}` };
    // k6/spike.js: 100/s for 20 s, up to 2,000/s in 5 s, 20 s at 2,000/s, down in 5 s, 30 s at 100/s.
    const stages = [
      { until: 20_000, from: 100, to: 100, phase: 'before' },
      { until: 25_000, from: 100, to: 2000, phase: 'ramp-up' },
      { until: 45_000, from: 2000, to: 2000, phase: 'spike' },
      { until: 50_000, from: 2000, to: 100, phase: 'ramp-down' },
      { until: 80_000, from: 100, to: 100, phase: 'after' },
    ];
    const stageAt = (t: number) => stages.find((s) => t < s.until) ?? stages.at(-1)!;
    const rate = (t: number) => {
      const s = stageAt(t);
      const begin = stages[stages.indexOf(s) - 1]?.until ?? 0;
      return s.from + ((s.to - s.from) * (t - begin)) / (s.until - begin);
    };
    const phases = new Map<string, { latency: number[]; statuses: Record<string, number> }>();
    const r = await runOpenLoop({
      baseUrl: topo.url,
      rate,
      durationMs: 80_000,
      connections: 1000,
      request: () => ({ path: `/v1/jobs/${data.jobId}/resumes?sort=score&limit=20`, headers }),
      onResult: ({ dueAt, latencyMs, status }) => {
        const phase = stageAt(dueAt).phase;
        const entry = phases.get(phase) ?? { latency: [], statuses: {} };
        entry.latency.push(latencyMs);
        entry.statuses[status] = (entry.statuses[status] ?? 0) + 1;
        phases.set(phase, entry);
      },
    });
    report('spike total', r);
    for (const [phase, entry] of phases) {
      const sorted = entry.latency.sort((a, b) => a - b);
      console.log(
        `  ${phase}: n ${sorted.length}, p50 ${fmt(percentile(sorted, 50))} ms, p95 ${fmt(percentile(sorted, 95))} ms, ` +
          `p99 ${fmt(percentile(sorted, 99))} ms, statuses ${JSON.stringify(entry.statuses)}`,
      );
    }
  } finally {
    await topo.stop();
  }
}

async function cpuScenario() {
  const rate = Number(values.rate ?? 200);
  const durationMs = Number(values.duration ?? 10) * 1000;
  const topo = await topology(
    values.profile ? { gatewayNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] } : {},
  );
  const hello = await helloWorld();
  try {
    const data = await seed(topo, 200);
    const headers = { authorization: `Bearer ${topo.apiKey}` };
    const gatewayCpu = () => topo.gateways.reduce((sum, g) => sum + cpuSeconds(g.pid), 0);
    const nginxCpu = () =>
      nginxWorkers(topo.nginx.pid).reduce((sum, pid) => sum + cpuSeconds(pid), 0);
    // What the gateways burn with no traffic (timers, health checks, metrics), taken off below.
    const idleStart = gatewayCpu();
    await sleep(5_000);
    const idlePerSecond = (gatewayCpu() - idleStart) / 5;
    console.log(`gateways idle: ${(idlePerSecond * 1000).toFixed(1)} ms CPU per second`);
    type Route = {
      label: string;
      baseUrl: string;
      pid?: number;
      request: (i: number) => { path: string; headers: Record<string, string> };
    };
    const routes: Route[] = [
      { label: 'read mix (k6/read-heavy.js)', baseUrl: topo.url, request: readMix(topo, data) },
      ...[20, 50].map((limit) => ({
        label: `GET /v1/jobs/:id/resumes?sort=score&limit=${limit}`,
        baseUrl: topo.url,
        request: () => ({
          path: `/v1/jobs/${data.jobId}/resumes?sort=score&limit=${limit}`,
          headers,
        }),
      })),
      {
        label: 'GET /v1/jobs/:id/resumes?sort=score&limit=50, gzip accepted (as browsers ask)',
        baseUrl: topo.url,
        request: () => ({
          path: `/v1/jobs/${data.jobId}/resumes?sort=score&limit=50`,
          headers: { ...headers, 'accept-encoding': 'gzip, deflate, br' },
        }),
      },
      {
        label: 'GET /v1/batches/:id',
        baseUrl: topo.url,
        request: () => ({ path: `/v1/batches/${data.batchId}`, headers }),
      },
      {
        label: 'GET /v1/resumes/:id',
        baseUrl: topo.url,
        request: (i) => ({
          path: `/v1/resumes/${data.resumeIds[i % data.resumeIds.length]}`,
          headers,
        }),
      },
      {
        label: 'GET /healthz (no auth, no Redis)',
        baseUrl: topo.url,
        request: () => ({ path: '/healthz', headers: {} }),
      },
      {
        label: 'bare Express hello world (direct, its own process)',
        baseUrl: hello.url,
        pid: hello.pid,
        request: () => ({ path: '/', headers: {} }),
      },
    ];
    for (const route of routes.filter((r) => !values.only || r.label.includes(values.only))) {
      const run = (ms: number) =>
        runOpenLoop({
          baseUrl: route.baseUrl,
          rate,
          durationMs: ms,
          connections: 50,
          request: route.request,
        });
      await run(3_000);
      const before = route.pid ? cpuSeconds(route.pid) : gatewayCpu();
      const nginxBefore = nginxCpu();
      const started = Date.now();
      const r = await run(durationMs);
      const used =
        (route.pid ? cpuSeconds(route.pid) : gatewayCpu()) -
        before -
        (route.pid ? 0 : (idlePerSecond * (Date.now() - started)) / 1000);
      const nginxUsed = route.pid ? 0 : nginxCpu() - nginxBefore;
      const perRequest = (s: number) => ((s * 1000) / Math.max(1, r.completed)).toFixed(2);
      console.log(
        `${route.label}: ${perRequest(used)} ms CPU per request ` +
          `(server side, idle taken off${route.pid ? '' : `; nginx ${perRequest(nginxUsed)} ms`}); ` +
          `p50 ${fmt(r.latencyMs.p50)} ms, p99 ${fmt(r.latencyMs.p99)} ms, ` +
          `${r.completed} done, errors ${r.errors}, not sent ${r.notSent}; load average ${loadavg()[0]!.toFixed(1)}`,
      );
    }
  } finally {
    await hello.stop();
    await topo.stop();
  }
}

/** A bare Express 5 hello world in its own process (the gateway's own Express). */
async function helloWorld(): Promise<{ url: string; pid: number; stop(): Promise<unknown> }> {
  const script = `
    const express = require(require.resolve('express', { paths: [${JSON.stringify(join(REPO_ROOT, 'apps', 'gateway'))}] }));
    const app = express();
    app.get('/', (_req, res) => { res.send('Hello World!'); });
    const server = app.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));
    server.keepAliveTimeout = 65000;
  `;
  const proc = startProcess(process.execPath, ['-e', script], { label: 'hello' });
  const port = Number((await proc.waitFor(/PORT (\d+)/, 20_000))[1]);
  return { url: `http://127.0.0.1:${port}`, pid: proc.pid, stop: () => proc.stop() };
}

async function cannon(
  url: string,
  headers: Record<string, string>,
  connections: number,
  seconds: number,
) {
  const result = await autocannon({ url, headers, connections, duration: seconds, pipelining: 1 });
  const non2xx = result.non2xx + result.errors + result.timeouts;
  return { rps: result.requests.average, p99: result.latency.p99, non2xx };
}

async function throughputScenario() {
  const seconds = Number(values.duration ?? 10);
  const connections = Number(values.connections ?? 50);
  const runs = Number(values.runs ?? 3);
  const topo = await topology();
  const hello = await helloWorld();
  try {
    const data = await seed(topo, 50);
    const auth = { authorization: `Bearer ${topo.apiKey}` };
    const targets = [
      { label: 'bare Express hello world', url: hello.url, headers: {} },
      {
        label: 'nginx -> 2 gateways: GET /v1/batches/:id',
        url: `${topo.url}/v1/batches/${data.batchId}`,
        headers: auth,
      },
      {
        label: 'nginx -> 2 gateways: GET /v1/resumes/:id',
        url: `${topo.url}/v1/resumes/${data.resumeIds[0]}`,
        headers: auth,
      },
    ];
    for (const t of targets) await cannon(t.url, t.headers, connections, 3); // warm-up
    const rows = new Map<string, { rps: number[]; p99: number[]; errors: number[] }>();
    for (let run = 1; run <= runs; run++) {
      for (const t of targets) {
        const r = await cannon(t.url, t.headers, connections, seconds);
        const row = rows.get(t.label) ?? { rps: [], p99: [], errors: [] };
        row.rps.push(r.rps);
        row.p99.push(r.p99);
        row.errors.push(r.non2xx);
        rows.set(t.label, row);
        console.log(
          `run ${run} ${t.label}: ${r.rps.toFixed(0)} req/s, p99 ${r.p99} ms, non-2xx/errors ${r.non2xx}`,
        );
      }
      const helloRps = rows.get(targets[0]!.label)!.rps.at(-1)!;
      for (const t of targets.slice(1))
        console.log(
          `  ratio ${t.label} / hello world: ${(rows.get(t.label)!.rps.at(-1)! / helloRps).toFixed(2)}`,
        );
    }
    const helloMedian = median(rows.get(targets[0]!.label)!.rps);
    for (const [label, row] of rows)
      console.log(
        `MEDIAN ${label}: ${median(row.rps).toFixed(0)} req/s, p99 ${median(row.p99)} ms, ` +
          `ratio ${(median(row.rps) / helloMedian).toFixed(2)}, errors ${median(row.errors)}`,
      );
    console.log(
      `load average at the end ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
  } finally {
    await hello.stop();
    await topo.stop();
  }
}

async function uploadScenario() {
  const count = Number(values.files);
  const runs = Number(values.runs ?? 5);
  const data = sharedDataDir();
  if (!data) throw new Error('no ../shared/data: the upload benchmark uses its real PDFs');
  const root = join(data, 'livecareer-pdfs');
  const pdfs: { name: string; bytes: Buffer }[] = [];
  for (const category of readdirSync(root).filter((c) => !c.includes('.'))) {
    for (const file of readdirSync(join(root, category))) {
      if (pdfs.length >= count * (runs + 1)) break;
      pdfs.push({ name: `${category}-${file}`, bytes: readFileSync(join(root, category, file)) });
    }
  }
  const topo = await topology({ resumeWorkers: 2 });
  try {
    const call = api(topo);
    const job = await call('/v1/jobs', {
      method: 'POST',
      body: JSON.stringify({
        title: 'Accountant',
        description: 'Accounting, reconciliations, month-end close and audits.',
        criteria: [{ name: 'Accounting', weight: 1 }],
      }),
    });
    const times: number[] = [];
    for (let run = 0; run <= runs; run++) {
      const form = new FormData();
      const files = pdfs.slice(run * count, (run + 1) * count);
      const bytes = files.reduce((s, f) => s + f.bytes.length, 0);
      for (const f of files)
        form.append('files', new Blob([f.bytes], { type: 'application/pdf' }), f.name);
      const started = performance.now();
      const res = await fetch(`${topo.url}/v1/jobs/${job.id}/batches`, {
        method: 'POST',
        headers: { authorization: `Bearer ${topo.apiKey}` },
        body: form,
      });
      const body = (await res.json()) as { batch: { id: string } };
      const ms = performance.now() - started;
      if (res.status !== 202)
        throw new Error(`upload answered ${res.status}: ${JSON.stringify(body)}`);
      console.log(
        `${run === 0 ? 'warm-up' : `run ${run}`}: ${files.length} PDFs (${(bytes / 1024 / 1024).toFixed(1)} MB) -> 202 in ${ms.toFixed(0)} ms`,
      );
      if (run > 0) times.push(ms);
      // The next upload starts with idle workers: on one 2-core machine the workers extracting
      // the previous 100 PDFs would otherwise compete with the gateway for the CPU.
      for (;;) {
        const batch = await call(`/v1/batches/${body.batch.id}`);
        if (batch.finishedAt) break;
        await sleep(250);
      }
    }
    console.log(
      `MEDIAN upload of ${count} PDFs accepted (202) in ${median(times).toFixed(0)} ms over ${runs} runs; ` +
        `load average ${loadavg()[0]!.toFixed(1)}`,
    );
  } finally {
    await topo.stop();
  }
}

/** Opens `count` connections that each make one request and then stay open (keep-alive). */
async function holdIdle(topo: Topology, count: number, path: string) {
  const sockets: Socket[] = [];
  const headers = { authorization: `Bearer ${topo.apiKey}`, connection: 'keep-alive' };
  const url = new URL(topo.url);
  for (let i = 0; i < count; i += 200) {
    await Promise.all(
      Array.from(
        { length: Math.min(200, count - i) },
        () =>
          new Promise<void>((resolve, reject) => {
            const agent = new Agent({ keepAlive: true, maxSockets: 1 });
            const req = request(
              { host: url.hostname, port: url.port, path, headers, agent },
              (res) => {
                res.resume();
                res.on('end', () => resolve());
              },
            );
            req.on('socket', (s) => sockets.push(s));
            req.on('error', reject);
            req.end();
          }),
      ),
    );
  }
  return sockets;
}

/** Opens `count` Server-Sent Events streams and counts the bytes they receive. */
async function holdStreams(topo: Topology, count: number, path: string) {
  const url = new URL(topo.url);
  const streams: { closed: boolean; bytes: number; destroy(): void }[] = [];
  for (let i = 0; i < count; i += 200) {
    await Promise.all(
      Array.from(
        { length: Math.min(200, count - i) },
        () =>
          new Promise<void>((resolve, reject) => {
            const req = request(
              {
                host: url.hostname,
                port: url.port,
                path,
                headers: { authorization: `Bearer ${topo.apiKey}`, accept: 'text/event-stream' },
                agent: false,
              },
              (res) => {
                if (res.statusCode !== 200) reject(new Error(`events answered ${res.statusCode}`));
                const entry = { closed: false, bytes: 0, destroy: () => req.destroy() };
                res.on('data', (c: Buffer) => (entry.bytes += c.length));
                res.on('close', () => (entry.closed = true));
                streams.push(entry);
                resolve();
              },
            );
            req.on('error', reject);
            req.end();
          }),
      ),
    );
  }
  return streams;
}

/** CPU seconds (user + system) a process has used, from /proc (clock ticks of 10 ms). */
function cpuSeconds(pid: number | string): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * CPU the serving side (gateways, nginx workers) spends on a stretch of load: on a shared machine
 * latency depends on what the neighbours do, CPU per request much less.
 */
/**
 * CPU per request of each part on the machine: the gateways, nginx, Redis and this process (the
 * load generator), which all share the 2 cores, so together they say whether a rate fits at all.
 */
function cpuMeter(topo: Topology) {
  const own = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  };
  const redisPid = topo.redis?.process().pid;
  const sample = () => ({
    gateways: topo.gateways.reduce((sum, g) => sum + cpuSeconds(g.pid), 0),
    nginx: nginxWorkers(topo.nginx.pid).reduce((sum, pid) => sum + cpuSeconds(pid), 0),
    redis: redisPid === undefined ? 0 : cpuSeconds(redisPid),
    generator: own(),
  });
  const start = sample();
  return (requests: number) => {
    const end = sample();
    const perRequest = (s: number) => ((s * 1000) / Math.max(1, requests)).toFixed(2);
    return (
      `CPU per request: gateways ${perRequest(end.gateways - start.gateways)} ms, ` +
      `nginx ${perRequest(end.nginx - start.nginx)} ms, redis ${perRequest(end.redis - start.redis)} ms, ` +
      `load generator ${perRequest(end.generator - start.generator)} ms`
    );
  };
}

/** "soft/hard" open-file limit of a process, from /proc. */
function fileLimit(pid: string): string {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('Max open files'));
  const [soft, hard] = line?.split(/\s{2,}/).slice(1, 3) ?? [];
  return `${soft}/${hard}`;
}

function nginxWorkers(master: number): string[] {
  return readFileSync(`/proc/${master}/task/${master}/children`, 'utf8').trim().split(/\s+/);
}

async function connectionsScenario() {
  const sse = Number(values.sse);
  const idle = Number(values.idle);
  const rate = Number(values.rate ?? 200);
  const durationMs = Number(values.duration ?? 30) * 1000;
  const topo = await topology({
    resumeWorkers: 1,
    env: { SSE_HEARTBEAT_SECONDS: '15' },
  });
  try {
    const data = await seed(topo, 200);
    // A batch that stays open (no worker running) for the progress listeners to follow.
    await topo.resumeWorkers[0]!.stop('SIGTERM');
    const call = api(topo);
    const open = await call(`/v1/jobs/${data.jobId}/batches`, {
      method: 'POST',
      body: JSON.stringify({
        resumes: [{ fileName: 'waiting.txt', text: 'TypeScript and Redis engineer.' }],
      }),
    });
    const openBatch = open.batch.id as string;
    // Baseline in the same run: the same reads with no connections held.
    await runOpenLoop({
      baseUrl: topo.url,
      rate,
      durationMs: 5_000,
      connections: 100,
      request: readMix(topo, data),
    });
    const baseCpu = cpuMeter(topo);
    const baseline = await runOpenLoop({
      baseUrl: topo.url,
      rate,
      durationMs,
      connections: 100,
      request: readMix(topo, data),
    });
    report(`baseline: reads at ${rate}/s holding nothing`, baseline);
    console.log(`  ${baseCpu(baseline.completed)}; load average ${loadavg()[0]!.toFixed(1)}`);
    const started = performance.now();
    const streams = await holdStreams(topo, sse, `/v1/batches/${openBatch}/events`);
    const idlers = await holdIdle(topo, idle, `/v1/batches/${data.batchId}`);
    console.log(
      `opened ${streams.length} event streams and ${idlers.length} keep-alive readers in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const status = await (await fetch(topo.nginx.statusUrl)).text();
    console.log(`nginx stub_status:\n${status.trim()}`);
    const heldCpu = cpuMeter(topo);
    const r = await runOpenLoop({
      baseUrl: topo.url,
      rate,
      durationMs,
      connections: 100,
      request: readMix(topo, data),
    });
    report(`reads at ${rate}/s while holding ${sse + idle} connections`, r);
    console.log(`  ${heldCpu(r.completed)}; load average ${loadavg()[0]!.toFixed(1)}`);
    console.log(
      `p99 held / baseline: ${(r.latencyMs.p99 / baseline.latencyMs.p99).toFixed(2)}; ` +
        `open-file limits: this process ${fileLimit('self')}, nginx workers ${nginxWorkers(topo.nginx.pid).map(fileLimit).join(', ')}`,
    );
    const stillOpen = streams.filter((s) => !s.closed).length;
    const idleOpen = idlers.filter((s) => !s.destroyed).length;
    console.log(
      `held to the end: ${stillOpen}/${streams.length} event streams (each received ${median(streams.map((s) => s.bytes))} bytes, median), ` +
        `${idleOpen}/${idlers.length} keep-alive readers`,
    );
    console.log(
      `nginx stub_status after:\n${(await (await fetch(topo.nginx.statusUrl)).text()).trim()}`,
    );
    for (const s of streams) s.destroy();
    for (const s of idlers) s.destroy();
  } finally {
    await topo.stop();
  }
}

const scenarios: Record<string, () => Promise<void>> = {
  read: readScenario,
  spike: spikeScenario,
  throughput: throughputScenario,
  upload: uploadScenario,
  connections: connectionsScenario,
  cpu: cpuScenario,
};
async function main() {
  const run = scenarios[scenario];
  if (!run) {
    console.error(`unknown scenario "${scenario}"; one of ${Object.keys(scenarios).join(', ')}`);
    process.exit(2);
  }
  console.log(
    `bench/load.ts ${scenario} — ${new Date().toISOString()}, ${cpus().length} cores, Node ${process.version}, ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  );
  await run();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
