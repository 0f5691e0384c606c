/**
 * End-to-end resume pipeline benchmark: real gateway and resume-worker processes, the real openai
 * SDK against the testkit OpenAI-compatible server with provider latency and RPM/TPM limits.
 * Time runs from the upload request to the batch's last result (`finishedAt` seen by a client
 * polling every 100 ms), and is compared to the physical floor of the provider limits
 * (PERFORMANCE.md): T_floor = L + (N - 1) / r with r = min(RPM / 60, TPM / 60 / t), where t is
 * the mean tokens one call costs as the provider counts them (prompt + max_tokens).
 *
 *   node --import tsx bench/pipeline.ts [--sizes 100,1000] [--limits 500:200000,10000:10000000]
 *        [--latency 800] [--jitter 200] [--workers 2] [--runs 3] [--profile DIR]
 *        [--worker-node-args '--max-semi-space-size=32']
 */
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import {
  REPO_ROOT,
  deletePrefix,
  generateTextResumes,
  startOpenAiServer,
  startProcess,
  tempDir,
  testRedis,
  uniquePrefix,
  type ChatBody,
  type RunningProcess,
} from '@shortlist/testkit';
import { cpuMeter } from './lib/cpu';
import { benchEnv, createBenchKey, tsx } from './lib/processes';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000' },
    limits: { type: 'string', default: '500:200000,10000:10000000' },
    latency: { type: 'string', default: '800' },
    jitter: { type: 'string', default: '200' },
    workers: { type: 'string', default: '2' },
    runs: { type: 'string', default: '3' },
    'max-output-tokens': { type: 'string', default: '400' },
    /** Folder for V8 CPU profiles of the worker processes (`--cpu-prof`). */
    profile: { type: 'string' },
    /** Extra Node flags for the worker processes, space-separated (e.g. `--max-semi-space-size=32`). */
    'worker-node-args': { type: 'string', default: '' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const limits = values.limits.split(',').map((pair) => {
  const [rpm, tpm] = pair.split(':').map(Number);
  return { rpm: rpm!, tpm: tpm! };
});
const latencyMs = Number(values.latency);
const jitterMs = Number(values.jitter);
const workerCount = Number(values.workers);
const runs = Number(values.runs);
const maxOutputTokens = Number(values['max-output-tokens']);
const SKILLS = ['TypeScript', 'PostgreSQL', 'Redis', 'Kubernetes', 'Kafka', 'GraphQL'];
const profileArgs = [
  ...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : []),
  ...values['worker-node-args'].split(' ').filter(Boolean),
];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;

interface RunResult {
  seconds: number;
  floor: number;
  tokensPerCall: number;
  calls: number;
  provider429: number;
  jobs429: number;
  failed: number;
  /** CPU seconds per process during the run (bench = this process: fake provider + client). */
  cpu: Record<string, number>;
  /** ms after the upload started: 202 received, first / median / last call at the provider. */
  timeline: { accepted: number; firstCall: number; medianCall: number; lastCall: number };
}

