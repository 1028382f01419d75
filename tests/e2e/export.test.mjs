// "From the browser to production" as a learner does it: with no saved
// model the exports say what to do first; with one, the scoring SQL (both
// dialects), the ONNX model and the job folder download, and the job's
// DuckDB script, run on the real file from the downloaded zip, gives the
// app's own batch scores for every customer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp, repoRoot, saveQueryAsDataset, sharedData, startOnRealData, trainPlain, saveAndDeploy } from './browser.mjs';

let app;
before(async () => {
  app = await openApp();
});
after(async () => {
  await app.close();
});

async function downloaded(page, testid) {
  const download = page.waitForEvent('download');
  await page.getByTestId(testid).click();
  const file = await download;
  return { name: file.suggestedFilename(), bytes: fs.readFileSync(await file.path()) };
}

test('with no saved model the exports say to train and save one first', async () => {
  const { page } = app;
  await page.goto(`${app.url}#/deploy`);
  await page.getByTestId('model-export-panel').waitFor();
  assert.match(await page.getByTestId('export-error').textContent(), /no saved model to export: train one and save it on the Train page first/);
  for (const id of ['export-sql', 'export-onnx', 'export-job']) {
    assert.equal(await page.getByTestId(id).isDisabled(), true, id);
  }
});

test('the model exports as SQL and ONNX, and the job folder scores every customer as the app does', async () => {
  const { page } = app;
  await startOnRealData(page, app.url);
  // A field edit of the loaded file and the workshop's saved dataset: both go into the job's scripts.
  await page.locator('[data-testid="field-row"][data-field="Churn"]').getByTestId('field-clone').click();
  await page.locator('[data-testid="field-row"][data-field="Copy of Churn"]').waitFor();
  await saveQueryAsDataset(page, 'SELECT * FROM churn WHERE seniorcitizen = "1"', 'seniors');
  await trainPlain(page);
  await saveAndDeploy(page);

  const sql = await downloaded(page, 'export-sql');
  assert.match(sql.name, /-v1-scoring\.sql$/);
  const text = sql.bytes.toString('utf8');
  assert.match(text, /"customerID" AS "customerID"/);
  assert.match(text, /EXP\(/);
  assert.match(await page.getByTestId('export-done').textContent(), /^Saved .*-scoring\.sql \(\d+\.\d KB\)$/);
  await page.getByTestId('export-engine').selectOption('spark');
  const spark = await downloaded(page, 'export-sql');
  assert.match(spark.name, /-scoring-spark\.sql$/);
  assert.match(spark.bytes.toString('utf8'), /`customerID` AS `customerID`/);

  const onnx = await downloaded(page, 'export-onnx');
  assert.match(onnx.name, /\.onnx$/);
  assert.equal(onnx.bytes[0], 0x08, 'an ONNX ModelProto starts with its IR version');
  assert.ok(onnx.bytes.includes(Buffer.from('churn_probability')));

  const job = await downloaded(page, 'export-job');
  assert.match(job.name, /^churnlab-job-.*-v1\.zip$/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'churnlab-job-'));
  const zip = path.join(dir, job.name);
  fs.writeFileSync(zip, job.bytes);
  // The loaded file's edit (the clone) and the saved dataset are replayed by the dataset script.
  const python = path.join(repoRoot, '.venv/bin/python');
  const script = execFileSync(python, ['-c', "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(z.read(next(n for n in z.namelist() if n.endswith('/datasets_duckdb.sql'))).decode())", zip], { encoding: 'utf8' });
  assert.match(script, /"Copy of Churn"/);
  assert.match(script, /CREATE OR REPLACE VIEW "seniors"/);
  const input = path.join(dir, 'in.json');
  const output = path.join(dir, 'out.json');
  fs.writeFileSync(input, JSON.stringify({ job: 'score_duckdb.py', python, output: 'scores.csv' }));
  execFileSync(python, [path.join(repoRoot, 'tests/python/run_job.py'), zip, sharedData, input, output], { stdio: 'pipe' });
  const scored = JSON.parse(fs.readFileSync(output, 'utf8'));
  assert.deepEqual(scored.columns.slice(0, 3), ['customerID', 'churn_probability', 'predicted_class']);

  // The app's own batch scores of the same file.
  const batch = await downloaded(page, 'batch-score');
  const lines = batch.bytes.toString('utf8').trim().split('\n').slice(1);
  const app_p = new Map(lines.map((l) => l.split(',')).map(([id, p]) => [id, p]));
  assert.equal(scored.rows.length, 7043);
  let worst = 0;
  for (const [id, p, label] of scored.rows) {
    const ours = app_p.get(id);
    assert.ok(ours !== undefined, `the app scored ${id}`);
    // The batch file writes a rounded probability: within half its last digit.
    const decimals = (ours.split('.')[1] || '').length;
    worst = Math.max(worst, Math.abs(Number(p) - Number(ours)) / (0.5 * 10 ** -decimals));
    assert.equal(label, Number(p) >= 0.5 ? 'Yes' : 'No');
  }
  assert.ok(worst <= 1, `the job's probabilities round to the app's (worst ${worst} half-digits)`);
  fs.rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(app.errors, []);
});
