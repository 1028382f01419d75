// Jobs in real Chromium, as a learner makes them: steps written as text and
// refused line by line; a two-job pipeline (reload the data and keep the
// seniors, then score them) started by Run, the second job starting by
// itself; a job with a bad address failing at that step with its dependant
// never run; a cancelled run leaving the other job running; a schedule of
// every minute firing while the page is open; the jobs and their history
// kept across a reload and listed on the Overview.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gotoApp, openApp, settled } from './browser.mjs';

let app;

before(async () => {
  app = await openApp();
  await gotoApp(app.page, app.url);
});
after(async () => {
  await app.close();
});

async function newJob(page, name, text, { trigger, after, every } = {}) {
  await page.getByTestId('job-new').click();
  await page.getByTestId('job-name').fill(name);
  await page.getByTestId('job-text').fill(text);
  if (trigger) await page.getByTestId('job-trigger').selectOption(trigger);
  if (after) await page.getByTestId('job-depends-on').selectOption(after);
  if (every) {
    await page.getByTestId('job-every').fill(String(every));
    await page.getByTestId('job-every').dispatchEvent('change');
  }
  await page.getByTestId('job-save').click();
  await page.getByTestId('job-editor').waitFor({ state: 'detached' });
}

const run = (page, name) => page.locator(`[data-testid="job-item"][data-job="${name}"] [data-testid="job-run"]`).click();
const rows = (page, name) => page.locator(`[data-testid="job-run-row"][data-job="${name}"]`);
const waitStatus = (page, name, status, timeout = 120_000) =>
  page.waitForFunction(
    ([name, status]) => [...document.querySelectorAll(`[data-testid="job-run-row"][data-job="${name}"]`)].some((r) => r.dataset.status === status),
    [name, status],
    { timeout },
  );
const row = (page, name, status) => page.locator(`[data-testid="job-run-row"][data-job="${name}"][data-status="${status}"]`).first();

