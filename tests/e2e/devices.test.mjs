// Every classroom device, in Chromium with touch: the whole workshop lab
// done by taps on a tablet held upright (the lab a drawer over the page);
// then, at 360×740 and 390×844 (phones), 768×1024 and 1024×768 (a tablet either way),
// on every page with the lab's work in it: nothing wider than the screen,
// every page and the Lab button reachable by a tap, the lab on screen when
// opened, every control at least 40 px; the phone's page menu by keyboard;
// and a browser below the floor told what it lacks instead of a blank page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { frames, openApp, settled, waitIdle } from './browser.mjs';

const PAGES = ['overview', 'data', 'sql', 'visuals', 'explore', 'train', 'experiments', 'deploy', 'customers', 'operations', 'jobs', 'share'];
const SIZES = [
  { width: 360, height: 740, name: 'small phone' },
  { width: 390, height: 844, name: 'phone' },
  { width: 768, height: 1024, name: 'tablet held upright' },
  { width: 1024, height: 768, name: 'tablet held sideways' },
];
const PHONE_MENU_BELOW = 700;

let app;
before(async () => {
  app = await openApp({ device: { viewport: { width: 768, height: 1024 }, hasTouch: true, isMobile: true } });
  await app.page.goto(app.url + '#/data');
  await app.page.getByTestId('dataset-name').waitFor();
  await waitIdle(app.page);
});
after(async () => {
  await app?.close();
});

/** Whether the element is on screen and a tap at its centre reaches it. */
async function tappable(locator) {
  await locator.scrollIntoViewIfNeeded();
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    const onScreen = r.left >= 0 && r.top >= 0 && r.right <= innerWidth + 0.5 && r.bottom <= innerHeight + 0.5;
    return onScreen && r.width > 0 && (hit === el || el.contains(hit));
  });
}

/** Taps the page's navigation item (through the menu on a phone). */
async function goTo(page, slug, width) {
  if (width < PHONE_MENU_BELOW) {
    const menu = page.getByTestId('nav-menu');
    assert.ok(await tappable(menu), 'the page menu is reachable');
    if ((await menu.getAttribute('aria-expanded')) !== 'true') await menu.tap();
  }
  const link = page.getByTestId(`nav-${slug}`);
  assert.ok(await tappable(link), `nav-${slug} is reachable at ${width} px`);
  await link.tap();
  await settled(page, slug);
}

