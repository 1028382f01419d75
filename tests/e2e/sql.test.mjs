// The workshop's lab 2 in real Chromium: SQL, the filter builder, saving a
// result as a dataset and editing its fields.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { openApp, startOnRealData, rowCount, waitIdle } from './browser.mjs';

let app;

before(async () => {
  app = await openApp();
});
after(async () => {
  await app.close();
});
beforeEach(async () => {
  const { page } = app;
  // Start clean: no saved datasets, the real file loaded.
  await startOnRealData(page, app.url);
  await page.getByTestId('nav-sql').click();
  await page.getByTestId('sql-editor').waitFor();
  app.errors.length = 0;
});

async function runSql(page, sql) {
  await page.getByTestId('sql-editor').fill(sql);
  await page.getByTestId('sql-run').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="sql-running"]'));
}

async function resultCount(page) {
  return Number((await page.getByTestId('result-count').textContent()).replace(/,/g, ''));
}

async function firstRowValues(page) {
  return page.getByTestId('result-row').first().getByTestId('result-cell').evaluateAll((cells) => cells.map((c) => c.dataset.value));
}

test("the workshop's COUNT DISTINCT query returns 3, 3, 3, 4", async () => {
  const { page } = app;
  await runSql(
    page,
    `SELECT
    COUNT(DISTINCT internetservice) as 'internetservice',
    COUNT(DISTINCT multiplelines) as 'multiplelines',
    COUNT(DISTINCT contract) as 'contract',
    COUNT(DISTINCT paymentmethod) as 'paymentmethod'
FROM default.churn_prototype;`,
  );
  assert.equal(await resultCount(page), 1);
  assert.deepEqual(await firstRowValues(page), ['3', '3', '3', '4']);
  assert.deepEqual(await page.getByTestId('result-header').allTextContents(), ['internetservice', 'multiplelines', 'contract', 'paymentmethod']);
  assert.equal(await page.getByTestId('sql-error').count(), 0);
  assert.deepEqual(app.errors, []);
});

test('seniors saved as a dataset keep 1,142 rows after a reload', async () => {
  const { page } = app;
  await runSql(page, 'SELECT * FROM churn WHERE seniorcitizen = "1"');
  assert.equal(await resultCount(page), 1142);
  await page.getByTestId('dataset-name-input').fill('senior');
  await page.getByTestId('save-dataset').click();
  await page.getByTestId('save-dataset-done').waitFor();
  await page.waitForFunction(() => window.churnlab.savesPending() === 0);
  await page.reload();
  await page.waitForFunction(() => document.querySelector('[data-testid="dataset-name"]')?.textContent === 'telco-churn');
  await waitIdle(page);
  await page.getByTestId('nav-data').click();
  const item = page.locator('[data-testid="dataset-item"][data-name="senior"]');
  await item.waitFor();
  assert.match(await item.getByTestId('dataset-rows').textContent(), /^1,142 rows$/);
  assert.match(await item.locator('.lineage').textContent(), /seniorcitizen = "1"/);
  // Queried by name in FROM, and opened as the active dataset.
  await page.getByTestId('nav-sql').click();
  await runSql(page, 'SELECT COUNT(*), MIN(SeniorCitizen) FROM senior');
  assert.deepEqual(await firstRowValues(page), ['1142', '1']);
  await page.getByTestId('nav-data').click();
  await item.getByTestId('dataset-open').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="dataset-name"]')?.textContent === 'senior');
  assert.equal(await rowCount(page), 1142);
});

test('a typo gives the line, the column and the closest name, and keeps the last result', async () => {
  const { page } = app;
  await runSql(page, 'SELECT Contract, COUNT(*) FROM churn GROUP BY 1');
  assert.equal(await resultCount(page), 3);
  await runSql(page, 'SELECT Contract,\n  AVG(tenur)\nFROM churn GROUP BY 1');
  const error = page.getByTestId('sql-error');
  await error.waitFor();
  assert.equal(await error.textContent(), 'Line 2, column 7: unknown column "tenur". Did you mean "tenure"?');
  assert.equal(await resultCount(page), 3, 'the previous result stays');
  await runSql(page, 'SELEC * FROM churn');
  assert.match(await error.textContent(), /^Line 1, column 1: expected an SQL statement but found "SELEC"/);
  await runSql(page, 'SELECT COUNT(*) FROM churn');
  assert.equal(await page.getByTestId('sql-error').count(), 0);
});

