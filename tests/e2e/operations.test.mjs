// The workshop's model-operations lab in real Chromium: traffic to the
// deployed model with delayed, corrupted labels; a feature drift caught by
// its PSI; retraining a challenger and promoting it; the simulations kept
// across a reload; bad settings named; and the lab's metrics API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { openApp, saveAndDeploy, startOnRealData, trainPlain, waitIdle } from './browser.mjs';

let app;

before(async () => {
  app = await openApp();
  await startOnRealData(app.page, app.url);
});
after(async () => {
  await app.close();
});

async function blockRows(page) {
  return page.getByTestId('block-row').evaluateAll((rows) => rows.map((r) => ({ block: Number(r.dataset.block), accuracy: r.dataset.accuracy === '' ? null : Number(r.dataset.accuracy), estimated: Number(r.dataset.estimated) })));
}

async function setField(page, id, value) {
  await page.getByTestId(id).fill(String(value));
  await page.getByTestId(id).dispatchEvent('change');
}

/** Moves the "known as of call" slider. */
async function knownAsOf(page, call) {
  await page.getByTestId('sim-as-of').evaluate((el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, call);
}

async function simulate(page, count) {
  await page.getByTestId('sim-start').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="sim-progress"], [data-testid="sim-error"]') || document.querySelector('[data-testid="sim-start"]:not([disabled])'));
  if (await page.getByTestId('sim-error').count()) throw new Error(await page.getByTestId('sim-error').textContent());
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="sim-item"]').length === n && !document.querySelector('[data-testid="sim-progress"]'), count, { timeout: 120_000 });
  // The result is drawn in steps: the answer key comes last.
  await page.getByTestId('answer-key').waitFor();
}

test('without a deployed model the page says so; bad settings are named and nothing is saved', async () => {
  const { page } = app;
  await page.getByTestId('nav-operations').click();
  assert.match(await page.getByTestId('ops-not-ready').textContent(), /No model is deployed/);
  assert.equal(await page.getByTestId('ops-not-ready').locator('a').getAttribute('href'), '#/deploy');
  await trainPlain(page);
  await saveAndDeploy(page);
  await page.getByTestId('nav-operations').click();
  await page.getByTestId('sim-start').waitFor();
  assert.equal(await page.getByTestId('ops-not-ready').count(), 0);
  // Text a number field cannot take: said under the field, and the run
  // button says why it is off.
  for (const [id, value, message] of [
    ['sim-calls', '0', '0 is out of range. Number of calls takes a whole number from 1 to 1000000.'],
    ['sim-seed', 'abc', '"abc" is not a number. Seed takes a whole number, 0 or more.'],
  ]) {
    const before = await page.getByTestId(id).inputValue();
    await setField(page, id, value);
    assert.equal(await page.getByTestId(`${id}-error`).textContent(), message);
    assert.equal(await page.getByTestId('sim-start').isDisabled(), true);
    assert.equal(await page.getByTestId('sim-blocked').textContent(), `The simulation is off until this is mended: ${message}`);
    await setField(page, id, before);
    assert.equal(await page.getByTestId('sim-start').isDisabled(), false);
  }
  // Numbers that only the whole settings rule out: named when it starts.
  await setField(page, 'sim-block-size', '5000');
  await page.getByTestId('sim-start').click();
  assert.match(await page.getByTestId('sim-error').textContent(), /^Block size: give a number from 1 to the number of calls \(1000\)/);
  await setField(page, 'sim-block-size', '100');
  assert.equal(await page.getByTestId('sim-item').count(), 0);
  assert.deepEqual(app.errors, []);
});

