// The lab panel: a learner works the whole workshop lab by hand, each step
// turning done when and only when its state is right; progress survives a
// reload and a step undone says so; the project's name and Reset project;
// the same lab again with "Do it for me" on every step; a teacher's lab from
// a same-origin address with its own data; a bad lab refused with its line;
// completion records exported and opened.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openAppWithFixtures, settled, saveQueryAsDataset, waitIdle, train, trainPlain } from './browser.mjs';

let app;

before(async () => {
  app = await openAppWithFixtures();
});
after(async () => {
  await app.close();
});

const stepState = (page, id) => page.locator(`[data-testid="lab-step"][data-step="${id}"]`).getAttribute('data-state');
const waitState = (page, id, state, timeout = 60_000) =>
  page.waitForFunction(([id, state]) => document.querySelector(`[data-testid="lab-step"][data-step="${id}"]`)?.dataset.state === state, [id, state], { timeout });
const todo = async (page, id) => assert.equal(await stepState(page, id), 'todo', `${id} is done before its work`);
const count = (page) => page.getByTestId('lab-count').textContent();

test('a learner works the whole workshop by hand: each step turns done when, and only when, its state is right', async () => {
  const { page } = app;
  await page.getByTestId('lab-open').click();
  const panel = page.getByTestId('lab-panel');
  await panel.waitFor();
  // Beside the page, not over it.
  const [main, aside] = [await page.locator('#main').boundingBox(), await panel.boundingBox()];
  assert.ok(aside.x >= main.x + main.width - 1, `panel at ${aside.x}, page ends at ${main.x + main.width}`);
  assert.equal(await page.getByTestId('lab-step').count(), 11);
  // The default data is there: the first step is done at once.
  await waitState(page, 'look-at-data', 'done');
  assert.equal(await count(page), '1 of 11 steps done');

  await page.locator('[data-testid="lab-step"][data-step="count-categories"]').click();
  await todo(page, 'count-categories');
  assert.deepEqual(await page.getByTestId('lab-check').evaluateAll((c) => c.map((x) => x.dataset.passed)), ['false']);
  assert.match(await page.getByTestId('lab-check').first().textContent(), /queries is empty; the step needs one with sql contains "COUNT\(DISTINCT"/);
  await page.getByTestId('lab-show-me').click();
  await page.waitForFunction(() => location.hash === '#/sql' && document.querySelector('[data-testid="sql-editor"]')?.classList.contains('lab-highlight'));
  // A different query does not count; the workshop's does.
  await page.getByTestId('sql-editor').fill('SELECT COUNT(*) FROM churn');
  await page.getByTestId('sql-run').click();
  // The query was recorded (the check now reads it) and still does not count.
  await page.waitForFunction(() => !/queries is empty/.test(document.querySelector('[data-testid="lab-check"]')?.textContent ?? 'queries is empty'));
  await todo(page, 'count-categories');
  await page.getByTestId('sql-editor').fill('SELECT COUNT(DISTINCT internetservice), COUNT(DISTINCT contract) FROM churn');
  await page.getByTestId('sql-run').click();
  await waitState(page, 'count-categories', 'done');

  await page.getByTestId('lab-next').click();
  assert.equal(await page.getByTestId('lab-current').getAttribute('data-step'), 'save-seniors');
  await saveQueryAsDataset(page, 'SELECT * FROM churn WHERE tenure > 60', 'loyal');
  await todo(page, 'save-seniors');
  await saveQueryAsDataset(page, 'SELECT * FROM churn WHERE seniorcitizen = "1"', 'senior');
  await waitState(page, 'save-seniors', 'done');

  // The field: cloned, a measure, an integer, in the seniors' dataset.
  await page.getByTestId('nav-data').click();
  await page.locator('[data-testid="dataset-item"]', { hasText: 'senior' }).getByTestId('dataset-open').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="dataset-name"]')?.textContent === 'senior');
  await page.locator('[data-testid="field-row"][data-field="Churn"]').getByTestId('field-clone').click();
  const copy = page.locator('[data-testid="field-row"][data-field="Copy of Churn"]');
  await copy.getByTestId('field-role').selectOption('measure');
  await todo(page, 'churn-as-measure');
  await copy.getByTestId('field-type').selectOption('integer');
  await waitState(page, 'churn-as-measure', 'done');

  // The dashboard: bars first, then horizontal bars.
  await page.getByTestId('nav-visuals').click();
  await page.getByTestId('new-dashboard').first().click();
  await page.getByTestId('add-visual').click();
  const builder = page.getByTestId('chart-builder');
  await builder.getByTestId('visual-dataset').selectOption('senior');
  for (const [field, shelf] of [['PaymentMethod', 'dimensions'], ['Record Count', 'measures']]) {
    await builder.locator(`[data-testid="field-pill"][data-field="${field}"] [data-testid="field-add"]`).selectOption(shelf);
  }
  await builder.locator('[data-testid="visual-type"][data-type="bar"]').click();
  await builder.getByTestId('visual-done').click();
  await page.getByTestId('dashboard-title').fill('Seniors by payment method');
  await page.getByTestId('save-dashboard').click();
  // Saved, with bars: the step waits for horizontal bars.
  await page.waitForFunction(() => document.querySelector('[data-testid="save-dashboard"]')?.textContent === 'Saved');
  await todo(page, 'dashboard');
  await page.locator('[data-testid="visual-edit"]').first().click();
  await builder.locator('[data-testid="visual-type"][data-type="hbar"]').click();
  await builder.getByTestId('visual-done').click();
  await page.getByTestId('save-dashboard').click();
  await waitState(page, 'dashboard', 'done');

  // Training on the whole data, with cross-validation; then one plain fit.
  await page.getByTestId('nav-data').click();
  await page.getByTestId('dataset-base').getByTestId('dataset-open').click();
  await page.getByTestId('nav-train').click();
  await page.getByTestId('train-mode').selectOption('cv');
  await todo(page, 'train');
  await train(page);
  await waitState(page, 'train', 'done');
  await todo(page, 'experiments');
  await trainPlain(page);
  await waitState(page, 'experiments', 'done');

  // Deployed, asked about the workshop's customer, sent traffic.
  await page.getByTestId('save-model').click();
  await page.getByTestId('save-model-done').waitFor();
  await todo(page, 'deploy');
  await page.getByTestId('nav-deploy').click();
  await page.getByTestId('deploy-model').first().click();
  await waitState(page, 'deploy', 'done');
  await todo(page, 'explain');
  await page.getByTestId('endpoint-test').click();
  await waitState(page, 'explain', 'done');
  await todo(page, 'operations');
  await page.getByTestId('nav-operations').click();
  await page.getByTestId('sim-start').click();
  await waitState(page, 'operations', 'done', 120_000);

  // Two jobs made on the Jobs page: the second runs after the first by itself.
  await todo(page, 'jobs');
  await page.getByTestId('nav-jobs').click();
  await page.getByTestId('job-new').click();
  await page.getByTestId('job-name').fill('refresh-seniors');
  await page.getByTestId('job-text').fill('do: open-data\ndo: rerun-dataset name=senior');
  await page.getByTestId('job-trigger').selectOption('daily');
  await page.getByTestId('job-save').click();
  await page.getByTestId('job-new').click();
  await page.getByTestId('job-name').fill('score-seniors');
  await page.getByTestId('job-text').fill('do: score dataset=senior save=senior_scores');
  await page.getByTestId('job-trigger').selectOption('after');
  await page.getByTestId('job-depends-on').selectOption('refresh-seniors');
  await page.getByTestId('job-save').click();
  await todo(page, 'jobs');
  await page.locator('[data-testid="job-item"][data-job="refresh-seniors"] [data-testid="job-run"]').click();
  await waitState(page, 'jobs', 'done', 120_000);
  assert.equal(await count(page), '11 of 11 steps done');
  assert.deepEqual(app.errors, []);
});

