// The lab panel: the workshop's steps check themselves as the learner
// works (done when and only when the state is right), "Show me" takes them
// to the control, progress survives a reload, a step undone says so, and
// the panel sits beside the page rather than over it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, saveQueryAsDataset, waitIdle } from './browser.mjs';

let app;

before(async () => {
  app = await openApp();
  await app.page.goto(app.url + '#/data');
  await waitIdle(app.page);
});
after(async () => {
  await app.close();
});

const stepState = (page, id) => page.locator(`[data-testid="lab-step"][data-step="${id}"]`).getAttribute('data-state');
const waitState = (page, id, state) =>
  page.waitForFunction(([id, state]) => document.querySelector(`[data-testid="lab-step"][data-step="${id}"]`)?.dataset.state === state, [id, state]);

test('the first steps turn done as the learner works, and only then', async () => {
  const { page } = app;
  await page.getByTestId('lab-open').click();
  const panel = page.getByTestId('lab-panel');
  await panel.waitFor();
  // Beside the page, not over it.
  const [main, aside] = [await page.locator('#main').boundingBox(), await panel.boundingBox()];
  assert.ok(aside.x >= main.x + main.width - 1, `panel at ${aside.x}, page ends at ${main.x + main.width}`);
  assert.equal(await page.getByTestId('lab-step').count(), 10);
  // The default data is there: the first step is done at once.
  assert.equal(await stepState(page, 'look-at-data'), 'done');
  assert.equal(await page.getByTestId('lab-count').textContent(), '1 of 10 steps done');

  await page.locator('[data-testid="lab-step"][data-step="count-categories"]').click();
  assert.equal(await stepState(page, 'count-categories'), 'todo');
  assert.deepEqual(await page.getByTestId('lab-check').evaluateAll((c) => c.map((x) => x.dataset.passed)), ['false']);
  assert.match(await page.getByTestId('lab-check').first().textContent(), /queries is empty; the step needs one with sql contains "COUNT\(DISTINCT"/);
  await page.getByTestId('lab-show-me').click();
  await page.waitForFunction(() => location.hash === '#/sql' && document.querySelector('[data-testid="sql-editor"]')?.classList.contains('lab-highlight'));

  // A different query does not count; the workshop's does.
  await page.getByTestId('sql-editor').fill('SELECT COUNT(*) FROM churn');
  await page.getByTestId('sql-run').click();
  await page.waitForTimeout(200);
  assert.equal(await stepState(page, 'count-categories'), 'todo');
  await page.getByTestId('sql-editor').fill('SELECT COUNT(DISTINCT internetservice), COUNT(DISTINCT contract) FROM churn');
  await page.getByTestId('sql-run').click();
  await waitState(page, 'count-categories', 'done');
  assert.deepEqual(await page.getByTestId('lab-check').evaluateAll((c) => c.map((x) => x.dataset.passed)), ['true']);

  await page.getByTestId('lab-next').click();
  assert.equal(await page.getByTestId('lab-current').getAttribute('data-step'), 'save-seniors');
  await saveQueryAsDataset(page, 'SELECT * FROM churn WHERE seniorcitizen = "1"', 'senior');
  await waitState(page, 'save-seniors', 'done');
  assert.equal(await page.getByTestId('lab-count').textContent(), '3 of 10 steps done');
  assert.equal(await stepState(page, 'train'), 'todo');
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
  await page.getByTestId('dataset-delete').first().click();
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
  await page.getByTestId('project-reset').click();
  assert.match(await page.getByTestId('project-reset-summary').textContent(), /^This deletes your progress in the lab \(3 steps\), and goes back to the default data\./);
  await page.getByTestId('project-reset-cancel').click();
  assert.equal(await page.getByTestId('project-reset-summary').count(), 0);
  await saveQueryAsDataset(page, 'SELECT * FROM churn WHERE tenure > 70', 'loyal');
  await page.getByTestId('nav-share').click();
  await page.getByTestId('project-reset').click();
  assert.match(await page.getByTestId('project-reset-summary').textContent(), /^This deletes 1 saved dataset, your progress in the lab \(3 steps\)/);
  await page.getByTestId('project-reset-confirm').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="project-name"]')?.value === 'Customer churn');
  await page.getByTestId('lab-open').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="lab-count"]')?.textContent === '1 of 10 steps done');
  await page.getByTestId('nav-data').click();
  await page.getByTestId('field-row').first().waitFor();
  assert.equal(await page.getByTestId('dataset-delete').count(), 0);
  assert.deepEqual(app.errors, []);
});
