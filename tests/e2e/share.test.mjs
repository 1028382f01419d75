// Handing work on: a share link (a recipe) opened in a fresh profile gives
// the same datasets, dashboards and model; "Export project" then clearing
// the browser then "Import project" gives everything back, equal; damaged
// files and links are named and change nothing. The Overview's README
// (Markdown, shown as elements) goes with the link and the file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDashboard, openApp, openBrowser, rowCount, saveAndDeploy, saveQueryAsDataset, sharedData, trainPlain, waitIdle } from './browser.mjs';

let app;

before(async () => {
  app = await openApp({ fixtures: path.dirname(sharedData) });
  await app.page.goto(app.url + '?data=fixtures/telco-churn.csv#/data');
  await app.page.waitForFunction(() => document.querySelector('[data-testid="dataset-name"]')?.textContent === 'telco-churn');
  await waitIdle(app.page);
});
after(async () => {
  await app.close();
});

/** The open dashboard's chart data, visual by visual. */
async function dashboardData(page) {
  await page.getByTestId('nav-visuals').click();
  await page.getByTestId('dashboard-item').first().click();
  await page.getByTestId('dashboard-visual').first().getByTestId('chart-datum').first().waitFor();
  return page.getByTestId('dashboard-visual').evaluateAll((cards) => cards.map((c) => [c.dataset.title, [...c.querySelectorAll('[data-testid="chart-datum"]')].map((d) => [d.dataset.label, d.dataset.value])]));
}

const README = '# Who leaves\n\nA study of **why** customers go.\n\n- the real file\n- seniors <img src=x onerror="window.__readme=1">\n';

/** The Overview's README as the page shows it: headings, items, bold. */
async function readmeShown(page) {
  await page.getByTestId('nav-overview').click();
  const readme = page.getByTestId('overview-readme');
  await readme.locator('h3').waitFor();
  return {
    headings: await readme.locator('h3').allTextContents(),
    items: await readme.locator('li').allTextContents(),
    bold: await readme.locator('strong').allTextContents(),
    images: await readme.locator('img').count(),
    ran: await page.evaluate(() => window.__readme ?? null),
  };
}
const README_SHOWN = { headings: ['Who leaves'], items: ['the real file', 'seniors <img src=x onerror="window.__readme=1">'], bold: ['why'], images: 0, ran: null };

const deployedModel = (page) => page.evaluate(() => JSON.parse(window.churnlab.deployedModel()));

async function exportProject(page) {
  await page.waitForFunction(() => window.churnlab.savesPending() === 0);
  await page.getByTestId('nav-share').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-project').click()]);
  await page.getByTestId('project-message').waitFor();
  return fs.readFileSync(await download.path(), 'utf8');
}

/** A project file without the moment it was written. */
const comparable = (text) => {
  const p = JSON.parse(text);
  delete p.saved_at_ms;
  return p;
};

test('a share link opened in a fresh profile gives the same dashboards and the same model', async () => {
  const { page } = app;
  await saveQueryAsDataset(page, "SELECT * FROM churn WHERE SeniorCitizen = 1", 'senior');
  await buildDashboard(page, 'Senior citizens', 'senior', ['PaymentMethod']);
  await trainPlain(page);
  await saveAndDeploy(page);
  const before = { dashboards: await dashboardData(page), model: await deployedModel(page) };

  // The Overview: a README written in Markdown, shown as elements (its
  // HTML as text), and what the project holds, each opening its page.
  await page.getByTestId('nav-overview').click();
  await page.getByTestId('overview-readme-edit').click();
  await page.getByTestId('overview-readme-input').fill(README);
  await page.getByTestId('overview-readme-save').click();
  assert.deepEqual(await readmeShown(page), README_SHOWN);
  const kinds = await page.getByTestId('overview-item').evaluateAll((items) => items.map((i) => i.dataset.kind));
  assert.deepEqual(kinds, ['data', 'dataset', 'dashboard', 'runs', 'deployed-model', 'lab']);
  assert.match(await page.locator('[data-testid="overview-item"][data-kind="dataset"]').textContent(), /senior .*rows, 21 columns/);
  await page.locator('[data-testid="overview-item"][data-kind="dashboard"] a').click();
  await page.waitForFunction(() => location.hash === '#/visuals');

  await page.getByTestId('nav-share').click();
  await page.getByTestId('make-share-link').click();
  const link = await page.getByTestId('share-link').inputValue();
  const length = Number(await page.getByTestId('share-length').getAttribute('data-value'));
  console.log(`# share link for the workshop recipe: ${length} characters`);
  assert.equal(length, link.length);
  assert.ok(link.startsWith(app.url + '#share=1.'), link.slice(0, 80));
  assert.ok(length < 2048, `${length} characters`);

  const fresh = await openBrowser();
  try {
    const other = fresh.page;
    // Whether the rebuild's progress was ever shown, seen from the page's
    // start: by the time navigation resolves, a quick rebuild may be over.
    await other.addInitScript(() => {
      window.sawRebuilding = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="share-rebuilding"]')) window.sawRebuilding = true;
      }).observe(document, { childList: true, subtree: true });
    });
    await other.goto(link);
    await other.waitForFunction(() => window.sawRebuilding, null, { timeout: 120_000 });
    await other.waitForFunction(() => !document.querySelector('[data-testid="share-rebuilding"]'), null, { timeout: 120_000 });
    assert.match(await other.getByTestId('load-info').last().textContent(), /Rebuilt from the share link: 1 dataset, 1 dashboard, .* trained and deployed/);
    assert.equal(await other.evaluate(() => location.hash), '#/deploy');
    const after = { dashboards: await dashboardData(other), model: await deployedModel(other) };
    assert.deepEqual(after.dashboards, before.dashboards);
    assert.deepEqual(after.model.model, before.model.model, 'the same coefficients');
    assert.deepEqual(after.model.config, before.model.config);
    assert.equal(after.model.name, before.model.name);
    assert.deepEqual(await readmeShown(other), README_SHOWN, 'the README came with the link');
    assert.deepEqual(fresh.errors, []);
  } finally {
    await fresh.close();
  }
});

