// Firefox ESR and WebKitGTK (the engine of Safari) over WebDriver, from
// Debian's packages (scripts/setup --test installs them, and geckodriver
// from crates.io), driven with selenium-webdriver. Every driver is given
// by its path, so selenium never looks for (or downloads) one itself.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { Builder, By } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';
import remote from 'selenium-webdriver/remote/index.js';
import portprober from 'selenium-webdriver/net/portprober.js';
import { Select } from 'selenium-webdriver/lib/select.js';

const which = (name, fallbacks) => {
  for (const dir of [...(process.env.PATH || '').split(':'), ...fallbacks]) {
    const file = path.join(dir, name);
    if (dir && fs.existsSync(file)) return file;
  }
  throw new Error(`${name} is not installed: run scripts/setup --test`);
};

/** An X display for MiniBrowser: the one we are in, or an Xvfb of our own. */
async function display() {
  if (process.env.DISPLAY) return { env: process.env.DISPLAY, stop() {} };
  // -displayfd: Xvfb picks a free display and writes its number to fd 3.
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1400x1000x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  const number = await new Promise((resolve, reject) => {
    let out = '';
    xvfb.stdio[3].on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.trim());
    });
    xvfb.on('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
  });
  return { env: `:${number}`, stop: () => xvfb.kill() };
}

/** A temporary home, so the browsers' caches and profiles start empty and go. */
function scratchHome() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'churnlab-wd-'));
  return { home, remove: () => fs.rmSync(home, { recursive: true, force: true }) };
}

export async function firefoxDriver() {
  const scratch = scratchHome();
  const options = new firefox.Options().setBinary(which('firefox-esr', [])).addArguments('-headless');
  options.windowSize({ width: 1400, height: 1000 });
  const service = new firefox.ServiceBuilder(which('geckodriver', [path.join(os.homedir(), '.cargo/bin')]))
    .setEnvironment({ ...process.env, HOME: scratch.home })
    .setStdio('ignore');
  const driver = await new Builder().forBrowser('firefox').setFirefoxOptions(options).setFirefoxService(service).build();
  return { driver, name: 'Firefox ESR', async quit() { await driver.quit(); scratch.remove(); } };
}

export async function webkitDriver() {
  const scratch = scratchHome();
  const screen = await display();
  const port = await portprober.findFreePort('127.0.0.1');
  // WebKitWebDriver listens on loopback only: the address must say so.
  const service = new remote.DriverService.Builder(which('WebKitWebDriver', []))
    .setPort(port)
    .addArguments(`--port=${port}`)
    .setHostname('127.0.0.1')
    .setEnvironment({ ...process.env, DISPLAY: screen.env, HOME: scratch.home })
    .setStdio('ignore')
    .build();
  const url = await service.start();
  const miniBrowser = which('MiniBrowser', ['/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1', '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1']);
  const driver = await new Builder()
    .usingServer(url)
    .withCapabilities({ browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary: miniBrowser, args: ['--automation'] } })
    .build();
  await driver.manage().window().setRect({ width: 1400, height: 1000 });
  return {
    driver,
    name: 'WebKitGTK',
    async quit() {
      try {
        await driver.quit();
      } finally {
        await service.kill();
        screen.stop();
        scratch.remove();
      }
    },
  };
}

/** The element with this data-testid (the first, or the one inside `within`). */
export const byTestId = (driver, testid, within) => (within || driver).findElement(By.css(`[data-testid="${testid}"]`));

/** Polls `fn` (run in the page with `args`) until it returns something truthy. */
export async function waitFor(driver, what, fn, args = [], timeout = 60_000) {
  const body = `return (${fn}).apply(null, arguments);`;
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await driver.executeScript(body, ...args).catch(() => null);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The text of the element with this data-testid, once there. */
export const textOf = (driver, testid) =>
  waitFor(driver, testid, (id) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? null, [testid]).then(String);

/** Picks `value` in the <select> with this data-testid, as a user would. */
export async function choose(driver, testid, value, within) {
  await new Select(await byTestId(driver, testid, within)).selectByValue(value);
}

/** Replaces the text in a field and leaves it (its change event fires). */
export async function type(driver, testid, text) {
  const field = await byTestId(driver, testid);
  await field.clear();
  await field.sendKeys(text);
  await driver.executeScript('arguments[0].blur()', field);
}

/** Script errors and failed promises the page recorded (public/boot.js). */
export const pageErrors = (driver) => driver.executeScript('return window.churnlabErrors || ["the page never started"]');
