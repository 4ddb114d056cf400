// report.html as an administrator sees it: opened from disk in headless Chromium (playwright-core over the Debian
// browser). Filter, search, print layout, and that nothing from the data runs and the CSP lets nothing else in.
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { findProgram, itWithProgram } from './external-tool.ts';
import { IMG_USERNAME, runSample, SCRIPT_USERNAME } from './report-sample.ts';

const executablePath = findProgram('chromium');
const itBrowser = itWithProgram(executablePath, 'apt-get update && apt-get install -y chromium');
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/images' : undefined;

let work: string;
let browser: Browser | undefined;
let probe: Server;
const probeHits: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'report-html-'));
  // A loopback server the page must never reach: the CSP forbids every fetch, image and frame.
  probe = createServer((request, response) => {
    probeHits.push(request.url ?? '');
    response.end('hit');
  }).listen(0, '127.0.0.1');
  await once(probe, 'listening');
  if (!executablePath) return;
  browser = await chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  probe?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

interface OpenedReport {
  page: Page;
  dialogs: string[];
}

async function openReport(): Promise<OpenedReport> {
  const { html, harness } = await runSample(',');
  expect(harness.store.contentTypes.get('reports/job-1/report.html')).toBe('text/html; charset=utf-8');
  const file = join(work, 'report.html');
  await writeFile(file, html, 'utf8');
  const page = await (browser as Browser).newPage({ viewport: { width: 1280, height: 900 } });
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.addInitScript(`
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (event) => window.__violations.push(event.violatedDirective));
  `);
  await page.goto(pathToFileURL(file).href);
  return { page, dialogs };
}

/** Evaluated in the page (as text: this project's TypeScript has no DOM types). */
function inPage<T = unknown>(page: Page, expression: string): Promise<T> {
  return page.evaluate(expression) as Promise<T>;
}

async function visibleLines(page: Page): Promise<string[]> {
  return page.$$eval('#rows tbody tr:not([hidden])', (rows) => rows.map((row) => row.cells[0]?.textContent ?? ''));
}

async function screenshot(page: Page, name: string): Promise<void> {
  const folder = SCREENSHOTS ?? work;
  await mkdir(folder, { recursive: true });
  await page.screenshot({ path: join(folder, `${name}.png`), fullPage: true });
}

describe('report.html in a browser', () => {
  itBrowser('shows the job, the summary chart and every row; the page script runs under its CSP', async () => {
    const { page } = await openReport();
    expect(await page.title()).toBe('Report job-1');
    expect(await page.textContent('#job')).toContain('dry-run');
    const bars = await page.$$eval('#summary svg rect', (rects) =>
      rects.map((rect) => [rect.getAttribute('class'), Number(rect.getAttribute('width'))]),
    );
    expect(bars).toEqual([
      ['bar-deleted', 0],
      ['bar-would-delete', 380],
      ['bar-not-found', 63],
      ['bar-already-absent', 0],
      ['bar-rejected', 190],
      ['bar-failed', 0],
    ]);
    expect(await visibleLines(page)).toEqual(['2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
    // Written by the page's own script and styled by its own style: both hashes in the CSP are right.
    expect(await page.textContent('#shown')).toBe('10 of 10 rows shown');
    expect(await inPage(page, "getComputedStyle(document.querySelector('table')).borderCollapse")).toBe('collapse');
    expect(await inPage(page, 'window.__violations')).toEqual([]);
    await screenshot(page, 'report-html');
    await page.close();
  });

  itBrowser('filters the rows by outcome and searches them', async () => {
    const { page } = await openReport();
    for (const outcome of ['would-delete', 'not-found'])
      await page.uncheck(`input[name="outcome"][value="${outcome}"]`);
    expect(await visibleLines(page)).toEqual(['6', '7', '8']);
    expect(await page.textContent('#shown')).toBe('3 of 10 rows shown');
    await page.fill('#search', 'candidates: 105');
    expect(await visibleLines(page)).toEqual(['6']);
    await screenshot(page, 'report-html-filtered');
    await page.check('input[name="outcome"][value="would-delete"]');
    await page.fill('#search', 'MÜLLER');
    expect(await visibleLines(page)).toEqual(['3']);
    await page.fill('#search', '');
    expect(await visibleLines(page)).toHaveLength(9);
    await page.close();
  });

  itBrowser('prints without its controls', async () => {
    const { page } = await openReport();
    await page.emulateMedia({ media: 'print' });
    expect(await inPage(page, "getComputedStyle(document.querySelector('.controls')).display")).toBe('none');
    expect(await inPage(page, "getComputedStyle(document.querySelector('thead')).display")).toBe('table-header-group');
    await page.close();
  });

  itBrowser('runs nothing from the data, and its CSP blocks any other script, image or request', async () => {
    const { page, dialogs } = await openReport();
    const cells = await page.$$eval('#rows td', (tds) => tds.map((td) => td.textContent ?? ''));
    expect(cells).toContain(`107 · ${SCRIPT_USERNAME} · script@example.com`);
    expect(cells).toContain(`108 · ${IMG_USERNAME} · img@example.com`);
    expect(cells).toContain('<b>bold</b>');
    expect(await page.$$eval('img, b, iframe, object, embed', (found) => found.length)).toBe(0);
    expect(await page.$$eval('script', (found) => found.length)).toBe(1);
    expect(await inPage(page, 'window.__xss')).toBeUndefined();

    // What an injection that got past the escaping would try: an inline script, a handler, an image, a fetch.
    const probeUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/`;
    await inPage(
      page,
      `(() => {
        const script = document.createElement('script');
        script.textContent = 'window.__xss = 3';
        document.body.append(script);
        const image = document.createElement('img');
        image.setAttribute('src', ${JSON.stringify(`${probeUrl}img`)});
        image.setAttribute('onerror', 'window.__xss = 4');
        document.body.append(image);
        fetch(${JSON.stringify(`${probeUrl}fetch`)}).catch(() => undefined);
      })()`,
    );
    await page.waitForFunction('window.__violations.length >= 4');
    expect(await inPage(page, 'window.__xss')).toBeUndefined();
    const violations = await inPage<string[]>(page, 'window.__violations');
    // The blocked image fails, and its onerror handler is blocked in turn (script-src-attr).
    expect(new Set(violations)).toEqual(new Set(['script-src-elem', 'img-src', 'script-src-attr', 'connect-src']));
    expect(probeHits).toEqual([]);
    expect(dialogs).toEqual([]);
    await page.close();
  });
});
