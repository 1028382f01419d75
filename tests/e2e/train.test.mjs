// Labs 4–5 in real Chromium: training the workshop's pipeline in a worker,
// reading its evaluation, saving the model, and tracking experiments.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { openApp, startOnRealData, waitIdle, waitTrained } from './browser.mjs';

let app;

before(async () => {
  app = await openApp();
  const { page } = app;
  await startOnRealData(page, app.url);
});
after(async () => {
  await app.close();
});
beforeEach(async () => {
  app.errors.length = 0;
});

async function metrics(page) {
  const pairs = await page.getByTestId('metric').evaluateAll((m) => m.map((x) => [x.dataset.name, Number(x.dataset.value)]));
  return Object.fromEntries(pairs);
}

async function confusion(page) {
  return page.getByTestId('confusion-matrix').locator('td[data-cell]').evaluateAll((cells) =>
    Object.fromEntries(cells.map((c) => [c.dataset.cell, Number(c.textContent.replace(/,/g, ''))])),
  );
}

async function runIds(page) {
  return page.getByTestId('run-row').evaluateAll((rows) => rows.map((r) => r.dataset.runId));
}

test('cross-validated training on the real data: progress, metrics in range, report, ROC, save', async () => {
  const { page } = app;
  await page.getByTestId('nav-train').click();
  assert.equal(await page.getByTestId('train-target').inputValue(), 'Churn');
  assert.equal(await page.locator('[data-testid="train-feature"][data-column="customerID"]').getAttribute('data-excluded-reason'), 'an identifier (7,043 distinct of 7,043)');
  assert.deepEqual(await page.getByTestId('data-check-item').evaluateAll((i) => i.map((x) => x.dataset.kind)), ['identifier', 'missing', 'balance']);
  assert.equal(await page.locator('[data-testid="train-feature"][data-column="customerID"]').isChecked(), false);
  assert.equal(await page.getByTestId('train-feature').evaluateAll((f) => f.filter((x) => x.checked).length), 19);
  await page.getByTestId('train-mode').selectOption('cv');
  await page.getByTestId('train-folds').fill('5');
  await page.getByTestId('train-seed').fill('42');
  // Three cores: the five folds are shared out unevenly (2, 2 and 1) over three workers.
  await page.evaluate(() => Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { configurable: true, get: () => 3 }));
  await page.getByTestId('train-start').click();
  await page.getByTestId('train-progress').waitFor();
  // The page stays responsive while the workers train.
  assert.equal(await page.evaluate(() => 1 + 1), 2);
  await waitTrained(page);
  const m = await metrics(page);
  // The same run on one thread (one worker, no folds shared out): the same C and the same figures, to the last bit.
  const oneThread = await page.evaluate(() => window.churnlab.train(JSON.stringify({ mode: 'cv', folds: 5, seed: 42 })));
  const inWorkers = await page.evaluate(() => window.churnlab.trainInWorkers(JSON.stringify({ mode: 'cv', folds: 5, seed: 42 })));
  assert.equal(inWorkers.workers, 3);
  assert.deepEqual([m.test_accuracy, m.auc], [oneThread.testAccuracy, oneThread.auc]);
  assert.deepEqual([inWorkers.c, inWorkers.testAccuracy, inWorkers.auc], [oneThread.c, oneThread.testAccuracy, oneThread.auc]);
  assert.ok(m.test_accuracy > 0.78 && m.test_accuracy < 0.83, `test accuracy ${m.test_accuracy}`);
  assert.ok(m.auc > 0.82 && m.auc < 0.86, `AUC ${m.auc}`);
  assert.ok(m.train_accuracy > 0.79 && m.log_loss > 0.3 && m.log_loss < 0.5 && m.f1 > 0.5, JSON.stringify(m));
  assert.match(await page.getByTestId('train-summary').textContent(), /11 rows with missing values left out.*chosen by 5-fold cross-validation over 10 values/);
  await page.getByTestId('cv-curve').waitFor();

  // The confusion matrix covers the test rows and follows the threshold.
  const at50 = await confusion(page);
  assert.equal(at50.tn + at50.fp + at50.fn + at50.tp, 1758, 'a quarter of the 7,032 complete rows');
  await page.getByTestId('train-threshold').fill('0.3');
  const at30 = await confusion(page);
  assert.ok(at30.tp > at50.tp && at30.fp > at50.fp, 'a lower threshold predicts more churn');
  assert.equal(await page.getByTestId('classification-report').locator('tr[data-row]').count(), 5);

  const roc = page.getByTestId('roc-canvas');
  const inked = await roc.evaluate((c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && data[i] < 200) n++;
    return n;
  });
  assert.ok(inked > 500, `ROC ink ${inked}`);

  await page.getByTestId('model-name-input').fill('Churn Model API Endpoint');
  await page.getByTestId('save-model').click();
  assert.match(await page.getByTestId('save-model-done').textContent(), /Churn Model API Endpoint/);
  await page.waitForFunction(() => window.churnlab.savesPending() === 0);
  assert.deepEqual(app.errors, []);
});

