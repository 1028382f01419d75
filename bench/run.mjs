// Churnlab benchmark harness: runs the release build and its baselines in
// headless Chromium in one session and prints figures and ratios. It never
// asserts on time. Usage: bench/run [group ...]; groups: size, ingest, query, chart, train, explain, ops, share, cold, export, learner, responsive
// (BENCH_TRAIN_1M=1 adds a plain fit on the 1M-row file).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { startServer } from '../tests/e2e/server.mjs';
import { learner } from './learner.mjs';
import { responsive, scrollTimes } from './responsive.mjs';
import { CHROMIUM_ARGS, buildDashboard, pickFile, saveAndDeploy, sharedData, trainPlain } from '../tests/e2e/browser.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const bigFile = path.join(root, 'bench/out/telco-1m.csv');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => `${x.toFixed(x < 100 ? 1 : 0)} ms`;
const mb = (x) => `${(x / 1e6).toFixed(1)} MB`;
const kb = (x) => `${(x / 1024).toFixed(1)} KB`;
const ratio = (a, b) => `${(a / b).toFixed(a / b < 0.1 ? 3 : 2)}×`;

function line(label, value, note = '') {
  console.log(`  ${label.padEnd(44)} ${String(value).padStart(12)}  ${note}`);
}

/** The README's performance table: headline figures with their peer, the
 * ratio and the command, keyed by figure; rows of groups not run are kept. */
const summary = new Map();
function record(figure, ours, peer, r, command) {
  summary.set(figure, [figure, ours, peer, r, `\`${command.includes(' ') ? command : `bench/run ${command}`}\``]);
}

function writeReadmeTable() {
  if (summary.size === 0) return;
  const readme = path.join(root, 'README.md');
  const text = fs.readFileSync(readme, 'utf8');
  const [begin, end] = ['<!-- bench:begin -->', '<!-- bench:end -->'];
  const a = text.indexOf(begin);
  const b = text.indexOf(end);
  if (a < 0 || b < a) return;
  const rows = new Map();
  for (const l of text.slice(a, b).split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| figure') && !l.startsWith('| ---'))) {
    const cells = l.slice(2, -2).split(' | ');
    rows.set(cells[0], cells);
  }
  for (const [k, v] of summary) rows.set(k, v);
  const order = [...rows.keys()].sort((x, y) => ORDER.indexOf(x) - ORDER.indexOf(y));
  const table = ['| figure | Churnlab | peer (same run) | ratio | command |', '| --- | --- | --- | --- | --- |', ...order.map((k) => `| ${rows.get(k).join(' | ')} |`)];
  const stamp = `Written by \`bench/run\` (last run ${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores, Chromium); each row keeps its own run.`;
  fs.writeFileSync(readme, `${text.slice(0, a + begin.length)}\n${stamp}\n\n${table.join('\n')}\n${text.slice(b)}`);
}

const ORDER = [
  'First download (wasm + js + css, gzip)',
  "Workers' module, fetched after the first paint (gzip)",
  'Cold start: first SQL answer after the files arrive',
  'Ingest 1,000,000 rows',
  'Plain fit, 7,043 rows (1 thread)',
  'CV 5 folds × 10 C (1 thread)',
  'Plain fit, 7,043 rows (all cores)',
  'CV 5 folds × 10 C (all cores)',
  'Plain fit, 1,000,000 rows',
  'Scoring 1,000,000 rows',
  'Customers table, scroll to rows drawn, 7,043 rows',
  'Customers table, scroll to rows drawn, 1,000,000 rows',
  'Longest task on the page, 1,000,000 rows loaded',
];

async function withPage(browser, url, fn) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('  page error:', e.message));
  try {
    await page.goto(url);
    return await fn(page);
  } finally {
    await context.close();
  }
}

/** Loads the real file into the page and deploys a plain fit on it. */
async function deployOnRealData(page) {
  // A pick during the start-up restore is refused: wait for it to end.
  await pickFile(page, sharedData);
  await page.waitForFunction(() => window.churnlab.lastLoad() && window.churnlab.savesPending() === 0);
  await trainPlain(page);
  await saveAndDeploy(page);
}

// ---------------------------------------------------------------- groups

function size() {
  console.log('\nRelease build size (dist/, what the browser downloads)');
  // The workers' module is fetched once the first view is painted, not before.
  const workerModule = (f) => /^churnlab-worker-[0-9a-f]+(\.js|_bg\.wasm)$/.test(f);
  const all = fs.readdirSync(dist).filter((f) => /\.(wasm|js|css)$/.test(f));
  const measure = (files) => {
    const m = { raw: 0, gz: 0, br: 0 };
    for (const f of files) {
      const bytes = fs.readFileSync(path.join(dist, f));
      m.raw += bytes.length;
      m.gz += zlib.gzipSync(bytes, { level: 9 }).length;
      m.br += zlib.brotliCompressSync(bytes).length;
    }
    return m;
  };
  const { raw, gz, br } = measure(all.filter((f) => !workerModule(f)));
  const worker = measure(all.filter(workerModule));
  line('wasm + js + css, raw', kb(raw));
  line('wasm + js + css, gzip -9', kb(gz), '(budget 600 KB at issue 2)');
  record('First download (wasm + js + css, gzip)', kb(gz), 'goal 1,000 KB', ratio(gz, 1000 * 1024), 'size');
  line('wasm + js + css, brotli', kb(br));
  line("workers' module (wasm + js), gzip -9", kb(worker.gz), '(fetched once the first view is painted)');
  record("Workers' module, fetched after the first paint (gzip)", kb(worker.gz), '—', '—', 'size');
  const sw = fs.readFileSync(path.join(dist, 'sw.js'), 'utf8');
  const precached = JSON.parse(sw.slice(sw.indexOf('const FILES = ') + 14, sw.indexOf(';', sw.indexOf('const FILES = '))));
  const precache = precached.reduce((n, f) => n + zlib.gzipSync(fs.readFileSync(path.join(dist, f)), { level: 9 }).length, 0);
  line('offline precache (every file of sw.js), gzip', kb(precache), `(${precached.length} files)`);
  const one = fs.readFileSync(path.join(dist, 'churnlab.html'));
  line('one-file churnlab.html, raw', mb(one.length));
  line('one-file churnlab.html, gzip -9', mb(zlib.gzipSync(one, { level: 9 }).length));
}