test('progress survives a reload, and a step undone says so', async () => {
  const { page } = app;
  await page.waitForFunction(() => window.churnlab.savesPending() === 0);
  await page.reload();
  await waitIdle(page);
  await page.getByTestId('lab-open').click();
  await page.locator('[data-testid="lab-step"][data-step="save-seniors"]').click();
  assert.match(await page.getByTestId('lab-passed').textContent(), /^Done at \d\d:\d\d\.$/);
  // Delete the seniors: the step is undone, and the panel says when it was done.
  await page.getByTestId('nav-data').click();
  await page.locator('[data-testid="dataset-item"][data-name="senior"]').getByTestId('dataset-delete').click();
  await waitState(page, 'save-seniors', 'todo');
  assert.match(await page.getByTestId('lab-undone').textContent(), /^Done at \d\d:\d\d, but undone since/);
  assert.equal(await page.getByTestId('lab-check').first().getAttribute('data-passed'), 'false');
  await page.getByTestId('lab-close').click();
  assert.equal(await page.getByTestId('lab-panel').count(), 0);
  assert.deepEqual(app.errors, []);
});

test("the project's name is kept, and Reset project says what it deletes and starts over", async () => {
  const { page } = app;
  assert.equal(await page.getByTestId('project-name').inputValue(), 'Customer churn');
  await page.getByTestId('project-name').fill('Telco churn, class 3B');
  await page.getByTestId('project-name').press('Enter');
  await page.getByTestId('project-name').blur();
  await page.waitForFunction(() => window.churnlab.savesPending() === 0);
  await page.reload();
  await waitIdle(page);
  await page.waitForFunction(() => document.querySelector('[data-testid="project-name"]')?.value === 'Telco churn, class 3B');

  await page.getByTestId('nav-share').click();
  assert.equal(await page.getByTestId('project-table').textContent(), "The project's table: telco-synthetic, 7,043 rows from the app's synthetic customers (seed 42). SQL, charts and training name it churn while it is the open dataset.");
  await page.getByTestId('project-reset').click();
  assert.match(await page.getByTestId('project-reset-summary').textContent(), /^This deletes 2 saved datasets, 1 dashboard, 2 runs, 1 model, 1 simulation, 2 jobs, your progress in the lab \(11 steps\), and goes back to the default data\./);
  await page.getByTestId('project-reset-cancel').click();
  assert.equal(await page.getByTestId('project-reset-summary').count(), 0);
  await page.getByTestId('project-reset').click();
  await page.getByTestId('project-reset-confirm').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="project-name"]')?.value === 'Customer churn');
  await page.getByTestId('lab-open').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="lab-count"]')?.textContent === '1 of 11 steps done');
  await page.getByTestId('nav-data').click();
  await page.getByTestId('field-row').first().waitFor();
  assert.equal(await page.getByTestId('dataset-delete').count(), 0);
  assert.deepEqual(app.errors, []);
});

