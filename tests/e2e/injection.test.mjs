// Nothing injected: markup and script payloads put everywhere user text
// reaches the page (a file's name, its column names and cells, SQL and its
// errors, dataset names, chart and dashboard titles, model names and
// descriptions, lab files, share links, project files) never run, never
// fetch, never become elements, and show as the text they are.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openApp, pickFile, repoRoot, waitIdle, train } from './browser.mjs';

const MARK = '__xss';
const PAYLOADS = [
  `<img src="/${MARK}_img" onerror="window.${MARK}=1">`,
  `"><script>window.${MARK}=2</script>`,
  `javascript:window.${MARK}=3`,
  `<svg onload="window.${MARK}=4"><a href="javascript:window.${MARK}=5">x</a></svg>`,
  `\u202eevil\u202c zero\u200bwidth`,
];
const LONG = 'L'.repeat(20_000);
let app;
const dialogs = [];
const requests = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'churnlab-xss-'));
const q = (s) => `"${s.replace(/"/g, '""')}"`;

before(async () => {
  app = await openApp();
  app.page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  app.page.on('request', (r) => {
    const url = r.url();
    if (url.includes(MARK) || !(url.startsWith(app.url) || url.startsWith('data:') || url.startsWith('blob:'))) requests.push(url);
  });
  await app.page.goto(app.url + '#/data');
  await waitIdle(app.page);
});
after(async () => {
  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** No payload ran, fetched or became an element. */
async function clean(page, where) {
  const found = await page.evaluate((mark) => {
    const bad = [];
    if (window[mark] !== undefined) bad.push(`window.${mark} = ${window[mark]}`);
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.getAttributeNames()) {
        const v = el.getAttribute(a) ?? '';
        if (a.startsWith('on')) bad.push(`<${el.localName} ${a}>`);
        if ((a === 'href' || a === 'src') && (v.includes(mark) || v.trim().toLowerCase().startsWith('javascript:'))) bad.push(`<${el.localName} ${a}="${v.slice(0, 40)}">`);
      }
      if (el.localName === 'script' && el.textContent.includes(mark)) bad.push('<script> with the payload');
    }
    return bad;
  }, MARK);
  assert.deepEqual(found, [], `${where}: ${found.join(', ')}`);
  assert.deepEqual(dialogs, [], `${where}: dialogs`);
  assert.deepEqual(requests, [], `${where}: requests`);
}

const shows = (page, text) => page.evaluate((t) => document.body.innerText.includes(t) || [...document.querySelectorAll('input, textarea')].some((i) => i.value.includes(t)), text);

test('the check itself catches a payload that runs', async () => {
  const { page } = app;
  // Planted on purpose: the element, its handler, its request.
  await page.evaluate((p) => {
    const div = document.createElement('div');
    div.id = 'planted';
    div.innerHTML = p;
    document.body.append(div);
  }, PAYLOADS[0]);
  await page.waitForFunction(() => document.querySelector('#planted img')?.complete);
  await assert.rejects(clean(page, 'planted'), /<img onerror>/);
  assert.ok(requests.some((u) => u.includes(MARK)), 'its request was seen');
  // The CSP is a second wall: even planted markup runs no inline handler.
  assert.equal(await page.evaluate((mark) => window[mark], MARK), undefined);
  await page.evaluate((mark) => {
    document.getElementById('planted').remove();
    delete window[mark];
  }, MARK);
  requests.length = 0;
  await clean(page, 'after the plant is gone');
});

test('a file whose name, columns and cells are payloads loads as text', async () => {
  const { page } = app;
  const rows = Array.from({ length: 60 }, (_, i) => [q(PAYLOADS[i % PAYLOADS.length]), i % 40, i % 3 === 0 ? 'Yes' : 'No', i === 7 ? q(LONG) : 'x'].join(','));
  const file = path.join(dir, '<img src=x onerror=alert(1)>.csv');
  fs.writeFileSync(file, [`${q(PAYLOADS[0])},tenure,Churn,${q(PAYLOADS[1])}`, ...rows].join('\n') + '\n');
  await pickFile(page, file);
  await page.waitForFunction(() => document.querySelector('[data-testid="dataset-name"]')?.textContent.includes('<img'));
  assert.ok(await shows(page, PAYLOADS[0]), 'the column name shows as text');
  assert.ok(await shows(page, '<img src=x onerror=alert(1)>'), 'the file name shows as text');
  await clean(page, 'data page');
});

test('SQL text, its results and its errors show payloads as text; so do saved dataset names', async () => {
  const { page } = app;
  await page.getByTestId('nav-sql').click();
  await page.getByTestId('sql-editor').fill(`SELECT ${PAYLOADS[0]} FROM churn`);
  await page.getByTestId('sql-run').click();
  await page.getByTestId('sql-error').waitFor();
  await clean(page, 'SQL error');
  await page.getByTestId('sql-editor').fill(`SELECT * FROM churn`);
  await page.getByTestId('sql-run').click();
  await page.getByTestId('dataset-name-input').fill(PAYLOADS[1]);
  await page.getByTestId('save-dataset').click();
  // Saved or refused, the name is answered before anything is checked.
  await page.locator('[data-testid="save-dataset-done"], [data-testid="save-dataset-error"]').waitFor();
  await clean(page, 'SQL result and saved dataset');
  await page.getByTestId('nav-data').click();
  await clean(page, 'dataset list');
});

