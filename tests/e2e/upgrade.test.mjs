// Work saved by an earlier build still opens: IndexedDB as the build of
// commit 0134bd5 left it (a loaded file with a field edit, a saved dataset,
// the SQL history, a dashboard, a run, a saved and deployed model; see
// fixtures/make-saved-state.mjs) is put into a fresh profile, then the
// current build starts on it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { openApp, repoRoot, rowCount, waitIdle } from './browser.mjs';

const dump = JSON.parse(fs.readFileSync(path.join(repoRoot, 'tests/e2e/fixtures/saved-state-v1.json'), 'utf8'));
let app;

before(async () => {
  app = await openApp();
  const { page } = app;
  // Any page of the app's origin can write its IndexedDB before the app runs.
  await page.goto(app.url + 'favicon.svg');
  await page.evaluate(
    (dump) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open(dump.database, dump.version);
        open.onupgradeneeded = () => open.result.createObjectStore(dump.store);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(dump.store, 'readwrite');
          const store = tx.objectStore(dump.store);
          const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
          for (const e of dump.entries) store.put(e.text !== undefined ? e.text : e.parts.map(bytes), e.key);
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    dump,
  );
  await page.goto(app.url + '#/data');
  await page.getByTestId('dataset-name').waitFor();
  await waitIdle(page);
});
after(async () => {
  await app.close();
});

test('datasets, fields, queries, dashboards, runs and the deployed model saved by an earlier build open', async () => {
  const { page } = app;
  await page.waitForFunction(() => document.querySelector('[data-testid="dataset-name"]')?.textContent === 'small');
  assert.equal(await rowCount(page), 400);
  const copy = page.locator('[data-testid="field-row"][data-field="Copy of Churn"]');
  assert.equal(await copy.getByTestId('field-role').inputValue(), 'measure');
  const senior = page.locator('[data-testid="dataset-item"][data-name="senior"]');
  const seniorRows = Number((await senior.getByTestId('dataset-rows').textContent()).replace(/\D/g, ''));
  assert.ok(seniorRows > 0 && seniorRows < 400, String(seniorRows));

  await page.getByTestId('nav-sql').click();
  assert.equal(await page.getByTestId('sql-editor').inputValue(), 'SELECT * FROM churn WHERE seniorcitizen = "1"');
  const counted = await page.evaluate(() => window.churnlab.query('SELECT COUNT(*) AS n FROM senior'));
  assert.equal(counted.rows, 1, JSON.stringify(counted));

  await page.getByTestId('nav-visuals').click();
  const item = page.getByTestId('dashboard-item');
  await item.waitFor();
  assert.match(await item.textContent(), /Senior citizens/);
  await item.click();
  assert.equal(await page.getByTestId('dashboard-subtitle').inputValue(), 'How seniors pay');
  const bars = await page.getByTestId('dashboard-visual').first().getByTestId('chart-datum').evaluateAll((r) => r.map((x) => Number(x.dataset.value)));
  assert.equal(bars.reduce((a, b) => a + b, 0), seniorRows);

  await page.getByTestId('nav-experiments').click();
  // The page changes on the hashchange event, after the click returns.
  await page.getByTestId('run-row').first().waitFor();
  assert.equal(await page.getByTestId('run-row').count(), 1);

  await page.getByTestId('nav-deploy').click();
  await page.getByTestId('model-item').first().waitFor();
  assert.equal(await page.getByTestId('deployed-badge').count(), 1);
  const p = await page.evaluate(() => window.churnlab.predict({ tenure: 29, Contract: 'Month-to-month' }));
  assert.equal(p, dump.probability, 'the same model gives the same probability');
  assert.deepEqual(app.errors, []);
});
