// The learner's journey in the other engines a classroom has: Firefox ESR
// and WebKitGTK (the engine of Safari), over WebDriver, one session each.
// Open the app, the default data's row count, a SQL query, a chart drawn,
// cross-validated training in the background, save and deploy, the
// workshop's customer through the endpoint, the Customers page, a short
// simulation, a file read by the parallel reader, a reload that keeps the
// work and a reload with the site gone (the service worker serves it).
// Any script error or failed promise on the way fails the journey.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { By } from 'selenium-webdriver';
import { repoRoot, sharedData } from './browser.mjs';
import { startServer } from './server.mjs';
import { byTestId, choose, firefoxDriver, pageErrors, textOf, type, waitFor, webkitDriver } from './webdriver.mjs';

const dist = path.join(repoRoot, 'dist');
const ROWS_COPIED = 30;
let bigFile;
let bigRows;

before(() => {
  // 30 copies of the real file (about 28 MB): over the parallel reader's threshold.
  const real = fs.readFileSync(sharedData, 'utf8').replace(/\r\n/g, '\n');
  const [header, ...rows] = real.trimEnd().split('\n');
  bigFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'churnlab-engines-')), 'parts.csv');
  const out = fs.openSync(bigFile, 'w');
  fs.writeSync(out, header + '\n');
  for (let i = 0; i < ROWS_COPIED; i++) fs.writeSync(out, rows.join('\n') + '\n');
  fs.closeSync(out);
  bigRows = ROWS_COPIED * rows.length;
});
after(() => fs.rmSync(path.dirname(bigFile), { recursive: true, force: true }));

const count = (text) => Number(String(text).replace(/,/g, ''));
const noErrors = async (driver, where) => assert.deepEqual(await pageErrors(driver), [], `script errors ${where}`);
/** Clicks the control once it is shown and enabled, from the middle of the screen. */
async function click(driver, testid, within) {
  const selector = `[data-testid="${testid}"]`;
  await waitFor(driver, `${testid} to be ready`, (s) => {
    const el = document.querySelector(s);
    return !!el && !el.disabled && el.getClientRects().length > 0;
  }, [selector]);
  const el = await byTestId(driver, testid, within);
  await driver.executeScript('arguments[0].scrollIntoView({ block: "center" })', el);
  await el.click();
}
const present = (driver, testid) => waitFor(driver, testid, (id) => !!document.querySelector(`[data-testid="${id}"]`), [testid], 120_000);
const gone = (driver, testid) => waitFor(driver, `${testid} to go`, (id) => !document.querySelector(`[data-testid="${id}"]`), [testid], 180_000);

