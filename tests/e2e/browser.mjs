// Launches Debian's Chromium through playwright-core (never a downloaded
// browser) and serves the release build for the end-to-end tests.
import path from 'node:path';
import os from 'node:os';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedData = path.resolve(repoRoot, '../shared/data/telco-churn.csv');
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** Chromium on a fresh profile (so IndexedDB starts empty), collecting
 * page errors (and printing the page's console with E2E_CONSOLE=1, to find
 * what a failing test's page said). `device` overrides the context's options (a viewport, touch). */
export async function openBrowser(device = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'churnlab-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
    acceptDownloads: true,
    ...device,
  });
  const errors = [];
  context.on('weberror', (e) => errors.push(String(e.error())));
  const page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (e) => errors.push(e.message));
  if (process.env.E2E_CONSOLE) page.on('console', (m) => console.error('[console]', m.type(), m.text().slice(0, 2000)));
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A fresh browser profile and a served build (`dist` by default). */
export async function openApp({ fixtures, root = path.join(repoRoot, 'dist'), device } = {}) {
  const server = await startServer({
    root,
    mounts: fixtures ? { fixtures } : {},
  });
  const browser = await openBrowser(device);
  return {
    ...browser,
    url: server.url,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** The test fixtures, served under `fixtures/` when asked. */
export const FIXTURES = path.join(repoRoot, 'tests/e2e/fixtures');

/** A fresh app (with the fixtures served) on the data page, idle. */
export async function openAppWithFixtures() {
  const app = await openApp({ fixtures: FIXTURES });
  await app.page.goto(app.url + '#/data');
  await waitIdle(app.page);
  return app;
}

/** Opens the app and waits until it shows a dataset. */
export async function gotoApp(page, url, query = '') {
  await page.goto(url + query);
  await page.getByTestId('dataset-name').waitFor();
}

/** The header's row count as a number. */
export async function rowCount(page) {
  return Number((await page.getByTestId('row-count').textContent()).replace(/,/g, ''));
}

/** Loads a file through the picker and waits for the load to end. */
export async function pickFile(page, file) {
  // A pick while saved data is still being restored would be refused: wait
  // for the app to start, then for the restore to end.
  await page.getByTestId('dataset-name').waitFor();
  await waitIdle(page);
  const before = await loadsEnded(page);
  await page.getByTestId('file-input').setInputFiles(file);
  await waitIdle(page, before);
}

/** How many loads have ended since the page opened (start-up included). */
export const loadsEnded = (page) => page.evaluate(() => window.churnlab.loadsEnded());

/** Two frames drawn: what was rendered has been laid out and painted. */
export const frames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

/** Waits until `slug` is the page shown and none of its work is running
 * (no progress bar, no lab step being done), then for it to be drawn. */
export async function settled(page, slug) {
  await page.waitForFunction(
    (slug) => document.querySelector('#main')?.dataset.page === slug && !document.querySelector('progress:not([value]), [data-testid$="-progress"], [data-testid="lab-doing"]'),
    slug,
    { timeout: 120_000 },
  );
  await frames(page);
}

/** Waits until a load has ended after the first `after` (by default: the
 * page's start-up has ended) and no load is running. */
export async function waitIdle(page, after = 0, timeout = 120_000) {
  await page.waitForFunction(
    (after) => window.churnlab?.loadsEnded?.() > after && !document.querySelector('[data-testid="load-progress"]'),
    after,
    { timeout },
  );
}

/** Opens the data page with no saved datasets and the real file loaded. */
export async function startOnRealData(page, url) {
  await gotoApp(page, url, '#/data');
  await waitIdle(page);
  for (;;) {
    const del = page.getByTestId('dataset-delete');
    if ((await del.count()) === 0) break;
    await del.first().click();
  }
  if ((await page.getByTestId('dataset-name').textContent()) !== 'telco-churn') {
    await pickFile(page, sharedData);
    await page.waitForFunction(() => document.querySelector('[data-testid="dataset-name"]')?.textContent === 'telco-churn');
  }
}

/** Runs `sql` on the SQL page and saves the result as the dataset `name`. */
export async function saveQueryAsDataset(page, sql, name) {
  await page.getByTestId('nav-sql').click();
  await page.getByTestId('sql-editor').fill(sql);
  await page.getByTestId('sql-run').click();
  await page.getByTestId('dataset-name-input').fill(name);
  await page.getByTestId('save-dataset').click();
  await page.getByTestId('save-dataset-done').waitFor();
}

/** The run the Train page shows (its id), or null. */
export const shownRun = (page) => page.evaluate(() => document.querySelector('[data-testid="train-summary"]')?.dataset.run ?? null);

/** Waits until a run other than `before` (a run id, or null) has finished
 * and its five metrics are shown: the training started, then ended. */
export async function waitTrained(page, before, timeout = 120_000) {
  await page.waitForFunction(
    (before) => {
      const run = document.querySelector('[data-testid="train-summary"]')?.dataset.run;
      return run !== undefined && run !== before && !document.querySelector('[data-testid="train-progress"]') && document.querySelectorAll('[data-testid="metric"]').length === 5;
    },
    before,
    { timeout },
  );
}

/** Presses Train on the Train page and waits for that run to end. */
export async function train(page, timeout = 120_000) {
  const before = await shownRun(page);
  await page.getByTestId('train-start').click();
  await waitTrained(page, before, timeout);
}

/** Trains one plain fit of the default pipeline on the active dataset. */
export async function trainPlain(page, timeout = 120_000) {
  await page.getByTestId('nav-train').click();
  await page.getByTestId('train-mode').selectOption('plain');
  await train(page, timeout);
}

/** Saves the last run as a model and deploys the newest model. */
export async function saveAndDeploy(page) {
  await page.getByTestId('save-model').click();
  await page.getByTestId('save-model-done').waitFor();
  await page.getByTestId('nav-deploy').click();
  await page.getByTestId('deploy-model').first().click();
  await page.getByTestId('endpoint-input').waitFor();
}

/** A saved dashboard called `title` with one "Record Count by <dimension>"
 * visual per dimension on `dataset`, built through the fields' "Add to…" menus. */
export async function buildDashboard(page, title, dataset, dimensions) {
  await page.getByTestId('nav-visuals').click();
  await page.getByTestId('new-dashboard').first().click();
  for (const dimension of dimensions) {
    await page.getByTestId('add-visual').click();
    const builder = page.getByTestId('chart-builder');
    await builder.getByTestId('visual-dataset').selectOption(dataset);
    for (const [field, shelf] of [[dimension, 'dimensions'], ['Record Count', 'measures']]) {
      await builder.locator(`[data-testid="field-pill"][data-field="${field}"] [data-testid="field-add"]`).selectOption(shelf);
    }
    await builder.getByTestId('visual-done').click();
  }
  await page.getByTestId('dashboard-title').fill(title);
  await page.getByTestId('save-dashboard').click();
}

/** The chart data rows under `scope` as [label, value] pairs. */
export async function chartDatums(scope) {
  return scope.getByTestId('chart-datum').evaluateAll((rows) => rows.map((r) => [r.dataset.label, r.dataset.value]));
}