test('export, clear the browser, import: everything is back and equal', async () => {
  const { page } = app;
  await page.getByTestId('nav-operations').click();
  await page.getByTestId('sim-calls').fill('200');
  await page.getByTestId('sim-calls').dispatchEvent('change');
  await page.getByTestId('sim-start').click();
  await page.getByTestId('answer-key').waitFor({ timeout: 60_000 });
  const exported = await exportProject(page);
  const project = JSON.parse(exported);
  assert.equal(project.format, 'churnlab-project');
  assert.equal(project.datasets.length, 1);
  assert.equal(project.readme, README);
  assert.equal(project.simulations.length, 1);
  assert.ok(project.simulations[0].log, 'the simulation log is in the file');

  // Clear the browser's storage for the site (away from the app, which holds the database open).
  await page.goto(app.url + 'favicon.svg');
  await page.evaluate(() => new Promise((resolve, reject) => {
    const r = indexedDB.deleteDatabase('churnlab');
    r.onsuccess = resolve;
    r.onerror = () => reject(r.error);
  }));
  await page.goto(app.url + '#/share');
  await waitIdle(page);
  assert.notEqual(await page.getByTestId('dataset-name').textContent(), 'telco-churn');

  const file = path.join(os.tmpdir(), `churnlab-project-${process.pid}.json`);
  fs.writeFileSync(file, exported);
  await page.getByTestId('import-project').setInputFiles(file);
  await page.getByTestId('project-message').waitFor();
  assert.equal(await page.getByTestId('dataset-name').textContent(), 'telco-churn');
  assert.equal(await rowCount(page), 7043);
  assert.deepEqual(comparable(await exportProject(page)), comparable(exported));
  // And it is kept: after a reload, the same again.
  await page.reload();
  await waitIdle(page);
  assert.deepEqual(comparable(await exportProject(page)), comparable(exported));
  fs.rmSync(file);
  assert.deepEqual(app.errors, []);
});

test('damaged project files and links are named and change nothing', async () => {
  const { page } = app;
  const good = JSON.parse(await exportProject(page));
  const cases = [
    ['not-json.json', '{"format": "churnlab-project", ', /not a Churnlab project file/],
    ['newer.json', JSON.stringify({ ...good, version: 99 }), /newer Churnlab \(version 99/],
    ['bad-table.json', JSON.stringify({ ...good, datasets: [{ ...good.datasets[0], table: 'AAAA' }] }), /saved dataset 1 \("senior"\): the table is damaged/],
    ['bad-deployed.json', JSON.stringify({ ...good, deployed: 'nope' }), /the deployed model: there is no model with build id nope/],
  ];
  for (const [name, text, message] of cases) {
    const file = path.join(os.tmpdir(), `${process.pid}-${name}`);
    fs.writeFileSync(file, text);
    await page.getByTestId('import-project').setInputFiles(file);
    // The import reads the file asynchronously: the last case's message shows until it ends.
    await page.waitForFunction((name) => document.querySelector('[data-testid="project-error"]')?.textContent.startsWith(name), path.basename(file));
    const error = await page.getByTestId('project-error').textContent();
    assert.match(error, message);
    assert.match(error, /Nothing was changed/);
    fs.rmSync(file);
  }
  assert.deepEqual(comparable(await exportProject(page)), comparable(JSON.stringify(good)));

  for (const [fragment, message] of [
    ['#share=1.not*base64', /damaged/],
    ['#share=7.AAAA', /newer Churnlab/],
  ]) {
    // A full load (a change of fragment alone would not start the app again).
    await page.goto('about:blank');
    await page.goto(app.url + fragment);
    await page.getByTestId('load-error').waitFor();
    assert.match(await page.getByTestId('load-error').textContent(), message);
    await waitIdle(page);
    assert.equal(await page.getByTestId('dataset-name').textContent(), 'telco-churn');
  }
  assert.deepEqual(app.errors, []);
});
