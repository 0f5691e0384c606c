import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { Producer } from '@shortlist/queue';
import {
  generateResumeSpecs,
  generateTextResumes,
  resumePdf,
  sharedDataDir,
  startQuickStack,
  startSmtpSink,
  type SmtpSink,
  testRedis,
  type QuickStack,
} from '@shortlist/testkit';
import {
  buildWebApp,
  dropPaths,
  launchBrowser,
  namelessControls,
  screenshot,
  until,
  type Browser,
} from './web-browser';

const SKILLS = ['TypeScript', 'PostgreSQL', 'Redis', 'Kubernetes'];
const RESUMES = 30;
const XSS = '<img src=x onerror="window.__pwned=1"> TypeScript dashboards';

/** How the app names a candidate outside blind mode: the extracted name, else the file name. */
const shownName = (r: ApiResume) => r.candidate.name?.trim() || r.fileName;

/**
 * 30 real PDF resumes from the shared data folder (information-technology and engineering
 * categories first), or generated PDFs when that folder is absent.
 */
async function thirtyPdfs(): Promise<{ name: string; buffer: Buffer }[]> {
  const data = sharedDataDir();
  if (data) {
    const root = join(data, 'livecareer-pdfs');
    const files: { name: string; buffer: Buffer }[] = [];
    for (const category of ['INFORMATION-TECHNOLOGY', 'ENGINEERING', 'DESIGNER']) {
      for (const file of readdirSync(join(root, category))
        .filter((f) => f.endsWith('.pdf'))
        .sort()) {
        if (files.length === 30) return files;
        files.push({
          name: `${category}-${file}`,
          buffer: readFileSync(join(root, category, file)),
        });
      }
    }
    return files;
  }
  return Promise.all(
    generateResumeSpecs(30).map(async (spec, i) => ({
      name: `generated-${i}.pdf`,
      buffer: await resumePdf(spec),
    })),
  );
}

interface ApiResume {
  id: string;
  fileName: string;
  candidate: { name: string | null; email: string | null };
  score: number | null;
  tier: string | null;
  status: string;
}

/**
 * The recruiter's day in a real browser (Debian's Chromium driven by playwright-core) against the
 * real quick-start stack: sign in, create a job, upload resumes, watch the shortlist fill, open a
 * candidate, compare, and check the dashboard against the API.
 */
