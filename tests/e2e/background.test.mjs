// Background jobs never cancel each other. Training, a simulation and a
// parallel file load each have workers of their own: every pair runs at
// once, and a Cancel of either stops that job only while the other ends as
// it should; the workers across jobs stay within the cores (one per job at
// least). A second job of a kind already running is refused, saying so. A
// worker that dies mid-job fails its job with a message, never hangs, and
// is replaced. Batch scoring runs on the page's thread, beside any of them.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp, saveAndDeploy, sharedData, startOnRealData, trainPlain, waitIdle, waitTrained } from './browser.mjs';

let app;
let bigFile;

before(async () => {
  // 120 copies of the real file (about 112 MB, 845,160 rows): a load that
  // takes seconds while another job holds the cores.
  const real = fs.readFileSync(sharedData, 'utf8').replace(/\r\n/g, '\n');
  const [header, ...rows] = real.trimEnd().split('\n');
  bigFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'churnlab-jobs-')), 'big.csv');
  const out = fs.openSync(bigFile, 'w');
  fs.writeSync(out, header + '\n');
  for (let i = 0; i < 120; i++) fs.writeSync(out, rows.join('\n') + '\n');
  fs.closeSync(out);
  app = await openApp();
  await startOnRealData(app.page, app.url);
  await trainPlain(app.page);
  await saveAndDeploy(app.page);
});
after(async () => {
  await app?.close();
  fs.rmSync(path.dirname(bigFile), { recursive: true, force: true });
});
beforeEach(() => {
  app.errors.length = 0;
});

const shown = (page, testid) => page.waitForFunction((id) => !!document.querySelector(`[data-testid="${id}"]`), testid, { timeout: 60_000 });
const gone = (page, testid, timeout = 180_000) => page.waitForFunction((id) => !document.querySelector(`[data-testid="${id}"]`), testid, { timeout });

/** Workers alive now, and whether they fit: a job takes only the cores
 * the others leave, and at least one worker, so at most one per core plus
 * one for each further job running. */
async function bounded(page) {
  const { workers, cores } = await page.evaluate(() => ({ workers: window.churnlab.workers(), cores: navigator.hardwareConcurrency }));
  const total = workers.reduce((n, w) => n + w.workers, 0);
  const busy = workers.filter((w) => w.busy).length;
  assert.ok(total <= cores + Math.max(busy - 1, 0), `${total} workers on ${cores} cores for ${busy} jobs: ${JSON.stringify(workers)}`);
  return workers;
}

/** A cross-validated training started on the Train page: long enough to cancel, or to finish. */
async function startLongTraining(page, { toCancel = true } = {}) {
  // Cross-validation runs at scikit-learn's speed now: a training to be
  // cancelled is 20 folds × 400 values of C (8,000 fits, far longer than a
  // test waits), one to finish 10 folds × 30 values.
  const [folds, values] = toCancel ? [20, 400] : [10, 30];
  await page.getByTestId('nav-train').click();
  await page.getByTestId('train-mode').selectOption('cv');
  await page.getByTestId('train-folds').fill(String(folds));
  await page.getByTestId('train-folds').press('Tab');
  await page.getByTestId('train-grid').fill(Array.from({ length: values }, (_, i) => (10 ** (-4 + (8 * i) / (values - 1))).toExponential(3)).join(', '));
  await page.getByTestId('train-grid').press('Tab');
  await page.getByTestId('train-start').click();
  await shown(page, 'train-progress');
}

/** A simulation started on the Operations page: 200,000 predict calls (far
 * longer than a test waits) when it is to be cancelled, else the lab's 1,000. */
async function startLongSimulation(page, { toCancel = true } = {}) {
  await page.getByTestId('nav-operations').click();
  await page.getByTestId('sim-calls').fill(toCancel ? '200000' : '1000');
  await page.getByTestId('sim-calls').press('Tab');
  await page.getByTestId('sim-block-size').fill(toCancel ? '2000' : '100');
  await page.getByTestId('sim-block-size').press('Tab');
  await page.getByTestId('sim-start').click();
  await shown(page, 'sim-progress');
}

/** The large file, picked on the data page. */
async function startLoad(page) {
  await page.getByTestId('nav-data').click();
  await page.getByTestId('file-input').setInputFiles(bigFile);
  await shown(page, 'load-progress');
}

const simulations = async (page) => {
  await page.getByTestId('nav-operations').click();
  await page.getByTestId('sim-start').waitFor();
  return page.getByTestId('sim-item').count();
};
const runCount = async (page) => {
  await page.getByTestId('nav-experiments').click();
  await page.getByTestId('runs-filter').waitFor();
  return page.getByTestId('run-row').count();
};
const datasetName = (page) => page.getByTestId('dataset-name').textContent();

