// Soak: many calls to the deployed model's `explain` and many loads of a
// large file, one after another in one page: no errors, and wasm memory
// after the last load within 10% of after the first (a leak grows it).
// CI runs 2,000 calls and 4 loads of 20,000 rows; the full run is
// `SOAK_CALLS=100000 SOAK_LOADS=20 SOAK_ROWS=100000 node --test tests/e2e/soak.test.mjs`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp, pickFile, saveAndDeploy, trainPlain, waitIdle } from './browser.mjs';

const CALLS = Number(process.env.SOAK_CALLS || 2_000);
const LOADS = Number(process.env.SOAK_LOADS || 4);
const ROWS = Number(process.env.SOAK_ROWS || 20_000);
let app;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'churnlab-soak-'));

before(async () => {
  app = await openApp();
  await app.page.goto(app.url + '#/data');
  await waitIdle(app.page);
});
after(async () => {
  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test(`${CALLS.toLocaleString('en')} explain calls, then ${LOADS} loads of ${ROWS.toLocaleString('en')} rows, without errors or growth`, { timeout: 1_800_000 }, async (t) => {
  const { page } = app;
  await trainPlain(page);
  await saveAndDeploy(page);
  const explained = await page.evaluate(async (n) => {
    const contracts = ['Month-to-month', 'One year', 'Two year'];
    let ok = 0;
    for (let i = 0; i < n; i++) {
      const a = await window.churnlab.explain({ tenure: i % 72, Contract: contracts[i % 3], MonthlyCharges: 20 + (i % 100) });
      if (a.probability > 0 && a.probability < 1) ok++;
    }
    return ok;
  }, CALLS);
  assert.equal(explained, CALLS);

  let csv = 'customerID,tenure,Contract,MonthlyCharges,PaperlessBilling,Churn\n';
  for (let i = 0; i < ROWS; i++) csv += `C${i},${i % 72},${['Month-to-month', 'One year', 'Two year'][i % 3]},${(20 + ((i * 37) % 9000) / 100).toFixed(2)},${i % 2 ? 'Yes' : 'No'},${i % 4 ? 'No' : 'Yes'}\n`;
  const memory = [];
  for (let i = 1; i <= LOADS; i++) {
    // Each load its own name, so each one is seen to arrive.
    const file = path.join(dir, `soak-${i}.csv`);
    fs.writeFileSync(file, csv);
    await page.getByTestId('nav-data').click();
    await pickFile(page, file);
    await page.waitForFunction((name) => document.querySelector('[data-testid="dataset-name"]')?.textContent === name, `soak-${i}`);
    assert.equal(await page.getByTestId('row-count').textContent(), ROWS.toLocaleString('en'));
    await page.waitForFunction(() => window.churnlab.savesPending() === 0);
    memory.push(await page.evaluate(() => window.churnlab.wasmMemoryBytes()));
  }
  const [first, last] = [memory[0], memory[memory.length - 1]];
  t.diagnostic(`wasm memory after load 1: ${(first / 1e6).toFixed(1)} MB; after load ${LOADS}: ${(last / 1e6).toFixed(1)} MB (${((last / first - 1) * 100).toFixed(1)}%)`);
  assert.ok(last <= first * 1.1, `memory grew from ${first} to ${last}`);
  assert.deepEqual(app.errors, []);
});