test('"Do it for me" on every step brings the app to each step\'s state, through to a deployed model sent traffic', async () => {
  const { page } = app;
  const ids = await page.getByTestId('lab-step').evaluateAll((s) => s.map((x) => x.dataset.step));
  for (const id of ids) {
    await page.locator(`[data-testid="lab-step"][data-step="${id}"]`).click();
    if ((await stepState(page, id)) === 'todo') {
      await page.getByTestId('lab-do-it').click();
      await waitState(page, id, 'done', 120_000);
    }
    assert.equal(await page.getByTestId('lab-do-error').count(), 0, `${id}: ${await page.getByTestId('lab-do-error').allTextContents()}`);
    assert.equal(await page.getByTestId('lab-do-it').isDisabled(), true);
  }
  await page.waitForFunction(() => !document.querySelector('[data-testid="lab-doing"]'));
  assert.equal(await count(page), '11 of 11 steps done');
  // The work is the app's own: a saved dataset, a deployed model that answers.
  assert.equal(await page.evaluate(() => window.churnlab.explain({ tenure: 3 }).then((a) => typeof a.probability)), 'number');
  // The Overview lists what the project holds now, the jobs with their last run.
  await page.getByTestId('nav-overview').click();
  await settled(page, 'overview');
  const kinds = await page.getByTestId('overview-item').evaluateAll((items) => [...new Set(items.map((i) => i.dataset.kind))]);
  for (const kind of ['data', 'dataset', 'dashboard', 'runs', 'deployed-model', 'simulation', 'job', 'lab']) {
    assert.ok(kinds.includes(kind), `the Overview lists a ${kind}: ${kinds}`);
  }
  const jobs = await page.locator('[data-testid="overview-item"][data-kind="job"]').allTextContents();
  assert.equal(jobs.length, 2);
  assert.ok(jobs.every((t) => /last run succeeded/.test(t)), jobs.join(' | '));
  assert.match(await page.locator('[data-testid="overview-item"][data-kind="lab"]').textContent(), /11 of 11/);
  assert.deepEqual(app.errors, []);
});

