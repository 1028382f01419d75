// A learner's own churn table (a generated bank-customer file of 50,000
// rows, not the workshop's; large enough that the Train and Explore pages
// work on it in the worker that holds it rather than on the page): the
// Explore page's charts count what the file holds; the Train page leaves out the row counter, the account
// number, the surname and the column that gives the answer away, each with
// its reason; the data check names them and the class balance; a target
// that is not yes/no is said; the model trained on the chosen columns
// matches scikit-learn's on the same rows; the SQL page, a visual and the
// Customers page's filter are answered by that worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { buildDashboard, chartDatums, openApp, pickFile, repoRoot, saveAndDeploy, train } from './browser.mjs';

let app;
const ROWS = 50_000;
const n = ROWS.toLocaleString('en');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'churnlab-bank-'));
const csv = path.join(dir, 'bank-customers.csv');

/** Bank customers from a seeded generator, who left (Exited 0/1) by age, activity and country. */
function bankCsv(rows) {
  let seed = 20261201;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const ids = Array.from({ length: rows }, (_, i) => 15600000 + i * 7);
  for (let i = ids.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  const lines = ['RowNumber,CustomerId,Surname,CreditScore,Geography,Gender,Age,Tenure,Balance,NumOfProducts,HasCrCard,IsActiveMember,EstimatedSalary,ExitReason,Exited'];
  for (let i = 0; i < rows; i++) {
    const geo = pick(['France', 'Spain', 'Germany']);
    const age = 18 + Math.floor(rand() * 60);
    const active = rand() < 0.5 ? 1 : 0;
    const products = 1 + Math.floor(rand() * 4);
    const balance = rand() < 0.3 ? 0 : Math.round(rand() * 2e7) / 100;
    const logit = -3.2 + 0.06 * (age - 18) - 0.9 * active + (geo === 'Germany' ? 0.7 : 0) + (products >= 3 ? 1.2 : 0) + (rand() - 0.5);
    const exited = rand() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    const reason = exited ? pick(['price', 'service', 'moved']) : 'none';
    lines.push(
      [i + 1, ids[i], `Name${Math.floor(rand() * 2500)}`, 350 + Math.floor(rand() * 500), geo, pick(['Female', 'Male']), age, Math.floor(rand() * 11), balance, products, rand() < 0.7 ? 1 : 0, active, (Math.round(rand() * 2e7) / 100).toFixed(2), reason, exited].join(','),
    );
  }
  return lines.join('\n') + '\n';
}

let text;
before(async () => {
  text = bankCsv(ROWS);
  fs.writeFileSync(csv, text);
  app = await openApp();
  await app.page.goto(app.url + '#/data');
  await pickFile(app.page, csv);
  await app.page.waitForFunction(() => document.querySelector('[data-testid="dataset-name"]')?.textContent === 'bank-customers');
});
after(async () => {
  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const reasons = (page) =>
  page.getByTestId('train-feature').evaluateAll((f) => Object.fromEntries(f.filter((x) => x.dataset.excludedReason).map((x) => [x.dataset.column, x.dataset.excludedReason])));
/** Waits until the form has its answer: no data check under way, Train on. */
const settled = (page) =>
  page.waitForFunction(() => !document.querySelector('[data-testid="data-check-progress"]') && document.querySelector('[data-testid="data-check-item"]') && !document.querySelector('[data-testid="train-start"]').disabled);
const items = (page) => page.getByTestId('data-check-item').evaluateAll((i) => i.map((x) => [x.dataset.kind, x.dataset.column]));

test('the Explore page, worked out in the background, counts what the file holds', async () => {
  const { page } = app;
  await page.getByTestId('nav-explore').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="explore-progress"]') && document.querySelectorAll('[data-testid="explore-distribution"] [data-testid="chart-datum"]').length > 0);
  const kinds = await page.evaluate(() => window.churnlab.workers().map((w) => w.kind));
  assert.ok(kinds.includes('held-table'), `workers: ${kinds}`);
  const [header, ...lines] = text.trim().split('\n').map((l) => l.split(','));
  const col = (name) => lines.map((l) => l[header.indexOf(name)]);
  const geography = {};
  for (const g of col('Geography')) geography[g] = (geography[g] || 0) + 1;
  const shown = Object.fromEntries(await chartDatums(page.locator('[data-testid="explore-distribution"][data-column="Geography"]')));
  assert.deepEqual(Object.fromEntries(Object.entries(shown).map(([k, v]) => [k, Number(v)])), geography);
  const age = await chartDatums(page.locator('[data-testid="explore-distribution"][data-column="Age"]'));
  assert.equal(age.reduce((s, [, v]) => s + Number(v), 0), ROWS);
  // Pearson's r of two columns, against the same sums done here (shown to 3 decimals).
  const [x, y] = [col('Age').map(Number), col('Exited').map(Number)];
  const mean = (v) => v.reduce((s, a) => s + a, 0) / v.length;
  const [mx, my] = [mean(x), mean(y)];
  const dot = (a, ma, b, mb) => a.reduce((s, v, i) => s + (v - ma) * (b[i] - mb), 0);
  const r = dot(x, mx, y, my) / Math.sqrt(dot(x, mx, x, mx) * dot(y, my, y, my));
  const corr = Object.fromEntries(await chartDatums(page.getByTestId('explore-correlations')));
  const shownR = Number(corr['Exited · Age'] ?? corr['Age · Exited']);
  assert.ok(r > 0.1 && Math.abs(shownR - r) <= 5e-4, `r ${shownR} vs ${r}`);
  assert.ok((await chartDatums(page.getByTestId('explore-box'))).length > 0, 'a box plot');
  assert.equal(await page.getByTestId('pair-cell').count(), 9);
  assert.deepEqual(app.errors, []);
});

test('identifiers of every type, too many categories and a leak are left out with their reason, and the check says so', async () => {
  const { page } = app;
  await page.getByTestId('nav-train').click();
  await settled(page);
  // The table went to the worker that holds it (the page did not look at it).
  const kinds = await page.evaluate(() => window.churnlab.workers().map((w) => w.kind));
  assert.ok(kinds.includes('held-table'), `workers: ${kinds}`);
  await page.getByTestId('train-target').selectOption('Exited');
  await settled(page);
  assert.equal(await page.getByTestId('train-positive').inputValue(), '1');
  const r = await reasons(page);
  assert.equal(r.RowNumber, 'counts the rows');
  assert.equal(r.CustomerId, `an identifier (${n} distinct of ${n})`);
  assert.match(r.Surname, /^[\d,]+ categories$/);
  assert.match(r.ExitReason, /^gives the target away \(AUC 1\.000 alone\)$/);
  assert.deepEqual(Object.keys(r).sort(), ['CustomerId', 'ExitReason', 'RowNumber', 'Surname']);
  const checked = await page.getByTestId('train-feature').evaluateAll((f) => f.filter((x) => x.checked).map((x) => x.dataset.column));
  assert.deepEqual(checked, ['CreditScore', 'Geography', 'Gender', 'Age', 'Tenure', 'Balance', 'NumOfProducts', 'HasCrCard', 'IsActiveMember', 'EstimatedSalary']);
  assert.deepEqual(await items(page), [
    ['identifier', 'RowNumber'],
    ['identifier', 'CustomerId'],
    ['cardinality', 'Surname'],
    ['leakage', 'ExitReason'],
    ['balance', 'Exited'],
  ]);
  const balance = await page.locator('[data-testid="data-check-item"][data-kind="balance"]').textContent();
  assert.ok(balance.startsWith('1 is ') && balance.includes(` of ${n}).`), balance);
  // Ticking the surname back says how it is encoded.
  await page.locator('[data-testid="train-feature"][data-column="Surname"]').check();
  await settled(page);
  assert.match(await page.locator('[data-testid="data-check-item"][data-kind="cardinality"]').textContent(), /Ticked: it is encoded as its 20 most frequent values plus "other"\./);
  await page.locator('[data-testid="train-feature"][data-column="Surname"]').uncheck();
  await settled(page);
  // A target with four values is not a yes/no question.
  await page.getByTestId('train-target').selectOption('NumOfProducts');
  await settled(page);
  assert.deepEqual(await items(page), [['target', 'NumOfProducts']]);
  assert.match(await page.getByTestId('data-check-item').textContent(), /^NumOfProducts has 4 values \(1, 2, 3, 4\): this lab trains a yes\/no model\./);
  await page.getByTestId('train-target').selectOption('Exited');
  await settled(page);
  assert.equal((await items(page)).length, 5);
  assert.deepEqual(app.errors, []);
});

test('the model on the chosen columns matches scikit-learn on the same rows', async (t) => {
  const { page } = app;
  await page.getByTestId('train-mode').selectOption('plain');
  await train(page);
  const shown = Object.fromEntries(await page.getByTestId('metric').evaluateAll((m) => m.map((x) => [x.dataset.name, Number(x.dataset.value)])));
  const ours = await page.evaluate(() => window.churnlab.train(JSON.stringify({ target: 'Exited', positive: '1', mode: 'plain', withSplit: true })));
  assert.equal(ours.error, undefined, ours.error);
  // The page's run and the API's are the same model.
  assert.ok(Math.abs(shown.test_accuracy - ours.testAccuracy) < 1e-9, `${shown.test_accuracy} vs ${ours.testAccuracy}`);
  const split = { train: ours.split.trainRows, test: ours.split.testRows, features: ours.split.features, categorical: ours.split.categorical, target: 'Exited', positive: '1', c: 1.0, max_iter: 100, folds: 5 };
  assert.deepEqual(split.categorical, ['Geography', 'Gender', 'HasCrCard', 'IsActiveMember']);
  fs.writeFileSync(path.join(dir, 'split.json'), JSON.stringify(split));
  const python = path.join(repoRoot, '.venv/bin/python');
  execFileSync(python, [path.join(repoRoot, 'tests/python/sklearn_parity.py'), csv, path.join(dir, 'split.json'), path.join(dir, 'out.json')]);
  const theirs = JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8')).plain;
  t.diagnostic(`test accuracy ${ours.testAccuracy.toFixed(4)} vs scikit-learn ${theirs.test_accuracy.toFixed(4)}; AUC ${ours.auc.toFixed(4)} vs ${theirs.auc.toFixed(4)}`);
  assert.ok(Math.abs(ours.testAccuracy - theirs.test_accuracy) <= 0.005, `accuracy ${ours.testAccuracy} vs scikit-learn ${theirs.test_accuracy}`);
  assert.ok(Math.abs(ours.auc - theirs.auc) <= 0.003, `AUC ${ours.auc} vs scikit-learn ${theirs.auc}`);
  assert.deepEqual(app.errors, []);
});

test('the SQL page queries the file in the background worker: results, the filter count, errors and Cancel', async () => {
  const { page } = app;
  await page.getByTestId('nav-sql').click();
  const editor = page.getByTestId('sql-editor');
  await editor.waitFor();
  const run = async (sql) => {
    await editor.fill(sql);
    await page.getByTestId('sql-run').click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="sql-running"]'));
  };
  const resultRows = () => page.getByTestId('result-row').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('[data-testid="result-cell"]')].map((c) => c.dataset.value)));
  await run('SELECT Geography, COUNT(*) AS n, SUM(Exited) AS exits FROM churn WHERE Age >= 40 GROUP BY Geography ORDER BY Geography');
  await page.getByTestId('result-background').waitFor();
  const [header, ...lines] = text.trim().split('\n').map((l) => l.split(','));
  const at = (name) => header.indexOf(name);
  const older = lines.filter((l) => Number(l[at('Age')]) >= 40);
  const expected = ['France', 'Germany', 'Spain'].map((g) => {
    const rows = older.filter((l) => l[at('Geography')] === g);
    return [g, String(rows.length), String(rows.reduce((s, l) => s + Number(l[at('Exited')]), 0))];
  });
  assert.deepEqual(await resultRows(page), expected);
  // The filter builder's count, also from the worker.
  await page.waitForFunction(() => document.querySelector('[data-testid="filter-count"]')?.getAttribute('aria-busy') === 'false');
  assert.equal(await page.getByTestId('filter-count').textContent(), `Keeps ${older.length.toLocaleString('en')} of ${n} rows`);
  // A typo says what and where; the result stays.
  await run('SELECT Agee FROM churn');
  assert.match(await page.getByTestId('sql-error').textContent(), /Agee.*Age/);
  assert.deepEqual(await resultRows(page), expected);
  // A query that takes long is cancelled; the result stays, and the next query runs.
  await editor.fill(`SELECT CAST(CustomerId AS TEXT) LIKE '${'%'.repeat(100_000)}x' AS m FROM churn`);
  await page.getByTestId('sql-run').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="sql-running"]')?.textContent.includes('Running'));
  await page.getByTestId('sql-cancel').click();
  await page.getByTestId('sql-cancelled').waitFor();
  assert.deepEqual(await resultRows(page), expected);
  await run("SELECT COUNT(*) AS n FROM churn WHERE Geography = 'Spain'");
  assert.deepEqual(await resultRows(page), [[String(lines.filter((l) => l[at('Geography')] === 'Spain').length)]]);
  await page.getByTestId('result-background').waitFor();
  assert.equal(await page.getByTestId('sql-cancelled').count(), 0);
  // A large result sorted by a header: its order found in the worker, the rows moved together.
  await run('SELECT * FROM churn');
  const ageHeader = page.getByTestId('result-header').nth(at('Age'));
  const ageOf = new Map(lines.map((l) => [l[at('CustomerId')], Number(l[at('Age')])]));
  const ages = Array.from(ageOf.values());
  for (const [order, first] of [['ascending', Math.min(...ages)], ['descending', Math.max(...ages)]]) {
    await ageHeader.locator('button.sort').click();
    await page.waitForFunction(([i, order]) => document.querySelectorAll('[data-testid="result-header"]')[i].getAttribute('aria-sort') === order && !document.querySelector('[data-testid="result-sort-progress"]'), [at('Age'), order]);
    const shown = (await resultRows(page)).map((r) => [r[at('CustomerId')], Number(r[at('Age')])]);
    assert.equal(shown[0][1], first, order);
    for (const [id, age] of shown) assert.equal(ageOf.get(id), age, `customer ${id}`);
    for (let i = 1; i < shown.length; i++) assert.ok(order === 'ascending' ? shown[i][1] >= shown[i - 1][1] : shown[i][1] <= shown[i - 1][1], `${order} at ${i}`);
  }
  // The queries, the filter's counts and the sorts were answered by the worker.
  const ops = await page.evaluate(() => window.churnlab.heldOps());
  assert.ok(ops.sql >= 6 && ops.sort === 2, JSON.stringify(ops));
  assert.deepEqual(app.errors, []);
});