/** Each job of the pair: how to start it, cancel it, and see it ended well. */
const JOBS = {
  training: {
    start: startLongTraining,
    async cancel(page) {
      await page.getByTestId('nav-train').click();
      await page.getByTestId('train-cancel').click();
      await gone(page, 'train-progress', 10_000);
      assert.equal(await page.getByTestId('train-error').count(), 0, 'a cancelled training says nothing went wrong');
    },
    before: runCount,
    async finished(page, before) {
      await page.getByTestId('nav-train').click();
      await gone(page, 'train-progress');
      await waitTrained(page);
      assert.equal(await page.getByTestId('train-error').count(), 0);
      assert.equal(await runCount(page), before + 1, 'the training ended and was recorded');
    },
  },
  simulation: {
    start: startLongSimulation,
    async cancel(page) {
      await page.getByTestId('nav-operations').click();
      await page.getByTestId('sim-cancel').click();
      await gone(page, 'sim-progress', 10_000);
      assert.equal(await page.getByTestId('sim-error').textContent(), 'Cancelled: nothing was saved.');
    },
    before: simulations,
    async finished(page, before) {
      await page.getByTestId('nav-operations').click();
      await gone(page, 'sim-progress');
      assert.equal(await page.getByTestId('sim-error').count(), 0, 'the simulation was not stopped by the other job');
      assert.equal(await page.getByTestId('sim-item').count(), before + 1, 'the simulation ended and was kept');
    },
  },
  loading: {
    start: startLoad,
    async cancel(page) {
      await page.getByTestId('load-cancel').click();
      await gone(page, 'load-progress', 10_000);
      assert.equal(await datasetName(page), 'telco-churn', 'a cancelled load leaves the data as it was');
    },
    before: datasetName,
    async finished(page) {
      await waitIdle(page, 0, 300_000);
      assert.equal(await datasetName(page), 'big', 'the file loaded');
      assert.equal(await page.getByTestId('row-count').textContent(), '845,160');
    },
  },
};

/** No job running, and the real file as the active data, for the next test. */
async function reset(page) {
  for (const [nav, cancel, progress] of [['nav-train', 'train-cancel', 'train-progress'], ['nav-operations', 'sim-cancel', 'sim-progress'], ['nav-data', 'load-cancel', 'load-progress']]) {
    await page.getByTestId(nav).click();
    if (await page.getByTestId(cancel).count()) await page.getByTestId(cancel).click();
    await gone(page, progress, 10_000);
  }
  await page.getByTestId('nav-data').click();
  await waitIdle(page);
  if ((await datasetName(page)) !== 'telco-churn') {
    await page.getByTestId('dataset-base').waitFor();
    await startOnRealData(page, app.url);
  }
}

for (const [first, second] of [['simulation', 'training'], ['training', 'simulation'], ['training', 'loading'], ['loading', 'training'], ['simulation', 'loading'], ['loading', 'simulation']]) {
  test(`${first} and ${second} at once: cancelling the ${first} leaves the ${second} to end`, async () => {
    const { page } = app;
    await reset(page);
    const [a, b] = [JOBS[first], JOBS[second]];
    const before = await b.before(page);
    // A load starts second (it is the quickest), the other beside it.
    const order = first === 'loading' ? [b, a] : [a, b];
    await order[0].start(page, { toCancel: order[0] === a });
    await order[1].start(page, { toCancel: order[1] === a });
    const workers = await bounded(page);
    assert.ok(workers.filter((w) => w.busy).length >= 1);
    await a.cancel(page);
    await bounded(page);
    await b.finished(page, before);
    assert.deepEqual(app.errors, []);
  });
}

test('a second training while one runs is refused, saying so; a simulation is too', async () => {
  const { page } = app;
  await reset(page);
  await startLongTraining(page);
  assert.equal(await page.getByTestId('train-start').isDisabled(), true);
  assert.match(await page.getByTestId('train-one-at-a-time').textContent(), /One training at a time/);
  await page.getByTestId('nav-experiments').click();
  assert.match(await page.getByTestId('train-one-at-a-time').textContent(), /One training at a time/);
  await JOBS.training.cancel(page);
  await startLongSimulation(page);
  assert.equal(await page.getByTestId('sim-start').isDisabled(), true);
  assert.match(await page.getByTestId('sim-one-at-a-time').textContent(), /One job at a time on this page/);
  await JOBS.simulation.cancel(page);
  assert.deepEqual(app.errors, []);
});

test('a worker that dies mid-job fails its job with a message, and is replaced', async () => {
  const { page } = app;
  await reset(page);
  await trainPlain(page);
  // The training's worker, idle between jobs: it will die on its next request.
  let worker = null;
  for (const w of page.workers()) {
    const name = await w.evaluate(() => self.name).catch(() => '');
    if (name.startsWith('churnlab-training-')) worker = w;
  }
  assert.ok(worker, 'the training worker is there');
  await worker.evaluate(() => {
    const serve = self.onmessage;
    self.onmessage = (event) => {
      if (event.data.kind !== 'train') return serve(event);
      // It stops answering, then fails as a crashed worker does.
      self.onmessage = null;
      setTimeout(() => {
        throw new Error('killed by the test');
      }, 0);
    };
  });
  await page.getByTestId('train-start').click();
  const error = page.getByTestId('train-error');
  await error.waitFor({ timeout: 30_000 });
  assert.match(await error.textContent(), /the training worker stopped unexpectedly \(.*killed by the test\); it will be replaced: try again/);
  await gone(page, 'train-progress', 10_000);
  // Replaced: the next training runs.
  await page.getByTestId('train-start').click();
  await shown(page, 'train-progress');
  await gone(page, 'train-progress');
  await waitTrained(page);
  assert.equal(await page.getByTestId('train-error').count(), 0);
  assert.deepEqual(app.errors, []);
});

test('batch scoring runs on the page beside a training', async () => {
  const { page } = app;
  await reset(page);
  const before = await runCount(page);
  await startLongTraining(page, { toCancel: false });
  await page.getByTestId('nav-deploy').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('batch-score').click()]);
  assert.match(download.suggestedFilename(), /-scores\.csv$/);
  assert.match(await page.getByTestId('batch-done').textContent(), /^Scored 7,043 rows/);
  await JOBS.training.finished(page, before);
  assert.deepEqual(app.errors, []);
});