test('Ctrl+Enter runs, results sort by header and NULLs carry data-null', async () => {
  const { page } = app;
  await page.getByTestId('sql-editor').fill('SELECT customerID, TotalCharges FROM churn WHERE tenure = 0 OR tenure = 72 ORDER BY customerID');
  await page.getByTestId('sql-editor').press('Control+Enter');
  // The previous query's count is on screen until this one answers.
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent.replace(/,/g, '') === String(11 + 362));
  const header = page.getByTestId('result-header').nth(1);
  await header.locator('button').click();
  const column = () => page.getByTestId('result-row').evaluateAll((rows) => rows.slice(0, 5).map((r) => Number(r.querySelectorAll('[data-testid="result-cell"]')[1].dataset.value)));
  const ascending = await column();
  assert.deepEqual(ascending, [...ascending].sort((a, b) => a - b), 'ascending');
  await header.locator('button').click();
  assert.equal(await header.getAttribute('aria-sort'), 'descending');
  const top = await page.getByTestId('result-row').first().getByTestId('result-cell').nth(1).getAttribute('data-value');
  assert.ok(Number(top) > 8000, top);
  // NULLs sort last; go to the last row to see one.
  await page.getByTestId('result-goto').fill('373');
  await page.getByTestId('result-goto').press('Enter');
  const last = page.locator('[data-testid="result-row"][data-row="372"] [data-testid="result-cell"]').nth(1);
  await last.waitFor();
  assert.equal(await last.getAttribute('data-null'), 'true');
});

test('results export as CSV', async () => {
  const { page } = app;
  await runSql(page, 'SELECT Contract, COUNT(*) AS n FROM churn GROUP BY Contract ORDER BY n DESC');
  const download = page.waitForEvent('download');
  await page.getByTestId('sql-export').click();
  const file = await download;
  const text = fs.readFileSync(await file.path(), 'utf8');
  assert.equal(text, 'Contract,n\nMonth-to-month,3875\nTwo year,1695\nOne year,1473\n');
});

test('the history recalls earlier queries', async () => {
  const { page } = app;
  await runSql(page, 'SELECT 1');
  await runSql(page, 'SELECT 2');
  const items = page.getByTestId('sql-history-item');
  assert.equal(await items.first().textContent(), 'SELECT 2');
  await items.nth(1).click();
  assert.equal(await page.getByTestId('sql-editor').inputValue(), 'SELECT 1');
});

test('the filter builder writes the WHERE clause and reads it back', async () => {
  const { page } = app;
  await page.getByTestId('sql-editor').fill('SELECT * FROM churn');
  const builder = page.getByTestId('filter-builder');
  await builder.getByTestId('filter-add').click();
  const condition = builder.getByTestId('filter-condition').first();
  await condition.getByTestId('filter-column').selectOption('Contract');
  await condition.getByTestId('filter-value').selectOption('Two year');
  assert.equal(await page.getByTestId('sql-editor').inputValue(), "SELECT * FROM churn WHERE Contract = 'Two year'");
  assert.equal(await page.getByTestId('filter-count').textContent(), 'Keeps 1,695 of 7,043 rows');
  await builder.getByTestId('filter-add').click();
  const second = builder.getByTestId('filter-condition').nth(1);
  await second.getByTestId('filter-column').selectOption('tenure');
  await second.getByTestId('filter-op').selectOption('>');
  await second.getByTestId('filter-value').fill('70');
  await second.getByTestId('filter-value').press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="sql-editor"]').value.endsWith('tenure > 70'));
  assert.equal(await page.getByTestId('sql-editor').inputValue(), "SELECT * FROM churn WHERE Contract = 'Two year' AND tenure > 70");
  await builder.getByTestId('filter-join').selectOption('or');
  assert.equal(await page.getByTestId('sql-editor').inputValue(), "SELECT * FROM churn WHERE Contract = 'Two year' OR tenure > 70");
  await page.getByTestId('sql-run').click();
  const expected = await page.evaluate(() => window.churnlab.query("SELECT * FROM churn WHERE Contract = 'Two year' OR tenure > 70").rows);
  // The run is asynchronous: the previous result (one row) shows until it ends.
  await page.waitForFunction((n) => document.querySelector('[data-testid="result-count"]')?.textContent.replace(/,/g, '') === String(n), expected, { timeout: 10000 }).catch(() => {});
  assert.equal(await resultCount(page), expected);
  // Editing the SQL updates the builder...
  await page.getByTestId('sql-editor').fill("SELECT * FROM churn WHERE PaymentMethod IN ('Mailed check') AND NOT (SeniorCitizen = 1)");
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="filter-condition"]').length === 2);
  assert.deepEqual(await builder.getByTestId('filter-column').evaluateAll((s) => s.map((x) => x.value)), ['PaymentMethod', 'SeniorCitizen']);
  assert.equal(await builder.getByTestId('filter-negate').nth(1).isChecked(), true);
  // ...unless the clause has another shape.
  await page.getByTestId('sql-editor').fill('SELECT * FROM churn WHERE tenure * 2 > MonthlyCharges');
  await builder.getByTestId('filter-sql-only').waitFor();
  assert.match(await builder.getByTestId('filter-sql-only').textContent(), /can be edited only as SQL/);
  assert.match(await page.getByTestId('filter-count').textContent(), /^Keeps [\d,]+ of 7,043 rows$/);
});

