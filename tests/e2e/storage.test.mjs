// Storage faults, made by the test in the browser's own IndexedDB: a full
// disk while saving, a damaged entry, an entry from a newer version, and
// no storage at all. Each says what was not kept and what to do, the app
// goes on, and nothing else is lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, openBrowser, saveQueryAsDataset, waitIdle } from './browser.mjs';

let app;

// Lets a test make every IndexedDB write fail as a full disk does, or keep
// its transaction from committing for a while (a slow disk).
const FAULTS = `(() => {
  const put = IDBObjectStore.prototype.put;
  IDBObjectStore.prototype.put = function (...args) {
    if (window.__storageFault === 'quota') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    const request = put.apply(this, args);
    if (window.__storageFault === 'slow') {
      const store = this;
      const until = Date.now() + 1500;
      const hold = () => { if (Date.now() < until) store.count().onsuccess = hold; };
      hold();
    }
    return request;
  };
})();`;

before(async () => {
  app = await openApp();
  await app.context.addInitScript(FAULTS);
  await app.page.goto(app.url + '#/data');
  await waitIdle(app.page);
});
after(async () => {
  await app.close();
});

/** Writes `value` under `key` in the app's store, as a damaged or newer file would be. */
function plant(page, key, value) {
  return page.evaluate(
    ([key, value]) =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('churnlab', 1);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('kv', 'readwrite');
          tx.objectStore('kv').put(value, key);
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    [key, value],
  );
}

const notices = (page) => page.locator('.notice').allTextContents();

