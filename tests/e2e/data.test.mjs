// Getting data in: what a learner does on the data page, in real Chromium.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp, gotoApp, rowCount, pickFile, waitIdle, sharedData } from './browser.mjs';

let app;
const fixtures = fs.mkdtempSync(path.join(os.tmpdir(), 'churnlab-fixtures-'));

before(async () => {
  fs.copyFileSync(sharedData, path.join(fixtures, 'telco-churn.csv'));
  app = await openApp({ fixtures });
});
after(async () => {
  await app.close();
  fs.rmSync(fixtures, { recursive: true, force: true });
});
beforeEach(async () => {
  // Every test starts from the default data with nothing saved.
  await gotoApp(app.page, app.url);
  await waitIdle(app.page);
  await app.page.getByTestId('reset-default').click();
  await waitForName(app.page, 'telco-synthetic');
  app.errors.length = 0;
});

async function waitForName(page, name) {
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid="dataset-name"]')?.textContent === n,
    name,
    { timeout: 60_000 },
  );
}

function summary(page, column) {
  return page.locator(`[data-testid="column-summary"][data-column="${column}"]`);
}

function csvFile(name, content) {
  return { name, mimeType: 'text/csv', buffer: Buffer.isBuffer(content) ? content : Buffer.from(content) };
}

/** Loads a bad file and checks the message and that the default data stayed. */
async function expectLoadError(page, file, ...fragments) {
  await pickFile(page, file);
  const error = page.getByTestId('load-error');
  await error.waitFor();
  const text = await error.textContent();
  for (const f of fragments) assert.ok(text.includes(f), `error "${text}" should mention "${f}"`);
  assert.equal(await page.getByTestId('dataset-name').textContent(), 'telco-synthetic');
  assert.equal(await rowCount(page), 7043);
}

test('starts on the synthetic default dataset and says so', async () => {
  const { page } = app;
  assert.equal(await page.getByTestId('dataset-name').textContent(), 'telco-synthetic');
  assert.equal(await rowCount(page), 7043);
  assert.equal(await page.getByTestId('column-count').textContent(), '21');
  assert.ok(await page.getByTestId('synthetic-notice').isVisible());
  assert.equal(await page.getByTestId('column-summary').count(), 21);
  const rows = await page.getByTestId('grid-row').count();
  assert.ok(rows > 10 && rows < 100, `the grid is virtualised (${rows} rows in the DOM)`);
  assert.equal(await page.getByTestId('grid-row').first().getByTestId('grid-cell').count(), 21);
  assert.deepEqual(app.errors, []);
});

test('loads the real file with the file picker', async () => {
  const { page } = app;
  await pickFile(page, sharedData);
  await waitForName(page, 'telco-churn');
  assert.equal(await rowCount(page), 7043);
  assert.equal(await page.getByTestId('column-count').textContent(), '21');
  const total = summary(page, 'TotalCharges');
  assert.equal(await total.getByTestId('null-count').textContent(), '11');
  assert.equal(await total.getByTestId('column-type').textContent(), 'float');
  const churn = summary(page, 'Churn');
  assert.equal(await churn.getByTestId('column-type').textContent(), 'categorical');
  assert.equal(await churn.getByTestId('distinct-count').textContent(), '2');
  assert.equal(await summary(page, 'SeniorCitizen').getByTestId('column-type').textContent(), 'integer');
  assert.equal(await summary(page, 'customerID').getByTestId('column-type').textContent(), 'text');
  assert.equal(await page.getByTestId('synthetic-notice').count(), 0);
  const first = page.getByTestId('grid-row').first().getByTestId('grid-cell');
  assert.equal(await first.nth(0).textContent(), '7590-VHVEG');
  assert.equal(await first.nth(18).textContent(), '29.85');
  assert.deepEqual(app.errors, []);
});

test('the loaded dataset survives a reload, and reset returns to the default', async () => {
  const { page } = app;
  await pickFile(page, sharedData);
  await waitForName(page, 'telco-churn');
  // The dataset is kept once its save has finished; a reload before then
  // starts on what was saved before.
  await page.waitForFunction(() => window.churnlab.savesPending() === 0);
  await page.reload();
  await waitForName(page, 'telco-churn');
  await waitIdle(page);
  assert.equal(await rowCount(page), 7043);
  assert.equal(await summary(page, 'TotalCharges').getByTestId('null-count').textContent(), '11');
  await page.getByTestId('reset-default').click();
  await waitForName(page, 'telco-synthetic');
  await page.reload();
  await gotoApp(page, app.url);
  await waitIdle(page);
  assert.equal(await page.getByTestId('dataset-name').textContent(), 'telco-synthetic');
});