async function journey(open) {
  const server = await startServer({ root: dist });
  const { driver, name, quit } = await open();
  try {
    // Open the app on its default data.
    await driver.get(server.url + '#/data');
    assert.equal(count(await textOf(driver, 'row-count')), 7043, `${name}: the default data's rows`);
    await waitFor(driver, 'the app to start', () => window.churnlabBoot === 'started');
    await noErrors(driver, 'on start');

    // A SQL query.
    await click(driver, 'nav-sql');
    await type(driver, 'sql-editor', 'SELECT Contract, COUNT(*) AS n FROM churn GROUP BY Contract');
    await click(driver, 'sql-run');
    await waitFor(driver, 'three result rows', () => document.querySelector('[data-testid="result-count"]')?.textContent === '3');

    // A chart, built through the fields' "Add to…" menus.
    await click(driver, 'nav-visuals');
    await click(driver, 'new-dashboard');
    await click(driver, 'add-visual');
    const builder = await byTestId(driver, 'chart-builder');
    for (const [field, shelf] of [['PaymentMethod', 'dimensions'], ['Record Count', 'measures']]) {
      const menu = await builder.findElement(By.css(`[data-testid="field-pill"][data-field="${field}"] [data-testid="field-add"]`));
      await menu.findElement(By.css(`option[value="${shelf}"]`)).click();
    }
    const inked = await waitFor(driver, 'the chart drawn', () => {
      const canvas = document.querySelector('[data-testid="chart-builder"] [data-testid="chart-canvas"]');
      if (!canvas || document.querySelectorAll('[data-testid="chart-builder"] [data-testid="chart-datum"]').length !== 4) return 0;
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240)) n++;
      return n > 1000 ? n : 0;
    });
    assert.ok(inked > 1000, `${name}: the chart has ink`);
    await click(driver, 'visual-done', builder);
    await type(driver, 'dashboard-title', 'How customers pay');
    await click(driver, 'save-dashboard');
    await present(driver, 'dashboard-item');

    // Cross-validated training, in background workers.
    await click(driver, 'nav-train');
    await choose(driver, 'train-mode', 'cv');
    await click(driver, 'train-start');
    await present(driver, 'train-progress');
    await gone(driver, 'train-progress');
    await waitFor(driver, 'five metrics', () => document.querySelectorAll('[data-testid="metric"]').length === 5);

    // Saved, deployed, and asked about the workshop's customer.
    await click(driver, 'save-model');
    await present(driver, 'save-model-done');
    await click(driver, 'nav-deploy');
    await click(driver, 'deploy-model');
    await present(driver, 'endpoint-input');
    await click(driver, 'endpoint-test');
    const answer = JSON.parse(await waitFor(driver, 'the answer', () => document.querySelector('[data-testid="endpoint-output"]')?.textContent || null));
    assert.ok(answer.probability > 0 && answer.probability < 1, `${name}: a probability`);
    assert.equal(answer.data.tenure, 29, `${name}: the workshop's customer`);
    assert.ok(Object.keys(answer.explanation).length > 0, `${name}: an explanation`);

    // The Customers page: the riskiest customer opened.
    await click(driver, 'nav-customers');
    await present(driver, 'customer-row');
    await (await driver.findElement(By.css('[data-testid="customer-row"] th'))).click();
    const p = await waitFor(driver, "the customer's probability", () => document.querySelector('[data-testid="customer-probability"]')?.dataset.value || null);
    assert.ok(Number(p) > 0.5, `${name}: the riskiest customer first`);

    // A short simulation.
    await click(driver, 'nav-operations');
    await type(driver, 'sim-calls', '200');
    await click(driver, 'sim-start');
    await present(driver, 'answer-key');
    await noErrors(driver, 'after the simulation');

    // A large file, read by the parallel reader.
    await driver.executeScript('location.hash = "#/data"');
    await (await byTestId(driver, 'file-input')).sendKeys(bigFile);
    await waitFor(driver, 'the large file', () => document.querySelector('[data-testid="dataset-name"]')?.textContent === 'parts' && !document.querySelector('[data-testid="load-progress"]'), [], 180_000);
    assert.equal(count(await textOf(driver, 'row-count')), bigRows, `${name}: every row of the large file`);
    assert.ok((await driver.executeScript('return window.churnlab.lastLoad().parts')) >= 2, `${name}: read in parts by workers`);

    await noErrors(driver, 'after the large file');

    // A reload keeps the work.
    await waitFor(driver, 'the saves', () => window.churnlab.savesPending() === 0, [], 120_000);
    await driver.get(server.url + '#/deploy');
    await waitFor(driver, 'the large file again', () => document.querySelector('[data-testid="dataset-name"]')?.textContent === 'parts', [], 120_000);
    await present(driver, 'deployed-badge');
    const kept = async (where) => {
      assert.equal(count(await textOf(driver, 'row-count')), bigRows, `${name}: the data ${where}`);
      await click(driver, 'nav-operations');
      await present(driver, 'sim-item');
      await click(driver, 'nav-visuals');
      await present(driver, 'dashboard-item');
    };
    await kept('after a reload');
    await noErrors(driver, 'after the reload');

    // The site gone: the service worker serves the same app, with the work.
    await waitFor(driver, 'the offline cache', () => navigator.serviceWorker?.controller != null, [], 60_000);
    await server.close();
    // A navigation, not WebDriver's refresh: Firefox's refresh bypasses the service worker.
    await driver.get(server.url + '#/deploy');
    await waitFor(driver, 'the app offline', () => document.querySelector('[data-testid="dataset-name"]')?.textContent === 'parts', [], 120_000);
    await present(driver, 'deployed-badge');
    await kept('offline');
    await noErrors(driver, 'at the end');
  } finally {
    await quit();
    await server.close();
  }
}

test('the journey in Firefox ESR', async () => {
  await journey(firefoxDriver);
});

test('the journey in WebKitGTK (the engine of Safari)', async () => {
  await journey(webkitDriver);
});
