// The scripted learner: from opening the app's address (a fresh browser
// profile, the default data) to a deployed model that explains the
// workshop's example customer, counting every click, choice and typed
// field, and the seconds. Three ways, in one run:
//   - the shortest path by hand (Train, Save, Deploy, Send);
//   - the whole workshop lab by hand, all ten steps;
//   - the whole lab with "Do it for me" on each step.
// Prints figures; asserts nothing on time.
import { waitTrained } from '../tests/e2e/browser.mjs';

/** A page whose clicks, choices and typed fields are counted. */
function counted(page) {
  const n = { clicks: 0, typed: 0 };
  const at = (target) => (typeof target === 'string' ? page.getByTestId(target) : target);
  return {
    n,
    click: async (target) => {
      n.clicks++;
      await at(target).click();
    },
    choose: async (target, value) => {
      n.clicks++;
      await at(target).selectOption(value);
    },
    type: async (target, text) => {
      n.typed++;
      await at(target).fill(text);
    },
  };
}

const explained = (page) => page.waitForFunction(() => /"explanation"/.test(document.querySelector('[data-testid="endpoint-output"]')?.textContent ?? ''), null, { timeout: 300_000 });

async function fresh(browser, url, fn) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.error('  page error:', e.message));
  try {
    const t = Date.now();
    await page.goto(url);
    await page.getByTestId('dataset-name').waitFor();
    const n = await fn(page, counted(page));
    return { ...n, seconds: (Date.now() - t) / 1000 };
  } finally {
    await context.close();
  }
}

async function shortest(page, l) {
  await l.click('nav-train');
  await l.click('train-start');
  await waitTrained(page, 300_000);
  await l.click('save-model');
  await l.click('nav-deploy');
  await l.click(page.getByTestId('deploy-model').first());
  await l.click('endpoint-test');
  await explained(page);
  return l.n;
}

async function byHand(page, l) {
  await l.click('lab-open');
  await l.click('nav-sql');
  await l.type('sql-editor', 'SELECT COUNT(DISTINCT internetservice), COUNT(DISTINCT multiplelines), COUNT(DISTINCT contract), COUNT(DISTINCT paymentmethod) FROM churn');
  await l.click('sql-run');
  await l.type('sql-editor', 'SELECT * FROM churn WHERE seniorcitizen = "1"');
  await l.click('sql-run');
  await l.type('dataset-name-input', 'senior');
  await l.click('save-dataset');
  await l.click('nav-data');
  await l.click(page.locator('[data-testid="dataset-item"]', { hasText: 'senior' }).getByTestId('dataset-open'));
  await l.click(page.locator('[data-testid="field-row"][data-field="Churn"]').getByTestId('field-clone'));
  const copy = page.locator('[data-testid="field-row"][data-field="Copy of Churn"]');
  await l.choose(copy.getByTestId('field-role'), 'measure');
  await l.choose(copy.getByTestId('field-type'), 'integer');
  await l.click('nav-visuals');
  await l.click(page.getByTestId('new-dashboard').first());
  await l.click('add-visual');
  const builder = page.getByTestId('chart-builder');
  await l.choose(builder.getByTestId('visual-dataset'), 'senior');
  for (const [field, shelf] of [['PaymentMethod', 'dimensions'], ['Record Count', 'measures']]) {
    await l.choose(builder.locator(`[data-testid="field-pill"][data-field="${field}"] [data-testid="field-add"]`), shelf);
  }
  await l.click(builder.locator('[data-testid="visual-type"][data-type="hbar"]'));
  await l.click(builder.getByTestId('visual-done'));
  await l.type('dashboard-title', 'Seniors by payment method');
  await l.click('save-dashboard');
  await l.click('nav-data');
  await l.click(page.getByTestId('dataset-base').getByTestId('dataset-open'));
  await l.click('nav-train');
  await l.click('train-start');
  await waitTrained(page, 300_000);
  await l.click('save-model');
  await l.choose('train-mode', 'plain');
  await l.click('train-start');
  await waitTrained(page, 300_000);
  await l.click('nav-deploy');
  await l.click(page.getByTestId('deploy-model').first());
  await l.click('endpoint-test');
  await explained(page);
  await l.click('nav-operations');
  await l.click('sim-start');
  await page.waitForFunction(() => document.querySelector('[data-testid="lab-count"]')?.textContent === '10 of 10 steps done', null, { timeout: 300_000 });
  return l.n;
}

async function doneForMe(page, l) {
  await l.click('lab-open');
  const ids = await page.getByTestId('lab-step').evaluateAll((s) => s.map((x) => x.dataset.step));
  for (const id of ids) {
    const step = page.locator(`[data-testid="lab-step"][data-step="${id}"]`);
    await l.click(step);
    if ((await step.getAttribute('data-state')) === 'todo') {
      await l.click('lab-do-it');
      await page.waitForFunction((id) => document.querySelector(`[data-testid="lab-step"][data-step="${id}"]`)?.dataset.state === 'done', id, { timeout: 300_000 });
    }
  }
  return l.n;
}

export async function learner(browser, baseUrl, line) {
  console.log('\nThe scripted learner: opening the address to a deployed model that explains a customer (fresh profile, default data)');
  const ways = [
    ['shortest path by hand (Train, Save, Deploy, Send)', shortest],
    ['the whole workshop lab by hand, 10 steps', byHand],
    ['the whole lab with "Do it for me"', doneForMe],
  ];
  const results = [];
  for (const [label, fn] of ways) {
    const r = await fresh(browser, baseUrl + '#/data', fn);
    results.push(r);
    line(`  ${label}`, `${r.seconds.toFixed(1)} s`, `${r.clicks} clicks and choices, ${r.typed} fields typed`);
  }
  line('  whole lab: by hand / shortest path (time)', `${(results[1].seconds / results[0].seconds).toFixed(2)}×`);
  line('  whole lab: Do it for me / by hand (time)', `${(results[2].seconds / results[1].seconds).toFixed(2)}×`);
}