test('drops a file anywhere on the page', async () => {
  const { page } = app;
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['plan,price\nBasic,10\nPro,25\nBasic,12\n'], 'plans.csv', { type: 'text/csv' }));
    window.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, cancelable: true }));
    window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, cancelable: true }));
  });
  await waitForName(page, 'plans');
  assert.equal(await rowCount(page), 3);
  assert.equal(await summary(page, 'price').getByTestId('column-type').textContent(), 'integer');
});

test('loads ?data=<url> from the same site', async () => {
  const { page } = app;
  await page.goto(`${app.url}?data=fixtures/telco-churn.csv`);
  await waitForName(page, 'telco-churn');
  await waitIdle(page);
  assert.equal(await rowCount(page), 7043);
});

test('a URL that does not exist says so and keeps the data', async () => {
  const { page } = app;
  await page.getByTestId('open-url').click();
  await page.getByTestId('url-input').fill('fixtures/missing.csv');
  await page.getByTestId('url-load').click();
  const error = page.getByTestId('load-error');
  await error.waitFor();
  assert.match(await error.textContent(), /HTTP 404/);
  assert.equal(await page.getByTestId('dataset-name').textContent(), 'telco-synthetic');
});

test('real-world CSV: quotes, CRLF, BOM, semicolons and blank lines', async () => {
  const { page } = app;
  const text = '\uFEFFname;note;n\r\n"Smith; J";"said ""hi""\r\nthen left";1\r\nLee;plain;NA\r\n\r\n\r\n';
  await pickFile(page, csvFile('quirks.csv', text));
  await waitForName(page, 'quirks');
  assert.equal(await rowCount(page), 2);
  const cells = page.getByTestId('grid-row').first().getByTestId('grid-cell');
  assert.equal(await cells.nth(0).textContent(), 'Smith; J');
  // A line break inside quotes is kept exactly, CRLF included.
  assert.equal(await cells.nth(1).textContent(), 'said "hi"\r\nthen left');
  assert.equal(await summary(page, 'n').getByTestId('null-count').textContent(), '1');
});

test('an empty file is refused', async () => {
  await expectLoadError(app.page, csvFile('empty.csv', ''), 'empty.csv', 'empty');
});

test('a binary file is refused', async () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
  await expectLoadError(app.page, csvFile('picture.csv', png), 'not a text file', 'byte 8');
});

test('a failed load says so only until the data changes; codes keep their leading zeros; one row is one row', async () => {
  const { page } = app;
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
  await expectLoadError(page, csvFile('broken.csv', png), 'Still using');
  await pickFile(page, csvFile('postcodes.csv', 'zip,city\n08123,Barcelona\n'));
  await waitForName(page, 'postcodes');
  assert.equal(await page.getByTestId('load-error').count(), 0, 'the message about the failed file is gone');
  assert.equal(await page.locator('.dataset-info .muted').textContent(), '1 row · 2 columns');
  const zip = page.locator('[data-testid="field-row"][data-field="zip"]');
  assert.notEqual(await zip.getByTestId('field-type').inputValue(), 'integer');
  assert.equal(await page.getByTestId('grid-cell').filter({ hasText: /^08123$/ }).count(), 1);
});

test('invalid UTF-8 is refused with its line and column', async () => {
  const bytes = Buffer.concat([Buffer.from('id,city\n1,Paris\n2,'), Buffer.from([0x4d, 0xfc, 0x6e]), Buffer.from('chen\n')]);
  await expectLoadError(app.page, csvFile('latin1.csv', bytes), 'Line 3', 'column "city"', 'UTF-8');
});

test('a file without a header row is refused', async () => {
  await expectLoadError(app.page, csvFile('noheader.csv', '1,29.85,3\n2,56.95,4\n'), 'Line 1', 'not a header');
});

test('a file over the memory budget is refused', async () => {
  const { page } = app;
  await gotoApp(page, app.url, '?memory_budget_mb=0.1');
  await waitIdle(page);
  await expectLoadError(page, sharedData, 'memory budget', '100.0 KB');
});

test('a table that outgrows the memory budget stops with the line reached', async () => {
  const { page } = app;
  await gotoApp(page, app.url, '?memory_budget_mb=0.6');
  await waitIdle(page);
  await expectLoadError(page, sharedData, 'Stopped at line', 'memory budget');
});

test('ragged rows are skipped and reported by line', async () => {
  const { page } = app;
  const text = 'a,b,c\n1,2,3\n4,5\n6,7,8\n9,10,11,12\n13,14,15\n';
  await pickFile(page, csvFile('ragged.csv', text));
  await waitForName(page, 'ragged');
  assert.equal(await rowCount(page), 3);
  const warning = await page.getByTestId('load-warning').textContent();
  assert.match(warning, /Skipped 2 rows/);
  assert.match(warning, /lines 3, 5/);
});

