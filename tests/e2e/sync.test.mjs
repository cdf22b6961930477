// End to end (issue #4): completed responses reach the reference collector exactly once,
// through faults, reloads, several tabs and captive portals, and people see them arrive.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './support/server.mjs';
import { launch } from './support/browser.mjs';
import { startCollector } from './support/collector.mjs';
import { SurveyPage } from './support/survey-page.mjs';
import { readStore, seedDatabase, serviceWorkerInControl, until } from './support/storage.mjs';

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

/** The console errors Chromium logs for a refused request: expected where a test makes the
 *  collector fail, and nowhere else. */
const refusedWith = (codes) => new RegExp(`^Failed to load resource: the server responded with a status of (${codes}) `);
const DROPPED = /^Failed to load resource: net::ERR_(EMPTY_RESPONSE|CONNECTION_RESET|CONNECTION_CLOSED)$/;

const SHORT = (endpoint) => `/host.html?src=/fixtures/short-survey.json&endpoint=${encodeURIComponent(endpoint)}`;
const STORES = { drafts: ['surveyId', 'surveyVersion'], responses: 'responseId', outbox: 'responseId', receipts: 'responseId' };

/** Completes the short survey `times` times in the page, by clicking as a person would,
 *  waiting for each screen to render rather than for fixed times. */
function completeShortSurvey(page, times, confirmation = null) {
  return page.evaluate(async ({ times, confirmation }) => {
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
      const line = () => document.querySelector('.sw-page [role=status]')?.textContent ?? '';
      await waitFor(() => (confirmation ? line().includes(confirmation) : /saved on this device|received/.test(line())), `the confirmation line (${confirmation ?? 'stored'})`);
      button('Start a new response').click();
    }
    return references;
  }, { times, confirmation });
}

