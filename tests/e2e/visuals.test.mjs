// Lab 2's dashboard and lab 3's exploration in real Chromium: the chart
// builder by drag-and-drop and by keyboard, every visual type, dashboards
// that persist, cross-filtering, PNG export and the exploration page.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { openApp, saveQueryAsDataset, startOnRealData, waitIdle, chartDatums as datums } from './browser.mjs';

let app;

before(async () => {
  app = await openApp();
});
after(async () => {
  await app.close();
});
beforeEach(async () => {
  const { page } = app;
  // Start clean: no saved datasets, the real file loaded.
  await startOnRealData(page, app.url);
  await page.getByTestId('nav-visuals').click();
  for (;;) {
    const item = page.getByTestId('dashboard-item');
    if ((await item.count()) === 0) break;
    await item.first().click();
    await page.getByTestId('delete-dashboard').click();
  }
  await page.waitForFunction(() => window.churnlab.savesPending() === 0);
  app.errors.length = 0;
});

const sum = (pairs) => pairs.reduce((s, [, v]) => s + Number(v), 0);

/** Non-background pixels drawn on a canvas. */
async function inkedPixels(canvas) {
  return canvas.evaluate((c) => {
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && (data[i] < 240 || data[i + 1] < 240 || data[i + 2] < 240)) n++;
    return n;
  });
}

/** Adds `field` to `shelf` through its "Add to…" menu. */
async function addTo(builder, field, shelf) {
  await builder.locator(`[data-testid="field-pill"][data-field="${field}"] [data-testid="field-add"]`).selectOption(shelf);
}

async function newDashboard(page) {
  await page.getByTestId('new-dashboard').first().click();
  await page.getByTestId('dashboard-title').waitFor();
}

async function addVisual(page) {
  await page.getByTestId('add-visual').click();
  const builder = page.getByTestId('chart-builder');
  await builder.waitFor();
  return builder;
}

test("the workshop's dashboard: seniors by payment method, saved and reloaded", async () => {
  const { page } = app;
  // Lab 2: the senior citizens saved as a dataset.
  await saveQueryAsDataset(page, 'SELECT * FROM churn WHERE seniorcitizen = "1"', 'senior');

  await page.getByTestId('nav-visuals').click();
  await newDashboard(page);
  const builder = await addVisual(page);
  await builder.getByTestId('visual-dataset').selectOption('senior');
  // Drag and drop, as the workshop does.
  await builder.locator('[data-testid="field-pill"][data-field="PaymentMethod"]').dragTo(builder.getByTestId('shelf-dimensions'));
  await builder.locator('[data-testid="field-pill"][data-field="Record Count"]').dragTo(builder.getByTestId('shelf-measures'));
  assert.deepEqual(await builder.getByTestId('shelf-dimensions').getByTestId('shelf-pill').evaluateAll((p) => p.map((x) => x.dataset.field)), ['PaymentMethod']);
  assert.deepEqual(await builder.getByTestId('shelf-measures').getByTestId('shelf-pill').evaluateAll((p) => p.map((x) => x.dataset.field)), ['Record Count']);
  await builder.locator('[data-testid="visual-type"][data-type="hbar"]').click();
  const bars = await datums(builder);
  assert.equal(bars.length, 4, JSON.stringify(bars));
  assert.equal(sum(bars), 1142);
  assert.ok((await inkedPixels(builder.getByTestId('chart-canvas'))) > 1000);
  await builder.getByTestId('visual-done').click();

  // A second visual, built from the keyboard alone: Tab to a field's
  // "Add to…" menu and choose a shelf by typing its first letter.
  const second = await addVisual(page);
  await second.getByTestId('visual-dataset').selectOption('senior');
  await second.locator('[data-testid="field-pill"][data-field="Contract"] [data-testid="field-add"]').focus();
  await page.keyboard.press('d'); // Dimensions
  await second.locator('[data-testid="field-pill"][data-field="Record Count"] [data-testid="field-add"]').focus();
  await page.keyboard.press('m'); // Measures
  assert.deepEqual(await second.getByTestId('shelf-pill').evaluateAll((p) => p.map((x) => x.dataset.field)), ['Contract', 'Record Count']);
  assert.equal(sum(await datums(second)), 1142);
  await second.getByTestId('visual-done').click();

  await page.getByTestId('dashboard-title').fill('Senior citizens');
  await page.getByTestId('dashboard-subtitle').fill('How seniors pay and what contracts they hold');
  await page.getByTestId('save-dashboard').click();
  await page.waitForFunction(() => window.churnlab.savesPending() === 0);

  await page.reload();
  await waitIdle(page);
  const item = page.getByTestId('dashboard-item');
  await item.waitFor();
  assert.equal(await item.count(), 1);
  assert.match(await item.textContent(), /Senior citizens/);
  await item.click();
  assert.equal(await page.getByTestId('dashboard-title').inputValue(), 'Senior citizens');
  assert.equal(await page.getByTestId('dashboard-subtitle').inputValue(), 'How seniors pay and what contracts they hold');
  const visuals = page.getByTestId('dashboard-visual');
  assert.equal(await visuals.count(), 2);
  const first = await datums(visuals.first());
  assert.equal(first.length, 4);
  assert.equal(sum(first), 1142);
  assert.deepEqual(app.errors, []);
});

