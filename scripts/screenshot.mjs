// Takes the README screenshot from the release build: `node scripts/screenshot.mjs`
// (after `scripts/build`). Writes docs/screenshot.png.
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