test('jobs: a pipeline by Run, a failure that stops its dependant, a cancel that spares the other job, a schedule, kept and listed', async () => {
  const { page } = app;
  await page.getByTestId('nav-jobs').click();
  await settled(page, 'jobs');

  // Steps as text, refused line by line with the reason; Save says why it is off.
  await page.getByTestId('job-new').click();
  await page.getByTestId('job-name').fill('broken');
  await page.getByTestId('job-text').fill('do: open-data\nrm -rf /\ndo: save-dataset name=x');
  const errors = await page.getByTestId('job-text-error').allTextContents();
  assert.deepEqual(errors, [
    'line 2: "rm -rf /" is not a step: write each step as do: <action> (or # for a note)',
    'line 3: save-dataset keeps the result of a sql step: put a do: sql line above it',
  ]);
  assert.equal(await page.getByTestId('job-save').isDisabled(), true);
  assert.match(await page.getByTestId('job-save-why').textContent(), /line 2/);
  // The form shows the same lines: mending one there mends the text.
  assert.equal(await page.getByTestId('job-step').count(), 2);
  await page.getByTestId('job-step-settings').nth(1).fill('name=x');
  await page.getByTestId('job-step-verb').nth(1).selectOption('rerun-dataset');
  await page.getByTestId('job-text').fill((await page.getByTestId('job-text').inputValue()).replace('rm -rf /\n', ''));
  assert.equal(await page.getByTestId('job-text').inputValue(), 'do: open-data\ndo: rerun-dataset name=x');
  assert.equal(await page.getByTestId('job-text-error').count(), 0);
  await page.getByTestId('job-cancel-edit').click();

  // A schedule of every minute, saved first so that it fires during the rest.
  await newJob(page, 'tick', 'do: sql SELECT COUNT(*) AS n FROM churn', { trigger: 'every', every: 1 });

  // A model to score with, made by a job.
  await newJob(page, 'model', 'do: train mode=plain\ndo: deploy name=churn-model');
  await run(page, 'model');
  await waitStatus(page, 'model', 'succeeded');
  assert.match(await row(page, 'model', 'succeeded').getByTestId('job-outputs').textContent(), /model churn-model version 1/);
  // Deployed only if better by a margin: a margin of 0.5 in AUC keeps version 1 deployed.
  await newJob(page, 'challenger', 'do: train mode=plain\ndo: deploy name=churn-model metric=auc margin=0.5');
  await run(page, 'challenger');
  await waitStatus(page, 'challenger', 'succeeded');
  const verdict = await row(page, 'challenger', 'succeeded').getByTestId('job-step-log').nth(1).textContent();
  assert.match(verdict, /saved churn-model version 2, not deployed: its auc 0\.\d{4} does not beat churn-model v1's 0\.\d{4} by 0\.5/);

  // The pipeline, written as text: reload and keep the seniors, then score them.
  await newJob(page, 'refresh', '# the seniors, from today\'s data\ndo: open-data\ndo: sql SELECT * FROM churn WHERE seniorcitizen = "1"\ndo: save-dataset name=senior');
  await newJob(page, 'score-seniors', 'do: score dataset=senior save=senior_scores', { trigger: 'after', after: 'refresh' });
  await run(page, 'refresh');
  await waitStatus(page, 'refresh', 'succeeded');
  await waitStatus(page, 'score-seniors', 'succeeded');
  const refreshLog = await row(page, 'refresh', 'succeeded').getByTestId('job-step-log').allTextContents();
  assert.equal(refreshLog.length, 3);
  assert.match(refreshLog[0], /^line 2: Opening the data: .*rows/);
  assert.match(refreshLog[1], /^line 3: Running the query: ([\d,]+) rows in/);
  assert.match(refreshLog[2], /^line 4: Saving the dataset senior: done/);
  const seniors = refreshLog[1].match(/: ([\d,]+) rows in/)[1];
  const scored = row(page, 'score-seniors', 'succeeded');
  assert.equal(await scored.locator('td').nth(1).textContent(), 'after refresh');
  const scoreLog = await scored.getByTestId('job-step-log').allTextContents();
  assert.equal(scoreLog.length, 1);
  assert.match(scoreLog[0], new RegExp(`^line 1: Scoring senior: ${seniors} rows scored with churn-model v1`));
  assert.match(await scored.getByTestId('job-outputs').textContent(), /dataset senior_scores/);

  // A bad address fails at that step with the message; its dependant never runs.
  await newJob(page, 'bad', 'do: open-data url=no-such-file.csv\ndo: rerun-dataset name=senior');
  await newJob(page, 'after-bad', 'do: rerun-dataset name=senior', { trigger: 'after', after: 'bad' });
  await run(page, 'bad');
  await waitStatus(page, 'bad', 'failed');
  const failure = await row(page, 'bad', 'failed').getByTestId('job-run-error').textContent();
  assert.equal(failure, 'line 1 (open-data): no-such-file.csv could not be loaded: no-such-file.csv answered HTTP 404 Not Found.');
  assert.equal(await row(page, 'bad', 'failed').getByTestId('job-step-log').count(), 1, 'it stopped at its first step');
  assert.equal(await rows(page, 'after-bad').count(), 0, 'the job after it did not run');

  // Two jobs at once: cancelling one leaves the other running to the end.
  await newJob(page, 'cv', 'do: train mode=cv');
  await newJob(page, 'traffic', 'do: simulate calls=100000');
  await run(page, 'cv');
  await run(page, 'traffic');
  await waitStatus(page, 'traffic', 'running');
  await row(page, 'traffic', 'running').getByTestId('job-run-cancel').click();
  await waitStatus(page, 'traffic', 'cancelled');
  assert.match(await row(page, 'traffic', 'cancelled').getByTestId('job-run-error').textContent(), /^cancelled/);
  await waitStatus(page, 'cv', 'succeeded');
  assert.match(await row(page, 'cv', 'succeeded').getByTestId('job-step-log').first().textContent(), /AUC 0\.\d+/);

  // The schedule fired while the page was open.
  await waitStatus(page, 'tick', 'succeeded', 90_000);
  assert.equal(await row(page, 'tick', 'succeeded').locator('td').nth(1).textContent(), 'every minute');

  // A second tab of the app leaves the clocks to this one, and says so.
  const other = await page.context().newPage();
  await gotoApp(other, app.url, '#/jobs');
  await other.getByTestId('jobs-clock-elsewhere').waitFor();
  assert.equal(await page.getByTestId('jobs-clock-elsewhere').count(), 0, 'this tab runs the schedules');
  await other.close();

  // Kept across a reload, and listed on the Overview with their last run.
  await page.waitForFunction(() => window.churnlab.savesPending() === 0);
  await page.reload();
  await page.getByTestId('nav-jobs').click();
  await settled(page, 'jobs');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="job-item"]').length === 9);
  await waitStatus(page, 'score-seniors', 'succeeded');
  await page.getByTestId('nav-overview').click();
  await settled(page, 'overview');
  const jobs = await page.locator('[data-testid="overview-item"][data-kind="job"]').allTextContents();
  assert.equal(jobs.length, 9);
  assert.ok(jobs.some((t) => /score-seniors.*after refresh succeeds; last run succeeded/.test(t)), jobs.join(' | '));
  assert.deepEqual(app.errors, []);
});