test("the lab's run: 1,000 calls, labels corrupted more and more, accuracy per block falls below 0.3", async () => {
  const { page } = app;
  const model = JSON.parse(await page.evaluate(() => window.churnlab.deployedModel()));
  assert.equal(await page.getByTestId('sim-scenario').inputValue(), 'label-corruption');
  await simulate(page, 1);
  const rows = await blockRows(page);
  assert.equal(rows.length, 10);
  assert.ok(Math.abs(rows[0].accuracy - model.metrics.test_accuracy) < 0.1, `first block ${rows[0].accuracy} vs test accuracy ${model.metrics.test_accuracy}`);
  assert.ok(rows[9].accuracy < 0.3, `last block ${rows[9].accuracy}`);
  // The estimate cannot see labels: it stays near the reference.
  assert.ok(rows.every((r) => Math.abs(r.estimated - model.metrics.test_accuracy) < 0.1), JSON.stringify(rows));
  const charts = await page.getByTestId('ops-chart').evaluateAll((c) => c.map((x) => x.dataset.chart));
  assert.deepEqual(charts.sort(), ['accuracy', 'drift', 'estimated', 'latency', 'probability']);
  // The chart's data table summarises the 1,000 calls (every 20th, and the last).
  const perCall = await page.locator('[data-chart="probability"] [data-testid="chart-datum"]').evaluateAll((d) => d.map((x) => x.dataset.label));
  assert.equal(perCall.length, 51);
  assert.equal(perCall.at(-1), '1000');
  const key = page.getByTestId('answer-key');
  assert.equal(await key.locator('[data-signal="realised accuracy"]').getAttribute('data-caught'), 'true');
  assert.equal(await key.locator('[data-signal="estimated accuracy"]').getAttribute('data-caught'), 'false');
  // Before the labels arrive, realised accuracy is not known; the estimate is.
  await knownAsOf(page, 450);
  const early = await blockRows(page);
  assert.equal(early.length, 5);
  assert.equal(early[4].accuracy, null);
  assert.ok(early[2].accuracy !== null && early[4].estimated > 0);
  await knownAsOf(page, 1100);
  // The prediction log exports as CSV, one line per call.
  const download = page.waitForEvent('download');
  await page.getByTestId('sim-export-log').click();
  const csv = fs.readFileSync(await (await download).path(), 'utf8').trim().split('\n');
  assert.equal(csv.length, 1001);
  assert.match(csv[0], /^prediction_id,timestamp_ms,probability,predicted,processing_ms,true_label,final_label/);
  // The same settings and seed give the same metrics.
  await simulate(page, 2);
  assert.deepEqual(await blockRows(page), rows);
  assert.deepEqual(app.errors, []);
});

test('an alert rule whose threshold is not a number says so, and the rules are not applied', async () => {
  const { page } = app;
  const threshold = page.getByTestId('rule-threshold').first();
  const before = await threshold.inputValue();
  await threshold.fill('0,2');
  assert.equal(await page.getByTestId('rule-threshold-error').first().textContent(), '"0,2" is not a number. Threshold takes a number.');
  assert.equal(await page.getByTestId('rules-apply').isDisabled(), true);
  assert.match(await page.getByTestId('rules-blocked').textContent(), /^The rules cannot be applied until this is mended: "0,2" is not a number/);
  await page.getByTestId('rule-consecutive').first().fill('30');
  assert.match(await page.getByTestId('rules-blocked').textContent(), /\(1 more field to mend\.\)$/);
  await page.getByTestId('rule-consecutive').first().fill('2');
  await threshold.fill(before);
  await threshold.press('Tab');
  assert.equal(await page.getByTestId('rules-blocked').count(), 0);
  assert.deepEqual(app.errors, []);
});

test('a feature drift raises a PSI alert on the drifted feature within 2 blocks of its start', async () => {
  const { page } = app;
  await page.getByTestId('sim-scenario').selectOption('feature-drift');
  await setField(page, 'sim-scenario-start', 4);
  assert.equal(await page.getByTestId('sim-drift-feature').inputValue(), 'tenure');
  assert.equal(await page.getByTestId('sim-drift-toward').inputValue(), 'lower');
  await simulate(page, 3);
  const alerts = await page.locator('[data-testid="alert-item"][data-metric="feature-psi"][data-feature="tenure"]').evaluateAll((a) => a.map((x) => Number(x.dataset.block)));
  assert.ok(alerts.length > 0 && alerts[0] >= 4 && alerts[0] <= 6, `tenure PSI alerts in blocks ${alerts}`);
  const psi = await page.locator('[data-testid="drift-cell"][data-feature="tenure"]').evaluateAll((c) => c.map((x) => Number(x.dataset.psi)));
  assert.equal(psi.length, 10);
  assert.ok(psi[5] > 0.25, `tenure PSI ${psi}`);
  const key = page.getByTestId('answer-key');
  assert.equal(await key.getAttribute('data-scenario'), 'feature-drift');
  assert.equal(await key.locator('[data-signal="drift of tenure"]').getAttribute('data-caught'), 'true');
  assert.ok(Number(await key.locator('[data-signal="drift of tenure"]').getAttribute('data-delay')) <= 2);
});