test('a completed response is received, its answers give way to a receipt, and people see it', async () => {
  const collector = await startCollector({ origins: [server.url] });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await context.addCookies([{ name: 'session', value: 'secret', url: collector.url }]);
    const posts = watchPosts(page, collector.endpoint);
    // Issue #24: the sender is a module of its own, fetched only once something waits to go.
    const senderFiles = [];
    page.on('request', (r) => {
      if (/\/survey-sender-[0-9a-f]+(\.js|_bg\.wasm)$/.test(r.url())) senderFiles.push(r.url().split('/').pop());
    });
    await page.goto(`${server.url}${SHORT(collector.endpoint)}`);
    await page.waitForSelector('.sw-button--start');
    const sp = new SurveyPage(page);
    await page.click('.sw-button--start');
    await page.click('#sw1-carer');
    await page.click('.sw-form button[type=submit]');
    await page.waitForSelector('#sw1-story');
    await page.click('.sw-form button[type=submit]');
    await page.waitForSelector('text=Send answers');
    assert.deepEqual(senderFiles, [], 'with nothing to send, the sender is never fetched');
    await page.click('text=Send answers');
    const reference = await page.locator('.sw-reference').innerText();
    await page.waitForSelector('text=Your answers have been received by the council.');
    assert.deepEqual(senderFiles.map((f) => f.replace(/-[0-9a-f]+/, '')).sort(), ['survey-sender.js', 'survey-sender_bg.wasm'], 'fetched once');
    await sp.audit('confirmation, received');
    // The protocol's request: JSON, the response id as Idempotency-Key, the host page's extra
    // header (from data-headers on the demo page), and no cookies.
    const headers = await posts[0].request.allHeaders();
    assert.equal(headers['content-type'], 'application/json');
    assert.equal(headers['x-survey-host'], 'demo');
    assert.equal(headers.cookie, undefined, 'no cookies are sent');
    const body = posts[0].request.postDataJSON();
    assert.equal(headers['idempotency-key'], body.responseId);
    assert.deepEqual(Object.keys(body).sort(), ['answers', 'client', 'completedAt', 'formatVersion', 'languagesUsed', 'locale', 'reference', 'responseId', 'startedAt', 'surveyId', 'surveyVersion']);
    assert.deepEqual([body.locale, body.languagesUsed], ['en', ['en']]);
    assert.equal(body.reference, reference, 'the code the person was shown, for the public lookup');
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

// Issue #24: what one tab's sender does shows live in another tab of the same site. Tab B
// cannot reach the collector (its requests fail), so only tab A's sender can deliver B's
// response, and only the broadcast can tell B.
test("another tab shows a response arrive as the sending tab delivers it", async () => {
  const collector = await startCollector({ origins: [server.url] });
  try {
    const context = await browser.newContext();
    context.allowConsoleErrors(/^Failed to load resource: net::ERR_FAILED$/);
    const b = await context.newPage();
    await b.route(collector.endpoint, (route) => route.abort('failed'));
    await b.goto(`${server.url}${SHORT(collector.endpoint)}`);
    await completeShortSurvey(b, 1);
    await b.click('text=Your responses on this device');
    await b.waitForSelector('.sw-table');
    assert.doesNotMatch(await b.locator('.sw-table').innerText(), /Received by the council/);
    const a = await context.newPage();
    await a.goto(`${server.url}${SHORT(collector.endpoint)}`);
    await a.click('text=Your responses on this device');
    await a.click('text=Send now');
    await until(async () => (await collector.health()).responses === 1, { timeout: 15000, what: 'tab A delivering it' });
    await b.waitForSelector('.sw-table :text("Received by the council")', { timeout: 10000 });
    assert.equal(await b.locator('.sw-page [role=status]').innerText(), '1 of 1 received by the council.');
    await context.close();
  } finally {
    await collector.close();
  }
});

test('a response completed offline reaches the collector after the page has closed (Background Sync)', async () => {
  const collector = await startCollector({ origins: [server.url] });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}${SHORT(collector.endpoint)}`);
    await serviceWorkerInControl(page);
    await context.setOffline(true);
    const [reference] = await completeShortSurvey(page, 1, 'saved on this device');
    // The sender, loaded from the worker's cache, leaves the response with the worker.
    const tags = () => page.evaluate(async () => (await (await navigator.serviceWorker.ready).sync.getTags()));
    await until(async () => (await tags()).includes('survey-widget-outbox'), { what: 'a Background Sync registered' });
    await page.close();
    assert.equal(context.pages().length, 0, 'no page of the site open');
    assert.equal((await collector.health()).responses, 0);
    // Back online with no page: Chromium fires the sync event and the worker sends.
    await context.setOffline(false);
    await until(async () => (await collector.health()).responses === 1, { timeout: 20000, what: 'the worker delivering it' });
    const stored = await collector.responses('short-survey');
    assert.deepEqual(stored.map((r) => r.answers), [{ carer: 'yes' }]);
    // The next visit finds it received, its answers swapped for a receipt, and nothing to send.
    const again = await context.newPage();
    await again.goto(`${server.url}${SHORT(collector.endpoint)}`);
    await again.click('text=Your responses on this device');
    await again.waitForSelector('.sw-table :text("Received by the council")');
    assert.deepEqual(await readStore(again, 'outbox'), []);
    assert.equal((await readStore(again, 'responses')).length, 0, 'the answers are gone from the device');
    assert.deepEqual((await readStore(again, 'receipts')).map((r) => [r.responseId, r.reference]), [[stored[0].responseId, reference]]);
    await context.close();
    assert.equal((await collector.health()).responses, 1, 'exactly once');
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
    context.allowConsoleErrors(refusedWith('500|503'), DROPPED);
    const page = await context.newPage();
    await page.goto(`${server.url}${SHORT(collector.endpoint)}`);
    await page.waitForSelector('.sw-button--start');
    await context.setOffline(true);
    // Each confirmation says the answers will be sent when the device is online.
    const references = await completeShortSurvey(page, 200, 'They will be sent to the council when you are back online.');
    assert.equal(new Set(references).size, 200);
    assert.equal((await readStore(page, 'outbox')).length, 200);

    await context.setOffline(false);
    // An officer back in signal presses "Send now" rather than wait for the backoff.
    await page.click('text=Your responses on this device');
    await page.click('text=Send now');
    await until(async () => (await readStore(page, 'outbox')).length === 0, { timeout: 120000, what: 'an empty outbox' })
      .catch(async (e) => {
        // Say what was left, so a failure can be understood from the log alone.
        const left = await readStore(page, 'outbox');
        console.log('left in the outbox:', left.length, JSON.stringify(left.slice(0, 5).map((x) => [x.attempts, x.nextAttemptAt - Date.now(), x.state, x.lastStatus])));
        console.log('collector:', JSON.stringify(await collector.health()), collector.log.slice(-5).join(''));
        console.log('navigator.onLine:', await page.evaluate(() => navigator.onLine));
        throw e;
      });
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

/** A completed response as the widget stores it, for tests that start with a full outbox. */
function queued(n, endpoint, { surveyVersion = '1' } = {}) {
  const responseId = `6f1d2a9e-0c3b-4d5e-8f7a-${n.toString(16).padStart(12, '0')}`;
  const reference = `TEST-${String(n).padStart(4, '0')}`;
  return {
    response: { responseId, reference, surveyId: 'short-survey', surveyVersion, startedAt: 1_795_705_000_000, completedAt: 1_795_705_445_123, answers: { carer: 'yes' } },
    entry: { responseId, reference, surveyId: 'short-survey', queuedAt: 1_795_705_445_123 + n, attempts: 0, nextAttemptAt: 0, state: 'waiting', lastStatus: null, endpoint, headers: [] },
  };
}

async function seeded(context, items) {
  const page = await context.newPage();
  await page.goto(`${server.url}/fixtures/blank.html`);
  await seedDatabase(page, {
    version: 2,
    stores: STORES,
    records: { responses: items.map((i) => i.response), outbox: items.map((i) => i.entry) },
  });
  await page.close();
}

/** Records every POST to `endpoint` from `page`: [{ id, start, end }]. */
function watchPosts(page, endpoint, log = [], tab = 0) {
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url() === endpoint) log.push({ id: r.headers()['idempotency-key'], tab, start: Date.now(), end: null, request: r });
  });
  const done = (r) => { const e = log.find((x) => x.request === r); if (e) e.end = Date.now(); };
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return log;
}

test('Retry-After is respected', async () => {
  const collector = await startCollector({ origins: [server.url], args: ['--fault-fail', '1', '--fault-retry-after', '3'] });
  try {
    const context = await browser.newContext();
    context.allowConsoleErrors(refusedWith('500|503'));
    await seeded(context, [queued(1, collector.endpoint)]);
    const page = await context.newPage();
    const posts = watchPosts(page, collector.endpoint);
    await page.goto(`${server.url}${SHORT(collector.endpoint)}`);
    await until(() => posts.length >= 2, { timeout: 15000, what: 'a second attempt' });
    // Start to start: both times come from the same kind of event, so their delivery delays
    // cancel out, and the first request's own time only makes the gap longer.
    const gap = posts[1].start - posts[0].start;
    assert.ok(gap >= 2950, `the second attempt came ${gap} ms after the first, with a Retry-After of 3 s`);
    assert.ok(gap < 3000 + 2000 + 1000, `and not much later than the backoff allows (${gap} ms)`);
    const [entry] = await readStore(page, 'outbox');
    assert.ok(entry.attempts >= 1);
    await context.close();
  } finally {
    await collector.close();
  }
});

test('a different response already stored under the same id gets 409 and needs attention, with its answers kept', async () => {
  const collector = await startCollector({ origins: [server.url] });
  try {
    const context = await browser.newContext();
    context.allowConsoleErrors(refusedWith('409'));
    const [item] = [queued(1, collector.endpoint)];
    // Another body under this response id reaches the collector first.
    const other = {
      formatVersion: 1, responseId: item.entry.responseId, surveyId: 'short-survey', surveyVersion: '1', locale: 'en',
      startedAt: '2026-11-26T10:00:00.000Z', completedAt: '2026-11-26T10:05:00.000Z', answers: { carer: 'no' },
      client: { name: 'another-client', version: '1' },
    };
    const first = await fetch(collector.endpoint, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': other.responseId }, body: JSON.stringify(other),
    });
    assert.equal(first.status, 200);
    await seeded(context, [item]);
    const page = await context.newPage();
    const posts = watchPosts(page, collector.endpoint);
    await page.goto(`${server.url}${SHORT(collector.endpoint)}`);
    await until(async () => (await readStore(page, 'outbox'))[0]?.state === 'needsAttention', { what: 'the conflict to be marked' });
    const [kept] = await readStore(page, 'outbox');
    assert.equal(kept.lastStatus, 409);
    assert.equal(posts.length, 1, 'a conflict is not retried');
    assert.equal((await readStore(page, 'responses')).length, 1, 'its answers are kept on the device');
    const stored = await collector.responses('short-survey');
    assert.deepEqual(stored.map((r) => r.answers.carer), ['no'], 'the first body is kept at the collector');
    await page.click('text=Your responses on this device');
    await page.waitForSelector('text=Not accepted by the council’s system (error 409)');
    await new SurveyPage(page).audit('a response refused as a conflict');
    await context.close();
  } finally {
    await collector.close();
  }
});

test('a response the server refuses (400) does not hold up the rest, and is kept', async () => {
  const collector = await startCollector({ origins: [server.url] });
  try {
    const context = await browser.newContext();
    context.allowConsoleErrors(refusedWith('400'));
    // An empty survey version breaks the protocol, so the collector answers 400.
    const items = [queued(1, collector.endpoint, { surveyVersion: '' }), queued(2, collector.endpoint), queued(3, collector.endpoint)];
    await seeded(context, items);
    const page = await context.newPage();
    await page.goto(`${server.url}${SHORT(collector.endpoint)}`);
    await until(async () => (await collector.health()).responses === 2, { what: 'the two good responses' });
    await until(async () => (await readStore(page, 'outbox')).length === 1, { what: 'two entries delivered' });
    const [kept] = await readStore(page, 'outbox');
    assert.deepEqual([kept.responseId, kept.state, kept.lastStatus], [items[0].entry.responseId, 'needsAttention', 400]);
    assert.equal((await readStore(page, 'responses')).length, 1, 'its answers are kept');
    await page.click('text=Your responses on this device');
    await page.waitForSelector('text=Not accepted by the council’s system (error 400)');
    await new SurveyPage(page).audit('a response needing attention');
    await context.close();
  } finally {
    await collector.close();
  }
});

test('three tabs at once: one sender, a few responses in parallel, never two requests in flight for a response', async () => {
  const collector = await startCollector({ origins: [server.url], args: ['--fault-delay-ms', '150'] });
  try {
    const context = await browser.newContext();
    const items = Array.from({ length: 12 }, (_, i) => queued(i + 1, collector.endpoint));
    await seeded(context, items);
    const posts = [];
    const pages = await Promise.all([0, 1, 2].map(async (tab) => {
      const page = await context.newPage();
      watchPosts(page, collector.endpoint, posts, tab);
      return page;
    }));
    await Promise.all(pages.map((p) => p.goto(`${server.url}${SHORT(collector.endpoint)}`)));
    await until(async () => (await readStore(pages[0], 'outbox')).length === 0, { timeout: 30000, what: 'an empty outbox' });
    const stored = await collector.responses('short-survey');
    assert.equal(stored.length, 12);
    for (const item of items) {
      const mine = posts.filter((p) => p.id === item.entry.responseId);
      assert.equal(mine.length, 1, `${item.entry.reference} was posted ${mine.length} times`);
    }
    // Issue #24: one tab sends at a time (requests that overlap come from one tab), up to
    // four different responses at once, and it does send several at once.
    let most = 0;
    for (const p of posts) {
      const overlapping = posts.filter((q) => q.start <= p.start && q.end > p.start);
      assert.equal(new Set(overlapping.map((q) => q.tab)).size, 1, 'two tabs sending at once');
      most = Math.max(most, overlapping.length);
    }
    assert.ok(most > 1 && most <= 4, `${most} requests in flight at most`);
    await context.close();
  } finally {
    await collector.close();
  }
});

test('a reload while a response is being sent loses nothing and stores it once', async () => {
  const collector = await startCollector({ origins: [server.url], args: ['--fault-delay-ms', '1500'] });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const posts = watchPosts(page, collector.endpoint);
    await page.goto(`${server.url}${SHORT(collector.endpoint)}`);
    await page.waitForSelector('.sw-button--start');
    await completeShortSurvey(page, 1);
    await until(() => posts.length === 1, { what: 'the request to start' });
    await page.reload();
    await until(async () => (await readStore(page, 'outbox')).length === 0, { timeout: 30000, what: 'an empty outbox' });
    assert.equal((await collector.responses('short-survey')).length, 1);
    assert.equal((await readStore(page, 'receipts')).length, 1);
    assert.ok(posts.length >= 2, 'sent again after the reload');
    assert.equal(new Set(posts.map((p) => p.id)).size, 1, 'with the same Idempotency-Key');
    await context.close();
  } finally {
    await collector.close();
  }
});

test('a captive portal answering 200 with a login page is not taken as delivery', async () => {
  const collector = await startCollector({ origins: [server.url] });
  try {
    const context = await browser.newContext();
    await seeded(context, [queued(1, collector.endpoint)]);
    const page = await context.newPage();
    let portal = 0;
    // The portal answers until the person presses Send now, however soon a retry comes
    // (one landing between removing the portal and the click would hide the button).
    await page.route(collector.endpoint, async (route) => {
      if (await page.evaluate(() => window.sendNowPressed === true)) return route.continue();
      portal += 1;
      return route.fulfill({ status: 200, contentType: 'text/html', body: '<!DOCTYPE html><html><body>Sign in to Free Wi-Fi</body></html>', headers: { 'Access-Control-Allow-Origin': '*' } });
    });
    await page.goto(`${server.url}${SHORT(collector.endpoint)}`);
    await until(() => portal >= 1, { what: 'the portal to answer' });
    await until(async () => (await readStore(page, 'outbox'))[0]?.attempts >= 1, { what: 'the failed attempt recorded' });
    assert.equal((await readStore(page, 'receipts')).length, 0, 'not delivered');
    await page.click('text=Your responses on this device');
    await page.evaluate(() => [...document.querySelectorAll('.sw-widget button')].find((b) => b.textContent === 'Send now')
      .addEventListener('click', () => { window.sendNowPressed = true; }, { capture: true }));
    await page.click('text=Send now');
    await until(async () => (await readStore(page, 'receipts')).length === 1, { what: 'delivery once past the portal' });
    assert.equal((await collector.health()).responses, 1);
    await context.close();
  } finally {
    await collector.close();
  }
});

test('401 pauses sending to the endpoint until an officer presses Send now', async () => {
  const collector = await startCollector({ origins: [server.url] });
  try {
    const context = await browser.newContext();
    context.allowConsoleErrors(refusedWith('401'));
    await seeded(context, Array.from({ length: 6 }, (_, i) => queued(i + 1, collector.endpoint)));
    const page = await context.newPage();
    let refused = 0;
    await page.route(collector.endpoint, (route) => {
      refused += 1;
      return route.fulfill({ status: 401, contentType: 'application/json', body: '{}', headers: { 'Access-Control-Allow-Origin': '*' } });
    });
    await page.goto(`${server.url}${SHORT(collector.endpoint)}`);
    await page.waitForSelector('.sw-status:has-text("sending has stopped")');
    await new SurveyPage(page).audit('sending paused');
    // The first four go at once (issue #24); their refusal pauses the endpoint, so the other
    // two are not tried.
    await until(() => refused >= 4, { what: 'the four requests in flight refused' });
    const entries = await readStore(page, 'outbox');
    assert.equal(entries.length, 6, 'nothing is lost');
    assert.ok(entries.every((e) => e.state === 'waiting'), 'and nothing is marked as refused');
    assert.equal(refused, 4, 'the requests already in flight, and no more');
    await page.unroute(collector.endpoint);
    await page.click('text=Your responses on this device');
    await page.click('text=Send now');
    await until(async () => (await readStore(page, 'receipts')).length === 6, { what: 'all delivered after Send now' });
    assert.equal(await page.locator('.sw-status:has-text("sending has stopped")').count(), 0);
    await context.close();
  } finally {
    await collector.close();
  }
});
