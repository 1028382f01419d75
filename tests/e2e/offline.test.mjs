// Classrooms without a network: after one visit the whole journey works
// offline (the service worker precaches exactly the build's files); a new
// build is offered with "Reload to update" and never mixed with the old
// one; the one-file copy opens from file:// with no server and runs the
// journey, training in a worker included; "Save offline copy" downloads
// the same file; with no browser storage the app works in memory and says
// so once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openApp, openBrowser, repoRoot, rowCount, saveAndDeploy, trainPlain, waitIdle } from './browser.mjs';
import { finishBuild } from '../../scripts/post-build.mjs';

const dist = path.join(repoRoot, 'dist');
let app;
let root;

before(async () => {
  // A copy of the build that the update test can turn into another build.
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'churnlab-offline-'));
  fs.cpSync(dist, root, { recursive: true });
  app = await openApp({ root });
});
after(async () => {
  await app.close();
  fs.rmSync(root, { recursive: true, force: true });
});

const build = (page) => page.evaluate(() => document.querySelector('meta[name="churnlab-build"]').content);

/** The journey: data, SQL, a chart, training, deploying, explaining, operations. */
async function journey(page) {
  await page.getByTestId('nav-data').click();
  await waitIdle(page);
  assert.ok((await rowCount(page)) > 1000);
  await page.getByTestId('nav-sql').click();
  await page.getByTestId('sql-editor').fill('SELECT Contract, COUNT(*) AS n FROM churn GROUP BY Contract');
  await page.getByTestId('sql-run').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="result-count"]')?.textContent === '3');
  await page.getByTestId('nav-explore').click();
  await page.locator('canvas').first().waitFor();
  await trainPlain(page);
  await saveAndDeploy(page);
  await page.getByTestId('endpoint-test').click();
  const answer = JSON.parse(await page.getByTestId('endpoint-output').textContent());
  assert.ok(answer.probability > 0 && answer.probability < 1);
  await page.getByTestId('nav-operations').click();
  await page.getByTestId('sim-calls').fill('200');
  await page.getByTestId('sim-calls').dispatchEvent('change');
  await page.getByTestId('sim-start').click();
  await page.getByTestId('answer-key').waitFor({ timeout: 60_000 });
}

async function timeToData(page, go) {
  const start = Date.now();
  await go();
  await page.getByTestId('dataset-name').waitFor();
  await waitIdle(page);
  return Date.now() - start;
}

test('after one visit the whole journey works with the network off', async () => {
  const { page, context } = app;
  await page.goto(app.url + '#/data');
  await page.getByTestId('dataset-name').waitFor();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30_000 });
  const online = await timeToData(page, () => page.reload());
  await context.setOffline(true);
  try {
    const offline = await timeToData(page, () => page.reload());
    console.log(`# reload to the data page: online ${online} ms, offline ${offline} ms`);
    assert.equal(await page.getByTestId('load-error').count(), 0);
    await journey(page);
    // The offline copy is made from the cached files too.
    await page.getByTestId('nav-share').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-offline-copy').click()]);
    const saved = fs.readFileSync(await download.path());
    assert.equal(download.suggestedFilename(), 'churnlab.html');
    assert.ok(saved.equals(fs.readFileSync(path.join(root, 'churnlab.html'))), 'the saved copy is the build\'s churnlab.html');
  } finally {
    await context.setOffline(false);
  }
  assert.deepEqual(app.errors, []);
});

test('a new build waits for "Reload to update" and is never mixed with the old one', async () => {
  const { page } = app;
  const a = await build(page);
  const workerA = fs.readFileSync(path.join(root, 'worker.js'), 'utf8');
  // Build B: another worker.js, so another build name and service worker.
  fs.writeFileSync(path.join(root, 'worker.js'), workerA + '\n// build B\n');
  const { build: b } = await finishBuild(root);
  assert.notEqual(a, b);
  await page.reload();
  await page.getByTestId('install-update').waitFor({ timeout: 30_000 });
  // Still build A, whole: its page and its files, although the server now has B's.
  assert.equal(await build(page), a);
  assert.equal(await page.evaluate(() => fetch('worker.js').then((r) => r.text())), workerA);
  assert.ok(await page.evaluate(() => fetch('sw.js').then((r) => r.text())).then((t) => t.includes(b)), 'the server has B');
  // B's service worker is installed and waiting: the moment a page that
  // swaps by itself would reload. This one keeps A until asked.
  await page.waitForFunction(() => navigator.serviceWorker.getRegistration().then((r) => r?.waiting?.state === 'installed'));
  assert.equal(await build(page), a, 'nothing reloads by itself');
  await Promise.all([page.waitForEvent('load'), page.getByTestId('install-update').click()]);
  await page.getByTestId('dataset-name').waitFor();
  assert.equal(await build(page), b);
  assert.match(await page.evaluate(() => fetch('worker.js').then((r) => r.text())), /build B/);
  assert.equal(await page.getByTestId('install-update').count(), 0);
  // Work saved under build A is still there.
  await page.getByTestId('nav-deploy').click();
  await page.getByTestId('endpoint-input').waitFor();
  const caches = await page.evaluate(() => caches.keys());
  assert.deepEqual(caches, [`churnlab-${b}`]);
  assert.deepEqual(app.errors, []);
});

test('the one-file copy opens from file:// with no server and runs the journey', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'churnlab-usb-'));
  const file = path.join(dir, 'churnlab.html');
  fs.copyFileSync(path.join(dist, 'churnlab.html'), file);
  const browser = await openBrowser();
  try {
    const { page } = browser;
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    const ms = await timeToData(page, () => page.goto(pathToFileURL(file).href + '#/data'));
    console.log(`# one-file copy from file:// to the data page: ${ms} ms`);
    await journey(page);
    // Nothing was asked of any server: only the file itself, blobs and data.
    assert.deepEqual(requests.filter((u) => !/^(file|blob|data):/.test(u)), []);
    // Its own "Save offline copy" gives the page as it was opened.
    await page.getByTestId('nav-share').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-offline-copy').click()]);
    const copy = fs.readFileSync(await download.path(), 'utf8');
    assert.match(copy, /^<!doctype html>/i);
    assert.ok(copy.includes(`<meta name="churnlab-build" content="${await build(page)}"`));
    assert.ok(copy.length > 0.99 * fs.statSync(file).size);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('with no browser storage the app works in memory and says so once', async () => {
  const browser = await openBrowser();
  try {
    const { page, context } = browser;
    await context.addInitScript(() => Object.defineProperty(window, 'indexedDB', { value: undefined }));
    await page.goto(app.url + '?no-sw#/sql');
    await page.getByTestId('storage-notice').waitFor();
    await page.getByTestId('sql-editor').fill('SELECT * FROM churn WHERE SeniorCitizen = 1');
    await page.getByTestId('sql-run').click();
    await page.getByTestId('dataset-name-input').fill('seniors');
    await page.getByTestId('save-dataset').click();
    await page.getByTestId('save-dataset-done').waitFor();
    await page.getByTestId('nav-data').click();
    assert.equal(await page.getByTestId('storage-notice').count(), 1);
    // No "will not be kept" warning per save: the one notice says it.
    assert.equal(await page.getByTestId('load-warning').count(), 0);
    await page.getByTestId('storage-notice-dismiss').click();
    await page.getByTestId('nav-sql').click();
    assert.equal(await page.getByTestId('storage-notice').count(), 0);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});