test('bad settings say what is wrong before training starts', async () => {
  const { page } = app;
  await page.getByTestId('nav-train').click();
  await page.getByTestId('train-mode').selectOption('plain');
  // A number field with text it cannot take says so under it, and the
  // button says why it is off; the setting is not silently kept.
  for (const [id, text, message] of [
    ['train-c', '0', '0 is out of range. C takes a number above 0.'],
    ['train-max-iter', 'abc', '"abc" is not a number. Max iterations takes a whole number, 1 or more.'],
    ['train-seed', '4.5', '4.5 is not a whole number. Seed takes a whole number, 0 or more.'],
    ['train-test-share', '95', '95 is out of range. Test share takes a number from 5 to 90.'],
  ]) {
    const before = await page.getByTestId(id).inputValue();
    await page.getByTestId(id).fill(text);
    assert.equal(await page.getByTestId(`${id}-error`).textContent(), message);
    assert.equal(await page.getByTestId(id).getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByTestId(id).inputValue(), text, 'what was typed stays on screen');
    assert.equal(await page.getByTestId('train-start').isDisabled(), true);
    assert.equal(await page.getByTestId('train-blocked').textContent(), `Train is off until this is mended: ${message}`);
    await page.getByTestId(id).fill(before);
    await page.getByTestId(id).press('Tab');
    assert.equal(await page.getByTestId(`${id}-error`).textContent(), '');
    assert.equal(await page.getByTestId('train-blocked').count(), 0);
  }
  assert.equal(await page.getByTestId('train-start').isDisabled(), false);
  await page.getByTestId('train-mode').selectOption('cv');
  // A list of numbers says which value it cannot take, as it is typed.
  await page.getByTestId('train-grid').fill('0.1, ten, 10');
  const gridMessage = '"ten" is not a number. Grid of C takes a number above 0.';
  assert.equal(await page.getByTestId('train-grid-error').textContent(), gridMessage);
  assert.equal(await page.getByTestId('train-grid').inputValue(), '0.1, ten, 10', 'what was typed stays on screen');
  assert.equal(await page.getByTestId('train-start').isDisabled(), true);
  assert.equal(await page.getByTestId('train-blocked').textContent(), `Train is off until this is mended: ${gridMessage}`);
  await page.getByTestId('train-grid').fill('0.1, 1, 10');
  assert.equal(await page.getByTestId('train-grid-error').textContent(), '');
  assert.equal(await page.getByTestId('train-start').isDisabled(), false);
  // So do the Experiments page's lists, and its Launch says why it is off.
  await page.getByTestId('nav-experiments').click();
  await page.getByTestId('grid-max-iter').fill('10, 0');
  assert.equal(await page.getByTestId('grid-max-iter-error').textContent(), '0 is out of range. max_iter takes a whole number, 1 or more.');
  assert.equal(await page.getByTestId('grid-start').isDisabled(), true);
  assert.match(await page.getByTestId('grid-blocked').textContent(), /^Launch is off until this is mended: 0 is out of range/);
  await page.getByTestId('grid-max-iter').fill('10, 50, 100');
  assert.equal(await page.getByTestId('grid-blocked').count(), 0);
  assert.equal(await page.getByTestId('grid-start').isDisabled(), false);
});