async function scenario(rpm: number, tpm: number, sizesHere: number[]) {
  const dir = await tempDir('bench-pipeline');
  const prefix = uniquePrefix('bench');
  // The provider: 800 ms ± 200 ms per answer (uniform), limits answered with 429 + Retry-After.
  const llm = await startOpenAiServer({
    latencyMs: latencyMs - jitterMs,
    jitterMs: 2 * jitterMs,
    rpm,
    tpm,
  });
  const env = benchEnv(dir.path, prefix, { LOG_LEVEL: 'warn' });
  const key = createBenchKey(env);
  const gateway = startProcess(process.execPath, tsx('apps/gateway/src/main.ts'), {
    cwd: REPO_ROOT,
    // The bench measures the pipeline, not the tenant's hourly quota (5,000 resumes by default,
    // which `--runs 8` of 1,000 would reach).
    env: { ...env, LOG_LEVEL: 'info', QUOTA_RESUMES_PER_HOUR: '10000000' },
    label: 'gateway',
  });
  const url = (await gateway.waitFor(/"url":"(http:\/\/[^"]+)"/, 60_000))[1]!;
  // Enough calls in flight to reach the rate (r x L), with headroom, split over the workers.
  const rate = Math.min(rpm / 60, tpm / 60 / 1_000);
  const inFlight = Math.max(16, Math.ceil(rate * (latencyMs / 1000 + 0.5) * 1.5));
  const perWorker = String(Math.ceil(inFlight / workerCount));
  const workers: RunningProcess[] = [];
  for (let i = 0; i < workerCount; i++) {
    workers.push(
      startProcess(process.execPath, [...profileArgs, ...tsx('apps/resume-worker/src/main.ts')], {
        cwd: REPO_ROOT,
        env: {
          ...env,
          LOG_LEVEL: 'info',
          SCORER: 'openai',
          OPENAI_BASE_URL: llm.url,
          OPENAI_API_KEY: 'bench',
          LLM_MODEL: 'gpt-4o-mini',
          LLM_RPM: String(rpm),
          LLM_TPM: String(tpm),
          LLM_MAX_OUTPUT_TOKENS: String(maxOutputTokens),
          WORKER_CONCURRENCY: String(Number(perWorker) + 8),
          LLM_CONCURRENCY: perWorker,
        },
        label: `worker-${i}`,
      }),
    );
  }
  const opsPorts = await Promise.all(
    workers.map(async (w) => Number((await w.waitFor(/"opsPort":(\d+)/, 60_000))[1])),
  );
  const api = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        ...(init.headers ?? {}),
      },
    });
    if (!res.ok)
      throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, unknown>>;
  };
  const metric = async (name: string, label: string) => {
    let sum = 0;
    for (const port of opsPorts) {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      for (const line of text.split('\n'))
        if (line.startsWith(name) && line.includes(label)) sum += Number(line.split(' ').at(-1));
    }
    return sum;
  };

  const runOnce = async (size: number, seed: number): Promise<RunResult> => {
    const job = await api('/v1/jobs', {
      method: 'POST',
      body: JSON.stringify({
        title: 'Platform engineer',
        description: 'Build backend services in TypeScript on PostgreSQL, Redis and Kafka.',
        criteria: SKILLS.map((name) => ({ name, weight: 1 })),
      }),
    });
    const resumes = generateTextResumes(size, SKILLS, seed).map((r) => ({
      fileName: r.fileName,
      text: r.text,
    }));
    const requestsBefore = llm.chatRequests().length;
    const served = llm.stats.served;
    const limited = llm.stats.rateLimited;
    const jobs429Before = await metric('shortlist_llm_calls_total', 'outcome="rate_limited"');
    const meter = cpuMeter({
      gateway: gateway.pid,
      ...Object.fromEntries(workers.map((w, i) => [`worker${i}`, w.pid])),
    });
    const started = performance.now();
    const startedAt = Date.now();
    const upload = await api(`/v1/jobs/${String(job.id)}/batches`, {
      method: 'POST',
      body: JSON.stringify({ resumes }),
    });
    const batchId = (upload.batch as { id: string }).id;
    const accepted = Date.now() - startedAt;
    let batch: { finishedAt: string | null; counts: Record<string, number> };
    do {
      await new Promise((r) => setTimeout(r, 100));
      batch = (await api(`/v1/batches/${batchId}`)) as typeof batch;
    } while (!batch.finishedAt);
    const seconds = (performance.now() - started) / 1000;
    const cpu = meter();
    const ok = llm
      .chatRequests()
      .slice(requestsBefore)
      .filter((r) => r.status === 200);
    // When the calls reached the provider, relative to the upload's start (where time goes).
    const arrivals = ok.map((r) => r.at - startedAt).sort((a, b) => a - b);
    const timeline = {
      accepted,
      firstCall: arrivals[0] ?? 0,
      medianCall: arrivals[Math.floor(arrivals.length / 2)] ?? 0,
      lastCall: arrivals.at(-1) ?? 0,
    };
    // Tokens one call costs against TPM as the provider counts them: prompt + max_tokens.
    const tokensPerCall =
      ok.reduce((sum, r) => {
        const body = r.body as ChatBody;
        const prompt = body.messages
          .map((m) => `${m.role}:${typeof m.content === 'string' ? m.content : ''}`)
          .join('\n');
        return (
          sum +
          Math.ceil(prompt.length / 4) +
          (body.max_tokens ?? body.max_completion_tokens ?? 256)
        );
      }, 0) / Math.max(1, ok.length);
    const r = Math.min(rpm / 60, tpm / 60 / tokensPerCall);
    const floor = latencyMs / 1000 + Math.max(0, size - 1) / r;
    return {
      seconds,
      floor,
      tokensPerCall,
      calls: llm.stats.served - served,
      provider429: llm.stats.rateLimited - limited,
      jobs429:
        (await metric('shortlist_llm_calls_total', 'outcome="rate_limited"')) - jobs429Before,
      failed: batch.counts.failed ?? 0,
      cpu,
      timeline,
    };
  };

  const rows: string[] = [];
  try {
    await runOnce(10, 1); // warm-up
    let seed = 100;
    for (const size of sizesHere) {
      const results: RunResult[] = [];
      for (let i = 0; i < runs; i++) {
        await new Promise((r) => setTimeout(r, 1_500)); // let the provider's buckets refill
        const result = await runOnce(size, seed++);
        results.push(result);
        process.stderr.write(
          `  ${rpm} RPM / ${tpm} TPM, ${size} resumes, run ${i + 1}: ${result.seconds.toFixed(2)} s ` +
            `(floor ${result.floor.toFixed(2)} s, ${result.calls} calls, ${result.provider429} provider 429s, ` +
            `${result.jobs429} reaching jobs, ${result.failed} failed; CPU s ${formatCpu(result.cpu)}; ` +
            `202 after ${result.timeline.accepted} ms, calls at ${result.timeline.firstCall} / ` +
            `${result.timeline.medianCall} / ${result.timeline.lastCall} ms (first / median / last); ` +
            `load ${loadavg()[0]!.toFixed(1)})\n`,
        );
      }
      const m = median(results.map((x) => x.seconds));
      const floor = median(results.map((x) => x.floor));
      rows.push(
        `| ${rpm.toLocaleString('en')} / ${tpm.toLocaleString('en')} | ${size} | ${runs} | ` +
          `${Math.round(median(results.map((x) => x.tokensPerCall)))} | ${floor.toFixed(1)} | ${m.toFixed(1)} | ` +
          `**${(m / floor).toFixed(2)}x** | ${results.reduce((s, x) => s + x.provider429, 0)} | ` +
          `${results.reduce((s, x) => s + x.jobs429, 0)} | ${results.reduce((s, x) => s + x.failed, 0)} | ` +
          `${formatCpu(medianCpu(results.map((x) => x.cpu)))} |`,
      );
    }
  } finally {
    await Promise.all([gateway, ...workers].map((p) => p.stop('SIGTERM', 20_000)));
    await llm.close();
    const redis = testRedis();
    await deletePrefix(redis, prefix);
    await redis.quit();
    await dir.remove();
  }
  return rows;
}

