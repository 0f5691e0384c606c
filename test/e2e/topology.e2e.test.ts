/**
 * The scaled-out topology as real processes: nginx (from apt, the shipped nginx.conf in a temp
 * prefix) in front of 2 gateways, 2 resume-workers and 1 email-worker sharing one SQLite file and
 * one blob folder, with a Redis of their own (so it can be restarted without touching the shared
 * one). Scoring goes through the simulated LLM so a batch takes long enough to drill during it.
 */
import { request as httpRequest } from 'node:http';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { createRegistry } from '@shortlist/observability';
import {
  REPO_ROOT,
  generateTextResumes,
  startOpenAiServer,
  startSmtpSink,
  tempDir,
  type OpenAiServer,
  type SmtpSink,
} from '@shortlist/testkit';
import { Autoscaler } from '../../apps/autoscaler/src/autoscaler';
import { startTopology, type Topology } from '../../bench/lib/topology';

const SKILLS = ['TypeScript', 'PostgreSQL', 'Redis', 'Kubernetes'];
const BATCH = 300;

interface Counts {
  total: number;
  queued: number;
  processing: number;
  done: number;
  failed: number;
  duplicate: number;
}

/** A plain node:http GET, so the source address can be chosen (edge limits are per address). */
function get(
  url: string,
  headers: Record<string, string> = {},
  localAddress = '127.0.0.1',
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers, localAddress, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode!,
          headers: res.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Follows a batch's Server-Sent Events as EventSource does: on a dropped stream (its gateway
 * stopped, Redis restarted) it reconnects with Last-Event-ID; 204 means nothing more will come.
 */
function followEvents(url: string, apiKey: string) {
  const seen = {
    done: new Set<string>(),
    /** resume.done events received, repeats included. */
    doneEvents: 0,
    finished: false,
    reconnects: 0,
    /** When the first resume.done arrived (ms since epoch). */
    firstDoneAt: 0,
  };
  let lastId: string | null = null;
  let closed = false;
  let current: ReturnType<typeof httpRequest> | null = null;
  const again = () => {
    if (closed || seen.finished) return;
    seen.reconnects++;
    setTimeout(connect, 300);
  };
  const connect = () => {
    const headers: Record<string, string> = {
      authorization: `Bearer ${apiKey}`,
      accept: 'text/event-stream',
    };
    if (lastId) headers['last-event-id'] = lastId;
    current = httpRequest(url, { headers, agent: false }, (res) => {
      if (res.statusCode === 204) {
        seen.finished = true;
        res.resume();
        return;
      }
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = /^id: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (id) lastId = id;
          if (!data) continue;
          const event = JSON.parse(data) as { type: string; resumeId?: string };
          if (event.type === 'resume.done') {
            seen.done.add(event.resumeId!);
            seen.doneEvents++;
            if (!seen.firstDoneAt) seen.firstDoneAt = Date.now();
          }
          if (event.type === 'batch.finished') seen.finished = true;
        }
      });
      res.on('close', again);
    });
    current.on('error', again);
    current.end();
  };
  connect();
  return {
    seen,
    close() {
      closed = true;
      current?.destroy();
    },
  };
}