test('a column type can be overridden, with failed conversions counted', async () => {
  const { page } = app;
  const contract = summary(page, 'Contract');
  await contract.getByTestId('column-type-select').selectOption('integer');
  await page.waitForFunction(() =>
    document.querySelector('[data-column="Contract"] [data-testid="column-type"]')?.textContent === 'integer');
  assert.equal(await summary(page, 'Contract').getByTestId('null-count').textContent(), '7,043');
  assert.match(await page.getByTestId('load-warning').textContent(), /7,043 values could not be converted/);
  await summary(page, 'tenure').getByTestId('column-type-select').selectOption('text');
  await page.waitForFunction(() =>
    document.querySelector('[data-column="tenure"] [data-testid="column-type"]')?.textContent === 'text');
  assert.equal(await summary(page, 'tenure').getByTestId('null-count').textContent(), '0');
});

test('the grid reaches the last row and keeps its header in view', async () => {
  const { page } = app;
  const grid = page.getByTestId('data-grid');
  await page.getByTestId('grid-goto').fill('7043');
  await page.getByTestId('grid-goto').press('Enter');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="grid-row"]')].some((r) => r.dataset.row === '7042'));
  const last = page.locator('[data-testid="grid-row"][data-row="7042"]');
  assert.ok(await last.isVisible());
  const gridBox = await grid.boundingBox();
  const headBox = await grid.locator('thead th').first().boundingBox();
  assert.ok(Math.abs(headBox.y - gridBox.y) < 3, 'sticky header at the top of the grid');
  await grid.evaluate((el) => el.scrollTo(0, 0));
  await page.waitForFunction(() => document.querySelector('[data-testid="grid-row"]')?.dataset.row === '0');
});

test('a large load shows progress and can be cancelled', async () => {
  const { page } = app;
  const big = path.join(fixtures, 'big.csv');
  const real = fs.readFileSync(sharedData, 'utf8');
  const body = real.slice(real.indexOf('\n') + 1);
  const out = fs.openSync(big, 'w');
  fs.writeSync(out, real);
  for (let i = 0; i < 120; i++) fs.writeSync(out, body);
  fs.closeSync(out);
  await page.getByTestId('file-input').setInputFiles(big);
  await page.getByTestId('load-progress').waitFor();
  await page.getByTestId('load-cancel').click();
  await waitIdle(page);
  assert.match(await page.getByTestId('load-info').textContent(), /cancelled/);
  assert.equal(await page.getByTestId('dataset-name').textContent(), 'telco-synthetic');
  assert.equal(await rowCount(page), 7043);
  fs.rmSync(big);
});

test('a large file is read in parallel parts and joined exactly', async () => {
  const { page } = app;
  const big = path.join(fixtures, 'parts.csv');
  const real = fs.readFileSync(sharedData, 'utf8').replace(/\r\n/g, '\n');
  const [header, ...rows] = real.trimEnd().split('\n');
  const out = fs.openSync(big, 'w');
  fs.writeSync(out, header + '\n');
  const copies = 30;
  for (let i = 0; i < copies; i++) fs.writeSync(out, rows.join('\n') + '\n');
  // A short row near the end, in the last part: its line number must be the file's.
  fs.writeSync(out, 'too,short\n');
  fs.writeSync(out, rows[0] + '\n');
  fs.closeSync(out);
  const raggedLine = 1 + copies * rows.length + 1;
  await pickFile(page, big);
  await waitForName(page, 'parts');
  assert.ok((await page.evaluate(() => window.churnlab.lastLoad().parts)) >= 2, 'read by workers');
  assert.equal(await rowCount(page), copies * rows.length + 1);
  assert.equal(await summary(page, 'TotalCharges').getByTestId('null-count').textContent(), String(11 * copies));
  assert.equal(await summary(page, 'Churn').getByTestId('distinct-count').textContent(), '2');
  assert.equal(await summary(page, 'customerID').getByTestId('column-type').textContent(), 'text');
  const warning = await page.getByTestId('load-warning').textContent();
  assert.match(warning, new RegExp(`Skipped 1 row .*line ${raggedLine}\\b`));
  await page.getByTestId('grid-goto').fill(String(copies * rows.length + 1));
  await page.getByTestId('grid-goto').press('Enter');
  const last = page.locator(`[data-testid="grid-row"][data-row="${copies * rows.length}"]`);
  await last.waitFor();
  assert.equal(await last.getByTestId('grid-cell').first().textContent(), '7590-VHVEG');
  fs.rmSync(big);
});
