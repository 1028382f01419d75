// Takes the documentation's screenshots from the release build:
// `node scripts/screenshot.mjs` (after `scripts/build`).
// - docs/screenshot.png: the README's, the data page with the lab beside it;
// - docs/devices/<phone|tablet>-<page>.png: three pages with the workshop
//   done (the data page with the lab open, one customer explained, the
//   deployed endpoint) on a phone (390×844) and a tablet held upright
//   (768×1024), with touch, as a classroom sees them.
import fs from 'node:fs';
import path from 'node:path';
import { openApp, gotoApp, waitIdle, repoRoot } from '../tests/e2e/browser.mjs';

const app = await openApp();
try {
  await app.page.setViewportSize({ width: 1280, height: 860 });
  await gotoApp(app.page, app.url, process.argv[2] || '');
  await waitIdle(app.page);
  // The lab beside the page, as a learner starting the workshop sees it.
  await app.page.getByTestId('lab-open').click();
  await app.page.waitForFunction(() => document.querySelector('[data-testid="lab-count"]')?.textContent.endsWith('steps done'));
  await app.page.screenshot({ path: path.join(repoRoot, 'docs/screenshot.png') });
} finally {
  await app.close();
}

const devices = await openApp({ device: { viewport: { width: 768, height: 1024 }, hasTouch: true, isMobile: true } });
const { page } = devices;
const out = path.join(repoRoot, 'docs/devices');
fs.mkdirSync(out, { recursive: true });
const frames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
try {
  await gotoApp(page, devices.url, '#/data');
  await waitIdle(page);
  // The workshop done with "Do it for me", so the pages have their content.
  await page.getByTestId('lab-open').tap();
  const steps = page.getByTestId('lab-step');
  for (let i = 0; i < (await steps.count()); i++) {
    await steps.nth(i).tap();
    if ((await steps.nth(i).getAttribute('data-state')) === 'done') continue;
    await page.getByTestId('lab-do-it').tap();
    await page.waitForFunction((i) => document.querySelectorAll('[data-testid="lab-step"]')[i]?.dataset.state === 'done', i, { timeout: 180_000 });
  }
  await page.getByTestId('lab-close').tap();
  for (const [device, width, height] of [['phone', 390, 844], ['tablet', 768, 1024]]) {
    await page.setViewportSize({ width, height });
    await page.evaluate(() => { location.hash = '#/data'; });
    await page.getByTestId('dataset-name').waitFor();
    const openBase = page.getByTestId('dataset-base').getByTestId('dataset-open');
    if (await openBase.count()) await openBase.tap();
    await page.getByTestId('lab-open').tap();
    await page.locator('[data-testid="lab-step"][data-step="look-at-data"]').tap();
    await frames();
    await page.screenshot({ path: path.join(out, `${device}-data-lab.png`) });
    await page.getByTestId('lab-close').tap();

    await page.evaluate(() => { location.hash = '#/customers'; });
    await page.locator('[data-testid="customer-row"] th').first().tap();
    await page.getByTestId('customer-view').waitFor();
    await page.getByTestId('customer-view').scrollIntoViewIfNeeded();
    await frames();
    await page.screenshot({ path: path.join(out, `${device}-customer.png`) });

    await page.evaluate(() => { location.hash = '#/deploy'; });
    await page.getByTestId('endpoint-test').tap();
    await page.getByTestId('endpoint-output').waitFor();
    await page.getByTestId('endpoint-input').scrollIntoViewIfNeeded();
    await frames();
    await page.screenshot({ path: path.join(out, `${device}-endpoint.png`) });
  }
} finally {
  await devices.close();
}