test("a teacher's lab opens from an address with its own data; a bad lab is refused with its line; records go out and come back", async () => {
  const { page } = app;
  await page.goto(app.url + '?lab=fixtures/labs/class-3b.md#/data');
  await page.getByTestId('lab-panel').waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="lab-title"]')?.textContent === 'Class 3B, who leaves?');
  assert.equal(await page.getByTestId('lab-source').textContent(), "A teacher's lab, from fixtures/labs/class-3b.md");
  await waitIdle(page);
  await page.waitForFunction(() => document.querySelector('[data-testid="row-count"]')?.textContent === '30');
  await waitState(page, 'open-table', 'done');
  await page.locator('[data-testid="lab-step"][data-step="count-contracts"]').click();
  await todo(page, 'count-contracts');
  await page.getByTestId('lab-do-it').click();
  await waitState(page, 'count-contracts', 'done');
  assert.equal(await count(page), '2 of 2 steps done');

  // A bad lab: refused with its line, the lab open stays.
  await page.locator('.lab-tools summary', { hasText: 'Other labs' }).click();
  await page.getByTestId('lab-url').fill('fixtures/labs/bad-lab.md');
  await page.getByTestId('lab-url-open').click();
  await page.getByTestId('lab-error').waitFor();
  assert.match(await page.getByTestId('lab-error').textContent(), /^fixtures\/labs\/bad-lab\.md was not opened: line 9: there is no fact "dataset\.size"/);
  assert.equal(await page.getByTestId('lab-title').textContent(), 'Class 3B, who leaves?');
  await page.getByTestId('lab-url').fill('https://example.org/lab.md');
  await page.getByTestId('lab-url-open').click();
  await page.waitForFunction(() => /is not a lab of this site/.test(document.querySelector('[data-testid="lab-error"]')?.textContent));

  // The learner's record, and the teacher's view of it.
  await page.locator('.lab-tools summary', { hasText: 'Your completion record' }).click();
  await page.getByTestId('lab-learner').fill('Ada');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('lab-export-record').click()]);
  assert.equal(download.suggestedFilename(), 'class-3b-ada.json');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'churnlab-records-'));
  const good = path.join(dir, 'ada.json');
  await download.saveAs(good);
  const record = JSON.parse(fs.readFileSync(good, 'utf8'));
  assert.deepEqual([record.lab, record.learner, record.steps.map((s) => s.done_now)], ['class-3b', 'Ada', [true, true]]);
  assert.deepEqual(record.steps[0].figures, [{ check: 'dataset.rows = 30', value: 30 }]);
  const other = path.join(dir, 'other.json');
  fs.writeFileSync(other, JSON.stringify({ ...record, lab: 'churn-workshop' }));
  const damaged = path.join(dir, 'damaged.json');
  fs.writeFileSync(damaged, JSON.stringify(record).slice(0, 80));
  // Bo's record of the lab's version 1, whose second step this version replaced.
  assert.equal(record.lab_version, 2);
  const older = path.join(dir, 'bo-v1.json');
  const oldSteps = [{ ...record.steps[0] }, { ...record.steps[1], id: 'count-rows', passed_ms: null }];
  fs.writeFileSync(older, JSON.stringify({ ...record, learner: 'Bo', lab_version: 1, steps: oldSteps }));
  await page.locator('.lab-tools summary', { hasText: "Learners' records" }).click();
  await page.getByTestId('lab-open-records').setInputFiles([good, other, damaged, older]);
  await page.getByTestId('lab-record').nth(1).waitFor();
  const rows = await page.getByTestId('lab-record').allTextContents();
  assert.equal(rows.length, 2);
  assert.match(rows[0], /^Ada2 of 2✓ \d\d:\d\d✓ \d\d:\d\d$/);
  // Shown with its version; the step it did not have is not applicable.
  assert.match(rows[1], /^Bo1 of 2 \(version 1\)✓ \d\d:\d\dn\/a$/);
  const error = await page.getByTestId('lab-error').textContent();
  assert.match(error, /other\.json: this record is of the lab "churn-workshop"; the lab open is "class-3b": open that lab first\./);
  assert.match(error, /damaged\.json: this is not a completion record: EOF while parsing/);

  // Back to the workshop: its work and progress were kept; only its first
  // step is undone, since the data open is the class's 30 rows.
  await page.getByTestId('lab-workshop').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="lab-count"]')?.textContent === '10 of 11 steps done');
  assert.equal(await stepState(page, 'look-at-data'), 'todo');
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(app.errors, []);
});
