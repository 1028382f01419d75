// `bench/run responsive`: with the 1,000,000-row benchmark file loaded, the
// page's longest task (a `longtask` PerformanceObserver) while loading it,
// opening each page, running a GROUP BY and an ORDER BY of every row on the
// SQL page and sorting that result by a header, building a chart on the
// Visuals page, training,
// opening the Customers page with the model deployed and sorting it by a
// column and by risk again; then the Customers table's scroll times on
// those rows. The
// goal (issue 28) is no task on the page's thread over 100 ms.
//
// Each action ends on its own signal (the load's end, the query's row
// count, the training's metrics), then on a quiet main thread: no long
// task for a second and no progress bar shown. Figures only; nothing is
// asserted.

import { buildDashboard, loadsEnded, saveAndDeploy, waitIdle, waitTrained } from '../tests/e2e/browser.mjs';

const PAGES = ['overview', 'sql', 'visuals', 'explore', 'train', 'experiments', 'deploy', 'customers', 'operations', 'jobs', 'share', 'data'];
const GROUP_BY = 'SELECT Contract, COUNT(*) AS customers, AVG(MonthlyCharges) AS monthly FROM churn GROUP BY Contract';
const ORDER_BY = 'SELECT customerID, tenure, MonthlyCharges, Contract FROM churn ORDER BY MonthlyCharges DESC';

/** Records every long task's start and duration from the page's first script on. */
function observeLongTasks() {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push([e.startTime, e.duration]);
  }).observe({ type: 'longtask', buffered: true });
}

/** Waits until no long task has run for `quietMs` and no progress bar shows. */
async function quiet(page, quietMs = 1000) {
  await page.waitForFunction(
    (quietMs) => {
      const last = window.__longTasks.reduce((end, [s, d]) => Math.max(end, s + d), 0);
      return performance.now() - last > quietMs && !document.querySelector('[role="progressbar"], [data-testid$="-progress"]');
    },
    quietMs,
    { timeout: 600_000, polling: 200 },
  );
}

/**
 * The Customers table scrolled from top to bottom, one screen per step (or
 * `maxSteps` jumps spread over the table when it has more screens), or with
 * `wheelPx`, `maxSteps` steps of that many pixels (a mouse wheel's notch)
 * from a third of the way down. Each step is timed from the scroll to its rows drawn: every
 * drawn row shows the new place (the first row changed and the rows'
 * `aria-rowindex` run on without a gap) and the browser has laid them out.
 */
export async function scrollTimes(page, { maxSteps = 400, wheelPx = 0 } = {}) {
  return page.evaluate(async ([maxSteps, wheelPx]) => {
    const el = document.querySelector('.customers-scroll');
    // Wheel steps start a third of the way down, where rows leave at the top.
    el.scrollTop = wheelPx ? Math.floor((el.scrollHeight - el.clientHeight) / 3) : 0;
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    await frame();
    const rows = () => [...document.querySelectorAll('[data-testid="customer-row"]')];
    const drawn = (before) => {
      const r = rows();
      const index = r.map((x) => Number(x.getAttribute('aria-rowindex')));
      return r.length > 0 && r[0].dataset.customerId !== before && index.every((v, i) => i === 0 || v === index[i - 1] + 1);
    };
    const from = el.scrollTop;
    const span = wheelPx ? Math.min(el.scrollHeight - el.clientHeight - from, wheelPx * (maxSteps + 1)) : el.scrollHeight - el.clientHeight;
    const step = wheelPx || Math.max(el.clientHeight, span / maxSteps);
    const times = [];
    for (let y = from + step; y < from + span; y += step) {
      const before = rows()[0]?.dataset.customerId;
      const t = performance.now();
      el.scrollTop = y;
      el.dispatchEvent(new Event('scroll'));
      // Redraws normally land within microtasks; otherwise wait frames.
      for (let spins = 0; !drawn(before) && spins < 10_000; spins++) await Promise.resolve();
      for (let frames = 0; !drawn(before) && frames < 60; frames++) await frame();
      void el.querySelector('tbody').getBoundingClientRect().height; // the layout
      times.push(performance.now() - t);
      await frame();
    }
    times.sort((a, b) => a - b);
    return { steps: times.length, median: times[Math.floor(times.length / 2)], max: times[times.length - 1] };
  }, [maxSteps, wheelPx]);
}