/** What on the page is wider than the screen, and controls smaller than 40 px. */
const measure = (page, width) =>
  page.evaluate((width) => {
    const root = document.documentElement;
    const small = [];
    for (const el of document.querySelectorAll('button, a[href], select, input, textarea, summary, [data-testid="customer-row"]')) {
      // A checkbox is also reached through its label.
      const own = el.getBoundingClientRect();
      const label = /^(checkbox|radio)$/.test(el.type) ? el.closest('label')?.getBoundingClientRect() : null;
      const r = { width: Math.max(own.width, label?.width || 0), height: Math.max(own.height, label?.height || 0) };
      if (!own.width || !own.height || el.closest('.visually-hidden') || getComputedStyle(el).visibility === 'hidden') continue;
      if (r.width < 39.5 || r.height < 39.5) small.push(`${el.dataset.testid || el.tagName.toLowerCase()} ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return { scrollWidth: root.scrollWidth, innerWidth, small: [...new Set(small)].slice(0, 10), width };
  }, width);

test('the whole workshop lab by taps on a tablet held upright, the lab a drawer over the page', async () => {
  const { page } = app;
  await page.getByTestId('lab-open').tap();
  const panel = page.getByTestId('lab-panel');
  await panel.waitFor();
  const box = await panel.boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 768 && box.y >= 0 && box.y + box.height <= 1024, `the drawer is on screen: ${JSON.stringify(box)}`);
  assert.ok(box.width < 768, 'a drawer over part of the page, not the whole width');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'lab-panel', 'opening the lab moves the focus into it');

  // Show me: the drawer steps aside so the control it highlights is seen.
  await page.locator('[data-testid="lab-step"][data-step="count-categories"]').tap();
  await page.getByTestId('lab-show-me').tap();
  await page.waitForFunction(() => document.querySelector('[data-testid="sql-editor"]')?.classList.contains('lab-highlight'));
  assert.equal(await panel.count(), 0, 'the drawer closed to show the control');
  assert.ok(await tappable(page.getByTestId('sql-editor')), 'the highlighted control is on screen');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'lab-open', 'closed, the lab gives the focus back to its button');

  await page.getByTestId('lab-open').tap();
  const steps = page.getByTestId('lab-step');
  const n = await steps.count();
  assert.equal(n, 11);
  for (let i = 0; i < n; i++) {
    await steps.nth(i).tap();
    const id = await steps.nth(i).getAttribute('data-step');
    const doIt = page.getByTestId('lab-do-it');
    if ((await steps.nth(i).getAttribute('data-state')) !== 'done') {
      assert.ok(await tappable(doIt), `"Do it for me" of ${id} is reachable in the drawer`);
      await doIt.tap();
    }
    await page.waitForFunction((id) => document.querySelector(`[data-testid="lab-step"][data-step="${id}"]`)?.dataset.state === 'done', id, { timeout: 180_000 });
  }
  assert.equal(await page.getByTestId('lab-count').textContent(), '11 of 11 steps done');
  await page.getByTestId('lab-close').tap();
  assert.equal(await panel.count(), 0);
  assert.deepEqual(app.errors, []);
});

test('at phone and tablet sizes every page fits the screen, with its navigation, the Lab button and the lab on screen', async () => {
  const { page } = app;
  for (const size of SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    for (const slug of PAGES) {
      await goTo(page, slug, size.width);
      const m = await measure(page, size.width);
      assert.equal(m.innerWidth, size.width, `${size.name}: the viewport`);
      assert.ok(m.scrollWidth <= size.width, `${size.name}, ${slug}: the page is ${m.scrollWidth} px wide on a ${size.width} px screen`);
      assert.deepEqual(m.small, [], `${size.name}, ${slug}: controls under 40 px`);

      const labButton = page.getByTestId('lab-open');
      assert.ok(await tappable(labButton), `${size.name}, ${slug}: the Lab button is reachable`);
      await labButton.tap();
      const panel = page.getByTestId('lab-panel');
      await panel.waitFor();
      await frames(page);
      const box = await panel.boundingBox();
      assert.ok(
        box.x >= 0 && box.y >= 0 && box.x + box.width <= size.width + 0.5 && box.y + Math.min(box.height, 200) <= size.height,
        `${size.name}, ${slug}: the lab is on screen: ${JSON.stringify(box)}`,
      );
      assert.ok(await tappable(page.getByTestId('lab-close')), `${size.name}, ${slug}: the lab can be closed`);
      await page.getByTestId('lab-close').tap();
      await panel.waitFor({ state: 'detached' });
    }
  }
  assert.deepEqual(app.errors, []);
});

test("the phone's page menu works by keyboard and closes with Escape", async () => {
  const { page } = app;
  await page.setViewportSize({ width: 390, height: 844 });
  await goTo(page, 'share', 390);
  const menu = page.getByTestId('nav-menu');
  await menu.focus();
  await page.keyboard.press('Enter');
  assert.equal(await menu.getAttribute('aria-expanded'), 'true');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'nav-overview', 'the first page is next');
  await page.keyboard.press('Escape');
  assert.equal(await menu.getAttribute('aria-expanded'), 'false');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'nav-menu', 'Escape gives the focus back to the menu button');
  assert.equal(await page.getByTestId('nav-train').isVisible(), false);
  // Chosen by keyboard, a page closes the menu.
  await page.keyboard.press('Enter');
  for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await settled(page, 'sql');
  assert.equal(await menu.getAttribute('aria-expanded'), 'false');
  assert.deepEqual(app.errors, []);
});

test('a browser without WebAssembly SIMD or module workers is told what it lacks and which browsers work', async () => {
  for (const [lack, pretend] of [
    ['WebAssembly SIMD', () => { WebAssembly.validate = () => false; }],
    ['module workers', () => { window.Worker = function Worker() { throw new TypeError('no module workers here'); }; }],
  ]) {
    const page = await app.context.newPage();
    await page.addInitScript(pretend);
    await page.goto(app.url + '#/data');
    const message = page.getByTestId('unsupported-browser');
    await message.waitFor();
    const text = await message.textContent();
    assert.match(text, new RegExp(`lacks ${lack}\\.`));
    assert.match(text, /Chrome or Edge \d+ or later, Firefox \d+ or later, and Safari 16\.4 or later/);
    assert.equal(await message.getAttribute('role'), 'alert');
    // The start has ended, without the app.
    await page.waitForFunction(() => window.churnlabBoot === 'unsupported');
    assert.equal(await page.getByTestId('dataset-name').count(), 0);
    assert.deepEqual(await page.evaluate(() => window.churnlabUnsupported), [lack]);
    await page.close();
  }
});