test('a visual on the file is computed in the background worker and counts what the file holds', async () => {
  const { page } = app;
  const before = (await page.evaluate(() => window.churnlab.heldOps()))['visual-chart'] ?? 0;
  await buildDashboard(page, 'Countries', 'churn', ['Geography']);
  const visual = page.getByTestId('dashboard-visual').first();
  await page.waitForFunction(() => !document.querySelector('[data-testid="visual-progress"]') && document.querySelectorAll('[data-testid="dashboard-visual"] [data-testid="chart-datum"]').length === 3);
  const [header, ...lines] = text.trim().split('\n').map((l) => l.split(','));
  const geography = {};
  for (const l of lines) geography[l[header.indexOf('Geography')]] = (geography[l[header.indexOf('Geography')]] || 0) + 1;
  const shown = Object.fromEntries((await chartDatums(visual)).map(([k, v]) => [k, Number(v)]));
  assert.deepEqual(shown, geography);
  const after = (await page.evaluate(() => window.churnlab.heldOps()))['visual-chart'] ?? 0;
  assert.ok(after > before, `visual charts from the worker: ${before} then ${after}`);
  assert.deepEqual(app.errors, []);
});

test("the Customers page's filter keeps the file's customers, worked out in the background worker", async () => {
  const { page } = app;
  // The plain run trained above, saved and deployed.
  await page.getByTestId('nav-train').click();
  await saveAndDeploy(page);
  await page.getByTestId('nav-customers').click();
  await page.getByTestId('customer-row').first().waitFor();
  const header = () => page.locator('.runs-bar h3').first().textContent();
  assert.equal(await header(), `${n} customers`);
  const before = (await page.evaluate(() => window.churnlab.heldOps()))['matching-rows'] ?? 0;
  await page.locator('.customer-filter summary').click();
  await page.locator('.customer-filter').getByTestId('filter-add').click();
  const condition = page.locator('.customer-filter').getByTestId('filter-condition').first();
  await condition.getByTestId('filter-column').selectOption('Geography');
  await condition.getByTestId('filter-value').selectOption('Germany');
  const [head, ...lines] = text.trim().split('\n').map((l) => l.split(','));
  const germans = lines.filter((l) => l[head.indexOf('Geography')] === 'Germany').length;
  await page.waitForFunction((want) => document.querySelector('.runs-bar h3')?.textContent === want, `${germans.toLocaleString('en')} customers`);
  const countries = await page.locator('[data-testid="customer-cell"][data-feature="Geography"]').evaluateAll((c) => [...new Set(c.map((x) => x.textContent.replace(/ [▲▼]$/, '')))]);
  assert.deepEqual(countries, ['Germany']);
  const after = (await page.evaluate(() => window.churnlab.heldOps()))['matching-rows'] ?? 0;
  assert.ok(after > before, `filters from the worker: ${before} then ${after}`);
  // The filter removed: every customer again.
  await condition.getByTestId('filter-remove').click();
  await page.waitForFunction((want) => document.querySelector('.runs-bar h3')?.textContent === want, `${n} customers`);
  assert.deepEqual(app.errors, []);
});