const EVERY_TYPE = [
  ['table', [['Contract', 'dimensions'], ['Record Count', 'measures']]],
  ['bar', [['Contract', 'dimensions'], ['Record Count', 'measures']]],
  ['hbar', [['PaymentMethod', 'dimensions'], ['Record Count', 'measures']]],
  ['stacked-bar', [['Contract', 'dimensions'], ['Record Count', 'measures'], ['Churn', 'color']]],
  ['grouped-bar', [['InternetService', 'dimensions'], ['Record Count', 'measures'], ['Churn', 'color']]],
  ['line', [['tenure', 'dimensions'], ['MonthlyCharges', 'measures']]],
  ['area', [['tenure', 'dimensions'], ['Record Count', 'measures']]],
  ['scatter', [['tenure', 'measures'], ['MonthlyCharges', 'measures']]],
  ['histogram', [['MonthlyCharges', 'measures']]],
  ['box', [['Contract', 'dimensions'], ['MonthlyCharges', 'measures']]],
  ['pie', [['Contract', 'dimensions'], ['Record Count', 'measures']]],
  ['heatmap', [['Contract', 'dimensions'], ['InternetService', 'dimensions'], ['Record Count', 'measures']]],
];

test('every visual type renders a non-empty chart', async () => {
  const { page } = app;
  await newDashboard(page);
  for (const [type, fields] of EVERY_TYPE) {
    const builder = await addVisual(page);
    for (const [field, shelf] of fields) await addTo(builder, field, shelf);
    const option = builder.locator(`[data-testid="visual-type"][data-type="${type}"]`);
    assert.equal(await option.count(), 1, `${type} is offered for ${JSON.stringify(fields)}`);
    await option.click();
    assert.equal(await option.getAttribute('aria-pressed'), 'true');
    assert.equal(await builder.getByTestId('chart-error').count(), 0, type);
    const rows = await datums(builder);
    assert.ok(rows.length > 0, `${type} has data`);
    assert.ok((await inkedPixels(builder.getByTestId('chart-canvas'))) > 500, `${type} draws`);
    if (type === 'stacked-bar') assert.equal(sum(rows), 7043);
    if (type === 'histogram') assert.equal(sum(rows), 7043);
    await builder.getByTestId('visual-done').click();
  }
  assert.equal(await page.getByTestId('dashboard-visual').count(), EVERY_TYPE.length);
  // The picker offers only what fits: one dimension and no measure is not a scatter.
  const builder = await addVisual(page);
  await addTo(builder, 'Contract', 'dimensions');
  assert.equal(await builder.locator('[data-testid="visual-type"][data-type="scatter"]').count(), 0);
  assert.deepEqual(app.errors, []);
});

test('shelf pills change aggregation, reorder and leave; bins follow the control', async () => {
  const { page } = app;
  await newDashboard(page);
  const builder = await addVisual(page);
  await addTo(builder, 'Contract', 'dimensions');
  await addTo(builder, 'MonthlyCharges', 'measures');
  await builder.getByTestId('pill-agg').selectOption('avg');
  const avg = Object.fromEntries(await datums(builder));
  assert.equal(Number(avg['Month-to-month']).toFixed(2), '66.40');
  await addTo(builder, 'Record Count', 'measures');
  const measures = () => builder.getByTestId('shelf-measures').getByTestId('shelf-pill').evaluateAll((p) => p.map((x) => x.dataset.field));
  assert.deepEqual(await measures(), ['MonthlyCharges', 'Record Count']);
  await builder.getByTestId('shelf-measures').getByTestId('pill-right').first().click();
  assert.deepEqual(await measures(), ['Record Count', 'MonthlyCharges']);
  await builder.locator('[data-testid="shelf-pill"][data-field="MonthlyCharges"] [data-testid="pill-remove"]').click();
  assert.deepEqual(await measures(), ['Record Count']);
  // A filter on the Filters shelf narrows the chart.
  await addTo(builder, 'SeniorCitizen', 'filters');
  await builder.getByTestId('shelf-filters').locator('input[type="number"]').first().fill('1');
  await builder.getByTestId('shelf-filters').locator('input[type="number"]').first().press('Tab');
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid="chart-builder"] [data-testid="chart-datum"]')];
    return rows.reduce((s, r) => s + Number(r.dataset.value), 0) === 1142;
  });
  // Histogram bins.
  const hist = await addVisual(page);
  await addTo(hist, 'tenure', 'measures');
  await hist.locator('[data-testid="visual-type"][data-type="histogram"]').click();
  await hist.getByTestId('histogram-bins').fill('6');
  await hist.getByTestId('histogram-bins').press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="chart-builder"] [data-testid="chart-datum"]').length === 6);
  assert.equal(sum(await datums(hist)), 7043);
});