test('a full disk while saving: the message says what was not kept and what to do; the rest stays', async () => {
  const { page } = app;
  await saveQueryAsDataset(page, 'SELECT * FROM churn WHERE tenure > 70', 'kept');
  await page.waitForFunction(() => window.churnlab.savesPending() === 0);
  await page.evaluate(() => (window.__storageFault = 'quota'));
  await saveQueryAsDataset(page, 'SELECT * FROM churn WHERE tenure < 3', 'lost');
  await page.waitForFunction(() => [...document.querySelectorAll('.notice')].some((n) => n.textContent.includes('full')));
  const text = (await notices(page)).join(' ');
  assert.match(text, /will not be kept after a reload/);
  assert.match(text, /the browser's storage for this site is full/);
  assert.match(text, /Share → Export project/);
  // The app goes on.
  await page.getByTestId('sql-editor').fill('SELECT COUNT(*) FROM lost');
  await page.getByTestId('sql-run').click();
  await page.getByTestId('result-grid').waitFor();
  await page.evaluate(() => (window.__storageFault = undefined));
  await page.waitForFunction(() => window.churnlab.savesPending() === 0);
  await page.reload();
  await waitIdle(page);
  await page.getByTestId('nav-data').click();
  await page.locator('[data-testid="dataset-item"]', { hasText: 'kept' }).waitFor();
  assert.deepEqual(app.errors, []);
});

test('a damaged entry and one from a newer version are named; everything else is restored', async () => {
  const { page } = app;
  await plant(page, 'dashboards', '{"this is not": ');
  await plant(page, 'models', JSON.stringify([JSON.stringify({ format: 'churnlab-model', version: 99 })]));
  await page.reload();
  await waitIdle(page);
  await page.waitForFunction(() => document.querySelectorAll('.notice').length >= 2);
  const text = (await notices(page)).join(' ');
  assert.match(text, /Saved dashboards could not be restored.*dashboards is damaged/);
  assert.match(text, /Some saved models could not be read and were left out.*model format version 99 is newer than this app reads \(1\)/);
  await page.getByTestId('nav-data').click();
  await page.locator('[data-testid="dataset-item"]', { hasText: 'kept' }).waitFor();
  assert.deepEqual(app.errors, []);
});

test('a table is kept as a blob per column; a damaged column is named and the rest restored', async () => {
  const { page } = app;
  await saveQueryAsDataset(page, 'SELECT customerID, tenure, Contract FROM churn WHERE tenure < 10', 'columns');
  await page.waitForFunction(() => window.churnlab.savesPending() === 0);
  const stored = (key) =>
    page.evaluate(
      (key) =>
        new Promise((resolve, reject) => {
          const open = indexedDB.open('churnlab', 1);
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const get = open.result.transaction('kv').objectStore('kv').get(key);
            get.onsuccess = () => {
              open.result.close();
              resolve(get.result.map((p) => [p.constructor.name, p.size]));
            };
          };
        }),
      key,
    );
  const parts = await stored('datasets/columns');
  // The header, then the three columns.
  assert.equal(parts.length, 4);
  assert.ok(parts.every(([kind, size]) => kind === 'Blob' && size > 0), JSON.stringify(parts));
  // A column cut short (as a disk or a hand might leave it).
  await page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const open = indexedDB.open('churnlab', 1);
        open.onsuccess = () => {
          const tx = open.result.transaction('kv', 'readwrite');
          const store = tx.objectStore('kv');
          const get = store.get('datasets/columns');
          get.onsuccess = () => {
            const parts = get.result;
            parts[2] = parts[2].slice(0, 5);
            store.put(parts, 'datasets/columns');
          };
          tx.oncomplete = () => {
            open.result.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
  );
  await page.reload();
  await waitIdle(page);
  await page.waitForFunction(() => [...document.querySelectorAll('.notice')].some((n) => n.textContent.includes('Some saved datasets could not be restored')));
  assert.match((await notices(page)).join(' '), /Some saved datasets could not be restored.*columns/);
  await page.getByTestId('nav-data').click();
  await page.locator('[data-testid="dataset-item"]', { hasText: 'kept' }).waitFor();
  assert.equal(await page.locator('[data-testid="dataset-item"][data-name="columns"]').count(), 0);
  assert.deepEqual(app.errors, []);
});

test('closing the page while a save is being written asks first; after it, nothing is lost', async () => {
  const { page } = app;
  await page.evaluate(() => (window.__storageFault = 'slow'));
  await saveQueryAsDataset(page, 'SELECT * FROM churn WHERE tenure = 1', 'slow');
  assert.ok((await page.evaluate(() => window.churnlab.savesPending())) > 0, 'the save is still being written');
  const asked = new Promise((resolve) =>
    page.once('dialog', async (d) => {
      resolve(d.type());
      await d.dismiss();
    }),
  );
  await page.close({ runBeforeUnload: true });
  assert.equal(await asked, 'beforeunload');
  assert.equal(page.isClosed(), false, 'the learner chose to stay');
  await page.waitForFunction(() => window.churnlab.savesPending() === 0);
  await page.evaluate(() => (window.__storageFault = undefined));
  await page.reload();
  await waitIdle(page);
  await page.getByTestId('nav-data').click();
  await page.locator('[data-testid="dataset-item"]', { hasText: 'slow' }).waitFor();
});

test('a second tab is told when the first saves, and sees it after a reload', async () => {
  const other = await app.context.newPage();
  await other.goto(app.url + '#/data');
  await waitIdle(other);
  await saveQueryAsDataset(app.page, 'SELECT * FROM churn WHERE tenure = 2', 'from_tab_one');
  await other.waitForFunction(() => [...document.querySelectorAll('.notice')].some((n) => n.textContent.includes('open in another tab')));
  assert.match((await other.locator('.notice').allTextContents()).join(' '), /was saved there\. Reload this tab to see it/);
  await other.reload();
  await waitIdle(other);
  await other.locator('[data-testid="dataset-item"]', { hasText: 'from_tab_one' }).waitFor();
  await other.close();
  assert.deepEqual(app.errors, []);
});

test('no storage at all: the app works in the tab and says its work lives only there', async () => {
  const browser = await openBrowser();
  try {
    await browser.context.addInitScript(() => {
      IDBFactory.prototype.open = () => {
        throw new DOMException('The user denied permission to access the database.', 'SecurityError');
      };
    });
    await browser.page.goto(app.url + '#/sql');
    await browser.page.getByTestId('storage-notice').waitFor();
    await saveQueryAsDataset(browser.page, 'SELECT * FROM churn WHERE tenure > 70', 'loyal');
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});