/** `gateway 1.2, workers 3.4, bench 0.8, total 5.4` */
function formatCpu(cpu: Record<string, number>): string {
  const workersCpu = Object.entries(cpu)
    .filter(([k]) => k.startsWith('worker'))
    .reduce((sum, [, v]) => sum + v, 0);
  const total = Object.values(cpu).reduce((a, b) => a + b, 0);
  return `gateway ${cpu.gateway!.toFixed(1)}, workers ${workersCpu.toFixed(1)}, bench ${cpu.bench!.toFixed(1)}, total ${total.toFixed(1)}`;
}

function medianCpu(all: Record<string, number>[]): Record<string, number> {
  return Object.fromEntries(Object.keys(all[0]!).map((k) => [k, median(all.map((c) => c[k]!))]));
}

async function main() {
  const rows: string[] = [];
  for (const { rpm, tpm } of limits) rows.push(...(await scenario(rpm, tpm, sizes)));
  process.stdout.write(
    [
      `Provider latency ${latencyMs} ms ± ${jitterMs} ms, ${workerCount} worker processes, ` +
        `max_tokens ${maxOutputTokens}, median of ${runs} runs after a warm-up.`,
      '',
      '| RPM / TPM | resumes | runs | tokens/call | floor s | median s | ratio | provider 429s | 429s reaching jobs | failed | CPU s (median run) |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
}

void main();