export async function responsive(browser, baseUrl, { line, record, ms, ratio, bigFile }) {
  console.log('\nThe page\'s longest task with 1,000,000 rows loaded (goal: none over 100 ms)');
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('  page error:', e.message));
  await page.addInitScript(observeLongTasks);
  const figures = [];
  let scroll;
  let wheel;
  const measure = async (label, action) => {
    const from = await page.evaluate(() => performance.now());
    await action();
    await quiet(page);
    const tasks = await page.evaluate((from) => window.__longTasks.filter(([s]) => s >= from), from);
    const longest = Math.max(0, ...tasks.map(([, d]) => d));
    const all = tasks.reduce((sum, [, d]) => sum + d, 0);
    line(`  ${label}`, ms(longest), `${tasks.length} long tasks, ${ms(all)} in all`);
    figures.push([label, longest]);
  };
  try {
    await page.goto(baseUrl);
    await page.getByTestId('dataset-name').waitFor();
    await waitIdle(page);
    await quiet(page);
    await measure('loading the file', async () => {
      const before = await loadsEnded(page);
      await page.getByTestId('file-input').setInputFiles(bigFile);
      await waitIdle(page, before, 600_000);
    });
    for (const slug of PAGES) {
      await measure(`opening ${slug}`, async () => {
        await page.getByTestId(`nav-${slug}`).click();
        await page.waitForFunction((slug) => location.hash.startsWith(`#/${slug}`), slug);
      });
    }
    await page.getByTestId('nav-sql').click();
    await measure('a GROUP BY on the SQL page', async () => {
      const runs = await page.getByTestId('sql-history-item').count();
      await page.getByTestId('sql-editor').fill(GROUP_BY);
      await page.getByTestId('sql-run').click();
      // The query's own signal: it joins the history, and its 3 contracts show.
      await page.waitForFunction(
        (runs) => document.querySelectorAll('[data-testid="sql-history-item"]').length > runs && document.querySelector('[data-testid="result-count"]')?.textContent === '3',
        runs,
        { timeout: 600_000 },
      );
    });
    await measure('an ORDER BY of every row on the SQL page', async () => {
      await page.getByTestId('sql-editor').fill(ORDER_BY);
      await page.getByTestId('sql-run').click();
      await page.waitForFunction(() => !document.querySelector('[data-testid="sql-running"]') && document.querySelector('[data-testid="result-count"]')?.textContent === '1,000,000', undefined, { timeout: 600_000 });
    });
    await measure('sorting that result by a header', async () => {
      const header = page.getByTestId('result-header').nth(1);
      await header.locator('button.sort').click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="result-header"]')[1].getAttribute('aria-sort') === 'ascending', undefined, { timeout: 600_000 });
    });
    await measure('a chart built on the Visuals page', async () => {
      await buildDashboard(page, 'Contracts', 'churn', ['Contract']);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="dashboard-visual"] [data-testid="chart-datum"]').length === 3, undefined, { timeout: 600_000 });
    });
    await page.getByTestId('nav-train').click();
    await quiet(page);
    await measure('a plain training', async () => {
      await page.getByTestId('train-mode').selectOption('plain');
      await page.getByTestId('train-start').click();
      await waitTrained(page, undefined, 600_000);
    });
    await measure('opening customers (the model deployed)', async () => {
      await saveAndDeploy(page);
      await page.getByTestId('nav-customers').click();
      await page.getByTestId('customer-row').first().waitFor({ timeout: 600_000 });
    });
    await measure('sorting customers by a column', async () => {
      await page.locator('[data-testid="sort-column"][data-column="Contract"]').click();
      // The order is made in the page's turns under a progress bar, which `quiet` waits out.
      await page.waitForFunction(() => document.querySelector('[data-testid="sort-column"][data-column="Contract"]').closest('th').getAttribute('aria-sort') === 'ascending', undefined, { timeout: 600_000 });
    });
    await measure('sorting customers by risk again', async () => {
      await page.getByTestId('sort-probability').click();
      await page.waitForFunction(() => document.querySelector('[data-testid="sort-probability"]').closest('th').getAttribute('aria-sort') === 'descending', undefined, { timeout: 600_000 });
    });
    scroll = await scrollTimes(page);
    wheel = await scrollTimes(page, { maxSteps: 200, wheelPx: 100 });
    line(`  customers, a screen per scroll (${scroll.steps} jumps)`, `${ms(scroll.median)} median`, `${ms(scroll.max)} worst, scroll to rows drawn (a frame is 16.7 ms)`);
    line(`  customers, a 100 px wheel notch (${wheel.steps})`, `${ms(wheel.median)} median`, `${ms(wheel.max)} worst`);
  } finally {
    await context.close();
  }
  const worst = figures.reduce((a, b) => (b[1] > a[1] ? b : a), ['', 0]);
  line('  longest of all', ms(worst[1]), worst[0]);
  record('Customers table, scroll to rows drawn, 1,000,000 rows', `a screen: ${ms(scroll.median)} median, ${ms(scroll.max)} worst; a wheel notch: ${ms(wheel.median)}, ${ms(wheel.max)}`, 'a frame: 16.7 ms', ratio(scroll.median, 1000 / 60), 'bench/run responsive');
  record('Longest task on the page, 1,000,000 rows loaded', `${ms(worst[1])} (${worst[0]})`, 'goal 100 ms', ratio(worst[1], 100), 'bench/run responsive');
}
