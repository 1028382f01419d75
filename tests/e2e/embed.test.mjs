// Embedding, across origins: a host page on one loopback port shows a
// dashboard of the app served on another, from the app's own Embed
// snippet; it waits for `ready`, sends every command and checks the
// replies; a message from a third origin is ignored; the iframe's height
// follows the view; views that do not exist say so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDashboard, openApp, saveAndDeploy, trainPlain, waitIdle } from './browser.mjs';
import { startServer } from './server.mjs';

let app;
let hostDir;
let host;
let third;
let snippet;

before(async () => {
  app = await openApp();
  hostDir = fs.mkdtempSync(path.join(os.tmpdir(), 'churnlab-host-'));
  host = await startServer({ root: hostDir });
  third = await startServer({ root: hostDir });
  fs.writeFileSync(path.join(hostDir, 'third.html'), '<!doctype html><title>third</title><p>another site</p>');
});
after(async () => {
  await app.close();
  await host.close();
  await third.close();
  fs.rmSync(hostDir, { recursive: true, force: true });
});

const origin = (url) => new URL(url).origin;

test('the Embed button gives a snippet for the dashboard, trusting the page named', async () => {
  const { page } = app;
  await page.goto(app.url + '#/data');
  await waitIdle(page);
  await trainPlain(page);
  await saveAndDeploy(page);
  await buildDashboard(page, 'Contracts', 'churn', ['Contract']);
  await page.locator('.dashboard-actions [data-testid="embed-button"]').click();
  await page.getByTestId('embed-parent').fill(origin(host.url));
  snippet = await page.getByTestId('embed-snippet').inputValue();
  const src = snippet.match(/src="([^"]+)"/)[1].replace(/&amp;/g, '&');
  const url = new URL(src);
  assert.equal(url.origin, origin(app.url));
  assert.equal(url.searchParams.get('embed'), 'dashboard');
  assert.equal(url.searchParams.get('parent'), origin(host.url));
  assert.match(url.hash, /^#share=1\./);
  assert.match(snippet, /e\.data\.type === 'resize'/);
  assert.deepEqual(app.errors, []);
});