test('retrain a challenger, compare it on the same calls, promote it; everything is kept across a reload', async () => {
  const { page } = app;
  await setField(page, 'retrain-up-to', 5);
  await page.getByTestId('retrain').click();
  await page.getByTestId('challenger-row').first().waitFor({ timeout: 120_000 });
  const rows = await page.getByTestId('challenger-row').evaluateAll((r) => r.map((x) => [Number(x.dataset.champion), Number(x.dataset.challenger)]));
  assert.equal(rows.length, 10);
  assert.ok(rows.every(([a, b]) => a > 0 && b > 0));
  assert.match(await page.getByTestId('challenger-summary').textContent(), /McNemar's exact test gives p = /);
  await page.getByTestId('promote').click();
  await page.waitForFunction(() => window.churnlab.savesPending() === 0);
  await page.getByTestId('nav-deploy').click();
  // The page changes on the hash change, a task after the click.
  await page.getByTestId('model-item').nth(1).waitFor();
  const versions = await page.getByTestId('model-item').evaluateAll((i) => i.map((x) => [x.dataset.version, !!x.querySelector('[data-testid="deployed-badge"]')]));
  assert.deepEqual(versions, [['2', true], ['1', false]]);
  assert.match(await page.locator('[data-testid="model-item"][data-version="1"] [data-testid="model-served"]').textContent(), /^Served 3,000 calls in 3 simulations/);
  assert.match(await page.locator('[data-testid="model-item"][data-version="2"] [data-testid="model-served"]').textContent(), /challenger in 1/);

  await page.reload();
  await waitIdle(page);
  await page.getByTestId('nav-operations').click();
  await page.getByTestId('sim-item').nth(2).waitFor();
  await page.getByTestId('sim-item').nth(2).getByTestId('sim-open').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="block-row"]').length === 10 && document.querySelector('[data-testid="answer-key"]'));
  assert.ok((await blockRows(page))[9].accuracy < 0.3, 'the first run, opened again');
  assert.deepEqual(app.errors, []);
});

test("the lab's metrics API: explain gives an id, labels and aggregates are tracked and read back", async () => {
  const { page } = app;
  const out = await page.evaluate(async () => {
    const api = window.churnlab;
    const start = Date.now();
    const r = await api.explain({ tenure: 2, Contract: 'Month-to-month' });
    await api.trackDelayedMetrics(r.predictionId, { final_label: 'Yes' });
    await api.trackAggregateMetrics({ accuracy: 1 }, start, Date.now());
    const unknown = await api.trackDelayedMetrics('not-an-id', { final_label: 'Yes' }).then(() => null, (e) => e.message);
    const badLabel = await api.trackDelayedMetrics(r.predictionId, { final_label: 'Maybe' }).then(() => null, (e) => e.message);
    const read = await api.readMetrics({ startMs: start, endMs: Date.now() });
    return { id: r.predictionId, unknown, badLabel, read };
  });
  assert.match(out.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.match(out.unknown, /unknown prediction id "not-an-id"/);
  assert.match(out.badLabel, /final_label "Maybe" is not one of the model's classes \("No" or "Yes"\)/);
  const records = out.read.metrics;
  assert.equal(records.length, 2);
  assert.equal(records[0].predictionUuid, out.id);
  assert.equal(records[0].metrics.final_label, 'Yes');
  assert.equal(records[1].metrics.accuracy, 1);
});
