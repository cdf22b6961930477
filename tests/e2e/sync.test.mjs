// End to end (issue #4): completed responses reach the reference collector exactly once,
// through faults, reloads, several tabs and captive portals, and people see them arrive.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './support/server.mjs';
import { launch } from './support/browser.mjs';
import { startCollector } from './support/collector.mjs';
import { SurveyPage } from './support/survey-page.mjs';
import { readStore, seedDatabase, until } from './support/storage.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

const SHORT = (endpoint) => `/host.html?src=/fixtures/short-survey.json&endpoint=${encodeURIComponent(endpoint)}`;
const STORES = { drafts: ['surveyId', 'surveyVersion'], responses: 'responseId', outbox: 'responseId', receipts: 'responseId' };

/** Completes the short survey `times` times in the page, by clicking as a person would,
 *  waiting for each screen to render rather than for fixed times. */
function completeShortSurvey(page, times) {
  return page.evaluate(async (times) => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    const waitFor = async (test, what) => {
      for (let i = 0; i < 500; i++) {
        const found = test();
        if (found) return found;
        await frame();
      }
      throw new Error(`timed out waiting for ${what}`);
    };
    const button = (text) => [...document.querySelectorAll('.sw-widget button')].find((b) => b.textContent.trim() === text && !b.closest('[hidden]'));
    const references = [];
    for (let i = 0; i < times; i++) {
      (await waitFor(() => document.querySelector('.sw-button--start'), 'start')).click();
      (await waitFor(() => document.querySelector('#sw1-carer'), 'question')).click();
      await frame();
      (await waitFor(() => button('Continue'), 'continue')).click();
      await waitFor(() => document.querySelector('#sw1-story'), 'page 2');
      button('Continue').click();
      (await waitFor(() => button('Send answers'), 'check page')).click();
      references.push((await waitFor(() => document.querySelector('.sw-reference'), 'confirmation')).textContent);
      await waitFor(() => /saved on this device|received/.test(document.querySelector('.sw-page [role=status]')?.textContent ?? ''), 'stored');
      button('Start a new response').click();
    }
    return references;
  }, times);
}

test('a completed response is received, its answers give way to a receipt, and people see it', async () => {
  const collector = await startCollector({ origins: [server.url] });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}${SHORT(collector.endpoint)}`);
    await page.waitForSelector('.sw-button--start');
    const sp = new SurveyPage(page);
    await page.click('.sw-button--start');
    await page.click('#sw1-carer');
    await page.click('.sw-form button[type=submit]');
    await page.waitForSelector('#sw1-story');
    await page.click('.sw-form button[type=submit]');
    await page.click('text=Send answers');
    const reference = await page.locator('.sw-reference').innerText();
    await page.waitForSelector('text=Your answers have been received by the council.');
    await sp.audit('confirmation, received');
    const stored = await collector.responses('short-survey');
    assert.equal(stored.length, 1);
    assert.deepEqual(stored[0].answers, { carer: 'yes' });
    assert.equal((await readStore(page, 'responses')).length, 0, 'the answers are gone from the device');
    assert.equal((await readStore(page, 'outbox')).length, 0);
    const receipts = await readStore(page, 'receipts');
    assert.deepEqual(receipts.map((r) => [r.responseId, r.reference, r.surveyId]), [[stored[0].responseId, reference, 'short-survey']]);

    await page.click('text=Your responses on this device');
    await sp.waitForFocusOn('-heading');
    assert.equal(await page.title(), 'Your responses on this device – A short survey');
    assert.match(await page.locator('.sw-table').innerText(), new RegExp(`${reference}\\s+Received by the council, \\d+ \\w+ \\d{4} at \\d+:\\d\\d[ap]m`));
    assert.equal(await page.locator('.sw-page [role=status]').innerText(), '1 of 1 received by the council.');
    await sp.audit('your responses on this device');
    await page.click('.sw-back-link');
    await sp.waitForFocusOn('-heading');
    await context.close();
  } finally {
    await collector.close();
  }
});

test('200 responses completed offline reach a collector failing 30% of requests exactly once', async () => {
  // 20% answered 500 or 503 with Retry-After, 10% stored and then the connection dropped.
  const collector = await startCollector({
    origins: [server.url],
    args: ['--fault-fail', '0.2', '--fault-drop', '0.1', '--fault-retry-after', '1', '--fault-seed', '2026'],
  });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}${SHORT(collector.endpoint)}`);
    await page.waitForSelector('.sw-button--start');
    await context.setOffline(true);
    const references = await completeShortSurvey(page, 200);
    assert.equal(new Set(references).size, 200);
    assert.equal((await readStore(page, 'outbox')).length, 200);

    await context.setOffline(false);
    // An officer back in signal presses "Send now" rather than wait for the backoff.
    await page.click('text=Your responses on this device');
    await page.click('text=Send now');
    await until(async () => (await readStore(page, 'outbox')).length === 0, { timeout: 120000, what: 'an empty outbox' });
    const stored = await collector.responses('short-survey');
    assert.equal(stored.length, 200, 'exactly 200 stored');
    assert.equal(new Set(stored.map((r) => r.responseId)).size, 200, 'no duplicates');
    assert.equal((await collector.health()).responses, 200);
    assert.equal((await readStore(page, 'responses')).length, 0);
    assert.equal((await readStore(page, 'receipts')).length, 200);
    const faults = collector.log.join('').match(/fault: /g)?.length ?? 0;
    assert.ok(faults >= 30, `the collector injected faults (${faults})`);
    await page.waitForSelector('text=200 of 200 received by the council.');
    await context.close();
  } finally {
    await collector.close();
  }
});