/** Loads `file` into the app `runs` times; returns per-run figures. */
async function churnlabIngest(browser, appUrl, file, runs) {
  return withPage(browser, appUrl, async (page) => {
    await page.getByTestId('dataset-name').waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid="load-progress"]'));
    const results = [];
    for (let i = 0; i < runs; i++) {
      const before = await page.evaluate(() => JSON.stringify(window.churnlab.lastLoad()));
      await page.getByTestId('file-input').setInputFiles(file);
      await page.waitForFunction(
        (b) => JSON.stringify(window.churnlab.lastLoad()) !== b && window.churnlab.savesPending() === 0,
        before,
        { timeout: 600_000, polling: 50 },
      );
      const figures = await page.evaluate(() => ({ ...window.churnlab.lastLoad(), memory: window.churnlab.wasmMemoryBytes() }));
      results.push(figures);
    }
    return results;
  });
}

async function baseline(browser, baseUrl, fn) {
  return withPage(browser, `${baseUrl}bench/baselines.html`, async (page) => {
    await page.waitForFunction(() => window.baselinesReady === true);
    return fn(page);
  });
}

async function papaparse(browser, baseUrl, file, runs) {
  return baseline(browser, baseUrl, async (page) => {
    await page.locator('#file').setInputFiles(file);
    const out = [];
    for (let i = 0; i < runs; i++) out.push(await page.evaluate(() => window.baselines.papaparse()));
    return out;
  });
}

async function duckdbLoad(browser, baseUrl, file, runs) {
  return baseline(browser, baseUrl, async (page) => {
    await page.locator('#file').setInputFiles(file);
    await page.evaluate(() => window.baselines.duckdbStart());
    const out = [];
    for (let i = 0; i < runs; i++) out.push(await page.evaluate((n) => window.baselines.duckdbLoad(n), `f${i}.csv`));
    return out;
  });
}

async function ingest(browser, baseUrl) {
  const cases = [
    { label: 'real IBM file, 7,043 rows', file: sharedData, runs: 7 },
    { label: 'synthetic, 1,000,000 rows', file: bigFile, runs: 5 },
  ];
  for (const c of cases) {
    const bytes = fs.statSync(c.file).size;
    console.log(`\nIngest: ${c.label} (${mb(bytes)}), median of ${c.runs} runs in one Chromium session`);
    const ours = await churnlabIngest(browser, baseUrl, c.file, c.runs);
    const single = bytes > 50e6 ? await churnlabIngest(browser, `${baseUrl}?workers=0`, c.file, c.runs) : null;
    if (process.env.BENCH_NO_BASELINES) {
      if (single) line('  one thread (?workers=0), each run', single.map((r) => Math.round(r.ms)).join(', '));
      // A quick look while tuning: no baselines, so no ratios.
      line('Churnlab total / reading+parsing', `${ms(median(ours.map((r) => r.ms)))} / ${ms(median(ours.map((r) => r.readMs)))}`);
      line('  each run', ours.map((r) => Math.round(r.ms)).join(', '));
      line('  phases of the last run', Object.entries(ours.at(-1).phases).filter(([k]) => k).map(([k, v]) => `${k} ${Math.round(v)}`).join(', '));
      continue;
    }
    const papa = await papaparse(browser, baseUrl, c.file, c.runs);
    const duck = await duckdbLoad(browser, baseUrl, c.file, c.runs);
    const t = median(ours.map((r) => r.ms));
    const tp = median(papa.map((r) => r.ms));
    const td = median(duck.map((r) => r.ms));
    line('Churnlab (parse, type, Arrow columns, summary)', ms(t), `${ours[0].rows} rows, ${mb(bytes / (t / 1000))}/s, ${ours[0].parts} part(s)`);
    line('  of which reading and parsing', ms(median(ours.map((r) => r.readMs))));
    line('PapaParse (header, dynamicTyping)', ms(tp), `${papa[0].rows} rows`);
    line('DuckDB-wasm read_csv_auto', ms(td), `${duck[0].rows} rows`);
    if (single) {
      line('  the same on one thread (?workers=0)', ms(median(single.map((r) => r.ms))), `${ratio(median(single.map((r) => r.ms)), t)} of the parallel time`);
    }
    line('Churnlab / PapaParse', ratio(t, tp));
    line('Churnlab / DuckDB-wasm', ratio(t, td), bytes > 50e6 ? '(goal ≤ 0.50×)' : '');
    if (bytes > 50e6) {
      record('Ingest 1,000,000 rows', ms(t), `DuckDB-wasm read_csv_auto ${ms(td)}`, ratio(t, td), 'ingest');
      line('table in memory (Arrow buffers)', mb(ours[0].tableBytes), '(goal < 150 MB)');
      line('wasm linear memory after the first load', mb(ours[0].memory));
    }
  }
}

const QUERIES = [
  {
    label: "the workshop's COUNT DISTINCT (4 dictionary columns)",
    sql: 'SELECT COUNT(DISTINCT internetservice), COUNT(DISTINCT multiplelines), COUNT(DISTINCT contract), COUNT(DISTINCT paymentmethod) FROM churn',
    goal: 0.1,
  },
  { label: 'seniors by payment method', sql: 'SELECT PaymentMethod, COUNT(*) FROM churn WHERE SeniorCitizen = 1 GROUP BY 1', goal: 0.5 },
  {
    label: 'by contract: average charge and churn rate',
    sql: "SELECT Contract, AVG(MonthlyCharges), AVG(CASE WHEN Churn = 'Yes' THEN 1.0 ELSE 0.0 END) FROM churn GROUP BY Contract",
    goal: 0.5,
  },
];

