// Accessibility: axe-core (run in the page through the test driver, so the
// app's CSP stays as strict as ever, with every rule it runs by default) on
// every page with the whole workshop lab done in it, the lab panel, the
// dialogs and the embedded views: no violation of any impact.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { frames, openAppWithFixtures, repoRoot, settled, waitIdle } from './browser.mjs';

const AXE = fs.readFileSync(path.join(repoRoot, 'node_modules/axe-core/axe.min.js'), 'utf8');
let app;

before(async () => {
  app = await openAppWithFixtures();
});
after(async () => {
  await app.close();
});

/** Every violation, of any impact, on the page as it is now. */
async function violations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document));
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

test('the check itself finds a control with no name', async () => {
  const { page } = app;
  await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<button id="nameless"></button>'));
  assert.match((await violations(page)).join(' '), /button-name \(critical\)/);
  await page.evaluate(() => document.getElementById('nameless').remove());
  assert.deepEqual(await violations(page), []);
});

const PAGES = ['overview', 'data', 'sql', 'visuals', 'explore', 'train', 'experiments', 'deploy', 'customers', 'operations', 'jobs', 'share'];

test('with the whole workshop lab done, every page and dialog has no violation', async (t) => {
  const { page } = app;
  // "Do it for me" on every step: a saved dataset, a field made a measure,
  // a dashboard, runs, a deployed model asked about a customer, a simulation.
  await page.getByTestId('lab-open').click();
  const steps = page.getByTestId('lab-step');
  for (let i = 0; i < (await steps.count()); i++) {
    await steps.nth(i).click();
    if ((await steps.nth(i).getAttribute('data-state')) === 'done') continue;
    await page.getByTestId('lab-do-it').click();
    await page.waitForFunction((i) => document.querySelectorAll('[data-testid="lab-step"]')[i]?.dataset.state === 'done', i, { timeout: 180_000 });
  }
  const found = {};
  found['lab panel'] = await violations(page);
  await page.getByTestId('lab-close').click();
  for (const name of PAGES) {
    await page.getByTestId(`nav-${name}`).click();
    await settled(page, name);
    found[name] = await violations(page);
  }
  await page.getByTestId('nav-customers').click();
  await page.locator('[data-testid="customer-row"] th').first().click();
  await page.getByTestId('customer-view').waitFor();
  await frames(page);
  found['a customer open'] = await violations(page);
  await page.getByTestId('customer-view').getByTestId('embed-button').click();
  await page.getByTestId('embed-snippet').waitFor();
  found['embed dialog'] = await violations(page);
  await page.keyboard.press('Escape');
  await page.getByTestId('nav-share').click();
  await page.getByTestId('project-reset').click();
  await page.getByTestId('project-reset-summary').waitFor();
  found['reset dialog'] = await violations(page);
  await page.getByTestId('project-reset-cancel').click();
  for (const [k, v] of Object.entries(found)) t.diagnostic(`${k}: ${v.length ? v.join('; ') : 'none'}`);
  assert.deepEqual(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length)), {});
});

test('the embedded views have no violation', async (t) => {
  const { page } = app;
  const found = {};
  for (const view of ['endpoint', 'customers', 'customer&customer=7590-VHVEG', 'dashboard']) {
    await page.goto(`${app.url}?embed=${view}`);
    await page.getByTestId('embedded-app').waitFor();
    await waitIdle(page);
    // The view is built from the saved work: wait for its content, then a frame.
    await page.waitForFunction(() => document.querySelector('#main')?.children.length && !document.querySelector('[data-testid$="-progress"]'));
    await frames(page);
    found[view] = await violations(page);
    t.diagnostic(`embedded ${view}: ${found[view].length ? found[view].join('; ') : 'none'}`);
  }
  assert.deepEqual(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length)), {});
});

