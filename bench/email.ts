/**
 * Email end to end: one `POST /v1/emails` for N candidates to the real gateway process, the real
 * email-worker process sending over a nodemailer pool to an SMTP server on loopback, timed from
 * the API call to the last message accepted by the server. Baseline in the same run: the same
 * nodemailer pool sending N ready-made messages straight to the same server (no API, queue, store).
 *
 * Also prints the CPU time the gateway and the worker spent per email (from /proc), which depends
 * on the neighbours much less than wall time. `EMAIL_BENCH_PROFILE=DIR` writes V8 CPU profiles of
 * both processes there. `EMAIL_BENCH_PERSONALISE=1` sends with `personalise: true` (the built-in
 * personaliser; every candidate matched two criteria), so each email gets its personal sentence.
 *
 * Run: node --import tsx bench/email.ts [emails=1000] [runs=5] [connections=5]
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import { newId, type Job, type Resume } from '../packages/contracts/src';
import { SqliteStore } from '../packages/store/src';
import {
  REPO_ROOT,
  TEST_REDIS_URL,
  deletePrefix,
  startProcess,
  startSmtpSink,
  tempDir,
  testRedis,
  uniquePrefix,
} from '../packages/testkit/src';
import { createUserWithKey } from '../apps/gateway/src/auth';
import { SmtpTransport } from '../packages/mail/src';
import { cpuMeter } from './lib/cpu';

const N = Number(process.argv[2] ?? 1_000);
const RUNS = Number(process.argv[3] ?? 5);
const CONNECTIONS = Number(process.argv[4] ?? 5);
const PROFILE = process.env.EMAIL_BENCH_PROFILE;
const PERSONALISE = process.env.EMAIL_BENCH_PERSONALISE === '1';
const profileArgs = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE}`] : [];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main() {
  const dir = await tempDir('bench-email');
  const prefix = uniquePrefix('bench-mail');
  const sqlitePath = join(dir.path, 'shortlist.db');
  const store = new SqliteStore({ path: sqlitePath, cursorSecret: 'bench-cursor-secret-123' });
  const { user, apiKey } = await createUserWithKey(store, { name: 'Acme', role: 'member' });
  const sink = await startSmtpSink();
  const env = {
    DATA_DIR: dir.path,
    SQLITE_PATH: sqlitePath,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: 'info',
  };
  const gateway = startProcess(
    process.execPath,
    [...profileArgs, '--import', 'tsx', join(REPO_ROOT, 'apps/gateway/src/main.ts')],
    { cwd: REPO_ROOT, env: { ...env, PORT: '0' }, label: 'gateway' },
  );
  const url = (await gateway.waitFor(/"url":"(http:\/\/[^"]+)"/, 120_000))[1]!;
  const worker = startProcess(
    process.execPath,
    [...profileArgs, '--import', 'tsx', join(REPO_ROOT, 'apps/email-worker/src/main.ts')],
    {
      cwd: REPO_ROOT,
      env: {
        ...env,
        SMTP_URL: sink.url,
        SMTP_MAX_CONNECTIONS: String(CONNECTIONS),
        SMTP_RATE_PER_SECOND: '0',
        WORKER_CONCURRENCY: '100',
        MAIL_FROM: 'Acme Hiring <jobs@acme.test>',
      },
      label: 'email-worker',
    },
  );
  await worker.waitFor(/email-worker started/, 120_000);

  async function seed(): Promise<string[]> {
    const at = new Date().toISOString();
    const job: Job = {
      id: newId('job'),
      userId: user.id,
      title: 'Backend engineer',
      description: 'Node.js services in TypeScript with PostgreSQL.',
      criteria: [{ name: 'TypeScript', weight: 1, required: false }],
      criteriaDerived: false,
      thresholds: { shortlist: 70, maybe: 45 },
      blind: false,
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    await store.jobs.create(job);
    const resumes: Resume[] = Array.from({ length: N }, (_, i) => ({
      id: newId('res'),
      userId: user.id,
      jobId: job.id,
      batchId: 'bat_bench',
      fileName: `c${i}.txt`,
      blobKey: `k${i}`,
      sha256: i.toString(16).padStart(64, '0'),
      size: 1,
      mime: 'text/plain',
      uploadedAt: at,
      status: 'done',
      error: null,
      duplicateOf: null,
      jobVersion: 1,
      textChars: 1,
      candidate: { name: `Candidate ${i}`, email: `c${i}@example.test`, phone: null, links: [] },
      analysis: PERSONALISE
        ? {
            score: 80,
            tier: 'shortlist',
            criteria: [
              { name: 'TypeScript', weight: 1, required: false, met: 'yes', evidence: null },
              { name: 'PostgreSQL', weight: 1, required: false, met: 'yes', evidence: null },
            ],
            yearsExperience: 5,
            summary: '',
            warnings: [],
            model: 'local',
            promptVersion: 'bench',
            tokensIn: 0,
            tokensOut: 0,
            costUsd: 0,
            cached: false,
            durationMs: 1,
          }
        : null,
      score: 80,
      tier: 'shortlist',
      warnings: [],
      updatedAt: at,
    }));
    await store.resumes.createMany(resumes);
    return resumes.map((r) => r.id);
  }

  async function ours() {
    const ids = await seed();
    const before = sink.received.length;
    const cpu = cpuMeter({ gateway: gateway.pid, worker: worker.pid });
    const t0 = performance.now();
    const res = await fetch(`${url}/v1/emails`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'invite', resumeIds: ids, personalise: PERSONALISE }),
    });
    const apiMs = performance.now() - t0;
    if (res.status !== 202) throw new Error(`POST /v1/emails: ${res.status} ${await res.text()}`);
    await sink.waitForReceived(before + N, 120_000);
    const totalMs = performance.now() - t0;
    if (
      PERSONALISE &&
      !sink.received
        .at(-1)!
        .raw.replace(/=\r?\n/g, '')
        .includes('stood out')
    )
      throw new Error('a personalised email arrived without its sentence');
    // Lets the worker record the last statuses, which belong to this run's CPU.
    await new Promise((r) => setTimeout(r, 300));
    const used = cpu();
    const perEmail = (s: number) => (s * 1_000) / N;
    return {
      apiMs,
      totalMs,
      rate: (N / totalMs) * 1_000,
      gatewayCpuMs: perEmail(used.gateway!),
      workerCpuMs: perEmail(used.worker!),
      sinkCpuMs: perEmail(used.bench!),
    };
  }

  async function baseline() {
    const transport = nodemailer.createTransport({
      pool: true,
      host: sink.host,
      port: sink.port,
      secure: false,
      maxConnections: CONNECTIONS,
      maxMessages: 1_000,
      logger: false,
    });
    const before = sink.received.length;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: N }, (_, i) =>
        transport.sendMail({
          from: 'Acme Hiring <jobs@acme.test>',
          to: `b${i}@example.test`,
          subject: 'Interview invitation: Backend engineer at Acme',
          text: 'Dear Candidate,\n\nWe would like to invite you to an interview.\n',
          messageId: `<base-${newId('eml')}@acme.test>`,
        }),
      ),
    );
    await sink.waitForReceived(before + N);
    const totalMs = performance.now() - t0;
    transport.close();
    return { totalMs, rate: (N / totalMs) * 1_000 };
  }

  async function transportAlone() {
    const transport = new SmtpTransport({
      url: sink.url,
      maxConnections: CONNECTIONS,
      ratePerSecond: 0,
    });
    const before = sink.received.length;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: N }, (_, i) =>
        transport.send({
          from: { name: 'Acme Hiring', address: 'jobs@acme.test' },
          to: `t${i}@example.test`,
          subject: 'Interview invitation: Backend engineer at Acme',
          text: 'Dear Candidate,\n\nWe would like to invite you to an interview.\n',
          html: null,
          messageId: `<tr-${newId('eml')}@acme.test>`,
        }),
      ),
    );
    await sink.waitForReceived(before + N);
    const totalMs = performance.now() - t0;
    await transport.close();
    return { totalMs, rate: (N / totalMs) * 1_000 };
  }

  console.log(`warm-up (${N} emails each way)...`);
  await ours();
  await baseline();
  const rows: {
    gatewayCpu: number;
    workerCpu: number;
    sinkCpu: number;
    run: number;
    api: number;
    ours: number;
    oursRate: number;
    base: number;
    baseRate: number;
    tr: number;
    trRate: number;
  }[] = [];
  for (let run = 1; run <= RUNS; run++) {
    const a = await ours();
    const b = await baseline();
    const c = await transportAlone();
    rows.push({
      gatewayCpu: a.gatewayCpuMs,
      workerCpu: a.workerCpuMs,
      sinkCpu: a.sinkCpuMs,
      tr: c.totalMs,
      trRate: c.rate,
      run,
      api: a.apiMs,
      ours: a.totalMs,
      oursRate: a.rate,
      base: b.totalMs,
      baseRate: b.rate,
    });
    console.log(
      `run ${run}: CPU per email gateway ${a.gatewayCpuMs.toFixed(2)} ms, worker ${a.workerCpuMs.toFixed(2)} ms, bench+sink ${a.sinkCpuMs.toFixed(2)} ms; API ${a.apiMs.toFixed(0)} ms, end to end ${a.totalMs.toFixed(0)} ms (${a.rate.toFixed(0)}/s); plain nodemailer pool ${b.totalMs.toFixed(0)} ms (${b.rate.toFixed(0)}/s); our transport alone ${c.totalMs.toFixed(0)} ms (${c.rate.toFixed(0)}/s)`,
    );
  }
  const dup = sink.duplicates().length;
  console.log(
    `\n${N} emails${PERSONALISE ? ' (personalised)' : ''}, ${RUNS} runs, ${CONNECTIONS} SMTP connections, ${cpus().length} cores, Node ${process.version}, load ${loadavg()[0]!.toFixed(2)}`,
  );
  console.log('| measure | median |');
  console.log('|---|---|');
  console.log(`| POST /v1/emails (202) | ${median(rows.map((r) => r.api)).toFixed(0)} ms |`);
  console.log(
    `| end to end (API call -> last message at the server) | ${median(rows.map((r) => r.ours)).toFixed(0)} ms |`,
  );
  console.log(`| end to end rate | ${median(rows.map((r) => r.oursRate)).toFixed(0)} emails/s |`);
  console.log(
    `| CPU per email: gateway / email-worker / bench + SMTP server | ${median(rows.map((r) => r.gatewayCpu)).toFixed(2)} / ${median(rows.map((r) => r.workerCpu)).toFixed(2)} / ${median(rows.map((r) => r.sinkCpu)).toFixed(2)} ms |`,
  );
  console.log(
    `| plain nodemailer pool (Nagle on, as shipped) | ${median(rows.map((r) => r.base)).toFixed(0)} ms (${median(rows.map((r) => r.baseRate)).toFixed(0)}/s) |`,
  );
  console.log(
    `| our SmtpTransport alone (TCP_NODELAY), no API/queue/store | ${median(rows.map((r) => r.tr)).toFixed(0)} ms (${median(rows.map((r) => r.trRate)).toFixed(0)}/s) |`,
  );
  console.log(
    `| end to end / transport alone (time) | ${median(rows.map((r) => r.ours / r.tr)).toFixed(2)} |`,
  );
  console.log(
    `| end to end / plain nodemailer pool (time) | ${median(rows.map((r) => r.ours / r.base)).toFixed(2)} |`,
  );
  console.log(`| duplicate Message-IDs at the server | ${dup} |`);

  await worker.stop('SIGTERM');
  await gateway.stop('SIGTERM');
  await sink.close();
  await store.close();
  const redis = testRedis();
  await deletePrefix(redis, prefix);
  await redis.quit();
  await dir.remove();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