test('chart and dashboard titles, and chart labels from payload cells, stay text', async () => {
  const { page } = app;
  await page.getByTestId('nav-visuals').click();
  await page.getByTestId('new-dashboard').first().click();
  await page.getByTestId('add-visual').click();
  const builder = page.getByTestId('chart-builder');
  await builder.getByTestId('visual-title').fill(PAYLOADS[3]);
  await builder.locator('[data-testid="field-pill"] [data-testid="field-add"]').first().selectOption('dimensions');
  await builder.locator('[data-testid="field-pill"][data-field="Record Count"] [data-testid="field-add"]').selectOption('measures');
  await builder.getByTestId('visual-done').click();
  await page.getByTestId('dashboard-title').fill(PAYLOADS[0] + LONG);
  await page.getByTestId('save-dashboard').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="save-dashboard"]')?.textContent === 'Saved');
  assert.ok(await shows(page, PAYLOADS[0]), 'the dashboard title shows as text');
  await clean(page, 'dashboard');
});

test('model names and descriptions, lab files, share links and project files stay text', async () => {
  const { page } = app;
  await page.getByTestId('nav-train').click();
  await page.getByTestId('train-mode').selectOption('plain');
  await train(page);
  await page.getByTestId('model-name-input').fill(PAYLOADS[0]);
  await page.getByTestId('model-description-input').fill(PAYLOADS[1]);
  await page.getByTestId('save-model').click();
  await page.getByTestId('nav-deploy').click();
  await page.getByTestId('deploy-model').first().click();
  assert.ok(await shows(page, PAYLOADS[0]), 'the model name shows as text');
  await clean(page, 'deploy page');

  const lab = path.join(dir, 'lab.md');
  fs.writeFileSync(lab, `---\nid: x\ntitle: ${PAYLOADS[0]}\nversion: 1\n---\n# ${PAYLOADS[3]}\n## ${PAYLOADS[1]} {#one}\ncheck: dataset.rows >= 1\n\n${PAYLOADS.join('\n\n')}\n`);
  await page.getByTestId('lab-open').click();
  await page.getByTestId('lab-load').setInputFiles(lab);
  await page.waitForFunction((t) => document.querySelector('[data-testid="lab-title"]')?.textContent === t, PAYLOADS[0]);
  await clean(page, 'lab panel');
  await page.locator('.lab-tools summary', { hasText: 'Other labs' }).click();
  await page.getByTestId('lab-workshop').click();

  await page.getByTestId('nav-share').click();
  const project = path.join(dir, 'project.json');
  fs.writeFileSync(project, JSON.stringify({ format: 'churnlab-project', version: 1, name: PAYLOADS[0], base: PAYLOADS[1] }));
  await page.getByTestId('import-project').setInputFiles(project);
  await page.getByTestId('project-error').waitFor();
  await clean(page, 'project import');

  // A new address that differs only in its fragment is not a new page:
  // reload, so the app starts on the link.
  await page.goto(app.url + '#share=' + encodeURIComponent(PAYLOADS[1] + PAYLOADS[0]));
  await page.reload();
  await waitIdle(page);
  // The damaged link was read and refused, then nothing ran from it.
  await page.getByTestId('load-error').filter({ hasText: 'This share link cannot be opened' }).waitFor();
  await clean(page, 'share link');
  assert.deepEqual(app.errors, []);
});

test('the CSP is as strict in every build: the site and the one-file copy', async () => {
  const csp = (file) => {
    const html = fs.readFileSync(path.join(repoRoot, 'dist', file), 'utf8');
    const m = html.match(/http-equiv="Content-Security-Policy"\s+content="([^"]+)"/);
    assert.ok(m, `${file} has a CSP`);
    return Object.fromEntries(m[1].split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  };
  for (const file of ['index.html', 'churnlab.html']) {
    const p = csp(file);
    const scripts = p['script-src'];
    assert.ok(scripts.includes("'wasm-unsafe-eval'"), `${file}: wasm may compile`);
    for (const loose of ["'unsafe-eval'", "'unsafe-inline'", '*', 'data:', 'http:', 'https:']) assert.ok(!scripts.includes(loose), `${file}: script-src has ${loose}`);
    assert.deepEqual(p['object-src'], ["'none'"], file);
    assert.deepEqual(p['form-action'], ["'none'"], file);
    assert.ok(["'self'", "'none'"].includes(p['default-src'][0]), `${file}: default-src ${p['default-src']}`);
    for (const [k, v] of Object.entries(p)) assert.ok(!v.some((s) => /^https?:/.test(s)), `${file}: ${k} names another origin`);
  }
});