/** SQL over the 1M-row file: Churnlab's engine against DuckDB-wasm, same session. */
async function query(browser, baseUrl) {
  const runs = 15;
  console.log(`\nSQL on 1,000,000 rows, median of ${runs} runs (first run discarded)`);
  const ours = await withPage(browser, baseUrl, async (page) => {
    // A pick during the start-up restore is refused: wait for it to end.
    await pickFile(page, bigFile);
    await page.waitForFunction(() => window.churnlab.lastLoad() && window.churnlab.savesPending() === 0, null, { timeout: 600_000 });
    const out = [];
    for (const q of QUERIES) {
      const times = await page.evaluate(({ sql, runs }) => {
        const t = [];
        for (let i = 0; i <= runs; i++) {
          const r = window.churnlab.query(sql);
          if (r.error) throw new Error(r.error);
          if (i > 0) t.push(r.ms);
        }
        return t;
      }, { sql: q.sql, runs });
      out.push(median(times));
    }
    return out;
  });
  const theirs = await baseline(browser, baseUrl, async (page) => {
    await page.locator('#file').setInputFiles(bigFile);
    await page.evaluate(() => window.baselines.duckdbLoadTyped('big.csv'));
    const out = [];
    for (const q of QUERIES) {
      const times = [];
      for (let i = 0; i <= runs; i++) {
        const r = await page.evaluate((sql) => window.baselines.duckdbQuery(sql), q.sql);
        if (i > 0) times.push(r.ms);
      }
      out.push(median(times));
    }
    return out;
  });
  QUERIES.forEach((q, i) => {
    console.log(`  ${q.label}`);
    line('    Churnlab', ms(ours[i]));
    line('    DuckDB-wasm', ms(theirs[i]));
    line('    Churnlab / DuckDB-wasm', ratio(ours[i], theirs[i]), `(goal ≤ ${q.goal.toFixed(2)}×)`);
  });
}

/** The dashboard's bar chart of counts by PaymentMethod on 1M rows: data and drawing. */
async function chart(browser, baseUrl) {
  const runs = 15;
  const spec = JSON.stringify({ kind: 'bar', dimensions: ['PaymentMethod'], measures: [{ field: 'Record Count', agg: 'count' }] });
  const sql = 'SELECT PaymentMethod, COUNT(*) FROM churn GROUP BY 1 ORDER BY 1';
  console.log(`\nBar chart of counts by PaymentMethod on 1,000,000 rows, 800×400 canvas, median of ${runs} runs`);
  const ours = await withPage(browser, baseUrl, async (page) => {
    // A pick during the start-up restore is refused: wait for it to end.
    await pickFile(page, bigFile);
    await page.waitForFunction(() => window.churnlab.lastLoad() && window.churnlab.savesPending() === 0, null, { timeout: 600_000 });
    return page.evaluate(({ spec, runs }) => {
      const all = [];
      for (let i = 0; i <= runs; i++) {
        const r = window.churnlab.chart(spec, 800, 400);
        if (r.error) throw new Error(r.error);
        if (i > 0) all.push(r);
      }
      const med = (k) => all.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(all.length / 2)];
      return { ms: med('ms'), dataMs: med('dataMs'), drawMs: med('drawMs'), marks: all[0].marks };
    }, { spec, runs });
  });
  const theirs = await baseline(browser, baseUrl, async (page) => {
    await page.locator('#file').setInputFiles(bigFile);
    await page.evaluate(() => window.baselines.duckdbLoadTyped('big.csv'));
    const times = [];
    for (let i = 0; i <= runs; i++) {
      const r = await page.evaluate((q) => window.baselines.duckdbQuery(q), sql);
      if (i > 0) times.push(r.ms);
    }
    return median(times);
  });
  line('Churnlab redraw (data + drawing)', ms(ours.ms), '(goal ≤ 100 ms)');
  line('  of which chart data', ms(ours.dataMs));
  line('  of which drawing', ms(ours.drawMs), `(${ours.marks} marks)`);
  line('DuckDB-wasm, the same GROUP BY alone', ms(theirs));
  line('Churnlab redraw / DuckDB-wasm query', ratio(ours.ms, theirs));
}

