import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium; the tests never download a browser. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps dialling Google on a closed network.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

/** Starts headless Chromium with a fresh profile and records console errors of every page. */
export async function launchBrowser(viewport = { width: 1366, height: 900 }): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: apt-get install -y chromium (npm test installs it).`,
    );
  const profile = await mkdtemp(join(tmpdir(), 'shortlist-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport,
  });
  const errors: string[] = [];
  const watch = (page: Page) => {
    page.on('console', (message) => {
      if (message.type() === 'error')
        errors.push(`${message.text()} (${message.location().url ?? ''})`);
    });
    page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it holds; fails after `timeoutMs` naming what was awaited. */
export async function until(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms: ${check}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The resume ids of every row of the virtualised grid in order, read by scrolling it from top to
 * bottom (only the rows in view exist in the page at any moment).
 */
export async function gridOrder(page: Page, rowHeight = 56): Promise<string[]> {
  // A string: the tests compile without the DOM library.
  return (await page.evaluate(`(async () => {
    const scroller = document.querySelector('[data-testid="grid-scroller"]');
    const grid = scroller.closest('[role=grid]');
    const count = Number(grid.getAttribute('aria-rowcount')) - 1;
    const seen = [];
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    for (let top = 0; ; top += scroller.clientHeight) {
      scroller.scrollTop = top;
      const first = Math.floor(scroller.scrollTop / ${rowHeight});
      for (let i = 0; i < 60 && !grid.querySelector('[role=row][data-index="' + first + '"]'); i++)
        await frame();
      await frame();
      for (const row of grid.querySelectorAll('[role=row][data-index]'))
        seen[Number(row.dataset.index)] = row.dataset.resumeId ?? '';
      if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 1) break;
    }
    return Array.from({ length: count }, (_, i) => seen[i] ?? '(missing)');
  })()`)) as string[];
}

const SCREENSHOTS = join(__dirname, '..', '..', 'test-results', 'screenshots');

/** Saves a full-page screenshot as a test artifact (test-results/ is gitignored). */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

const INTERACTIVE_ROLES = new Set([
  'button',
  'link',
  'textbox',
  'searchbox',
  'checkbox',
  'radio',
  'combobox',
  'listbox',
  'spinbutton',
  'slider',
  'switch',
  'tab',
  'menuitem',
  'option',
]);

/**
 * Interactive elements without an accessible name, read from Chromium's own accessibility tree
 * (the names screen readers announce), so the check sees what assistive technology sees.
 */
export async function namelessControls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
      nodes: {
        ignored?: boolean;
        role?: { value?: string };
        name?: { value?: string };
        properties?: { name: string; value: { value?: unknown } }[];
      }[];
    };
    return nodes
      .filter((n) => !n.ignored && INTERACTIVE_ROLES.has(String(n.role?.value)))
      .filter((n) => !String(n.name?.value ?? '').trim())
      .map((n) => `${n.role?.value} ${JSON.stringify(n.properties?.map((p) => p.name) ?? [])}`);
  } finally {
    await cdp.detach();
  }
}

/**
 * Drops files or folders from the local disk onto `target` the way a desktop drag does: Chromium
 * builds the drag data from the paths, so a folder arrives as a directory entry to walk
 * (`webkitGetAsEntry`), which a script-made DataTransfer cannot imitate.
 */
export async function dropPaths(page: Page, target: Locator, paths: string[]): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  if (!box) throw new Error('the drop target is not visible');
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  const data = { items: [], files: paths, dragOperationsMask: 1 };
  const cdp = await page.context().newCDPSession(page);
  try {
    for (const type of ['dragEnter', 'dragOver', 'drop'] as const)
      await cdp.send('Input.dispatchDragEvent', { type, x, y, data });
  } finally {
    await cdp.detach();
  }
}
