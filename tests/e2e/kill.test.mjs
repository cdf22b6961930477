// End to end (issue #3): nothing typed is lost when the browser is killed. Chromium runs on a
// profile on disk, the person types, and 500 ms later the whole browser gets SIGKILL (no
// unload events, no clean shutdown), twenty times over; after each restart every answer
// given before the kill must be back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from './support/server.mjs';
import { CHROMIUM } from './support/browser.mjs';
import { until } from './support/storage.mjs';

const KILLS = Number(process.env.KILLS ?? 20);
const SHORT = '/host.html?src=/fixtures/short-survey.json';
// What the issue promises: answers typed this long before the kill survive it.
const GRACE_MS = 500;

let server;
let profile;
before(async () => {
  server = await startServer();
  profile = await mkdtemp(join(tmpdir(), 'sw-kill-'));
});
after(async () => {
  await server?.close();
  await rm(profile, { recursive: true, force: true });
});

/** Starts Chromium on the profile in its own process group and connects over CDP. */
async function startBrowser() {
  await rm(join(profile, 'DevToolsActivePort'), { force: true });
  const child = spawn(CHROMIUM, [
    '--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-sync',
    '--disable-background-networking', '--disable-component-update', '--disable-quic',
    `--user-data-dir=${profile}`, '--remote-debugging-address=127.0.0.1', '--remote-debugging-port=0', 'about:blank',
  ], { detached: true, stdio: 'ignore' });
  const port = await until(async () => {
    const text = await readFile(join(profile, 'DevToolsActivePort'), 'utf8').catch(() => '');
    return text.split('\n')[0] || null;
  }, { what: 'Chromium to start' });
  const browser = await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
  return { child, browser, context: browser.contexts()[0] };
}

function kill(child) {
  return new Promise((resolve) => {
    child.once('exit', resolve);
    // The whole group: the browser and its renderer, GPU and storage processes at once.
    process.kill(-child.pid, 'SIGKILL');
  });
}

test(`answers typed ${GRACE_MS} ms before SIGKILL survive, ${KILLS} times`, async () => {
  let expected = null;
  for (let round = 1; round <= KILLS; round++) {
    const { child, browser, context } = await startBrowser();
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}${SHORT}`);
      await page.waitForSelector('.sw-widget h1');
      if (expected) {
        await page.waitForSelector('#sw1-name');
        assert.equal(await page.inputValue('#sw1-name'), expected.name, `round ${round}: the name typed before the kill`);
        assert.equal(await page.isChecked(expected.carer === 'yes' ? '#sw1-carer' : '#sw1-carer-2'), true, `round ${round}: the choice made before the kill`);
      } else {
        await page.click('.sw-button--start');
      }
      expected = { name: `Answer ${round} ${'x'.repeat(round)}`, carer: round % 2 ? 'yes' : 'no' };
      await page.click(expected.carer === 'yes' ? '#sw1-carer' : '#sw1-carer-2');
      await page.fill('#sw1-name', '');
      await page.type('#sw1-name', expected.name);
      await page.waitForTimeout(GRACE_MS);
    } finally {
      await kill(child);
      await browser.close().catch(() => {});
    }
  }
  // And once more, to check the last round.
  const { child, browser, context } = await startBrowser();
  try {
    const page = await context.newPage();
    await page.goto(`${server.url}${SHORT}`);
    await page.waitForSelector('#sw1-name');
    assert.equal(await page.inputValue('#sw1-name'), expected.name);
  } finally {
    await kill(child);
    await browser.close().catch(() => {});
  }
});