/** The workshop's pipeline: Churnlab on one thread (a worker) against scikit-learn natively (1 BLAS thread). */
async function train(browser, baseUrl) {
  const python = path.join(root, '.venv/bin/python');
  const runs = 5;
  const sklearn = (file, mode) => JSON.parse(execFileSync(python, [path.join(root, 'bench/train_sklearn.py'), file, mode, String(runs)], { encoding: 'utf8' }));
  // On one thread: one worker, timed there around the training alone.
  const oneThread = (page, overrides, n) => page.evaluate(async ({ overrides, n }) => {
    const all = [];
    for (let i = 0; i <= n; i++) {
      const r = await window.churnlab.train(JSON.stringify(overrides));
      if (r.error) throw new Error(r.error);
      if (i > 0 || n === 0) all.push(r);
    }
    all.sort((a, b) => a.ms - b.ms);
    return all[Math.floor(all.length / 2)];
  }, { overrides, n });
  // As the Train page runs it: in workers, a CV's folds over one per core.
  const inWorkers = async (page, overrides, n) => {
    const all = [];
    for (let i = 0; i <= n; i++) {
      const r = await page.evaluate((o) => window.churnlab.trainInWorkers(JSON.stringify(o)), overrides);
      if (r.error) throw new Error(r.error);
      if (i > 0 || n === 0) all.push(r);
    }
    all.sort((a, b) => a.ms - b.ms);
    return all[Math.floor(all.length / 2)];
  };
  const cores = os.cpus().length;
  console.log(`\nTraining on the real file (7,043 rows; 5,282 train), median of ${runs} fits; scikit-learn ${sklearnVersion(python)} natively; ${cores} cores`);
  const ours = await withPage(browser, baseUrl, async (page) => {
    // A pick during the start-up restore is refused: wait for it to end.
    await pickFile(page, sharedData);
    await page.waitForFunction(() => window.churnlab.lastLoad() && window.churnlab.savesPending() === 0);
    return {
      plain: await oneThread(page, { mode: 'plain' }, runs),
      cv: await oneThread(page, { mode: 'cv' }, runs),
      'plain-all': await inWorkers(page, { mode: 'plain' }, runs),
      'cv-all': await inWorkers(page, { mode: 'cv' }, runs),
    };
  });
  const theirs = Object.fromEntries(['plain', 'cv', 'plain-all', 'cv-all'].map((mode) => [mode, sklearn(sharedData, mode)]));
  const rows = [
    ['plain', 'plain fit, C = 1, 1 thread (Churnlab in one worker, timed there)', 'Plain fit, 7,043 rows (1 thread)'],
    ['cv', 'LogisticRegressionCV, 5 folds × 10 C, 1 thread', 'CV 5 folds × 10 C (1 thread)'],
    ['plain-all', `plain fit, all ${cores} cores (Churnlab in a worker, as the Train page; BLAS unrestricted)`, 'Plain fit, 7,043 rows (all cores)'],
    ['cv-all', `LogisticRegressionCV, all ${cores} cores (Churnlab's folds over ${ours['cv-all'].workers} workers; n_jobs=-1)`, 'CV 5 folds × 10 C (all cores)'],
  ];
  for (const [mode, label, figure] of rows) {
    console.log(`  ${label}`);
    line('    Churnlab', ms(ours[mode].ms), `test accuracy ${ours[mode].testAccuracy.toFixed(4)}, AUC ${ours[mode].auc.toFixed(4)}`);
    line('    scikit-learn (native)', ms(theirs[mode].seconds * 1000), `test accuracy ${theirs[mode].test_accuracy.toFixed(4)}, AUC ${theirs[mode].auc.toFixed(4)}`);
    line('    Churnlab / scikit-learn', ratio(ours[mode].ms, theirs[mode].seconds * 1000), '(goal ≤ 1.00×)');
    // The same fits as on one thread; counted there.
    if (ours[mode].iterations !== undefined) line('    solver iterations per fit', `${ours[mode].iterations.toFixed(1)} over ${ours[mode].fits} fits`, `scikit-learn n_iter_ ${theirs[mode].iterations.toFixed(1)} over ${theirs[mode].fits}`);
    record(figure, ms(ours[mode].ms), `scikit-learn ${ms(theirs[mode].seconds * 1000)}`, ratio(ours[mode].ms, theirs[mode].seconds * 1000), 'train');
  }
  if (!process.env.BENCH_TRAIN_1M) return;
  console.log('\nPlain fit on 1,000,000 rows (one fit each)');
  const big = await withPage(browser, baseUrl, async (page) => {
    // A pick during the start-up restore is refused: wait for it to end.
    await pickFile(page, bigFile);
    await page.waitForFunction(() => window.churnlab.lastLoad() && window.churnlab.savesPending() === 0, null, { timeout: 600_000 });
    // The fit's memory is the worker's that trained.
    return oneThread(page, { mode: 'plain' }, 0);
  });
  const bigTheirs = JSON.parse(execFileSync(python, [path.join(root, 'bench/train_sklearn.py'), bigFile, 'plain', '1'], { encoding: 'utf8' }));
  line('  Churnlab (one worker)', ms(big.ms), `the worker's wasm memory ${mb(big.memory)} (goal ≤ 500 MB)`);
  line('  scikit-learn (native)', ms(bigTheirs.seconds * 1000));
  line('  Churnlab / scikit-learn', ratio(big.ms, bigTheirs.seconds * 1000), '(goal ≤ 1.00×)');
  record('Plain fit, 1,000,000 rows', `${ms(big.ms)}, ${mb(big.memory)}`, `scikit-learn ${ms(bigTheirs.seconds * 1000)}`, ratio(big.ms, bigTheirs.seconds * 1000), 'BENCH_TRAIN_1M=1 bench/run train');
}

/** Explanations: exact contributions for every customer and LIME for one, against Python shap and lime. */
/** Opens the riskiest customer on the Customers page: from the click to
 * "what would keep this customer?" answered, and the longest task. */
async function counterfactualTiming(page) {
  await page.getByTestId('nav-customers').click();
  await page.getByTestId('customer-row').first().waitFor();
  return page.evaluate(async () => {
    const tasks = [];
    const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => tasks.push(e.duration)));
    observer.observe({ entryTypes: ['longtask'] });
    const t = performance.now();
    document.querySelector('[data-testid="customer-row"] th').click();
    while (!document.querySelector('[data-testid="counterfactual-option"], [data-testid="no-counterfactual"]')) await new Promise((r) => requestAnimationFrame(r));
    const ms = performance.now() - t;
    await new Promise((r) => setTimeout(r, 100));
    observer.disconnect();
    return { ms, longest: Math.max(0, ...tasks) };
  });
}

/** A customer table of `columns` number columns (and a churn label), as CSV. */
function wideFile(columns, rows) {
  const file = path.join(root, `bench/out/wide-${columns}.csv`);
  if (fs.existsSync(file)) return file;
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const out = [[...Array(columns).keys()].map((c) => `x${c}`).concat('Churn').join(',')];
  for (let r = 0; r < rows; r++) {
    const xs = Array.from({ length: columns }, () => rand() * 2 - 1);
    const logit = xs.reduce((s, x, c) => s + x * (c % 12 === 0 ? 2.5 : 0.05), -1);
    out.push(xs.map((x) => x.toFixed(4)).concat(rand() < 1 / (1 + Math.exp(-logit)) ? 'Yes' : 'No').join(','));
  }
  fs.writeFileSync(file, out.join('\n') + '\n');
  return file;
}