/** Moves the pointer along a chart until the tooltip names `label`; clicks there. */
async function clickMark(page, card, label) {
  const canvas = card.getByTestId('chart-canvas');
  const box = await canvas.boundingBox();
  for (let fy = 0.95; fy > 0.2; fy -= 0.1) {
    for (let fx = 0.05; fx < 1; fx += 0.02) {
      const [x, y] = [box.x + box.width * fx, box.y + box.height * fy];
      await page.mouse.move(x, y);
      const tip = card.getByTestId('chart-tooltip');
      if ((await tip.count()) && (await tip.textContent()).startsWith(`${label}:`)) {
        await page.mouse.click(x, y);
        return;
      }
    }
  }
  throw new Error(`no mark labelled ${label}`);
}

test('clicking a bar filters the other visuals; one click clears it; PNG export', async () => {
  const { page } = app;
  await newDashboard(page);
  for (const field of ['Contract', 'PaymentMethod']) {
    const builder = await addVisual(page);
    await addTo(builder, field, 'dimensions');
    await addTo(builder, 'Record Count', 'measures');
    await builder.getByTestId('visual-done').click();
  }
  const [contract, payment] = [page.getByTestId('dashboard-visual').nth(0), page.getByTestId('dashboard-visual').nth(1)];
  assert.equal(sum(await datums(payment)), 7043);
  await clickMark(page, contract, 'Two year');
  await page.getByTestId('cross-filter').waitFor();
  assert.match(await page.getByTestId('cross-filter').textContent(), /^Filtered by Contract = Two year/);
  assert.equal(sum(await datums(payment)), 1695);
  assert.equal(sum(await datums(contract)), 7043, 'the clicked visual keeps its data');
  await page.getByTestId('clear-cross-filter').click();
  assert.equal(sum(await datums(payment)), 7043);

  // Layout: three columns, reorder, then delete.
  await page.getByTestId('dashboard-columns').selectOption('3');
  await contract.getByTestId('visual-right').click();
  assert.match(await page.getByTestId('dashboard-visual').first().getAttribute('data-title'), /PaymentMethod/);
  // PNG export of one visual and of the dashboard.
  for (const [button, name] of [[page.getByTestId('dashboard-visual').first().getByTestId('visual-export'), /\.png$/], [page.getByTestId('export-dashboard'), /^dashboard-1\.png$/]]) {
    const download = page.waitForEvent('download');
    await button.click();
    const file = await download;
    assert.match(file.suggestedFilename(), name);
    const bytes = fs.readFileSync(await file.path());
    assert.deepEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47], 'a PNG');
    assert.ok(bytes.length > 5000);
  }
  await page.getByTestId('dashboard-visual').first().getByTestId('visual-delete').click();
  assert.equal(await page.getByTestId('dashboard-visual').count(), 1);
  assert.deepEqual(app.errors, []);
});

test('the exploration page: distributions by churn, box plot, pair plot and correlations', async () => {
  const { page } = app;
  await page.getByTestId('nav-explore').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="explore-progress"]') && document.querySelectorAll('[data-testid="explore-distribution"]').length > 0);
  const cards = page.getByTestId('explore-distribution');
  assert.equal(await cards.count(), 20, 'every column but the customer ID');
  const contract = page.locator('[data-testid="explore-distribution"][data-column="Contract"]');
  const rows = Object.fromEntries(await datums(contract));
  assert.equal(rows['Month-to-month · Yes'], '1655');
  assert.equal(rows['Two year · No'], '1647');
  assert.equal(await page.getByTestId('explore-target').inputValue(), 'Churn');
  await page.getByTestId('explore-target').selectOption('');
  await page.waitForFunction(() => document.querySelector('[data-testid="explore-distribution"][data-column="Contract"] [data-testid="chart-datum"]')?.dataset.label === 'Month-to-month');
  const tenure = await datums(page.locator('[data-testid="explore-distribution"][data-column="tenure"]'));
  assert.equal(sum(tenure), 7043);

  const box = await datums(page.getByTestId('explore-box'));
  assert.deepEqual(box.map(([label]) => label), ['Month-to-month', 'One year', 'Two year']);
  assert.match(box[0][1], /^median 73\.25,/);

  const cells = page.getByTestId('pair-cell');
  assert.equal(await cells.count(), 9);
  await page.locator('[data-testid="pair-column"][data-column="SeniorCitizen"]').check();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="pair-cell"]').length === 16);
  assert.equal(await page.locator('[data-testid="pair-column"]:disabled').count(), 0, 'four numeric columns, none left over');

  const corr = Object.fromEntries(await datums(page.getByTestId('explore-correlations')));
  assert.equal(corr['tenure · tenure'], '1');
  assert.equal(Number(corr['TotalCharges · tenure']).toFixed(3), '0.826');
  assert.deepEqual(app.errors, []);
});
