/**
 * Resume processing through the scaled-out topology (nginx -> 2 gateways, 2 resume-workers, a
 * private Redis), for BENCHMARKS.md's metric table:
 *   - local scorer: time from the upload request to the batch's last result, 10 / 100 / 1,000
 *     resumes (new job and new texts each run, so nothing comes from a cache);
 *   - LLM calls per 100 resumes on a first run and on a re-run (the same resumes re-exported:
 *     different bytes, same text), through the simulated LLM, and the cache hit rate of the re-run.
 *
 *   node --import tsx bench/topology-pipeline.ts [--sizes 10,100,1000] [--runs 3] [--runs-large 1]
 *
 * The simulated LLM scorer against the physical floor is bench/pipeline.ts (not duplicated here).
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { generateTextResumes, startOpenAiServer } from '@shortlist/testkit';
import { startTopology, type Topology } from './lib/topology';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '10,100,1000' },
    runs: { type: 'string', default: '3' },
    'runs-large': { type: 'string', default: '1' },
  },
});
const SKILLS = ['TypeScript', 'PostgreSQL', 'Redis', 'Kubernetes', 'Kafka', 'GraphQL'];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const UNLIMITED = {
  RATE_LIMIT_PER_IP_PER_MINUTE: '100000000',
  RATE_LIMIT_READS_PER_MINUTE: '100000000',
  RATE_LIMIT_WRITES_PER_MINUTE: '100000000',
  RATE_LIMIT_UPLOADS_PER_MINUTE: '100000000',
  QUOTA_RESUMES_PER_HOUR: '100000000',
  LOG_LEVEL: 'warn',
};

function client(topo: Topology) {
  return async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${topo.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${topo.apiKey}`,
        'content-type': 'application/json',
        ...(init.headers ?? {}),
      },
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
    return JSON.parse(text);
  };
}

async function newJob(topo: Topology) {
  return (await client(topo)('/v1/jobs', {
    method: 'POST',
    body: JSON.stringify({
      title: 'Platform engineer',
      description: 'Backend services in TypeScript on PostgreSQL, Redis and Kafka.',
      criteria: SKILLS.map((name) => ({ name, weight: 1 })),
    }),
  })) as { id: string };
}

/** Uploads `resumes` as one JSON batch and waits for its last result; returns seconds. */
async function processBatch(
  topo: Topology,
  jobId: string,
  resumes: { fileName: string; text: string }[],
) {
  const api = client(topo);
  const started = performance.now();
  const upload = await api(`/v1/jobs/${jobId}/batches`, {
    method: 'POST',
    body: JSON.stringify({ resumes }),
  });
  const batchId = upload.batch.id as string;
  for (;;) {
    const batch = await api(`/v1/batches/${batchId}`);
    if (batch.finishedAt)
      return { seconds: (performance.now() - started) / 1000, counts: batch.counts };
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function metricSum(topo: Topology, name: string, label: string) {
  let sum = 0;
  for (const worker of topo.resumeWorkers) {
    const text = await (await fetch(`${worker.url}/metrics`)).text();
    for (const line of text.split('\n'))
      if (line.startsWith(`${name}{`) && line.includes(label))
        sum += Number(line.split(' ').at(-1));
  }
  return sum;
}

async function localScorer(sizes: number[]) {
  const topo = await startTopology({
    label: 'bench-pipeline',
    emailWorkers: 0,
    env: { ...UNLIMITED, SCORER: 'local' },
    nginx: { accessLog: false },
  });
  const rows: string[] = [];
  try {
    let seed = 1000;
    const warm = await newJob(topo);
    await processBatch(topo, warm.id, generateTextResumes(20, SKILLS, seed++));
    for (const size of sizes) {
      const runs = Number(size >= 1000 ? values['runs-large'] : values.runs);
      const times: number[] = [];
      for (let run = 0; run < runs; run++) {
        const job = await newJob(topo);
        const result = await processBatch(topo, job.id, generateTextResumes(size, SKILLS, seed++));
        if (result.counts.done !== size) throw new Error(`only ${result.counts.done}/${size} done`);
        times.push(result.seconds);
        process.stderr.write(
          `  local scorer, ${size} resumes, run ${run + 1}: ${result.seconds.toFixed(2)} s\n`,
        );
      }
      const m = median(times);
      rows.push(
        `| local scorer | ${size} | ${runs} | ${m.toFixed(2)} | ${(size / m).toFixed(0)} |`,
      );
    }
  } finally {
    await topo.stop();
  }
  return rows;
}

async function rerun() {
  const llm = await startOpenAiServer({ latencyMs: 600, jitterMs: 400 });
  const topo = await startTopology({
    label: 'bench-rerun',
    emailWorkers: 0,
    env: {
      ...UNLIMITED,
      SCORER: 'openai',
      OPENAI_BASE_URL: llm.url,
      OPENAI_API_KEY: 'bench',
      LLM_MODEL: 'gpt-4o-mini',
    },
    nginx: { accessLog: false },
  });
  try {
    const job = await newJob(topo);
    const resumes = generateTextResumes(100, SKILLS, 77).map((r) => ({
      fileName: r.fileName,
      text: r.text,
    }));
    const before = llm.chatRequests().length;
    const first = await processBatch(topo, job.id, resumes);
    const firstCalls = llm.chatRequests().length - before;
    // The same resumes exported again: Windows line endings and a trailing space change every
    // file's bytes (no upload duplicate), not the text the cache key is built from.
    const again = resumes.map((r) => ({
      fileName: r.fileName.replace('.txt', '-again.txt'),
      text: `${r.text.replace(/\n/g, '\r\n')} `,
    }));
    const hitsBefore = await metricSum(
      topo,
      'shortlist_cache_lookups_total',
      'namespace="analysis"',
    );
    const hitOnlyBefore = await metricSum(topo, 'shortlist_cache_lookups_total', 'result="hit"');
    const mid = llm.chatRequests().length;
    const second = await processBatch(topo, job.id, again);
    const secondCalls = llm.chatRequests().length - mid;
    const lookups =
      (await metricSum(topo, 'shortlist_cache_lookups_total', 'namespace="analysis"')) - hitsBefore;
    const hits =
      (await metricSum(topo, 'shortlist_cache_lookups_total', 'result="hit"')) - hitOnlyBefore;
    return {
      first: { ...first, calls: firstCalls },
      second: { ...second, calls: secondCalls },
      lookups,
      hits,
    };
  } finally {
    await topo.stop();
    await llm.close();
  }
}

async function main() {
  console.log(
    `bench/topology-pipeline.ts — ${new Date().toISOString()}, ${cpus().length} cores, Node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const rows = await localScorer(values.sizes.split(',').map(Number));
  console.log('| scorer | resumes | runs | median s (upload -> last result) | resumes/s |');
  console.log('|---|---|---|---|---|');
  for (const row of rows) console.log(row);
  const r = await rerun();
  console.log(
    `LLM calls per 100 resumes: first run ${r.first.calls} (${r.first.seconds.toFixed(1)} s), ` +
      `re-run of the same resumes ${r.second.calls} (${r.second.seconds.toFixed(1)} s); ` +
      `re-run cache: ${r.hits} hits of ${r.lookups} analysis lookups (${((100 * r.hits) / Math.max(1, r.lookups)).toFixed(0)}%); ` +
      `re-run counts ${JSON.stringify(r.second.counts)}`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