async function explain(browser, baseUrl) {
  const python = path.join(root, '.venv/bin/python');
  const example = { StreamingTV: 'No', MonthlyCharges: 70.35, PhoneService: 'No', PaperlessBilling: 'No', Partner: 'No', OnlineBackup: 'No', gender: 'Female', Contract: 'Month-to-month', TotalCharges: 1397.475, StreamingMovies: 'No', DeviceProtection: 'No', PaymentMethod: 'Bank transfer (automatic)', tenure: 29, Dependents: 'No', OnlineSecurity: 'No', MultipleLines: 'No', InternetService: 'DSL', SeniorCitizen: 'No', TechSupport: 'No' };
  console.log('\nExplanations on the real file: the deployed plain model, median of 21 runs');
  const ours = await withPage(browser, baseUrl, async (page) => {
    await deployOnRealData(page);
    // The single-customer view: one click on a category until the new probability is shown.
    await page.getByTestId('nav-customers').click();
    await page.getByTestId('customer-row').first().click();
    await page.getByTestId('customer-view').waitFor();
    const rescoreMs = await page.evaluate(async () => {
      const control = (v) => document.querySelector(`[data-testid="feature-control"][data-feature="Contract"] [data-testid="category-option"][data-value="${v}"]`);
      const shown = () => document.querySelector('[data-testid="customer-probability"]').dataset.value;
      const times = [];
      for (let i = 0; i < 21; i++) {
        const before = shown();
        const t = performance.now();
        control(i % 2 ? 'Month-to-month' : 'Two year').click();
        while (shown() === before) await Promise.resolve();
        times.push(performance.now() - t);
      }
      return times.sort((a, b) => a - b)[10];
    });
    // Closed first, so the customer opens afresh (an open one already
    // shows its answers).
    await page.getByTestId('close-customer').click();
    const counterfactual = await counterfactualTiming(page);
    // The endpoint through the page's JS (the same on any page): 20 calls to
    // let the browser's optimising wasm compiler take over, then the median of 21.
    const measured = await page.evaluate(async (example) => {
      const med = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const all = [];
      for (let i = 0; i < 21; i++) all.push(window.churnlab.scoreAll().ms);
      for (let i = 0; i < 20; i++) await window.churnlab.explain(example, 'lime');
      const lime = [];
      for (let i = 0; i < 21; i++) {
        const t = performance.now();
        await window.churnlab.explain(example, 'lime');
        lime.push(performance.now() - t);
      }
      return { allMs: med(all), limeMs: med(lime), rows: window.churnlab.scoreAll().rows, model: window.churnlab.deployedModel() };
    }, example);
    await page.getByTestId('close-customer').click();
    const scroll = await scrollTimes(page);
    const wheel = await scrollTimes(page, { maxSteps: 200, wheelPx: 100 });
    // Batch scoring an uploaded 1,000,000-row file: from the pick to the
    // download, and the longest the page was busy without a break.
    await page.getByTestId('nav-deploy').click();
    await page.evaluate(() => {
      window.benchLongTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => window.benchLongTasks.push(e.duration))).observe({ entryTypes: ['longtask'] });
    });
    const started = Date.now();
    const download = page.waitForEvent('download', { timeout: 600_000 });
    await page.getByTestId('batch-file').setInputFiles(bigFile);
    await download;
    const batch = { ms: Date.now() - started, longest: await page.evaluate(() => Math.max(0, ...window.benchLongTasks)) };
    return { ...measured, rescoreMs, scroll, wheel, batch, counterfactual };
  });
  // The same customer view on a table of 200 number columns.
  const wide = await withPage(browser, baseUrl, async (page) => {
    await pickFile(page, wideFile(200, 2000));
    await page.waitForFunction(() => window.churnlab.lastLoad() && window.churnlab.savesPending() === 0);
    await trainPlain(page);
    await saveAndDeploy(page);
    return counterfactualTiming(page);
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'churnlab-explain-'));
  fs.writeFileSync(path.join(dir, 'model.json'), ours.model);
  fs.writeFileSync(path.join(dir, 'instance.json'), JSON.stringify(example));
  const theirs = JSON.parse(execFileSync(python, [path.join(root, 'bench/explain_python.py'), sharedData, path.join(dir, 'model.json'), path.join(dir, 'instance.json')], { encoding: 'utf8' }));
  fs.rmSync(dir, { recursive: true, force: true });
  line(`  exact contributions, all ${ours.rows.toLocaleString('en')} customers (Churnlab)`, ms(ours.allMs), '(goal ≤ 5 ms)');
  line('  SHAP LinearExplainer, 7,032 customers (Python)', ms(theirs.shap_ms));
  line('  Churnlab / shap', ratio(ours.allMs, theirs.shap_ms));
  line('  LIME, one customer, 5,000 samples (Churnlab)', ms(ours.limeMs), '(goal ≤ 2 ms)');
  line('  lime.LimeTabularExplainer (Python)', ms(theirs.lime_ms));
  line('  Churnlab / lime', ratio(ours.limeMs, theirs.lime_ms));
  line('  what-if re-score, click to updated view (Churnlab)', ms(ours.rescoreMs), '(goal ≤ 16 ms)');
  line('  a customer opened to "what would keep them?", 19 columns', ms(ours.counterfactual.ms), `longest task ${ms(ours.counterfactual.longest)}`);
  line('  the same, 200 columns (sets of up to 6 changes)', ms(wide.ms), `longest task ${ms(wide.longest)}; ${ratio(wide.ms, ours.counterfactual.ms)} the 19-column figure (goal ≤ 200 ms)`);
  line(`  customers table, a screen per scroll, to rows drawn (${ours.scroll.steps} screens)`, `${ms(ours.scroll.median)} median`, `${ms(ours.scroll.max)} worst (a frame is 16.7 ms)`);
  line(`  customers table, a 100 px wheel notch, to rows drawn (${ours.wheel.steps})`, `${ms(ours.wheel.median)} median`, `${ms(ours.wheel.max)} worst`);
  record('Customers table, scroll to rows drawn, 7,043 rows', `a screen: ${ms(ours.scroll.median)} median, ${ms(ours.scroll.max)} worst; a wheel notch: ${ms(ours.wheel.median)}, ${ms(ours.wheel.max)}`, 'a frame: 16.7 ms', ratio(ours.scroll.median, 1000 / 60), 'explain');
  line('  batch scoring an uploaded 1,000,000-row CSV, pick to download', ms(ours.batch.ms), `longest task ${ms(ours.batch.longest)}`);
}

