/**
 * The shortlist with 10,000 candidates in a real browser: seeds one job with 10,000 resumes
 * through the API (embedded stack from scripts/serve.mjs), waits until they are all scored (so the
 * numbers are the page's, not the scorer's competing for the cores), opens the job in Debian's
 * Chromium and pages to the last row with the End key. Reports, as medians over runs: time to the
 * first rows, time to reach row 10,000 (50 pages of 200 loaded while scrolling), the longest
 * main-thread task while doing it, the rows in the DOM, the JS heap after a GC with 10,000 rows
 * loaded, and frame intervals while scrolling the whole loaded list with the mouse wheel.
 * Baseline in the same page: the same 10,000 rows rendered as a plain table without
 * virtualisation.
 * With `live`, one more job is then seeded while the page is open and End kept pressed: reports how
 * long after the last batch finished the grid equals the API's list, the long tasks meanwhile and
 * the list reads the page made (and any answered 429).
 * Run: node --import tsx bench/web-shortlist.ts [runs=3] [rows=10000] [live]
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  deletePrefix,
  generateTextResumes,
  startProcess,
  tempDir,
  testRedis,
  uniquePrefix,
} from '@shortlist/testkit';
import { gridOrder, launchBrowser, screenshot } from '../test/e2e/web-browser';

const ROOT = join(__dirname, '..');
const RUNS = Number(process.argv[2] ?? 3);
const ROWS = Number(process.argv[3] ?? 10_000);
const LIVE = process.argv[4] === 'live';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-web.mjs')], { stdio: 'inherit' });
  const dir = await tempDir('web-bench');
  const prefix = uniquePrefix('web-bench');
  const stack = startProcess(process.execPath, [join(ROOT, 'scripts', 'serve.mjs')], {
    cwd: ROOT,
    env: {
      DATA_DIR: dir.path,
      PORT: '0',
      REDIS_PREFIX: prefix,
      LOG_LEVEL: 'info',
      QUOTA_RESUMES_PER_HOUR: String(ROWS * 2),
    },
    label: 'serve',
  });
  const browser = await launchBrowser();
  try {
    const url = (await stack.waitFor(/running at (http:\/\/\S+)/, 90_000))[1]!;
    const key = (await stack.waitFor(/API key: (sl_\S+)/))[1]!;
    const get = async <T>(path: string): Promise<T> => {
      const res = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: string; batch?: { id: string } };
    };
    const resumes = generateTextResumes(ROWS, ['TypeScript', 'PostgreSQL', 'Redis', 'Kubernetes']);
    /** A job with ROWS resumes uploaded in batches of 1,000 (scoring starts at once). */
    const seed = async (title: string) => {
      const job = await post('/v1/jobs', {
        title,
        description: 'Services in TypeScript on PostgreSQL and Redis, deployed on Kubernetes.',
        criteria: ['TypeScript', 'PostgreSQL', 'Redis', 'Kubernetes'].map((name) => ({ name })),
      });
      const batches: string[] = [];
      for (let i = 0; i < ROWS; i += 1_000) {
        const created = await post(`/v1/jobs/${job.id}/batches`, {
          resumes: resumes.slice(i, i + 1_000).map((r) => ({ fileName: r.fileName, text: r.text })),
        });
        batches.push(created.batch!.id);
      }
      return { job, batches };
    };
    const finished = async (batches: string[]) => {
      for (const id of batches)
        if ((await get<{ finishedAt: string | null }>(`/v1/batches/${id}`)).finishedAt === null)
          return false;
      return true;
    };
    const seeding = Date.now();
    // `runs` 0 skips the steady runs (only the live one, with `live`).
    const steady = RUNS > 0 ? await seed('Ten thousand') : null;
    while (steady && !(await finished(steady.batches)))
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    if (steady) console.log(`seeded and scored ${ROWS} resumes in ${Date.now() - seeding} ms`);

    const { page } = browser;
    page.setDefaultTimeout(120_000);
    await page.goto(url);
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const heapMb = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { metrics } = (await cdp.send('Performance.getMetrics')) as {
        metrics: { name: string; value: number }[];
      };
      return metrics.find((m) => m.name === 'JSHeapUsedSize')!.value / 1_048_576;
    };
    /** Chromium's cumulative counters for the page (seconds; ThreadTime is main-thread CPU). */
    const counters = async () => {
      const { metrics } = (await cdp.send('Performance.getMetrics')) as {
        metrics: { name: string; value: number }[];
      };
      return Object.fromEntries(metrics.map((m) => [m.name, m.value])) as Record<string, number>;
    };
    const results: {
      first: number;
      all: number;
      longTask: number;
      domRows: number;
      heap: number;
      frameP50: number;
      frameP95: number;
      frameMax: number;
      frameLong: number;
      frames: number;
    }[] = [];
    for (let run = 0; run < RUNS; run++) {
      const started = Date.now();
      await page.goto(`${url}/jobs/${steady!.job.id}`);
      const grid = page.getByRole('grid', { name: 'Ranked candidates' });
      await grid
        .locator('[role=row][data-index="0"]')
        .waitFor()
        .catch(async (error: unknown) => {
          await screenshot(page, 'bench-shortlist-failure');
          throw error;
        });
      const first = Date.now() - started;
      await page.evaluate(`(() => {
        window.__longest = 0;
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
        }).observe({ type: 'longtask', buffered: false });
      })()`);
      await grid.focus();
      const scrollStart = Date.now();
      while (
        (await grid.getAttribute('aria-rowcount')) !== String(ROWS + 1) ||
        (await grid.locator(`[role=row][data-index="${ROWS - 1}"]`).count()) === 0
      ) {
        await page.keyboard.press('End');
        await page.waitForTimeout(50);
      }
      const all = Date.now() - scrollStart;
      const longTask = Number(await page.evaluate('window.__longest'));
      const domRows = await grid.locator('[role=row][data-index]').count();
      const heap = await heapMb();
      // Frame intervals while the mouse wheel scrolls the whole loaded list back to the top.
      const box = (await page.getByTestId('grid-scroller').boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.evaluate(`(() => {
        window.__frames = [];
        let last = performance.now();
        const tick = (now) => {
          window.__frames.push(now - last);
          last = now;
          if (window.__frames.length < 100000 && !window.__stopFrames) requestAnimationFrame(tick);
        };
        window.__stopFrames = false;
        requestAnimationFrame(tick);
      })()`);
      const scroller = page.getByTestId('grid-scroller');
      while (Number(await scroller.evaluate((el) => el.scrollTop)) > 0) {
        await page.mouse.wheel(0, -2_000);
        await page.waitForTimeout(16);
      }
      const frames = (
        (await page.evaluate(
          '(() => { window.__stopFrames = true; return window.__frames; })()',
        )) as number[]
      ).slice(1);
      const sorted = [...frames].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
      const sample = {
        first,
        all,
        longTask,
        domRows,
        heap,
        frameP50: at(0.5),
        frameP95: at(0.95),
        frameMax: sorted[sorted.length - 1]!,
        frameLong: frames.filter((f) => f > 50).length,
        frames: frames.length,
      };
      results.push(sample);
      console.log(
        `run ${run + 1}: first rows ${first} ms, row ${ROWS} after ${all} ms, longest task ${longTask} ms, ${domRows} rows in DOM, heap ${heap.toFixed(1)} MB, wheel scroll to top: ${sample.frames} frames p50 ${sample.frameP50.toFixed(1)} / p95 ${sample.frameP95.toFixed(1)} / max ${sample.frameMax.toFixed(1)} ms, ${sample.frameLong} over 50 ms`,
      );
    }

    // Baseline: the same number of rows as a plain, non-virtualised table in the same page.
    const baseline: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      baseline.push(
        Number(
          await page.evaluate(`(() => {
            const t0 = performance.now();
            const table = document.createElement('table');
            for (let i = 0; i < ${ROWS}; i++) {
              const tr = table.insertRow();
              for (let c = 0; c < 7; c++) tr.insertCell().textContent = 'resume-' + i + '-' + c;
            }
            document.body.appendChild(table);
            document.body.offsetHeight;
            const ms = performance.now() - t0;
            table.remove();
            return ms;
          })()`),
        ),
      );
    }
    if (RUNS > 0) {
      console.log('');
      console.log(`median of ${RUNS} runs with ${ROWS} candidates:`);
      console.log(`  first rows visible:            ${median(results.map((r) => r.first))} ms`);
      console.log(
        `  End key to row ${ROWS}:          ${median(results.map((r) => r.all))} ms (${Math.ceil(ROWS / 200)} pages of 200)`,
      );
      console.log(
        `  longest main-thread task:      ${median(results.map((r) => r.longTask)).toFixed(0)} ms`,
      );
      console.log(`  rows in the DOM at the end:    ${median(results.map((r) => r.domRows))}`);
      console.log(
        `  JS heap after GC, all loaded:  ${median(results.map((r) => r.heap)).toFixed(1)} MB`,
      );
      console.log(
        `  wheel scroll frames:           p50 ${median(results.map((r) => r.frameP50)).toFixed(1)} ms, p95 ${median(results.map((r) => r.frameP95)).toFixed(1)} ms, max ${median(results.map((r) => r.frameMax)).toFixed(1)} ms, ${median(results.map((r) => r.frameLong))} frames over 50 ms (of ${median(results.map((r) => r.frames))})`,
      );
      console.log(
        `  baseline, plain ${ROWS}-row table render: ${median(baseline).toFixed(0)} ms (one blocking task)`,
      );
    }

    if (LIVE) {
      // The user opens a job while its 10,000 resumes are being scored and keeps pressing End,
      // so every row is loaded while results arrive and the list re-reads itself.
      const reads = { list: 0, limited: 0 };
      page.on('response', (response) => {
        if (/\/v1\/jobs\/[^/]+\/resumes\?/.test(response.url())) reads.list += 1;
        if (response.status() === 429) reads.limited += 1;
      });
      const started = Date.now();
      const live = await seed('Ten thousand, live');
      await page.goto(`${url}/jobs/${live.job.id}`);
      const grid = page.getByRole('grid', { name: 'Ranked candidates' });
      await grid.locator('[role=row][data-index="0"]').waitFor();
      await page.evaluate(`(() => {
        window.__tasks = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) window.__tasks.push(e.duration);
        }).observe({ type: 'longtask', buffered: false });
      })()`);
      const before = await counters();
      // WEB_BENCH_PROFILE=file.cpuprofile: a V8 CPU profile of the page during the live run.
      const profile = process.env.WEB_BENCH_PROFILE;
      if (profile) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.start');
      }
      await grid.focus();
      let lastCheck = 0;
      let done = false;
      while (!done) {
        await page.keyboard.press('End');
        await page.waitForTimeout(200);
        if (Date.now() - lastCheck > 2_000) {
          lastCheck = Date.now();
          done = await finished(live.batches);
        }
      }
      const scoredAt = Date.now();
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const chunk: { items: { id: string }[]; nextCursor: string | null } = await get(
          `/v1/jobs/${live.job.id}/resumes?sort=score&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        ids.push(...chunk.items.map((r) => r.id));
        cursor = chunk.nextCursor;
      } while (cursor);
      // Converged: all rows, and the rows in view at the end are the API's last rows.
      const tail = async () =>
        grid
          .locator('[role=row][data-index]')
          .evaluateAll((rows) =>
            rows.map((r) => [
              Number(r.getAttribute('data-index')),
              r.getAttribute('data-resume-id'),
            ]),
          );
      for (;;) {
        await page.keyboard.press('End');
        const shown = (await tail()) as [number, string][];
        if (
          (await grid.getAttribute('aria-rowcount')) === String(ROWS + 1) &&
          shown.length > 5 &&
          shown.every(([index, id]) => ids[index] === id)
        )
          break;
        if (Date.now() - scoredAt > 120_000) throw new Error('the list did not converge in 120 s');
        await page.waitForTimeout(100);
      }
      const converged = Date.now() - scoredAt;
      const after = await counters();
      if (profile) {
        const { profile: data } = (await cdp.send('Profiler.stop')) as { profile: unknown };
        writeFileSync(profile, JSON.stringify(data));
      }
      const cpu = (name: string) => after[name]! - before[name]!;
      const tasks = (await page.evaluate('window.__tasks')) as number[];
      const order = await gridOrder(page);
      const equal = order.length === ids.length && order.every((id, i) => id === ids[i]);
      console.log('');
      console.log(`live: ${ROWS} resumes scored while the page was open and End kept pressed:`);
      console.log(`  scoring took:                  ${scoredAt - started} ms`);
      console.log(`  grid equal to the API after:   ${converged} ms from the last batch finishing`);
      console.log(
        `  whole order equal to the API:  ${equal ? 'yes' : 'NO'} (${order.length} rows)`,
      );
      console.log(
        `  long tasks (> 50 ms):          ${tasks.length}, longest ${Math.max(0, ...tasks).toFixed(0)} ms, total ${tasks.reduce((a, b) => a + b, 0).toFixed(0)} ms`,
      );
      console.log(
        `  page main thread meanwhile:    ${cpu('ThreadTime').toFixed(1)} s CPU (scripts ${cpu('ScriptDuration').toFixed(1)} s, layout+style ${(cpu('LayoutDuration') + cpu('RecalcStyleDuration')).toFixed(1)} s) over ${((Date.now() - started) / 1_000).toFixed(0)} s; renderer process ${cpu('ProcessTime').toFixed(1)} s CPU`,
      );
      console.log(
        `  list reads by the page:        ${reads.list} (${(reads.list / ((Date.now() - started) / 60_000)).toFixed(0)}/min), ${reads.limited} answered 429`,
      );
    }
  } finally {
    await browser.close();
    await stack.stop('SIGTERM', 20_000);
    const redis = testRedis();
    await deletePrefix(redis, prefix);
    await redis.quit();
    await dir.remove();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