test('cancel stops a long training at once and records nothing', async () => {
  const { page } = app;
  await page.getByTestId('nav-experiments').click();
  const before = (await runIds(page)).length;
  await page.getByTestId('nav-train').click();
  await page.getByTestId('train-mode').selectOption('cv');
  await page.getByTestId('train-folds').fill('10');
  await page.getByTestId('train-folds').press('Tab');
  await page.getByTestId('train-grid').fill(Array.from({ length: 30 }, (_, i) => (10 ** (-4 + i / 4)).toExponential(2)).join(', '));
  await page.getByTestId('train-grid').press('Tab');
  await page.getByTestId('train-start').click();
  await page.getByTestId('train-progress').waitFor();
  await page.getByTestId('train-cancel').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="train-progress"]'));
  assert.equal(await page.getByTestId('train-error').count(), 0);
  await page.getByTestId('nav-experiments').click();
  assert.equal((await runIds(page)).length, before);
  assert.deepEqual(app.errors, []);
});

test('a 3×3 grid of runs, then two runs compared side by side', async () => {
  const { page } = app;
  await page.getByTestId('nav-experiments').click();
  const before = await runIds(page);
  await page.getByTestId('grid-mode').selectOption('plain');
  await page.getByTestId('grid-max-iter').fill('10, 50, 100');
  await page.getByTestId('grid-c').fill('0.01, 1, 100');
  assert.equal(await page.getByTestId('grid-start').textContent(), 'Launch 9 runs');
  await page.getByTestId('grid-start').click();
  await page.getByTestId('train-progress').waitFor();
  await page.waitForFunction((n) => !document.querySelector('[data-testid="train-progress"]') && document.querySelectorAll('[data-testid="run-row"]').length === n, before.length + 9, { timeout: 180_000 });
  const added = (await runIds(page)).filter((id) => !before.includes(id));
  assert.equal(added.length, 9);

  // Filter, then sort by test accuracy.
  await page.getByTestId('runs-filter').fill('max_iter 10');
  assert.ok((await page.getByTestId('run-row').count()) >= 3);
  await page.getByTestId('runs-filter').fill('');
  const sortAcc = page.locator('th:has(button.sort:text-is("test acc.")) button');
  await sortAcc.click();
  const acc = await page.locator('[data-testid="run-row"] td[data-metric="test_accuracy"]').evaluateAll((c) => c.map((x) => Number(x.textContent)));
  assert.deepEqual(acc, [...acc].sort((a, b) => b - a), 'descending test accuracy');

  // Compare two runs that differ in C and max_iter.
  const row = (id) => page.locator(`[data-testid="run-row"][data-run-id="${id}"]`);
  await row(added[0]).getByTestId('run-select').check();
  await row(added[8]).getByTestId('run-select').check();
  const compare = page.getByTestId('runs-compare');
  await compare.waitFor();
  const all = await compare.getByTestId('compare-row').count();
  await compare.getByTestId('compare-diff-only').check();
  const diffs = await compare.getByTestId('compare-row').evaluateAll((r) => r.map((x) => x.dataset.param));
  assert.ok(diffs.length < all, 'only the differences');
  assert.ok(diffs.includes('C') && diffs.includes('max_iter'), diffs.join(','));
  assert.ok(!diffs.includes('dataset') && !diffs.includes('features'));
  assert.equal(await compare.getByTestId('chart-datum').count(), 2);

  // Export, reload: the runs persist.
  const download = page.waitForEvent('download');
  await page.getByTestId('runs-export-csv').click();
  const csv = fs.readFileSync(await (await download).path(), 'utf8').trim().split('\n');
  assert.match(csv[0], /^id,started,duration_ms,dataset,.*,train_accuracy,test_accuracy,auc,log_loss,f1$/);
  assert.equal(csv.length, 3, 'the two selected runs');
  await page.waitForFunction(() => window.churnlab.savesPending() === 0);
  await page.reload();
  await waitIdle(page);
  await page.getByTestId('run-row').first().waitFor();
  const afterReload = await runIds(page);
  for (const id of added) assert.ok(afterReload.includes(id), `run ${id} persists`);
  // Delete two.
  await row(added[0]).getByTestId('run-select').check();
  await row(added[1]).getByTestId('run-select').check();
  await page.getByTestId('runs-delete').click();
  assert.equal((await runIds(page)).length, afterReload.length - 2);
  assert.deepEqual(app.errors, []);
});