/** Runs a simulation on the Operations page and times it to the charts drawn. */
async function timedSimulation(page, calls, block) {
  await page.getByTestId('sim-calls').fill(String(calls));
  await page.getByTestId('sim-calls').dispatchEvent('change');
  await page.getByTestId('sim-block-size').fill(String(block));
  await page.getByTestId('sim-block-size').dispatchEvent('change');
  const before = await page.getByTestId('sim-item').count();
  await page.evaluate(() => {
    window.benchLongTasks = [];
    window.benchObserver?.disconnect();
    window.benchObserver = new PerformanceObserver((list) => list.getEntries().forEach((e) => window.benchLongTasks.push(e.duration)));
    window.benchObserver.observe({ entryTypes: ['longtask'] });
  });
  const t = Date.now();
  await page.getByTestId('sim-start').click();
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="sim-item"]').length === n + 1 && document.querySelectorAll('[data-testid="ops-chart"] canvas').length === 5, before, { timeout: 600_000, polling: 'raf' });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const elapsed = Date.now() - t;
  return { ms: elapsed, longest: await page.evaluate(() => Math.max(0, ...window.benchLongTasks)) };
}

async function ops(browser, baseUrl) {
  const python = path.join(root, '.venv/bin/python');
  console.log('\nModel operations on the real file: the deployed plain model, label-corruption scenario');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'churnlab-ops-'));
  const ours = await withPage(browser, baseUrl, async (page) => {
    await deployOnRealData(page);
    await page.getByTestId('nav-operations').click();
    const lab = await timedSimulation(page, 1000, 100);
    const big = await timedSimulation(page, 100_000, 1000);
    // The same blocks for Python: the reference sample and the calls' inputs.
    const model = JSON.parse(await page.evaluate(() => window.churnlab.deployedModel()));
    const download = page.waitForEvent('download', { timeout: 600_000 });
    await page.getByTestId('sim-export-log').click();
    fs.copyFileSync(await (await download).path(), path.join(dir, 'log.csv'));
    const drift = [];
    for (let i = 0; i < 5; i++) drift.push(await page.evaluate(() => window.churnlab.opsDrift()));
    return { lab, big, model, drift: { ...drift[0], ms: median(drift.map((d) => d.ms)) } };
  });
  // The reference sample as a table, with the model's column names.
  const m = ours.model;
  const cols = m.stats.map((s) => s.column);
  const numeric = m.stats.filter((s) => s.kind === 'numeric').map((s) => s.column);
  const rows = m.reference.labels.length;
  const cell = (c, i) => {
    const col = m.reference.columns[c];
    const v = col.values[i];
    if (v === null) return '';
    return col.kind === 'numeric' ? String(v) : JSON.stringify(m.stats[c].categories[v]);
  };
  const refCsv = [cols.join(','), ...Array.from({ length: rows }, (_, i) => cols.map((_, c) => cell(c, i)).join(','))].join('\n');
  fs.writeFileSync(path.join(dir, 'reference.csv'), refCsv + '\n');
  // Only the model's columns of the log, under their own names.
  const log = fs.readFileSync(path.join(dir, 'log.csv'), 'utf8');
  fs.writeFileSync(path.join(dir, 'current.csv'), log);
  const theirs = JSON.parse(execFileSync(python, [path.join(root, 'bench/drift_python.py'), path.join(dir, 'reference.csv'), path.join(dir, 'current.csv'), '1000', numeric.join(',')], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  fs.rmSync(dir, { recursive: true, force: true });
  line('  1,000 calls with explain, start to all charts drawn', ms(ours.lab.ms), `longest task ${ms(ours.lab.longest)}`);
  line('  100,000 calls with predict, start to all charts drawn', ms(ours.big.ms), `longest task ${ms(ours.big.longest)}`);
  line(`  drift, ${ours.drift.features} features × ${ours.drift.blocks} blocks of 1,000 (Churnlab, page)`, ms(ours.drift.ms), '(PSI, KS or chi-square and JS, quality; median of 5)');
  line(`  Evidently DataDriftPreset, ${theirs.features} × ${theirs.blocks} (Python)`, ms(theirs.evidently_ms));
  line(`  NannyML univariate drift, ${theirs.features} × ${theirs.blocks} (Python)`, ms(theirs.nannyml_ms));
  line('  Churnlab / Evidently', ratio(ours.drift.ms, theirs.evidently_ms));
  line('  Churnlab / NannyML', ratio(ours.drift.ms, theirs.nannyml_ms));
}

function sklearnVersion(python) {
  return execFileSync(python, ['-c', 'import sklearn; print(sklearn.__version__)'], { encoding: 'utf8' }).trim();
}

/** Offline and sharing: reload online vs offline (service worker), the
 * one-file copy from file://, and the workshop's share link. */
async function share(browser, baseUrl) {
  console.log('\nOffline and sharing (medians of 5)');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'churnlab-bench-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS, viewport: { width: 1400, height: 900 } });
  const page = context.pages()[0] || (await context.newPage());
  const toData = async (go) => {
    const start = performance.now();
    await go();
    await page.getByTestId('dataset-name').waitFor();
    await page.waitForFunction(() => !document.querySelector('[data-testid="load-progress"]'));
    return performance.now() - start;
  };
  try {
    await page.goto(baseUrl + '#/data');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
    const online = [];
    const offline = [];
    for (let i = 0; i < 5; i++) online.push(await toData(() => page.reload()));
    await context.setOffline(true);
    for (let i = 0; i < 5; i++) offline.push(await toData(() => page.reload()));
    await context.setOffline(false);
    line('reload to the data page, online', ms(median(online)));
    line('reload to the data page, offline', ms(median(offline)), ratio(median(offline), median(online)) + ' of online');
    // A fresh context for each opening: an http page may not navigate to file://.
    const file = [];
    for (let i = 0; i < 5; i++) {
      const local = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const p = await local.newPage();
      const start = performance.now();
      await p.goto('file://' + path.join(dist, 'churnlab.html') + '#/data');
      await p.getByTestId('dataset-name').waitFor();
      await p.waitForFunction(() => !document.querySelector('[data-testid="load-progress"]'));
      file.push(performance.now() - start);
      await local.close();
    }
    line('one-file copy from file:// to the data page', ms(median(file)), ratio(median(file), median(online)) + ' of a served reload');

    // The workshop's recipe: the real data by URL, seniors saved, the seniors dashboard, CV training, deployed.
    await page.goto(baseUrl + '?data=shared/telco-churn.csv#/sql');
    await page.waitForFunction(() => document.querySelector('[data-testid="dataset-name"]')?.textContent === 'telco-churn', null, { timeout: 60_000 });
    await page.getByTestId('sql-editor').fill('SELECT * FROM churn WHERE seniorcitizen = "1"');
    await page.getByTestId('sql-run').click();
    await page.getByTestId('dataset-name-input').fill('senior');
    await page.getByTestId('save-dataset').click();
    await buildDashboard(page, 'Senior citizens', 'senior', ['PaymentMethod', 'Contract']);
    await page.getByTestId('nav-train').click();
    await page.getByTestId('train-start').click();
    await page.waitForFunction(() => !document.querySelector('[data-testid="train-progress"]') && document.querySelectorAll('[data-testid="metric"]').length === 5, null, { timeout: 300_000 });
    await saveAndDeploy(page);
    await page.getByTestId('nav-share').click();
    await page.getByTestId('make-share-link').click();
    const length = Number(await page.getByTestId('share-length').getAttribute('data-value'));
    line("share link, the workshop's recipe", `${length} chars`, ratio(length, 2048) + ' of the 2 KB goal');
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- main

/** Cold start on the default data: from navigation to the data page being usable and to the first SQL answer, with the browser's cache empty and warm; DuckDB-wasm's start in the same browser. */
async function coldStart(browser, baseUrl) {
  const runs = 5;
  console.log(`\nCold start on the default data, median of ${runs} (ms from navigation; "files" = the wasm and its glue arrived)`);
  // "Usable" is when the browser painted the data page's title (the
  // Element Timing API). The first answer is a query the page itself sends
  // as soon as it is told of that paint (an observer installed before the
  // app starts), so it also waits for whatever the page does just after,
  // and not for the harness.
  const askOnPaint = () => {
    window.__coldStart = new Promise((resolve, reject) =>
      new PerformanceObserver((list, observer) => {
        const entry = list.getEntries().find((e) => e.identifier === 'data-page');
        if (!entry) return;
        observer.disconnect();
        const ask = () => {
          if (!window.churnlab?.query) return setTimeout(ask, 0);
          const r = window.churnlab.query('SELECT Contract, COUNT(*) AS customers FROM churn GROUP BY Contract');
          if (r.error) reject(new Error(r.error));
          resolve({ usable: entry.renderTime || entry.loadTime, answered: performance.now() });
        };
        ask();
      }).observe({ type: 'element', buffered: true }),
    );
  };
  const churnlab = async (page) => {
    await page.waitForFunction(() => window.__coldStart, null, { timeout: 60_000 });
    return page.evaluate(async () => {
      const { usable, answered } = await window.__coldStart;
      const files = performance.getEntriesByType('resource').filter((e) => /churnlab-[0-9a-f]+(_bg\.wasm|\.js)$/.test(e.name)).map((e) => e.responseEnd);
      // The app's own marks (User Timing) for the breakdown.
      const mark = (name) => performance.getEntriesByName(`churnlab:${name}`)[0]?.startTime ?? NaN;
      // The workers' module, asked for once the first view is painted.
      await window.churnlabWorkerModule();
      return { filesArrived: Math.max(...files), started: mark('start'), data: mark('default-data'), summaries: mark('summaries'), mounted: mark('mounted'), usable, answered, workerAsked: mark('worker-module-asked'), workerReady: mark('worker-module') };
    });
  };
  // How long compiling the module takes alone (the rest of the wait after
  // the files is instantiating, the app's start and the first render).
  const compileMs = (page) =>
    page.evaluate(async () => {
      const url = document.querySelector('script[data-wasm]').dataset.wasm;
      const bytes = await (await fetch(url)).arrayBuffer();
      const t = performance.now();
      await WebAssembly.compile(bytes);
      return performance.now() - t;
    });
  const cold = [];
  const warm = [];
  const compile = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript(askOnPaint);
    await page.goto(baseUrl);
    cold.push(await churnlab(page));
    compile.push(await compileMs(page));
    await page.waitForFunction(() => window.churnlab.savesPending() === 0);
    await page.reload();
    warm.push(await churnlab(page));
    await context.close();
  }
  const duck = [];
  for (let i = 0; i < runs; i++) {
    duck.push(await withPage(browser, `${baseUrl}bench/baselines.html`, (page) => page.evaluate(() => window.baselines.duckdbCold())));
  }
  const med = (xs, f) => median(xs.map(f));
  for (const [label, xs] of [['empty cache', cold], ['warm cache (reload)', warm]]) {
    line(`Churnlab, ${label}: files arrived`, ms(med(xs, (x) => x.filesArrived)));
    line('  data page usable', ms(med(xs, (x) => x.usable)));
    line('  first SQL answer', ms(med(xs, (x) => x.answered)), `${ms(med(xs, (x) => x.answered - x.filesArrived))} after the files (goal ≤ 300 ms)`);
    if (xs === cold) line('  of which compiling the module (alone)', ms(median(compile)));
    const parts = [
      ['the module compiled and started', 'filesArrived', 'started'],
      ['the default data made', 'started', 'data'],
      ['its column summaries', 'data', 'summaries'],
      ['the rest of the first view built', 'summaries', 'mounted'],
      ['the data page painted', 'mounted', 'usable'],
      ['the first SQL answer', 'usable', 'answered'],
    ];
    for (const [what, from, to] of parts) line(`    ${what}`, ms(med(xs, (x) => x[to] - x[from])), 'after the step before');
    line("  the workers' module asked for", ms(med(xs, (x) => x.workerAsked)), `${ms(med(xs, (x) => x.workerAsked - x.usable))} after the data page painted`);
    line('    fetched and compiled', ms(med(xs, (x) => x.workerReady)), `${ms(med(xs, (x) => x.workerReady - x.workerAsked))} after it was asked for`);
  }
  line('DuckDB-wasm, empty cache: files arrived', ms(med(duck, (x) => x.filesArrived)));
  line('  first SQL answer', ms(med(duck, (x) => x.answered)), `${ms(med(duck, (x) => x.answered - x.filesArrived))} after the files`);
  line('Churnlab / DuckDB-wasm, first answer after the files', ratio(med(cold, (x) => x.answered - x.filesArrived), med(duck, (x) => x.answered - x.filesArrived)));
  record('Cold start: first SQL answer after the files arrive', `${ms(med(cold, (x) => x.answered - x.filesArrived))} (warm ${ms(med(warm, (x) => x.answered - x.filesArrived))})`, `DuckDB-wasm ${ms(med(duck, (x) => x.answered - x.filesArrived))}`, ratio(med(cold, (x) => x.answered - x.filesArrived), med(duck, (x) => x.answered - x.filesArrived)), 'cold');
}

/** The exported job on 1,000,000 rows: DuckDB and Spark (local mode) against the app's batch scoring of the same file. */
async function exportJobs(browser, baseUrl) {
  console.log('\nScoring 1,000,000 rows with the exported job (one run each; the model trained on the same file)');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'churnlab-bench-job-'));
  const ours = await withPage(browser, baseUrl, async (page) => {
    // A pick during the start-up restore is refused: wait for it to end.
    await pickFile(page, bigFile);
    await page.waitForFunction(() => window.churnlab.lastLoad() && window.churnlab.savesPending() === 0, null, { timeout: 600_000 });
    await trainPlain(page, 600_000);
    await saveAndDeploy(page);
    const scored = await page.evaluate(() => window.churnlab.scoreAll());
    const download = page.waitForEvent('download');
    await page.getByTestId('export-job').click();
    const file = await download;
    const zip = path.join(out, file.suggestedFilename());
    fs.copyFileSync(await file.path(), zip);
    return { ...scored, zip };
  });
  const run = (job, python, output) => {
    const input = path.join(out, 'in.json');
    const result = path.join(out, 'out.json');
    fs.writeFileSync(input, JSON.stringify({ job, python, output, rows: false }));
    execFileSync(path.join(root, '.venv/bin/python'), [path.join(root, 'tests/python/run_job.py'), ours.zip, bigFile, input, result], { stdio: ['ignore', 'ignore', 'inherit'] });
    return JSON.parse(fs.readFileSync(result, 'utf8'));
  };
  const duck = run('score_duckdb.py', path.join(root, '.venv/bin/python'), 'scores.parquet');
  const spark = run('score_spark.py', path.join(root, '.venv-spark/bin/python'), 'scores_dir');
  line('Churnlab batch scoring (in the page)', ms(ours.ms), `${ours.rows} rows, probability and contributions`);
  line('DuckDB: score_duckdb.py (CSV in, Parquet out)', ms(duck.seconds * 1000), `${duck.count} rows, process start included`);
  line('Spark local: score_spark.py', ms(spark.seconds * 1000), `${spark.count} rows, JVM start included`);
  line('DuckDB / Churnlab', ratio(duck.seconds * 1000, ours.ms));
  record('Scoring 1,000,000 rows', `${ms(ours.ms)} (table in memory)`, `exported job: DuckDB ${ms(duck.seconds * 1000)}, Spark local ${ms(spark.seconds * 1000)} (CSV read included)`, ratio(ours.ms, duck.seconds * 1000), 'export');
  line('Spark / Churnlab', ratio(spark.seconds * 1000, ours.ms));
  fs.rmSync(out, { recursive: true, force: true });
}

const groups = { size, ingest, query, chart, train, explain, ops, share, cold: coldStart, export: exportJobs, learner: (browser, url) => learner(browser, url, line), responsive: (browser, url) => responsive(browser, url, { line, record, ms, ratio, bigFile }) };
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(groups);
for (const g of wanted) {
  if (!groups[g]) {
    console.error(`unknown group ${g}; groups: ${Object.keys(groups).join(', ')}`);
    process.exit(2);
  }
}

const server = await startServer({
  root: dist,
  mounts: { bench: path.join(root, 'bench/page'), node_modules: path.join(root, 'node_modules'), out: path.join(root, 'bench/out'), shared: path.dirname(sharedData) },
});
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS });
console.log(`Churnlab benchmarks — ${new Date().toISOString().slice(0, 10)}, Chromium ${browser.version()}, ${os.cpus().length} cores, Node ${process.version}`);
try {
  for (const g of wanted) await groups[g](browser, server.url);
  writeReadmeTable();
} finally {
  await browser.close();
  await server.close();
}