test('a page on another origin embeds the dashboard and drives it with postMessage', async () => {
  assert.ok(snippet, 'the first test made the snippet');
  const appOrigin = origin(app.url);
  fs.writeFileSync(
    path.join(hostDir, 'host.html'),
    `<!doctype html><html><head><title>Docs</title></head><body><h1>Our churn</h1>
${snippet}
<iframe id="third" src="${third.url}third.html"></iframe>
<script>
  window.messages = [];
  addEventListener('message', (e) => window.messages.push({ origin: e.origin, data: e.data }));
  window.ask = (request) => new Promise((resolve) => {
    const listen = (e) => {
      if (e.origin === '${appOrigin}' && e.data && e.data.id === request.id) {
        removeEventListener('message', listen);
        resolve(e.data);
      }
    };
    addEventListener('message', listen);
    document.querySelector('iframe').contentWindow.postMessage({ churnlab: 1, ...request }, '${appOrigin}');
  });
</script></body></html>`,
  );
  const { page } = app;
  await page.goto(host.url + 'host.html');
  const iframe = page.locator('iframe').first();
  const frame = page.frameLocator('iframe >> nth=0');
  await page.waitForFunction(() => window.messages.some((m) => m.data && m.data.type === 'ready'), null, { timeout: 30_000 });
  const ready = await page.evaluate(() => window.messages.find((m) => m.data.type === 'ready'));
  assert.equal(ready.origin, appOrigin);
  assert.equal(ready.data.protocol, 1);
  assert.deepEqual(ready.data.view, { view: 'dashboard', id: ready.data.view.id });
  assert.deepEqual(ready.data.capabilities, ['loadData', 'runSql', 'setFilter', 'predict', 'explain', 'getState']);

  // The view rebuilds itself from the link in the snippet: no chrome, the dashboard, sized to fit.
  await frame.getByTestId('embedded-dashboard').waitFor({ timeout: 120_000 });
  await frame.getByTestId('chart-datum').first().waitFor();
  // The rebuild ends with the model trained and deployed again.
  await frame.getByTestId('share-rebuilding').waitFor({ state: 'detached', timeout: 120_000 });
  assert.equal(await frame.getByTestId('nav-data').count(), 0);
  assert.equal(await frame.getByTestId('visual-edit').isVisible(), false);
  await page.waitForFunction(() => {
    const sizes = window.messages.filter((m) => m.data && m.data.type === 'resize');
    const el = document.querySelector('iframe');
    return sizes.length > 0 && el.style.height === `${sizes[sizes.length - 1].data.height}px`;
  });
  const height = (await iframe.boundingBox()).height;
  assert.ok(height > 150 && height !== 480, `iframe height ${height}`);

  const ask = (request) => page.evaluate((r) => window.ask(r), request);
  const state = await ask({ id: 1, type: 'getState' });
  assert.equal(state.ok, true);
  assert.equal(state.result.dashboards.length, 1);
  assert.equal(state.result.model.name, 'Churn Model API Endpoint');

  const counts = await ask({ id: 2, type: 'runSql', sql: 'SELECT Contract, COUNT(*) AS n FROM churn GROUP BY Contract ORDER BY Contract' });
  assert.equal(counts.ok, true);
  assert.deepEqual(counts.result.columns, ['Contract', 'n']);
  assert.equal(counts.result.rows.length, 3);
  const twoYear = counts.result.rows.find((r) => r[0] === 'Two year')[1];

  const filtered = await ask({ id: 'f', type: 'setFilter', filter: "Contract = 'Two year'" });
  assert.deepEqual(filtered, { churnlab: 1, id: 'f', ok: true, result: { rows: twoYear } });
  await frame.locator('[data-testid="chart-datum"]').nth(1).waitFor({ state: 'detached' });
  assert.deepEqual(await frame.getByTestId('chart-datum').evaluateAll((d) => d.map((x) => [x.dataset.label, Number(x.dataset.value)])), [['Two year', twoYear]]);
  await page.waitForFunction(() => window.messages.some((m) => m.data && m.data.type === 'stateChanged'));

  const customer = { tenure: 2, Contract: 'Month-to-month', InternetService: 'Fiber optic', MonthlyCharges: 95 };
  const predicted = await ask({ id: 3, type: 'predict', customer });
  assert.ok(predicted.ok && predicted.result.probability > 0.5, JSON.stringify(predicted));
  const explained = await ask({ id: 4, type: 'explain', customer, method: 'exact' });
  assert.equal(explained.ok, true);
  assert.ok(Math.abs(explained.result.probability - predicted.result.probability) < 1e-12);
  assert.ok('tenure' in explained.result.explanation);
  // A whole row of the model's table: the identifier and the target are ignored, and named.
  const row = { customerID: '0000-TEST', ...customer, Churn: 'Yes' };
  const whole = await ask({ id: 'row', type: 'explain', customer: row, method: 'exact' });
  assert.ok(whole.ok, JSON.stringify(whole));
  assert.deepEqual(whole.result.ignored, ['customerID', 'Churn']);
  assert.equal(whole.result.probability, explained.result.probability);

  // Bad requests are answered with their id and say why.
  for (const [request, message] of [
    [{ id: 5, type: 'fly' }, /unknown request type "fly"/],
    [{ id: 6, type: 'runSql' }, /"sql" is missing/],
    [{ id: 7, type: 'runSql', sql: 'SELEC 1' }, /line 1/i],
    [{ id: 8, type: 'setFilter', filter: 'nosuch > 1' }, /nosuch/],
    [{ id: 9, type: 'loadData', url: 'https://elsewhere.example/a.csv' }, /relative address/],
    [{ id: 10, type: 'predict', customer: { tenure: 'long' } }, /tenure/],
  ]) {
    const reply = await ask(request);
    assert.equal(reply.id, request.id);
    assert.equal(reply.ok, false);
    assert.match(reply.error, message);
  }

  // Markup in a message is data: answered or refused as text, never run or drawn.
  const payload = '<img src="/__xss_img" onerror="window.__xss=1">';
  for (const request of [
    { id: 'x1', type: 'runSql', sql: `SELECT '${payload}' AS v` },
    { id: 'x2', type: 'runSql', sql: `SELECT ${payload}` },
    { id: 'x3', type: 'setFilter', filter: `Contract = '${payload}'` },
    { id: 'x4', type: 'explain', customer: { Contract: payload } },
    { id: 'x5', type: 'loadData', url: `javascript:${payload}` },
  ]) {
    const reply = await ask(request);
    assert.equal(reply.id, request.id);
  }
  await ask({ id: 'x6', type: 'setFilter', filter: "Contract = 'Two year'" });
  const appFrame = page.frames().find((f) => f.url().startsWith(app.url));
  const injected = await appFrame.evaluate(() => [...document.querySelectorAll('*')].filter((e) => e.getAttributeNames().some((a) => a.startsWith('on')) || (e.getAttribute('src') ?? '').includes('__xss')).length + (window.__xss ? 1 : 0));
  assert.equal(injected, 0, 'no element or handler came from a message');

  // A third origin is ignored: no reply, and its filter is not applied.
  // The app's frame counts the messages it receives after its own listener
  // has seen them: the evil one has arrived before anything is checked.
  await appFrame.evaluate(() => {
    window.seenEvil = 0;
    addEventListener('message', (e) => { if (e.data && e.data.id === 'evil') window.seenEvil += 1; });
  });
  await page.frame({ url: /third\.html/ }).evaluate(() => parent.frames[0].postMessage({ churnlab: 1, id: 'evil', type: 'setFilter', filter: "Contract = 'Month-to-month'" }, '*'));
  await appFrame.waitForFunction(() => window.seenEvil === 1);
  const after = await ask({ id: 11, type: 'getState' });
  assert.equal(after.result.filter, "Contract = 'Two year'");
  assert.equal(await page.evaluate(() => window.messages.filter((m) => m.data && m.data.id === 'evil').length), 0);

  // New data from the page, as CSV text.
  const loaded = await ask({ id: 12, type: 'loadData', csv: 'customerID,tenure,Churn\na,1,Yes\nb,40,No\n', name: 'tiny.csv' });
  assert.deepEqual(loaded.result, { name: 'tiny', rows: 2, columns: 3 });
  assert.equal((await ask({ id: 13, type: 'runSql', sql: 'SELECT * FROM churn' })).result.total, 2);
  assert.deepEqual(app.errors, []);
});

test('an address naming no view, or a dashboard that is not there, says so', async () => {
  const { page } = app;
  await page.goto('about:blank');
  await page.goto(app.url + '?embed=settings');
  assert.match(await page.getByTestId('embed-error').textContent(), /no view "settings" to embed/);
  await page.goto('about:blank');
  await page.goto(app.url + '?embed=dashboard&id=12345');
  await page.getByTestId('embed-missing').waitFor();
  assert.match(await page.getByTestId('embed-missing').textContent(), /no dashboard 12345/);
  await page.goto('about:blank');
  await page.goto(app.url + '?embed=endpoint');
  await page.getByTestId('endpoint-input').waitFor();
});
