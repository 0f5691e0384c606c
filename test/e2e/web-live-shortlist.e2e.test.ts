import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { Producer } from '@shortlist/queue';
import {
  deletePrefix,
  generateTextResumes,
  startProcess,
  tempDir,
  testRedis,
  uniquePrefix,
  type RunningProcess,
} from '@shortlist/testkit';
import { gridOrder, launchBrowser, screenshot, until, type Browser } from './web-browser';

const ROOT = join(__dirname, '..', '..');
const SKILLS = ['TypeScript', 'PostgreSQL', 'Redis', 'Kubernetes'];
const RESUMES = 1_500;

/**
 * The live shortlist past its first 1,000 rows, in a real browser against the real quick-start
 * stack: a recruiter who has scrolled beyond row 1,000 while resumes are still being scored must
 * end with exactly the API's list, every row in the API's order, without reloading.
 */
describe('live shortlist with more than 1,000 rows in a browser', () => {
  let stack: RunningProcess;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let browser: Browser;
  let page: Page;
  let url: string;
  let key: string;
  const prefix = uniquePrefix('web-live');

  const request = async <T>(path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(response.status).toBeLessThan(300);
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build-web.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    if (build.status !== 0) throw new Error(`web build failed:\n${build.stdout}\n${build.stderr}`);
    dir = await tempDir('web-live');
    stack = startProcess(process.execPath, [join(ROOT, 'scripts', 'serve.mjs')], {
      cwd: ROOT,
      env: { DATA_DIR: dir.path, PORT: '0', REDIS_PREFIX: prefix, LOG_LEVEL: 'warn' },
      label: 'serve',
    });
    url = (await stack.waitFor(/running at (http:\/\/\S+)/, 60_000))[1]!;
    key = (await stack.waitFor(/API key: (sl_\S+)/))[1]!;
    browser = await launchBrowser();
    page = browser.page;
    page.setDefaultTimeout(20_000);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    const code = await stack?.stop('SIGTERM', 20_000);
    expect(code).toBe(0);
    const redis = testRedis();
    await deletePrefix(redis, prefix);
    await redis.quit();
    await dir?.remove();
  }, 60_000);

  it('ends with exactly the API list after scrolling past row 1,000 while scoring runs', async () => {
    const job = await request<{ id: string }>('/v1/jobs', {
      title: 'Fifteen hundred',
      description: 'Services in TypeScript on PostgreSQL and Redis, deployed on Kubernetes.',
      criteria: SKILLS.map((name) => ({ name, weight: 1 })),
    });
    const resumes = generateTextResumes(RESUMES, SKILLS, 11);
    // Held in the queue until the recruiter has scrolled (as behind a busy scorer), so scoring
    // certainly runs while rows past 1,000 are on screen, however fast this machine is.
    const redis = testRedis();
    const analysis = new Producer('resume-analysis', { connection: redis, prefix });
    await analysis.queue.pause();
    const batches: string[] = [];
    try {
      for (let i = 0; i < RESUMES; i += 1_000) {
        const { batch } = await request<{ batch: { id: string } }>(`/v1/jobs/${job.id}/batches`, {
          resumes: resumes.slice(i, i + 1_000).map((r) => ({ fileName: r.fileName, text: r.text })),
        });
        batches.push(batch.id);
      }

      await page.goto(url);
      await page.getByLabel('API key').fill(key);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
      await page.goto(`${url}/jobs/${job.id}`);
      const grid = page.getByRole('grid', { name: 'Ranked candidates' });
      await grid.locator('[role=row][data-index="0"]').waitFor();
      await grid.focus();
      // End jumps to the last loaded row and the next page loads: stop past row 1,000, then move
      // up, out of reach of the next page, with the rest still to load.
      await until(async () => {
        await page.keyboard.press('End');
        return (await rowCount(page)) > 1_000;
      }, 30_000);
      for (let i = 0; i < 8; i++) await page.keyboard.press('PageUp');
      await page.waitForTimeout(500);
      const loaded = await rowCount(page);
      expect(loaded).toBeGreaterThan(1_000);
      expect(loaded).toBeLessThan(RESUMES);
    } finally {
      await analysis.queue.resume();
      await analysis.queue.close();
      await redis.quit();
    }

    // Scoring runs: every result moves rows around the loaded band past row 1,000, and resumes
    // never loaded are scored into it.
    const finished = async () => {
      for (const id of batches)
        if ((await request<{ finishedAt: string | null }>(`/v1/batches/${id}`)).finishedAt === null)
          return false;
      return true;
    };
    await until(finished, 120_000);
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const chunk: { items: { id: string }[]; nextCursor: string | null } = await request(
        `/v1/jobs/${job.id}/resumes?sort=score&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      ids.push(...chunk.items.map((r) => r.id));
      cursor = chunk.nextCursor;
    } while (cursor);
    expect(ids).toHaveLength(RESUMES);

    // The recruiter scrolls on to the end, without reloading: every resume is there once, in the
    // API's order.
    const grid = page.getByRole('grid', { name: 'Ranked candidates' });
    await until(async () => {
      await page.keyboard.press('End');
      return (await rowCount(page)) === RESUMES && !(await hasMoreText(page));
    }, 30_000).catch(() => undefined);
    expect({ rows: await rowCount(page), more: await hasMoreText(page) }).toEqual({
      rows: RESUMES,
      more: false,
    });
    await until(async () => {
      const shown = await gridOrder(page);
      return shown.length === RESUMES && shown.every((id, index) => id === ids[index]);
    }, 15_000).catch(() => undefined);
    expect(await gridOrder(page)).toEqual(ids);
    expect(await grid.locator('[role=row][data-index]').count()).toBeLessThan(60);
    await screenshot(page, '16-shortlist-1500-live');
    expect(browser.errors).toEqual([]);
  }, 240_000);
});

/** Rows in the ranked grid (its aria-rowcount counts the header row too). */
async function rowCount(page: Page): Promise<number> {
  return (
    Number(
      await page.getByRole('grid', { name: 'Ranked candidates' }).getAttribute('aria-rowcount'),
    ) - 1
  );
}

/** Whether the count line still says more rows load on scrolling. */
async function hasMoreText(page: Page): Promise<boolean> {
  return (await page.locator('p.count').innerText()).includes('more load as you scroll');
}
