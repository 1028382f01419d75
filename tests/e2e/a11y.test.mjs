// Accessibility: axe-core (run in the page through the test driver, so the
// app's CSP stays as strict as ever) on every page, the lab panel, the
// dialogs and the embedded views: no serious or critical violation.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openApp, repoRoot, saveAndDeploy, trainPlain, waitIdle } from './browser.mjs';

const AXE = fs.readFileSync(path.join(repoRoot, 'node_modules/axe-core/axe.min.js'), 'utf8');
let app;

before(async () => {
  app = await openApp();
  await app.page.goto(app.url + '#/data');
  await waitIdle(app.page);
});
after(async () => {
  await app.close();
});

/** Serious and critical violations on the page as it is now. */
async function violations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.length} × ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

test('the check itself finds a control with no name', async () => {
  const { page } = app;
  await page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<button id="nameless"></button>'));
  assert.match((await violations(page)).join(' '), /button-name \(critical\)/);
  await page.evaluate(() => document.getElementById('nameless').remove());
  assert.deepEqual(await violations(page), []);
});

const PAGES = ['data', 'sql', 'visuals', 'explore', 'train', 'experiments', 'deploy', 'customers', 'operations', 'share'];

test('every page, with a model deployed and the lab open, has no serious or critical violation', async (t) => {
  const { page } = app;
  await trainPlain(page);
  await saveAndDeploy(page);
  const found = {};
  for (const name of PAGES) {
    await page.getByTestId(`nav-${name}`).click();
    await page.waitForTimeout(300);
    found[name] = await violations(page);
  }
  await page.getByTestId('lab-open').click();
  found['lab panel'] = await violations(page);
  await page.getByTestId('nav-share').click();
  await page.getByTestId('project-reset').click();
  found['reset dialog'] = await violations(page);
  await page.getByTestId('project-reset-cancel').click();
  for (const [k, v] of Object.entries(found)) t.diagnostic(`${k}: ${v.length ? v.join('; ') : 'none'}`);
  assert.deepEqual(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length)), {});
});

test('the embedded views have no serious or critical violation', async (t) => {
  const { page } = app;
  const found = {};
  for (const view of ['endpoint', 'customers', 'customer&customer=7590-VHVEG', 'dashboard']) {
    await page.goto(`${app.url}?embed=${view}`);
    await page.getByTestId('embedded-app').waitFor();
    await waitIdle(page);
    await page.waitForTimeout(500);
    found[view] = await violations(page);
    t.diagnostic(`embedded ${view}: ${found[view].length ? found[view].join('; ') : 'none'}`);
  }
  assert.deepEqual(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length)), {});
});