describe('web app in a browser against the real stack', () => {
  let stack: QuickStack;
  let browser: Browser;
  let page: Page;
  let url: string;
  let key: string;
  let jobId: string;
  let sink: SmtpSink;
  /** Address written in each generated resume, by file name. */
  const addressOf = new Map<string, string>();

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${key}` } });
    expect(response.status).toBe(200);
    return (await response.json()) as T;
  };
  const allResumes = async (): Promise<ApiResume[]> =>
    (await api<{ items: ApiResume[] }>(`/v1/jobs/${jobId}/resumes?sort=score&limit=200`)).items;

  /** Rows in the ranked grid (its aria-rowcount counts the header row too). */
  const rowCount = async () =>
    Number(
      await page.getByRole('grid', { name: 'Ranked candidates' }).getAttribute('aria-rowcount'),
    ) - 1;

  /** Index of the grid's active row (the grid keeps focus and points at it). */
  const activeRow = () =>
    page.evaluate(
      "document.getElementById(document.activeElement?.getAttribute('aria-activedescendant') ?? '')?.dataset.index",
    );

  /** Every interactive element on the current screen has an accessible name. */
  const expectNamedControls = async () => expect(await namelessControls(page)).toEqual([]);

  beforeAll(async () => {
    buildWebApp();
    sink = await startSmtpSink();
    // Quiet logs: the launcher still announces the URL and key (sent over IPC, not logged).
    stack = await startQuickStack({
      name: 'web-e2e',
      env: { LOG_LEVEL: 'warn', SMTP_URL: sink.url },
    });
    url = stack.url;
    key = stack.key;
    browser = await launchBrowser();
    page = browser.page;
    page.setDefaultTimeout(20_000);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    expect(await stack?.close()).toBe(0);
    await sink?.close();
  }, 60_000);

  it('signs in with the API key, refusing a wrong one in plain words', async () => {
    await page.goto(url);
    await page.getByRole('heading', { name: 'Sign in to Shortlist' }).waitFor();
    await expectNamedControls();
    await page.getByLabel('API key').fill('sl_not-a-real-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('That key was not accepted').waitFor();
    await screenshot(page, '01-sign-in');
    // Chromium logs the refused request itself; that one is expected, anything else is not.
    expect(browser.errors).toEqual([expect.stringMatching(/status of 401 .*\/v1\/jobs/)]);
    browser.errors.length = 0;
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'No jobs yet' }).waitFor();
    await expectNamedControls();
    await screenshot(page, '02-jobs-empty');
  });

  it('creates a job with weighted criteria, catching mistakes before sending', async () => {
    await page.getByRole('link', { name: 'Create your first job' }).click();
    await page.getByRole('heading', { name: 'New job' }).waitFor();
    await page.getByRole('button', { name: 'Create job' }).click();
    await page.getByText('Give the job a title.').waitFor();
    await page.getByText('Describe the role in at least 20 characters.').waitFor();

    await page.getByLabel('Job title').fill('Platform engineer');
    await page
      .getByLabel('Description')
      .fill('Build services in TypeScript on PostgreSQL and Redis, deployed on Kubernetes.');
    for (const [i, skill] of SKILLS.entries()) {
      if (i > 0) await page.getByRole('button', { name: 'Add criterion' }).click();
      await page.getByLabel(`Criterion ${i + 1}`, { exact: true }).fill(skill);
    }
    await page.getByLabel('Weight', { exact: true }).first().fill('2');
    await expectNamedControls();
    await screenshot(page, '03-job-form');
    await page.getByRole('button', { name: 'Create job' }).click();
    await page.waitForURL(/\/jobs\/job_[^/]+$/);
    jobId = page.url().split('/').pop()!;
    await page.getByRole('heading', { name: 'Platform engineer', level: 1 }).waitFor();

    const job = await api<{ criteria: { name: string; weight: number }[] }>(`/v1/jobs/${jobId}`);
    expect(job.criteria.map((c) => c.name)).toEqual(SKILLS);
    expect(job.criteria[0]!.weight).toBe(2);
  });

  it('uploads resumes, lists rejected files with reasons at once, and fills the table live', async () => {
    await page.getByRole('heading', { name: 'No resumes yet' }).waitFor();
    await page.evaluate('window.__noReload = true');
    const resumes = generateTextResumes(RESUMES, SKILLS).map((r, i) =>
      i === 4 ? { ...r, text: r.text.replace('SUMMARY', `${XSS}\nSUMMARY`) } : r,
    );
    for (const r of resumes) addressOf.set(r.fileName, r.email);
    const files = [
      ...resumes.map((r) => ({
        name: r.fileName,
        mimeType: 'text/plain',
        buffer: Buffer.from(r.text),
      })),
      {
        name: 'holiday-photo.bin',
        mimeType: 'application/octet-stream',
        buffer: Buffer.from([0x00, 0xff, 0x10, 0x80, 0x00, 0x01, 0x02, 0xfe, 0x00, 0x00, 0x9a]),
      },
    ];
    await page.getByTestId('file-input').setInputFiles(files);

    const rejected = page.getByRole('heading', { name: 'Files not accepted' });
    await rejected.waitFor();
    await expect(page.locator('.rejected li').innerText()).resolves.toMatch(
      /holiday-photo\.bin\s+This is not a resume format we can read/,
    );

    const grid = page.getByRole('grid', { name: 'Ranked candidates' });
    // Scoring finishes on the server...
    await until(
      async () => (await allResumes()).filter((r) => r.status === 'done').length === RESUMES,
      90_000,
    );
    const ranked = await allResumes();
    const expected = ranked.map((r) => Math.round(r.score!));
    // ...and the table catches up by itself, in the API's order, best first.
    const shownScores = async () =>
      (await grid.locator('[role=row][data-index] .score-value').allInnerTexts()).map(Number);
    await until(async () => {
      const shown = await shownScores();
      return (
        (await rowCount()) === RESUMES &&
        shown.length > 8 &&
        shown.every((score, i) => score === expected[i])
      );
    }, 30_000);
    // The rows arrived without a reload: the marker set before the upload is still there.
    expect(await page.evaluate('window.__noReload')).toBe(true);
    await expectNamedControls();
    await screenshot(page, '04-shortlist');

    const shownIds = await grid
      .locator('[role=row][data-index]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-resume-id')));
    expect(new Set(shownIds.slice(0, 6))).toEqual(new Set(ranked.slice(0, 6).map((r) => r.id)));
  });

  it('filters by tier and searches by skill', async () => {
    const ranked = await allResumes();
    const shortlisted = ranked.filter((r) => r.tier === 'shortlist').length;
    expect(shortlisted).toBeGreaterThan(0);
    await page.getByRole('radio', { name: 'Shortlist' }).click();
    await until(async () => (await rowCount()) === shortlisted);
    await page.getByRole('radio', { name: 'All' }).click();
    // Resumes mentioning Kubernetes are those matching all four skills (index % 5 === 4).
    await page.getByLabel('Skill').fill('kubernetes');
    await until(async () => (await rowCount()) === RESUMES / 5);
    await screenshot(page, '05-shortlist-search');
    await page.getByLabel('Skill').fill('');
    await until(async () => (await rowCount()) === RESUMES);
  });

  it('moves through the list with the keyboard and opens a candidate with evidence highlighted', async () => {
    const ranked = await allResumes();
    await page.getByRole('grid', { name: 'Ranked candidates' }).focus();
    await page.keyboard.press('ArrowDown');
    expect(await activeRow()).toBe('1');
    await page.keyboard.press('ArrowUp');
    expect(await activeRow()).toBe('0');
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/candidates/${ranked[0]!.id}$`));
    await page.getByRole('heading', { name: 'Score breakdown' }).waitFor();

    const detail = await api<{
      analysis: { criteria: { name: string; met: string; evidence: string | null }[] };
    }>(`/v1/resumes/${ranked[0]!.id}`);
    const quotes = detail.analysis.criteria.filter((c) => c.met !== 'no' && c.evidence);
    expect(quotes.length).toBeGreaterThan(0);
    // The extracted text comes from /v1/resumes/:id/text (after the breakdown): the quotes are
    // marked in the full text.
    await page.getByRole('region', { name: 'Resume text with evidence highlighted' }).waitFor();
    const marks = await page.locator('.resume-pre mark.evidence').allInnerTexts();
    for (const quote of quotes) expect(marks.join('\n')).toContain(quote.evidence!.trim());
    await expectNamedControls();
    await screenshot(page, '06-candidate');
  });

  it('renders attacker-controlled resume text as inert text', async () => {
    const ranked = await allResumes();
    const poisoned = [];
    for (const r of ranked) {
      const detail = await api<{ analysis: { criteria: { evidence: string | null }[] } }>(
        `/v1/resumes/${r.id}`,
      );
      if (detail.analysis.criteria.some((c) => c.evidence?.includes('<img'))) poisoned.push(r.id);
    }
    expect(poisoned.length).toBeGreaterThan(0);
    await page.goto(`${url}/jobs/${jobId}/candidates/${poisoned[0]}`);
    await page.getByRole('heading', { name: 'Score breakdown' }).waitFor();
    await page.getByText('<img src=x onerror=', { exact: false }).first().waitFor();
    expect(await page.locator('main img').count()).toBe(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
  });

  it('compares three candidates side by side', async () => {
    await page.goto(`${url}/jobs/${jobId}`);
    const grid = page.getByRole('grid', { name: 'Ranked candidates' });
    await grid.locator('[role=row][data-index="2"]').waitFor();
    await grid.focus();
    for (const key of ['Home', ' ', 'ArrowDown', ' ', 'ArrowDown', ' '])
      await page.keyboard.press(key);
    await page.getByText('3 selected').waitFor();
    await page.getByRole('button', { name: 'Compare (3)' }).click();
    await page.getByRole('heading', { name: 'Compare 3 candidates' }).waitFor();
    const headers = await page.locator('table.compare thead th').allInnerTexts();
    expect(headers).toHaveLength(4);
    const rows = await page.locator('table.compare tbody th').allInnerTexts();
    expect(rows).toEqual(expect.arrayContaining(SKILLS));
    await expectNamedControls();
    await screenshot(page, '07-compare');
  });

  it('sends invitations to the top 3 and shows them sent, as the SMTP server received them', async () => {
    const top3 = (await allResumes()).slice(0, 3);
    await page.goto(`${url}/jobs/${jobId}`);
    const grid = page.getByRole('grid', { name: 'Ranked candidates' });
    await grid.focus();
    for (const key of ['Home', ' ', 'ArrowDown', ' ', 'ArrowDown', ' '])
      await page.keyboard.press(key);
    await page.getByRole('button', { name: 'Email (3)' }).click();
    await page.getByRole('heading', { name: 'Write to 3 candidates' }).waitFor();
    await page.getByRole('radio', { name: 'Invitation to interview' }).check();

    const expected: string[] = [];
    for (const resume of top3) {
      const address = addressOf.get(resume.fileName)!;
      expected.push(address);
      const input = page.getByRole('textbox', { name: shownName(resume), exact: true });
      // Filled from the resume when extraction found the address; typed by the recruiter otherwise.
      if ((await input.inputValue()) === '') await input.fill(address);
      expect(await input.inputValue()).toBe(address);
    }
    await page.getByLabel('Preview for').selectOption({ label: shownName(top3[1]!) });
    const preview = page.getByTestId('email-preview');
    await preview.getByText(`To: ${expected[1]}`).waitFor();
    await expect(preview.innerText()).resolves.toContain('Platform engineer');
    await expectNamedControls();
    await screenshot(page, '08-email-compose');

    await page.getByRole('button', { name: 'Send 3 emails' }).click();
    await page.getByText('3 queued').waitFor();
    await until(
      async () => (await page.locator('tr[data-email-status="sent"]').count()) === 3,
      60_000,
    );
    await sink.waitForReceived(3);
    expect(sink.received.flatMap((m) => m.to).sort()).toEqual([...expected].sort());
    const sentTo = await page
      .locator('tr[data-email-status="sent"] td:first-child')
      .allInnerTexts();
    expect(sentTo.sort()).toEqual([...expected].sort());
    await screenshot(page, '09-email-status');
  });

  it('cancels queued emails, one and then all, after asking, and none reaches the SMTP server', async () => {
    // Rejections to the next four candidates, held in the queue (as behind a busy mail server).
    const ranked = await allResumes();
    const picks = ranked.slice(3, 7);
    const redis = testRedis();
    const emailQueue = new Producer('email-delivery', { connection: redis, prefix: stack.prefix });
    await emailQueue.queue.pause();
    const rowOf = (resumeId: string) => page.locator(`tr[data-resume-id="${resumeId}"]`);
    try {
      await page.goto(`${url}/jobs/${jobId}/email?ids=${picks.map((r) => r.id).join(',')}`);
      await page.getByRole('heading', { name: 'Write to 4 candidates' }).waitFor();
      await page.getByRole('radio', { name: 'Rejection' }).check();
      const addresses: string[] = [];
      for (const resume of picks) {
        const address = addressOf.get(resume.fileName)!;
        addresses.push(address);
        const input = page.getByRole('textbox', { name: shownName(resume), exact: true });
        if ((await input.inputValue()) === '') await input.fill(address);
      }
      await page.getByRole('button', { name: 'Send 4 emails' }).click();
      await page.getByText('4 queued').waitFor();
      for (const resume of picks)
        await rowOf(resume.id).and(page.locator('[data-email-status="queued"]')).waitFor();

      // One: asked first; keeping it changes nothing, confirming cancels it.
      await page.getByRole('button', { name: `Cancel the email to ${addresses[0]}` }).click();
      const dialog = page.getByRole('dialog', { name: 'Cancel this email?' });
      await dialog.waitFor();
      await expectNamedControls();
      await screenshot(page, '09b-email-cancel-confirm');
      await dialog.getByRole('button', { name: 'Keep it' }).click();
      await dialog.waitFor({ state: 'hidden' });
      expect(await rowOf(picks[0]!.id).getAttribute('data-email-status')).toBe('queued');
      await page.getByRole('button', { name: `Cancel the email to ${addresses[0]}` }).click();
      await dialog.getByRole('button', { name: 'Cancel email' }).click();
      await page.getByText(`The email to ${addresses[0]} was cancelled.`).waitFor();
      await rowOf(picks[0]!.id).and(page.locator('[data-email-status="cancelled"]')).waitFor();

      // All that are still queued for the job.
      await page.getByRole('button', { name: 'Cancel all 3 queued emails' }).click();
      await page
        .getByRole('dialog', { name: 'Cancel all 3 queued emails?' })
        .getByRole('button', { name: 'Cancel emails' })
        .click();
      await page.getByText('3 emails cancelled.').waitFor();
      for (const resume of picks)
        await rowOf(resume.id).and(page.locator('[data-email-status="cancelled"]')).waitFor();
      await expect(
        page.getByRole('button', { name: /^Cancel (all|the queued)/ }).count(),
      ).resolves.toBe(0);
      const stored = await api<{ items: { resumeId: string; status: string }[] }>(
        `/v1/jobs/${jobId}/emails?limit=200`,
      );
      expect(
        stored.items.filter((e) => picks.some((r) => r.id === e.resumeId)).map((e) => e.status),
      ).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);
      await expectNamedControls();
      await screenshot(page, '09c-email-cancelled');
    } finally {
      await emailQueue.queue.resume();
    }

    // With the queue running again, a later rejection (same priority, so it queues behind any
    // left-over) goes out; the cancelled ones never do.
    const later = ranked[7]!;
    const response = await fetch(`${url}/v1/emails`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        kind: 'reject',
        items: [{ resumeId: later.id, to: addressOf.get(later.fileName) }],
      }),
    });
    expect(response.status).toBeLessThan(300);
    await sink.waitForReceived(4);
    await rowOf(later.id).and(page.locator('[data-email-status="sent"]')).waitFor({
      timeout: 30_000,
    });
    const counts = await emailQueue.queue.getJobCounts('wait', 'prioritized', 'active', 'delayed');
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
    const reached = sink.received.flatMap((m) => m.to);
    for (const resume of picks) expect(reached).not.toContain(addressOf.get(resume.fileName));
    expect(sink.received).toHaveLength(4);
    for (const resume of picks)
      expect(await rowOf(resume.id).getAttribute('data-email-status')).toBe('cancelled');
    await emailQueue.queue.close();
    await redis.quit();
  }, 120_000);

  it('says in plain words that an email already sending cannot be cancelled, and shows it sending', async () => {
    const resume = (await allResumes())[8]!;
    const address = addressOf.get(resume.fileName)!;
    const row = page.locator(`tr[data-resume-id="${resume.id}"]`);
    const redis = testRedis();
    const emailQueue = new Producer('email-delivery', { connection: redis, prefix: stack.prefix });
    const errorsBefore = browser.errors.length;
    const receivedBefore = sink.received.length;
    await emailQueue.queue.pause();
    let emailId = '';
    try {
      const queued = await fetch(`${url}/v1/emails`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'reject', items: [{ resumeId: resume.id, to: address }] }),
      });
      expect(queued.status).toBeLessThan(300);
      const { results } = (await queued.json()) as { results: { emailId: string }[] };
      emailId = results[0]!.emailId;
      await page.goto(`${url}/jobs/${jobId}/email?ids=${resume.id}`);
      await row.and(page.locator('[data-email-status="queued"]')).waitFor();
      // The recruiter asks to cancel while it is queued...
      await page.getByRole('button', { name: `Cancel the email to ${address}` }).click();
      const dialog = page.getByRole('dialog', { name: 'Cancel this email?' });
      await dialog.waitFor();
      // ...and before confirming, the worker takes it and the mail server holds the message.
      sink.setReplyDelay(10_000);
      await emailQueue.queue.resume();
      await until(
        async () => (await api<{ status: string }>(`/v1/emails/${emailId}`)).status === 'sending',
        20_000,
      );
      await dialog.getByRole('button', { name: 'Cancel email' }).click();
      await page
        .getByRole('status')
        .getByText(`The email to ${address} is already being sent, so it can't be cancelled.`)
        .waitFor();
      expect(await row.getAttribute('data-email-status')).toBe('sending');
      await expect(
        page.getByRole('button', { name: `Cancel the email to ${address}` }).count(),
      ).resolves.toBe(0);
      await expect(page.getByRole('alert').count()).resolves.toBe(0);
      await screenshot(page, '09d-email-already-sending');
    } finally {
      await emailQueue.queue.resume();
      await emailQueue.queue.close();
      await redis.quit();
      sink.setReplyDelay(0);
    }
    // It goes out, and the page follows it to sent; nothing was logged as an error meanwhile.
    await sink.waitForReceived(receivedBefore + 1);
    await row.and(page.locator('[data-email-status="sent"]')).waitFor({ timeout: 30_000 });
    expect(sink.received.slice(receivedBefore).flatMap((m) => m.to)).toEqual([address]);
    expect(browser.errors.slice(errorsBefore)).toEqual([]);
  }, 90_000);

  it('shows dashboard numbers that match the API', async () => {
    await page.goto(`${url}/jobs/${jobId}/dashboard`);
    await page.getByRole('heading', { name: /^Dashboard/ }).waitFor();
    const ranked = await allResumes();
    const tiers = { Shortlist: 0, Maybe: 0, Reject: 0 } as Record<string, number>;
    for (const r of ranked) tiers[r.tier![0]!.toUpperCase() + r.tier!.slice(1)]! += 1;

    // The numbers arrive after the heading.
    const figure = page.locator('figure', { hasText: 'Candidates per tier' });
    await figure.waitFor();
    const cells = await figure
      .locator('table tr')
      .evaluateAll((rows) =>
        rows.map((row) => [
          row.querySelector('th')?.textContent,
          row.querySelector('td')?.textContent,
        ]),
      );
    expect(Object.fromEntries(cells)).toEqual({
      Shortlist: String(tiers.Shortlist),
      Maybe: String(tiers.Maybe),
      Reject: String(tiers.Reject),
    });
    await expect(page.locator('[data-stat="Resumes"]').innerText()).resolves.toBe(String(RESUMES));
    await expect(page.locator('[data-stat="Scored"]').innerText()).resolves.toBe(String(RESUMES));
    // Throughput per minute and the cache hit rate, as the workers counted them.
    const stats = await api<{
      throughput: { done: number; failed: number; cacheHitRate: number | null };
    }>(`/v1/jobs/${jobId}/stats`);
    expect(stats.throughput.done).toBe(RESUMES);
    await expect(page.locator('[data-stat="Cache hit rate"]').innerText()).resolves.toBe(
      `${Math.round(stats.throughput.cacheHitRate! * 100)}%`,
    );
    const perMinute = await page
      .locator('figure', { hasText: 'Resumes scored per minute' })
      .locator('table td')
      .allTextContents();
    expect(perMinute.map(Number).reduce((a, b) => a + b, 0)).toBe(
      stats.throughput.done + stats.throughput.failed,
    );
    await expectNamedControls();
    await screenshot(page, '10-dashboard');
  });

  it('fits a tablet screen', async () => {
    await page.setViewportSize({ width: 820, height: 1180 });
    await page.goto(`${url}/jobs/${jobId}`);
    await page.locator('[role=row][data-index="0"]').waitFor();
    const overflow = await page.evaluate(
      'document.documentElement.scrollWidth - document.documentElement.clientWidth',
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, '11-shortlist-tablet');
    await page.setViewportSize({ width: 1366, height: 900 });
  });

  it('uploads a dropped folder and a chosen folder with their subfolders, listing files turned away', async () => {
    const created = await fetch(`${url}/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Folder intake',
        description: 'Services in TypeScript on PostgreSQL and Redis, deployed on Kubernetes.',
        criteria: SKILLS.map((name) => ({ name, weight: 1 })),
      }),
    });
    const folderJob = (await created.json()) as { id: string };
    /** A folder as a recruiter keeps it: resumes, a subfolder, and files that are not resumes. */
    const writeFolder = (name: string, seed: number, count: number) => {
      const root = join(stack.dir, 'folders', name);
      mkdirSync(join(root, 'referrals'), { recursive: true });
      const names: string[] = [];
      generateTextResumes(count, SKILLS, seed).forEach((r, i) => {
        const fileName = `${name}-${i}.txt`;
        const path = i % 6 === 5 ? join('referrals', fileName) : fileName;
        writeFileSync(join(root, path), `${r.text}\nFolder: ${name}\n`);
        names.push(`${name}/${path}`);
      });
      return { root, names };
    };
    // Over 100 entries in one folder: Chromium lists a dropped folder 100 entries at a time.
    const dropped = writeFolder('dropped', 21, 120);
    writeFileSync(join(dropped.root, '.DS_Store'), 'Bud1 finder metadata');
    writeFileSync(join(dropped.root, 'referrals', 'empty.txt'), '');
    writeFileSync(join(dropped.root, 'scan.bin'), Buffer.from([0x00, 0xff, 0x10, 0x80, 0x9a]));
    const chosen = writeFolder('chosen', 22, 3);

    await page.goto(`${url}/jobs/${folderJob.id}`);
    await page.getByRole('heading', { name: 'No resumes yet' }).waitFor();
    await dropPaths(page, page.locator('.dropzone'), [dropped.root]);
    await page.getByText('120 uploaded · 3 not accepted').waitFor();
    const rejected = (await page.locator('.rejected li').allInnerTexts()).map((t) =>
      t.replace(/\s+/g, ' '),
    );
    expect(rejected.sort()).toEqual([
      'dropped/.DS_Store Hidden system file skipped.',
      'dropped/referrals/empty.txt The file is empty.',
      expect.stringMatching(/^dropped\/scan\.bin This is not a resume format we can read/),
    ]);
    // Every resume of the folder and its subfolder went up, listed by its path in the folder.
    const uploaded = () => page.locator('.file-list li.file-queued .file-name').allTextContents();
    expect((await uploaded()).sort()).toEqual([...dropped.names].sort());

    await page.getByTestId('folder-input').setInputFiles(chosen.root);
    await page.getByText('123 uploaded · 3 not accepted').waitFor();
    expect((await uploaded()).sort()).toEqual([...dropped.names, ...chosen.names].sort());
    const stored = await api<{ items: ApiResume[] }>(`/v1/jobs/${folderJob.id}/resumes?limit=200`);
    expect(stored.items.map((r) => r.fileName).sort()).toEqual(
      [...dropped.names, ...chosen.names].map((n) => n.split('/').pop()).sort(),
    );
    await expectNamedControls();
    await screenshot(page, '12-upload-folder');
    // Erased after leaving its page, so the workers stop scoring it before the next tests.
    await page.goto(`${url}/jobs`);
    await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
    const erased = await fetch(`${url}/v1/jobs/${folderJob.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(erased.status).toBe(204);
  });

  it('pages through 1,000 candidates with only the visible rows in the page', async () => {
    const post = async <T>(path: string, body: unknown): Promise<T> => {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBeLessThan(300);
      return (await response.json()) as T;
    };
    const job = await post<{ id: string }>('/v1/jobs', {
      title: 'Large intake',
      description: 'Services in TypeScript on PostgreSQL and Redis, deployed on Kubernetes.',
      criteria: SKILLS.map((name) => ({ name, weight: 1 })),
    });
    const many = generateTextResumes(1_000, SKILLS, 7);
    const { batch } = await post<{ batch: { id: string } }>(`/v1/jobs/${job.id}/batches`, {
      resumes: many.map((r) => ({ fileName: r.fileName, text: r.text })),
    });

    await page.goto(`${url}/jobs/${job.id}`);
    const grid = page.getByRole('grid', { name: 'Ranked candidates' });
    await grid.focus();
    // End jumps to the last loaded row; the next page loads as it comes into view.
    await until(async () => {
      await page.keyboard.press('End');
      return (await rowCount()) === 1_000 && (await activeRow()) === '999';
    }, 60_000);
    await grid.locator('[role=row][data-index="999"]').waitFor();
    expect(await grid.locator('[role=row][data-index]').count()).toBeLessThan(60);
    // While the rest are scored the list re-reads itself live, page by page, as rows jump up the
    // ranking: it must never lose a row meanwhile (the active row would slide up with it).
    await page.evaluate(`(() => {
      const grid = document.querySelector('[role=grid]');
      window.__fewestRows = Number(grid.getAttribute('aria-rowcount'));
      new MutationObserver(() => {
        window.__fewestRows = Math.min(window.__fewestRows, Number(grid.getAttribute('aria-rowcount')));
      }).observe(grid, { attributes: true, attributeFilter: ['aria-rowcount'] });
    })()`);
    const batchState = () =>
      api<{ counts: { done: number }; finishedAt: string | null }>(`/v1/batches/${batch.id}`);
    const scoredWhenWatched = (await batchState()).counts.done;
    // Scoring 1,000 resumes takes up to ~30 s while the suite's other tests share the 2 cores.
    await until(async () => (await batchState()).finishedAt !== null, 120_000);
    // The last refresh lands: the rows at the end are the API's last rows, in its order.
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const chunk: { items: ApiResume[]; nextCursor: string | null } = await api(
        `/v1/jobs/${job.id}/resumes?sort=score&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      ids.push(...chunk.items.map((r) => r.id));
      cursor = chunk.nextCursor;
    } while (cursor);
    expect(ids).toHaveLength(1_000);
    await until(async () => {
      const shown = await grid
        .locator('[role=row][data-index]')
        .evaluateAll((rows) =>
          rows.map(
            (r) =>
              [Number(r.getAttribute('data-index')), r.getAttribute('data-resume-id')] as const,
          ),
        );
      return shown.length > 5 && shown.every(([index, id]) => ids[index] === id);
    }, 20_000);
    expect({
      scoredWhenWatched,
      fewestRows: await page.evaluate('window.__fewestRows'),
      activeRow: await activeRow(),
    }).toEqual({ scoredWhenWatched, fewestRows: 1_001, activeRow: '999' });
    await page.keyboard.press('Home');
    await grid.locator('[role=row][data-index="0"]').waitFor();
    expect(await grid.locator('[role=row][data-index]').count()).toBeLessThan(60);
    await screenshot(page, '13-shortlist-1000');
    // Erased so later screens stay small (after leaving its page, which would otherwise keep
    // refreshing a job that no longer exists).
    await page.goto(`${url}/jobs`);
    await page.getByRole('heading', { name: 'Jobs', level: 1 }).waitFor();
    const erased = await fetch(`${url}/v1/jobs/${job.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(erased.status).toBe(204);
  }, 180_000);

  it('keeps names and file names out of sight in blind mode until asked', async () => {
    const response = await fetch(`${url}/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Blind screening',
        description: 'Services in TypeScript on PostgreSQL and Redis, deployed on Kubernetes.',
        criteria: SKILLS.map((name) => ({ name, weight: 1 })),
        blind: true,
      }),
    });
    const blindJob = (await response.json()) as { id: string };
    const few = generateTextResumes(5, SKILLS, 11).map((r) => ({
      fileName: `${r.name.replace(' ', '-')}-cv.txt`,
      text: r.text,
    }));
    await fetch(`${url}/v1/jobs/${blindJob.id}/batches`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ resumes: few }),
    });
    await page.goto(`${url}/jobs/${blindJob.id}`);
    await page.getByText('Blind mode is on').waitFor();
    const grid = page.getByRole('grid', { name: 'Ranked candidates' });
    await until(async () => (await rowCount()) === few.length);
    const shown = await grid.locator('.candidate-link').allInnerTexts();
    expect(shown.every((label) => /^Candidate [A-Z0-9]{6}$/.test(label))).toBe(true);
    const pageText = await page.locator('main').innerText();
    for (const r of few) expect(pageText).not.toContain(r.fileName);

    await until(async () => {
      const items = (
        await api<{ items: ApiResume[] }>(`/v1/jobs/${blindJob.id}/resumes?status=done`)
      ).items;
      return items.length === few.length;
    }, 90_000);
    await grid.locator('.candidate-link').first().click();
    await page.getByRole('button', { name: 'Reveal identity' }).waitFor();
    // The resume text is shown too, with the candidate's name, email and phone masked.
    await page.locator('.resume-pre').waitFor();
    const opened = await api<ApiResume>(`/v1/resumes/${page.url().split('/').pop()}`);
    const identity = [opened.candidate.name, opened.candidate.email].filter((v): v is string =>
      Boolean(v),
    );
    expect(identity.length).toBeGreaterThan(0);
    const blindText = (await page.locator('main').innerText()).toLowerCase();
    expect(blindText).not.toMatch(/-cv\.txt/);
    for (const value of identity) expect(blindText).not.toContain(value.toLowerCase());
    await expect(page.locator('.resume-pre').innerText()).resolves.toContain('[hidden]');
    await page.getByRole('button', { name: 'Reveal identity' }).click();
    await expect(page.locator('main').innerText()).resolves.toMatch(/-cv\.txt/);
    const revealed = (await page.locator('.resume-pre').innerText()).toLowerCase();
    for (const value of identity) expect(revealed).toContain(value.toLowerCase());
    await expectNamedControls();
  }, 150_000);

  it('uploads 30 real PDFs, ranks them live, and shows a PDF candidate with its evidence', async () => {
    const response = await fetch(`${url}/v1/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'Software engineer',
        description:
          'Software engineer building web applications and databases: Java, JavaScript, SQL, testing and network administration.',
        criteria: ['Java', 'JavaScript', 'SQL', 'Testing', 'Network'].map((name) => ({
          name,
          weight: 1,
        })),
      }),
    });
    const pdfJob = (await response.json()) as { id: string };
    await page.goto(`${url}/jobs/${pdfJob.id}`);
    await page.getByRole('heading', { name: 'No resumes yet' }).waitFor();
    const pdfs = await thirtyPdfs();
    expect(pdfs).toHaveLength(30);
    await page
      .getByTestId('file-input')
      .setInputFiles(pdfs.map((f) => ({ ...f, mimeType: 'application/pdf' })));
    await page.getByText('30 uploaded').waitFor({ timeout: 60_000 });

    const list = async () =>
      (await api<{ items: ApiResume[] }>(`/v1/jobs/${pdfJob.id}/resumes?sort=score&limit=200`))
        .items;
    await until(
      async () => (await list()).every((r) => r.status === 'done' || r.status === 'failed'),
      120_000,
    );
    const ranked = await list();
    expect(ranked.filter((r) => r.status === 'done').length).toBeGreaterThanOrEqual(25);
    const grid = page.getByRole('grid', { name: 'Ranked candidates' });
    await until(async () => {
      const ids = await grid
        .locator('[role=row][data-index]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-resume-id')));
      return ids.length > 8 && ids.every((id, i) => id === ranked[i]!.id);
    }, 30_000);
    await screenshot(page, '14-shortlist-pdfs');

    await grid.locator('.candidate-link').first().click();
    await page.getByRole('heading', { name: 'Score breakdown' }).waitFor();
    const detail = await api<{
      analysis: { criteria: { met: string; evidence: string | null }[] };
    }>(`/v1/resumes/${ranked[0]!.id}`);
    const quotes = detail.analysis.criteria.filter((c) => c.met !== 'no' && c.evidence);
    expect(quotes.length).toBeGreaterThan(0);
    // The PDF's extracted text is shown whole, with each quote marked where it occurs.
    const full = await page.locator('.resume-pre').innerText();
    const text = await fetch(`${url}/v1/resumes/${ranked[0]!.id}/text`, {
      headers: { authorization: `Bearer ${key}` },
    }).then((r) => r.text());
    expect(full.replace(/\s+/g, ' ').trim()).toBe(text.replace(/\s+/g, ' ').trim());
    const marks = (await page.locator('.resume-pre mark.evidence').allInnerTexts()).join('\n');
    for (const quote of quotes)
      expect(marks.replace(/\s+/g, ' ')).toContain(quote.evidence!.replace(/\s+/g, ' ').trim());
    await expectNamedControls();
    await screenshot(page, '15-candidate-pdf');
  }, 240_000);

  it('logged no console errors on any screen', () => {
    expect(browser.errors).toEqual([]);
  });
});