test('the workshop by keyboard alone: open data by address, query, save, chart, train, deploy, explain, open a customer', async () => {
  const { page } = app;
  await page.goto(app.url + '#/data');
  await waitIdle(page);
  // Any mouse or pointer event fails the test.
  await page.evaluate(() => {
    window.pointerEvents = 0;
    for (const type of ['mousedown', 'mouseup', 'pointerdown', 'pointerup']) addEventListener(type, () => window.pointerEvents++, true);
  });
  const press = async (testid, key = 'Enter') => {
    await page.getByTestId(testid).first().focus();
    await page.keyboard.press(key);
  };
  const type = async (testid, text) => {
    await page.getByTestId(testid).first().focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(text);
  };
  // Focus is visible on a control reached by the keyboard.
  await page.getByTestId('nav-data').focus();
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => [document.activeElement.dataset.testid, getComputedStyle(document.activeElement).outlineStyle]);
  assert.deepEqual(focused, ['nav-sql', 'solid'], 'Tab moves on, and the focused control shows its focus');

  // A file by its address, then back to the default data.
  await press('open-url');
  await type('url-input', 'fixtures/labs/class.csv');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="row-count"]')?.textContent === '30');
  await press('reset-default');
  await page.waitForFunction(() => document.querySelector('[data-testid="row-count"]')?.textContent === '7,043');

  await press('nav-sql');
  await type('sql-editor', 'SELECT * FROM churn WHERE seniorcitizen = "1"');
  await press('sql-run');
  await type('dataset-name-input', 'senior_by_keys');
  await press('save-dataset');
  await page.getByTestId('save-dataset-done').waitFor();

  await press('nav-visuals');
  await press('new-dashboard');
  await press('add-visual');
  const builder = page.getByTestId('chart-builder');
  // "Add to…" menus instead of dragging: a select, worked with the arrow keys.
  for (const [field, steps] of [['PaymentMethod', 1], ['Record Count', 2]]) {
    await builder.locator(`[data-testid="field-pill"][data-field="${field}"] [data-testid="field-add"]`).focus();
    for (let i = 0; i < steps; i++) await page.keyboard.press('ArrowDown');
  }
  await builder.getByTestId('chart-datum').first().waitFor();
  await press('visual-done');
  await type('dashboard-title', 'Seniors by payment');
  await press('save-dashboard');

  await press('nav-train');
  await press('train-start');
  await page.waitForFunction(() => !document.querySelector('[data-testid="train-progress"]') && document.querySelectorAll('[data-testid="metric"]').length === 5, null, { timeout: 120_000 });
  await press('save-model');
  await page.getByTestId('save-model-done').waitFor();
  await press('nav-deploy');
  await press('deploy-model');
  await press('endpoint-test');
  await page.waitForFunction(() => /"explanation"/.test(document.querySelector('[data-testid="endpoint-output"]')?.textContent ?? ''));

  await press('nav-customers');
  await page.getByTestId('customer-row').first().waitFor();
  await press('customer-row');
  await page.getByTestId('customer-view').waitFor();
  // Colour is never alone: a strong push carries its sign.
  const marks = await page.getByTestId('customer-cell').evaluateAll((cells) => cells.filter((c) => c.dataset.mark).map((c) => [Math.sign(Number(c.dataset.contribution)), c.dataset.mark]));
  assert.ok(marks.length > 0);
  assert.ok(marks.every(([s, m]) => (s > 0 ? m === '▲' : m === '▼')), JSON.stringify(marks.slice(0, 5)));

  // A dialog takes the focus, and gives it back where it was.
  await press('embed-button');
  await page.waitForFunction(() => document.activeElement?.dataset.testid === 'embed-snippet');
  assert.deepEqual(await violations(page), [], 'the embed dialog');
  await page.keyboard.press('Escape');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'embed-button');
  await press('nav-share');
  await press('project-reset');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'project-reset-cancel', 'the dialog opens on Cancel');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'project-reset');
  assert.equal(await page.evaluate(() => window.pointerEvents), 0, 'no mouse event');
  assert.deepEqual(app.errors, []);
});