test('fields can be cloned, retyped, given a role, renamed and hidden, and stay so', async () => {
  const { page } = app;
  await page.getByTestId('nav-data').click();
  const churn = page.locator('[data-testid="field-row"][data-field="Churn"]');
  await churn.getByTestId('field-clone').click();
  const copy = page.locator('[data-testid="field-row"][data-field="Copy of Churn"]');
  await copy.waitFor();
  await copy.getByTestId('field-role').selectOption('measure');
  await copy.getByTestId('field-type').selectOption('integer');
  assert.match(await page.getByTestId('load-warning').last().textContent(), /7,043 values could not be converted/);
  await page.locator('[data-testid="field-row"][data-field="tenure"]').getByTestId('field-rename').fill('tenure_months');
  await page.locator('[data-testid="field-row"][data-field="tenure"]').getByTestId('field-rename').press('Enter');
  await page.locator('[data-testid="field-row"][data-field="tenure_months"]').waitFor();
  await page.locator('[data-testid="field-row"][data-field="gender"]').getByTestId('field-hide').check();
  await page.waitForFunction(() => window.churnlab.savesPending() === 0);
  await page.reload();
  await page.waitForFunction(() => document.querySelector('[data-testid="dataset-name"]')?.textContent === 'telco-churn');
  await waitIdle(page);
  const restored = page.locator('[data-testid="field-row"][data-field="Copy of Churn"]');
  assert.equal(await restored.getByTestId('field-role').inputValue(), 'measure');
  assert.equal(await restored.getByTestId('field-type').inputValue(), 'integer');
  assert.equal(await page.locator('[data-testid="field-row"][data-field="tenure_months"]').count(), 1);
  assert.equal(await page.locator('[data-testid="field-row"][data-field="gender"]').getByTestId('field-hide').isChecked(), true);
  assert.equal(await page.getByTestId('grid-row').first().getByTestId('grid-cell').count(), 21, '22 fields, one hidden');
  // The renamed field is queried by its new name; the hidden one is left out of *.
  await page.getByTestId('nav-sql').click();
  await runSql(page, 'SELECT * FROM churn LIMIT 1');
  assert.equal(await page.getByTestId('result-header').count(), 21);
  await runSql(page, 'SELECT MAX(tenure_months), COUNT("Copy of Churn") FROM churn');
  assert.deepEqual(await firstRowValues(page), ['72', '0']);
  // Put the data back for the other tests.
  await page.getByTestId('reset-default').click();
});

test('datasets can be renamed and deleted', async () => {
  const { page } = app;
  await runSql(page, "SELECT Contract, COUNT(*) AS n FROM churn GROUP BY Contract");
  await page.getByTestId('dataset-name-input').fill('bad name');
  await page.getByTestId('save-dataset').click();
  assert.match(await page.getByTestId('save-dataset-error').textContent(), /cannot be a table name/);
  await page.getByTestId('dataset-name-input').fill('contracts');
  await page.getByTestId('save-dataset').click();
  await page.getByTestId('save-dataset-done').waitFor();
  await page.getByTestId('nav-data').click();
  const item = page.locator('[data-testid="dataset-item"][data-name="contracts"]');
  await item.getByTestId('dataset-rename').click();
  await item.getByTestId('dataset-rename-input').fill('by_contract');
  await item.getByTestId('dataset-rename-save').click();
  const renamed = page.locator('[data-testid="dataset-item"][data-name="by_contract"]');
  await renamed.waitFor();
  await page.getByTestId('nav-sql').click();
  await runSql(page, 'SELECT SUM(n) FROM by_contract');
  assert.deepEqual(await firstRowValues(page), ['7043']);
  await page.getByTestId('nav-data').click();
  await renamed.getByTestId('dataset-delete').click();
  assert.equal(await page.getByTestId('dataset-item').count(), 0);
});