async function until<T>(
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('scaled-out topology: nginx, 2 gateways, 2 resume-workers, 1 email-worker, own Redis', () => {
  let topo: Topology;
  let llm: OpenAiServer;
  let smtp: SmtpSink;
  let web: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(async () => {
    [llm, smtp, web] = await Promise.all([
      // ~20 calls a second through the shared limiter: the batch takes long enough to drill in.
      startOpenAiServer({ latencyMs: 100, jitterMs: 100 }),
      startSmtpSink(),
      tempDir('topology-web'),
    ]);
    // nginx's workers run as `nobody` when the test runs as root: the files must be readable.
    await chmod(web.path, 0o755);
    await mkdir(join(web.path, 'assets'), { mode: 0o755 });
    await writeFile(join(web.path, 'index.html'), '<!doctype html><title>Shortlist</title>');
    await writeFile(
      join(web.path, 'assets', 'index-3f9a1c2b.js'),
      `export const rows = ${JSON.stringify(Array.from({ length: 200 }, (_, i) => ({ i })))};`,
    );
    topo = await startTopology({
      label: 'topology',
      webRoot: web.path,
      env: {
        SCORER: 'openai',
        OPENAI_BASE_URL: llm.url,
        OPENAI_API_KEY: 'test-key',
        LLM_MODEL: 'gpt-4o-mini',
        LLM_RPM: '1200',
        LLM_MAX_RETRIES: '6',
        // The gateways' own per-tenant limits are for people, not for this drill.
        RATE_LIMIT_PER_IP_PER_MINUTE: '1000000',
        RATE_LIMIT_READS_PER_MINUTE: '1000000',
        RATE_LIMIT_WRITES_PER_MINUTE: '1000000',
        RATE_LIMIT_UPLOADS_PER_MINUTE: '1000000',
        QUOTA_RESUMES_PER_HOUR: '1000000',
      },
      gatewayEnv: { SHUTDOWN_GRACE_MS: '5000' },
      resumeWorkerEnv: {
        WORKER_CONCURRENCY: '12',
        LLM_CONCURRENCY: '12',
        LOCK_DURATION_MS: '4000',
        STALLED_INTERVAL_MS: '1000',
        SHUTDOWN_GRACE_MS: '5000',
      },
      emailWorkerEnv: {
        SMTP_URL: smtp.url,
        SMTP_RATE_PER_SECOND: '0',
        EMAIL_LOCK_MS: '4000',
        SHUTDOWN_GRACE_MS: '5000',
      },
    });
  }, 180_000);

  afterAll(async () => {
    await topo?.stop();
    await Promise.all([llm?.close(), smtp?.close(), web?.remove()]);
  }, 60_000);

  const api = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${topo.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${topo.apiKey}`, ...(init.headers ?? {}) },
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
  };

  it('serves the web app with cache headers and gzip, and carries request ids both ways', async () => {
    const index = await get(`${topo.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers['cache-control']).toBe('no-cache');
    expect(index.body).toContain('<title>Shortlist</title>');
    // A client-side route gets index.html.
    expect((await get(`${topo.url}/jobs/job_123/shortlist`)).body).toContain('<title>Shortlist');

    const asset = await get(`${topo.url}/assets/index-3f9a1c2b.js`, { 'accept-encoding': 'gzip' });
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-encoding']).toBe('gzip');
    expect((await get(`${topo.url}/assets/missing.js`)).status).toBe(404);
    // API answers are compressed too, by nginx (the gateways are asked for identity).
    const spec = await get(`${topo.url}/openapi.json`, { 'accept-encoding': 'gzip' });
    expect(spec.status).toBe(200);
    expect(spec.headers['content-encoding']).toBe('gzip');

    // A sane client id travels to the gateway and back; otherwise nginx makes one.
    const auth = { authorization: `Bearer ${topo.apiKey}` };
    const mine = await get(`${topo.url}/v1/jobs`, { ...auth, 'x-request-id': 'drill-req-0001' });
    expect(mine.status).toBe(200);
    expect(mine.headers['x-request-id']).toBe('drill-req-0001');
    const made = await get(`${topo.url}/v1/jobs`, {
      ...auth,
      'x-request-id': 'bad id with spaces',
    });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f]{32}$/);
    const access = await until(
      async () => {
        // Each nginx worker buffers its own lines (flush=1s): wait for both requests' lines.
        const log = await readFile(join(topo.nginx.prefix, 'access.log'), 'utf8');
        return (
          log.includes(made.headers['x-request-id'] as string) &&
          log.includes('drill-req-0001') &&
          log
        );
      },
      5_000,
      'the access log',
    );
    expect(access).toContain('"requestId":"drill-req-0001"');
  });

  it('refuses a flood from one address at the edge with problem+json, and exempts loopback', async () => {
    const burst = (from: string) =>
      Promise.all(Array.from({ length: 500 }, () => get(`${topo.url}/v1/jobs`, {}, from)));
    const flooded = await burst('127.0.0.2');
    const refused = flooded.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(100);
    expect(refused[0]!.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(refused[0]!.body)).toMatchObject({ status: 429, code: 'rate_limited' });
    // Everything else reached a gateway (401: no API key). On an overloaded machine a connection
    // may not reach any gateway within proxy_connect_timeout: then the edge answers its own 503
    // (an honest overload answer, not a limit), so that one is tolerated and shown.
    const overloaded = (r: { status: number; body: string }) =>
      r.status === 503 && (JSON.parse(r.body) as { code?: string }).code === 'unavailable';
    const tally = (rs: { status: number }[]) =>
      rs.reduce<Record<number, number>>(
        (t, r) => ({ ...t, [r.status]: (t[r.status] ?? 0) + 1 }),
        {},
      );
    expect([
      tally(flooded),
      flooded.every((r) => r.status === 429 || r.status === 401 || overloaded(r)),
    ]).toEqual([tally(flooded), true]);
    // Loopback is exempt: none of the same burst is refused at the edge.
    const local = await burst('127.0.0.1');
    expect([tally(local), local.every((r) => r.status === 401 || overloaded(r))]).toEqual([
      tally(local),
      true,
    ]);
    expect(local.filter((r) => r.status === 401).length).toBeGreaterThan(100);
  }, 60_000);

  it(`keeps a batch of ${BATCH} resumes and its emails exact through a worker kill, a gateway stop and a Redis restart`, async () => {
    try {
      await drills();
    } catch (error) {
      // What every process said is the quickest way to see why a drill failed.
      if (error instanceof Error) error.message += `\n${topo.logs()}`;
      throw error;
    }
  }, 420_000);

  async function drills() {
    const job = await api('/v1/jobs', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Platform engineer',
        description: 'Backend services in TypeScript on PostgreSQL and Redis, run on Kubernetes.',
        criteria: SKILLS.map((name) => ({ name, weight: 1 })),
      }),
    });
    expect(job.status).toBe(201);
    const jobId = job.body.id as string;

    const form = new FormData();
    const generated = generateTextResumes(BATCH, SKILLS, 7);
    const emailOf = new Map(generated.map((r) => [r.fileName, r.email]));
    // Recipients by address (the resume's own contact details may not be extracted).
    const invite = (resumes: { id: string; fileName: string }[]) =>
      api('/v1/emails', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          kind: 'invite',
          items: resumes.map((r) => ({ resumeId: r.id, to: emailOf.get(r.fileName) })),
        }),
      });
    for (const r of generated)
      form.append('files', new Blob([r.text], { type: 'text/plain' }), r.fileName);
    const upload = await api(`/v1/jobs/${jobId}/batches`, { method: 'POST', body: form });
    expect(upload.status).toBe(202);
    const batchId = upload.body.batch.id as string;
    const events = followEvents(`${topo.url}/v1/batches/${batchId}/events`, topo.apiKey);
    const counts = async () => (await api(`/v1/batches/${batchId}`)).body.counts as Counts;

    // Readers keep going through nginx the whole time; each read is filed under the drill phase.
    let phase = 'before';
    let reading = true;
    // A read is filed under the phase it started in, unless Redis went down while it was in
    // flight (then a quick 503 is the right answer); failures keep who answered them.
    const reads: { phase: string; status: number; detail?: string }[] = [];
    const reader = async () => {
      while (reading) {
        const started = phase;
        const path =
          reads.length % 2 === 0 ? `/v1/batches/${batchId}` : `/v1/jobs/${jobId}/resumes?limit=20`;
        const { status, detail } = await fetch(`${topo.url}${path}`, {
          headers: { authorization: `Bearer ${topo.apiKey}` },
        })
          .then(async (res) => {
            const text = await res.text();
            return { status: res.status, detail: res.ok ? undefined : text.slice(0, 200) };
          })
          .catch((error: Error) => ({ status: 0, detail: error.message }));
        reads.push({ phase: phase === 'redis-restart' ? phase : started, status, detail });
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    const readers = Promise.all([reader(), reader(), reader()]);

    // (a) a resume-worker dies mid-batch (SIGKILL: no clean-up), another one starts.
    await until(async () => (await counts()).done >= 30 && true, 90_000, '30 resumes done');
    phase = 'worker-kill';
    await topo.resumeWorkers[0]!.stop('SIGKILL');
    await topo.startResumeWorker();

    // Invitations for the first results go out while the drills continue.
    const firstDone = await api(`/v1/jobs/${jobId}/resumes?status=done&limit=60`);
    const firstResumes = firstDone.body.items as { id: string; fileName: string }[];
    const firstIds = firstResumes.map((r) => r.id);
    expect(firstIds.length).toBeGreaterThanOrEqual(30);
    const firstEmails = await invite(firstResumes);
    expect([firstEmails.status, firstEmails.body.counts]).toEqual([
      202,
      { queued: firstIds.length, existing: 0, rejected: 0 },
    ]);

    // (b) one gateway stops (SIGTERM, graceful); nginx sends everything to the other.
    phase = 'gateway-stop';
    expect(await topo.gateways[1]!.stop('SIGTERM', 15_000)).toBe(0);
    await new Promise((r) => setTimeout(r, 2_000));

    // (c) Redis restarts (AOF, same port): every client must reconnect by itself.
    phase = 'redis-restart';
    await topo.redis!.restart(1_000);
    await until(async () => (await get(`${topo.url}/readyz`)).status === 200, 30_000, 'readiness');
    phase = 'recovered';

    let finishedAt = '';
    const finished = await until(
      async () => {
        const batch = (await api(`/v1/batches/${batchId}`)).body;
        finishedAt = batch.finishedAt as string;
        return batch.finishedAt ? (batch.counts as Counts) : null;
      },
      150_000,
      'the batch to finish',
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${topo.logs()}`);
    });

    // Everyone else is invited too once the batch is done.
    const all: { id: string; status: string; fileName: string }[] = [];
    let cursor: string | null = null;
    do {
      const page = await api(
        `/v1/jobs/${jobId}/resumes?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      all.push(...(page.body.items as typeof all));
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    const rest = all.filter((r) => r.status === 'done' && !firstIds.includes(r.id));
    const restEmails = await invite(rest);
    expect([restEmails.status, restEmails.body.counts]).toEqual([
      202,
      { queued: rest.length, existing: 0, rejected: 0 },
    ]);
    const emailCount = firstIds.length + rest.length;
    await until(async () => smtp.received.length >= emailCount && true, 90_000, 'every email');
    await new Promise((r) => setTimeout(r, 1_000)); // a duplicate would arrive now

    reading = false;
    await readers;
    await until(async () => events.seen.finished, 20_000, 'the batch.finished event').finally(() =>
      events.close(),
    );

    // Every resume ended in exactly one final state, and the counters agree with the rows.
    expect(finished).toMatchObject({
      total: BATCH,
      queued: 0,
      processing: 0,
      failed: 0,
      duplicate: 0,
    });
    expect(finished.done).toBe(BATCH);
    expect(all).toHaveLength(BATCH);
    expect(new Set(all.map((r) => r.id)).size).toBe(BATCH);
    expect(all.every((r) => r.status === 'done')).toBe(true);

    // Progress streamed live through nginx, and every result reached the listener even though its
    // stream was cut by the gateway stop and the Redis restart (it resumed with Last-Event-ID).
    expect(events.seen.firstDoneAt).toBeLessThan(Date.parse(finishedAt) - 5_000);
    // Each exactly once: the log holds a repeated publish once and batch.finished comes last.
    expect(events.seen.done.size).toBe(BATCH);
    expect(events.seen.doneEvents).toBe(BATCH);

    // Every email was delivered exactly once and recorded as sent.
    const ids = smtp.received.map((m) => m.messageId);
    expect(ids).toHaveLength(emailCount);
    expect(new Set(ids).size).toBe(emailCount);
    const statuses = new Map<string, number>();
    cursor = null;
    do {
      const page = await api(
        `/v1/jobs/${jobId}/emails?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      for (const e of page.body.items as { status: string }[])
        statuses.set(e.status, (statuses.get(e.status) ?? 0) + 1);
      cursor = page.body.nextCursor as string | null;
    } while (cursor);
    expect(Object.fromEntries(statuses)).toEqual({ sent: emailCount });

    // Reads never failed, except with a quick 503 while Redis itself was down.
    const byPhase = (p: string) => reads.filter((r) => r.phase === p);
    for (const p of ['before', 'worker-kill', 'gateway-stop', 'recovered']) {
      const failures = byPhase(p).filter((r) => r.status !== 200);
      expect([p, failures]).toEqual([p, []]);
    }
    expect(byPhase('gateway-stop').length).toBeGreaterThan(10);
    expect(byPhase('redis-restart').every((r) => r.status === 200 || r.status === 503)).toBe(true);
  }

  it('exports every metric the alerts, the dashboard and the KEDA example use', async () => {
    const scrape = async (url: string) => (await fetch(`${url}/metrics`)).text();
    const texts = await Promise.all([
      scrape(topo.gateways[0]!.url),
      ...topo.resumeWorkers
        .filter((w) => w.child.exitCode === null && w.child.signalCode === null)
        .map((w) => scrape(w.url)),
      scrape(topo.emailWorkers[0]!.url),
    ]);
    // The autoscaler's own metrics, from its registry.
    const registry = createRegistry('autoscaler');
    new Autoscaler({
      targets: [],
      scaler: {
        kind: 'none',
        replicas: async () => 0,
        scaleTo: async () => {},
        close: async () => {},
      },
      readDepth: async () => ({ waiting: 0, active: 0 }),
      readHeadroom: async () => ({ ratio: 1, pausedUntil: 0 }),
      policy: { upCooldownMs: 0, downCooldownMs: 0, headroomFloor: 0.1 },
      registry,
    });
    texts.push(await registry.metrics());
    const exported = new Set(
      texts.flatMap((t) => [...t.matchAll(/^# TYPE (\S+) (\w+)/gm)].map((m) => m[1]!)),
    );

    const read = (p: string) => readFile(join(REPO_ROOT, p), 'utf8');
    const alerts = parse(await read('infra/prometheus/alerts.yml')) as {
      groups: { rules: { expr: string }[] }[];
    };
    const dashboard = JSON.parse(await read('infra/grafana/dashboards/shortlist.json')) as {
      panels: { targets?: { expr: string }[] }[];
    };
    const keda = parseAllDocuments(await read('infra/k8s/keda-scaledobject.yaml')).map((d) =>
      d.toJS(),
    ) as { spec: { triggers: { metadata: { query: string } }[] } }[];
    const exprs = [
      ...alerts.groups.flatMap((g) => g.rules.map((r) => r.expr)),
      ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)),
      ...keda.flatMap((k) => k.spec.triggers.map((t) => t.metadata.query)),
    ];
    // Ours and Node's (prom-client defaults); redis_*, nginx_* and `up` come from the exporters.
    const used = new Set(
      exprs.flatMap((e) =>
        [...e.matchAll(/\b((?:shortlist|process|nodejs)_[a-z0-9_]+)/g)].map((m) =>
          m[1]!.replace(/_(bucket|sum|count)$/, ''),
        ),
      ),
    );
    expect(used.size).toBeGreaterThan(15);
    expect([...used].filter((name) => !exported.has(name))).toEqual([]);
  });
});
