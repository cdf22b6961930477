// End to end (issue #10): event mode. An officer sets a tablet up in the console; ten people
// answer one after another with no signal, each starting clean (canaries typed by one are
// searched for everywhere before the next); the console's counts match the device, the
// export and the collector; the export imports once however often; going online drains
// everything; idle pages warn and reset; five wrong PINs pause the console.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer } from './support/server.mjs';
import { launch } from './support/browser.mjs';
import { startCollector, COLLECTOR } from './support/collector.mjs';
import { SurveyPage } from './support/survey-page.mjs';
import { ANSWERS } from './support/answers.mjs';
import { addEventResponses, cachedPaths, readStore, serviceWorkerInControl, until } from './support/storage.mjs';

let server;
let browser;
let collector;
before(async () => {
  collector = await startCollector({ origins: ['*'] });
  server = await startServer({ endpoint: collector.endpoint });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await collector?.close();
});

const PIN = '4826';
const TABLET = { width: 768, height: 1024 };

async function open(path, { viewport = TABLET, clock = false } = {}) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  if (clock) await page.clock.install();
  await page.goto(`${server.url}${path}`);
  return { context, page, sp: new SurveyPage(page) };
}

async function heading(page) {
  return (await page.textContent('h1'))?.trim();
}

/** The console's setup form, by keyboard. */
async function setUp(page, sp, { name = 'Carers’ café, Penrith library', idle = '', keep = false } = {}) {
  await page.goto(`${server.url}/console/`);
  await page.waitForSelector('#console-heading');
  assert.equal(await heading(page), 'Set up the event');
  await sp.audit('console setup');
  await sp.tabTo('#name');
  await page.keyboard.type(name);
  await sp.tabTo('#pin');
  await page.keyboard.type(PIN);
  await sp.tabTo('#pin-again');
  await page.keyboard.type(PIN);
  if (idle) {
    await sp.tabTo('#idle');
    await page.keyboard.type(idle);
  }
  if (keep) {
    await sp.tabTo('#abandoned-discard');
    await page.keyboard.press('ArrowDown');
  }
  await page.keyboard.press('Enter');
  await page.waitForSelector('#count-total', { timeout: 20000 });
}

async function unlock(page, sp) {
  await page.waitForSelector('#unlock-pin');
  await sp.tabTo('#unlock-pin');
  await page.keyboard.type(PIN);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#count-total', { timeout: 20000 });
}

/** One person: welcome, the co-production survey with `canary` typed into its last text box
 *  and `PERSONAL-canary` into its access needs (a personal question), check, send,
 *  confirmation. */
/** Answers each question page by keyboard from `answers` and continues, until the check page. */
async function answerEveryPage(page, sp, answers) {
  for (let n = 0; n < 30; n++) {
    await page.waitForSelector('.sw-widget h1');
    const ids = await sp.questionIds();
    if (ids.length === 0) break;
    for (const id of ids) if (answers[id]) await sp.answer('swe1', id, answers[id]);
    await sp.tabTo('.sw-form button[type=submit]');
    await page.keyboard.press('Enter');
    await page.waitForFunction((before) => !document.querySelector(`[data-question="${before}"]`), ids[0]);
  }
}

async function person(page, sp, canary) {
  await page.waitForSelector('.sw-button--start');
  assert.equal(await heading(page), 'Have your say');
  await sp.tabTo('.sw-button--start');
  await page.keyboard.press('Enter');
  const answers = { ...ANSWERS['co-production'], 'access-needs-other': { text: `PERSONAL-${canary}` }, 'anything-else': { text: canary } };
  await answerEveryPage(page, sp, answers);
  assert.equal(await heading(page), 'Check your answers before sending them');
  await sp.tabTo('.sw-page > .sw-button');
  await page.keyboard.press('Enter');
  await page.waitForSelector('.sw-panel__title');
  const reference = (await page.textContent('.sw-reference')).trim();
  // A shared device stays on for the next person: once stored, no advice to close the page.
  await page.getByText('Keep your reference code if you want to ask the council about your answers.', { exact: true }).waitFor();
  assert.doesNotMatch(await page.textContent('.sw-page'), /close this page|keep this page open/i);
  return reference;
}

/** Nothing of `canary` is left anywhere the next person could reach. */
async function assertClean(page, canary, label) {
  const html = await page.content();
  assert.ok(!html.includes(canary), `${label}: not in the DOM`);
  const values = await page.$$eval('input, textarea', (els) => els.map((e) => e.value));
  assert.ok(!values.some((v) => v.includes(canary)), `${label}: not in a form value`);
  const drafts = await readStore(page, 'drafts');
  assert.ok(!JSON.stringify(drafts).includes(canary), `${label}: no draft holds it`);
  assert.equal(await page.$('a[href*="responses"], .sw-responses-link'), null, `${label}: no list of responses`);
  const autocomplete = await page.$$eval('input[type=text], input[type=email], input[type=tel]', (els) => els.map((e) => e.autocomplete));
  assert.ok(autocomplete.every((a) => a === 'off'), `${label}: autocomplete is off`);
}

test('ten people offline on one tablet, each clean; the console, the export and the collector agree; online drains it', async () => {
  const { context, page, sp } = await open('/event.html');
  await page.waitForSelector('.sw-widget h1');
  assert.equal(await heading(page), 'This device is not ready yet');
  await sp.audit('event page before setup');
  await serviceWorkerInControl(page);
  // The event tablet caches the event build and the console for the day with no signal.
  const cached = await cachedPaths(page);
  for (const file of [/\/event\.html$/, /\/survey-event-[0-9a-f]+_bg\.wasm$/, /\/console\/index\.html$/, /\/console\/event-console-[0-9a-f]+_bg\.wasm$/]) {
    assert.ok(cached.some((p) => file.test(p)), `${file} is cached on the event device`);
  }
  await setUp(page, sp);
  await sp.audit('console dashboard, empty');

  // The library has no signal.
  await context.setOffline(true);
  await page.goto(`${server.url}/event.html`);
  await page.waitForSelector('.sw-button--start');
  await sp.audit('welcome screen');
  const canaries = [];
  const references = [];
  for (let n = 1; n <= 10; n++) {
    const canary = `CANARY-${n}-${Math.random().toString(36).slice(2, 8)}`;
    if (n === 7) {
      // Person 7 walks off after one page and the tablet is reloaded: the draft is discarded
      // (the default) and persons 1–6 stay.
      await sp.tabTo('.sw-button--start');
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-question]');
      await sp.answer('swe1', 'connection-to-care', { radio: 4, other: canary });
      await until(async () => JSON.stringify(await readStore(page, 'drafts')).includes(canary), { what: 'the draft is saved' });
      await page.reload();
      await page.waitForSelector('.sw-button--start');
      await until(async () => (await readStore(page, 'drafts')).length === 0, { what: 'the draft is discarded' });
      await assertClean(page, canary, 'after the reload in person 7');
    }
    canaries.push(canary);
    references.push(await person(page, sp, canary));
    if (n === 1) await sp.audit('confirmation with Next person');
    await sp.tabTo('#swe1-next-person');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.sw-button--start');
    // Focus moves a frame after the welcome screen renders: wait for it (bounded), then check.
    await sp.waitForFocusOn('-heading').catch(() => {});
    assert.equal(await sp.focusedId(), 'swe1-heading', 'focus moves to the welcome heading');
    await assertClean(page, canary, `after person ${n}`);
    // Back goes nowhere near the last person's pages.
    await page.goBack().catch(() => {});
    assert.ok(!(await page.content()).includes(canary), `after person ${n}: not reachable with Back`);
    if (!page.url().endsWith('/event.html')) await page.goto(`${server.url}/event.html`);
    await page.waitForSelector('.sw-button--start');
  }
  const responses = await readStore(page, 'responses');
  assert.equal(responses.length, 10, 'ten responses on the device');
  assert.ok(responses.every((r) => r.context?.event === 'Carers’ café, Penrith library' && /^device-/.test(r.context.device)));

  // The officer's console, offline.
  await page.click('text=Officer');
  await unlock(page, sp);
  assert.equal((await page.textContent('#count-total')).trim(), '10');
  assert.equal((await page.textContent('#count-today')).trim(), '10');
  assert.equal((await page.textContent('#count-received')).trim(), '0');
  assert.match(await page.textContent('#count-waiting'), /^10 \(this device is offline\)/);
  // Sizes in the unit that fits ("10.7 GB", not "10739.3 MB").
  assert.match((await page.textContent('#storage-used')).trim(), /^\d{1,3}(\.\d)? [KMG]B of \d{1,3}(\.\d)? [KMG]B available$/);
  const heard = await page.textContent('.sw-heard');
  for (const c of canaries) {
    assert.ok(heard.includes(c), `"What we heard" lists ${c}`);
    // Issue #21: a personal question is counted, never listed, on a device in a public room.
    assert.ok(!heard.includes(`PERSONAL-${c}`), `"What we heard" does not list the personal answer of ${c}`);
  }
  assert.match(await page.textContent('[aria-labelledby="heard-access-needs-other"]'), /10 answered\s*Personal details are not shown on a shared device/);
  assert.ok(await page.$('.sw-heard .sw-bars'), 'charts are drawn');
  assert.ok(await page.$('.sw-heard table.sw-table'), 'each chart has a table');
  // Export and End the event come before the long summary (issue #21).
  const top = (selector) => page.locator(selector).first().evaluate((e) => e.getBoundingClientRect().top + scrollY);
  assert.ok(await top('#export-json') < await top('#heard-heading') && await top('#end') < await top('#heard-heading'));
  await sp.audit('console dashboard with charts');
  for (const viewport of [{ width: 1024, height: 768 }, { width: 375, height: 800 }]) {
    await page.setViewportSize(viewport);
    await sp.audit(`console at ${viewport.width} px`);
    // Every bar carries its answer, and no count is cut off (issue #21: "3 (100%").
    const bars = await page.$$eval('.sw-heard .sw-bars', (charts) => charts.map((chart) => {
      const box = chart.getBoundingClientRect();
      const table = chart.closest('.sw-chart-pair')?.querySelector('table');
      const labels = [...chart.querySelectorAll('.sw-bars__label')].map((l) => l.textContent);
      const rows = table ? [...table.querySelectorAll('tbody th')].map((t) => t.textContent) : labels;
      const clipped = [...chart.querySelectorAll('.sw-bars__value')].filter((v) => v.getBoundingClientRect().right > box.right + 0.5).length;
      return { labels, rows, clipped };
    }));
    assert.ok(bars.length > 5);
    for (const b of bars) {
      assert.deepEqual(b.labels, b.rows, 'each bar is labelled with its answer');
      assert.equal(b.clipped, 0, `no value cut off at ${viewport.width} px`);
    }
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), `no sideways scroll at ${viewport.width} px`);
  }
  await page.setViewportSize(TABLET);

  // Export, then import twice: each response stored once.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  // The file's name keeps the event's letters (issue #21: "é" was dropped).
  assert.match(download.suggestedFilename(), /^carers-café-penrith-library-device-[A-Z0-9]{4}-\d{4}-\d\d-\d\d\.json$/);
  const dir = await mkdtemp(join(tmpdir(), 'sw-event-'));
  const file = join(dir, 'event.json');
  await download.saveAs(file);
  await page.waitForSelector('text=Exported 10 responses');
  const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const csvFile = join(dir, 'event.csv');
  await csvDownload.saveAs(csvFile);
  const csv = (await import('node:fs')).readFileSync(csvFile, 'utf8');
  assert.ok(csv.startsWith('\ufeffresponseId,surveyVersion,locale,languagesUsed,startedAt,completedAt,receivedAt,event,device,incomplete,connection-to-care,'), csv.slice(0, 200));
  assert.equal(csv.trim().split('\r\n').length, 11, 'a header and ten rows');
  await sp.audit('console after export');
  const imported = (args) => execFileSync(COLLECTOR, ['import', file, '--db', collector.db]).toString().trim();
  assert.equal(imported(), 'imported 10 new, 0 already stored, 0 conflicting, 0 refused');
  assert.equal(imported(), 'imported 0 new, 10 already stored, 0 conflicting, 0 refused');
  assert.equal((await collector.health()).responses, 10);

  // Online again: Send now drains the device, and the collector still holds each once.
  await context.setOffline(false);
  await page.click('text=Send now');
  await page.waitForFunction(() => document.querySelector('#count-received')?.textContent.trim() === '10', null, { timeout: 30000 });
  assert.match(await page.textContent('#console-status'), /Every response has been received by the council/);
  assert.equal((await collector.health()).responses, 10, 'the import and the sending stored each response once');
  const stored = await collector.responses('co-production');
  assert.deepEqual(stored.map((r) => r.context.device).filter((d, i, a) => a.indexOf(d) === i).length, 1);

  // End the event: nothing of it is left on the device.
  await page.click('button:has-text("End the event")');
  await page.waitForSelector('#end-event');
  const counted = async () => Object.fromEntries(await Promise.all(['total', 'received', 'exported', 'at-risk']
    .map(async (k) => [k, (await page.textContent(`#end-${k}`)).trim()])));
  assert.deepEqual(await counted(), { total: '10', received: '10', exported: '0', 'at-risk': '0' });
  await sp.audit('end event confirmation');
  await page.click('#end-event');
  await page.waitForSelector('#name');
  assert.equal((await readStore(page, 'responses')).length, 0);
  assert.equal((await readStore(page, 'events')).length, 0);
  await rm(dir, { recursive: true, force: true });
  await context.close();
});

test('set up from the console on a fresh browser, the tablet says when it is ready to work offline, and then it is (issue #21)', async () => {
  // The console first, as an officer with a bookmark would: nothing cached yet.
  const { context, page, sp } = await open('/console/');
  await setUp(page, sp);
  // Checked, not assumed: the console says "Yes" once the worker holds everything.
  await page.waitForFunction(() => /^Yes/.test(document.querySelector('#offline-ready')?.textContent ?? ''), null, { timeout: 30000 });
  await sp.audit('console: ready to work offline');
  await context.setOffline(true);
  await page.goto(`${server.url}/event.html`);
  await page.waitForSelector('.sw-button--start');
  assert.equal(await heading(page), 'Have your say');
  await context.close();
});

/** `count` responses to `surveyId` for the event set up on the device. */
function seedResponses(page, surveyId, count, exported = false) {
  const responses = Array.from({ length: count }, (_, i) => ({
    responseId: `7e1d2a9e-0c3b-4d5e-8f7a-${surveyId.length.toString(16)}${i.toString(16).padStart(11, '0')}`,
    reference: `SEED${i}`, surveyId, surveyVersion: '2026-11',
    startedAt: Date.now() - 600000, completedAt: Date.now(),
    answers: surveyId === 'co-production' ? { 'connection-to-care': 'carer' } : { 'caring-hours': 10 },
  }));
  return addEventResponses(page, responses, { exported });
}

test('an event keeps to its survey: the console is set up from the event page’s own survey, another survey’s page is refused, and the end counts say exactly what is where (issue #21)', async () => {
  // No worker here, so the test can serve event.html pointed at another survey.
  const context = await browser.newContext({ viewport: TABLET, serviceWorkers: 'block' });
  context.allowConsoleErrors(/^survey widget: this device is set up for another survey than carers-strategy/);
  const page = await context.newPage();
  const sp = new SurveyPage(page);
  let survey = 'co-production';
  await page.route('**/event.html', async (route) => {
    const response = await route.fetch();
    const body = (await response.text()).replace('surveys/co-production.json', `surveys/${survey}.json`);
    await route.fulfill({ response, body });
  });
  await page.goto(`${server.url}/event.html`);
  await page.waitForSelector('.sw-widget h1');
  // The "not ready" link opens the console with this page's survey, which setup records.
  await page.click('text=Officer: set up the event');
  await page.waitForSelector('#setup-survey');
  assert.match(await page.textContent('#setup-survey'), /The event collects answers to “Have a bigger say in adult social care”/);
  await page.fill('#name', 'Survey check');
  await page.fill('#pin', PIN);
  await page.fill('#pin-again', PIN);
  await page.keyboard.press('Enter');
  await page.waitForSelector('#count-total');
  // The event page pointed at another survey refuses, with a way to the console.
  survey = 'carers-strategy';
  await page.goto(`${server.url}/event.html`);
  await page.getByRole('heading', { name: 'This device is set up for another survey' }).waitFor();
  await sp.audit('event page set up for another survey');
  // Responses to another survey are counted apart, never summed up as this one's.
  await seedResponses(page, 'carers-strategy', 2);
  await seedResponses(page, 'co-production', 3, true);
  await page.goto(`${server.url}/console/`);
  await unlock(page, sp);
  await page.waitForFunction(() => document.querySelector('#count-total')?.textContent.trim() === '5');
  assert.match(await page.textContent('#heard-other'), /2 responses on this device answer another survey, so they are not in these figures\. This event collects “Have a bigger say in adult social care”/);
  assert.match(await page.textContent('[aria-labelledby="heard-connection-to-care"]'), /3 answered/);
  // Ending: none received, three exported, two neither.
  await page.click('button:has-text("End the event")');
  await page.waitForSelector('#end-event');
  const counted = async () => Object.fromEntries(await Promise.all(['total', 'received', 'exported', 'at-risk']
    .map(async (k) => [k, (await page.textContent(`#end-${k}`)).trim()])));
  assert.deepEqual(await counted(), { total: '5', received: '0', exported: '3', 'at-risk': '2' });
  assert.match(await page.textContent('.sw-console'), /The exported file is then the only copy/);
  await sp.audit('end event confirmation with exported responses');
  await context.close();
});

test('Send now in the console delivers the rest when one stored response is missing, and keeps that one for an officer (issue #22)', async () => {
  const context = await browser.newContext({ viewport: TABLET, serviceWorkers: 'block' });
  const page = await context.newPage();
  const sp = new SurveyPage(page);
  await setUp(page, sp, { name: 'Missing response' });
  // Three responses waiting to be sent; the oldest one's answers are gone from storage (a
  // browser that evicted part of the database, or a bug elsewhere).
  await seedResponses(page, 'co-production', 3);
  const stored = await readStore(page, 'responses');
  const missing = stored[0].responseId;
  context.allowConsoleErrors(new RegExp(`^survey widget: response ${missing} is missing from storage`));
  await page.evaluate(({ ids, missing, endpoint }) => new Promise((resolve, reject) => {
    const open = indexedDB.open('survey-widget');
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(['responses', 'outbox'], 'readwrite');
      ids.forEach((id, i) => tx.objectStore('outbox').put({
        responseId: id, reference: `SEED${i}`, surveyId: 'co-production', queuedAt: i === ids.indexOf(missing) ? 1 : 1000 + i,
        attempts: 0, nextAttemptAt: 0, state: 'waiting', lastStatus: null, endpoint, headers: [],
      }));
      tx.objectStore('responses').delete(missing);
      tx.oncomplete = () => { db.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
    open.onerror = () => reject(open.error);
  }), { ids: stored.map((r) => r.responseId), missing, endpoint: collector.endpoint });
  const before = (await collector.health()).responses;
  await page.reload();
  await unlock(page, sp);
  await page.click('text=Send now');
  await until(async () => (await collector.health()).responses === before + 2, { timeout: 20000, what: 'the two stored responses at the collector' });
  const outbox = await until(async () => {
    const entries = await readStore(page, 'outbox');
    return entries.length === 1 && entries[0].state === 'needsAttention' && entries;
  }, { what: 'the missing response kept for an officer' });
  assert.equal(outbox[0].responseId, missing);
  assert.equal(outbox[0].lastStatus, 410);
  await context.close();
});

test('an idle question page warns, counts down, and resets to the welcome screen', async () => {
  const { context, page, sp } = await open('/event.html', { clock: true });
  await setUp(page, sp, { name: 'Idle test', keep: true });
  await page.goto(`${server.url}/event.html`);
  await page.waitForSelector('.sw-button--start');
  await page.click('.sw-button--start');
  await page.waitForSelector('[data-question]');
  await sp.answer('swe1', 'connection-to-care', { radio: 4, other: 'IDLE-CANARY' });
  await page.clock.fastForward('01:31');
  await page.waitForSelector('[role=alertdialog]');
  // Focus moves in the frame after the dialog shows: wait for it (bounded), then check.
  await sp.waitForFocusOn('-idle-heading');
  assert.equal(await sp.focusedId(), 'swe1-idle-heading', 'focus moves to the warning');
  assert.match(await page.textContent('[role=alertdialog]'), /Are you still there\?.*close in \d+ seconds/s);
  await sp.audit('idle warning');
  // Continue keeps everything.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[role=alertdialog]', { state: 'hidden' });
  assert.equal(await page.inputValue('#swe1-connection-to-care-other'), 'IDLE-CANARY');
  // Then walking away: the warning, then the welcome screen; kept as incomplete as set up.
  await page.clock.fastForward('01:31');
  await page.waitForSelector('[role=alertdialog]');
  await page.clock.fastForward('00:31');
  await page.waitForSelector('.sw-button--start');
  assert.ok(!(await page.content()).includes('IDLE-CANARY'));
  await until(async () => (await readStore(page, 'responses')).some((r) => r.context?.incomplete === true), { what: 'an incomplete response is kept' });
  // The welcome screen never times out.
  await page.clock.fastForward('10:00');
  assert.equal(await heading(page), 'Have your say');
  await context.close();
});

test('five wrong PINs pause the console for 30 seconds, and it says so', async () => {
  const { context, page, sp } = await open('/console/', { viewport: { width: 1024, height: 768 } });
  await setUp(page, sp, { name: 'PIN test' });
  await page.goto(`${server.url}/console/`);
  for (let n = 1; n <= 5; n++) {
    await page.waitForSelector('#unlock-pin');
    await page.fill('#unlock-pin', '0000');
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => document.querySelector('.sw-error-summary') && !document.querySelector('[role=status]')?.textContent.includes('Checking'), n, { timeout: 20000 });
    assert.equal(await page.inputValue('#unlock-pin'), '', `wrong PIN ${n} is not left in the field`);
  }
  await page.waitForSelector('text=Too many wrong PINs');
  assert.match(await page.textContent('.sw-error-summary'), /Try again in (30|29|28) seconds/);
  await sp.audit('console locked');
  // The right PIN is refused too while paused, and a reload does not give fresh tries.
  await page.reload();
  await page.fill('#unlock-pin', PIN);
  await page.keyboard.press('Enter');
  await page.waitForSelector('text=Too many wrong PINs');
  assert.equal(await page.$('#count-total'), null);
  for (const viewport of [{ width: 375, height: 800 }, TABLET]) {
    await page.setViewportSize(viewport);
    await sp.audit(`console locked at ${viewport.width} px`);
  }
  await context.close();
});

test('the officer console in Welsh, with a switch to English; the event page offers the survey’s languages and the next person starts in the default (issue #23)', async () => {
  const context = await browser.newContext({ viewport: TABLET });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  const sp = new SurveyPage(page);
  await page.goto(`${server.url}/console/?lang=cy`);
  await page.waitForSelector('#console-heading');
  assert.equal(await heading(page), 'Sefydlu’r digwyddiad');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'cy');
  assert.match(await page.locator('label[for="name"]').innerText(), /Enw’r digwyddiad/);
  await sp.audit('console setup in Welsh');
  const english = page.locator('.sw-language-select a[hreflang="en"]');
  assert.equal(await english.getAttribute('lang'), 'en');
  await english.click();
  await page.waitForFunction(() => document.querySelector('#console-heading')?.textContent.includes('Set up the event'));
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.match(page.url(), /lang=en/);
  // The event page: the welcome screen offers the survey's languages; a person answers in
  // Welsh, and the next person starts in the event's default language.
  await setUp(page, sp);
  await page.goto(`${server.url}/event.html`);
  await page.waitForSelector('.sw-button--start');
  await sp.tabTo('.sw-language-select a[hreflang="cy"]');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('.sw-widget')?.lang === 'cy');
  assert.equal(await heading(page), 'Dweud eich dweud');
  await sp.audit('welcome screen in Welsh');
  await sp.tabTo('.sw-button--start');
  await page.keyboard.press('Enter');
  await answerEveryPage(page, sp, ANSWERS['co-production']);
  assert.equal(await heading(page), 'Gwirio’ch atebion cyn anfon');
  await sp.tabTo('.sw-page > .sw-button');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#swe1-next-person');
  const [response] = await until(async () => {
    const all = await readStore(page, 'responses');
    return all.length ? all : null;
  }, { what: 'the stored response' });
  assert.equal(response.locale, 'cy');
  await sp.tabTo('#swe1-next-person');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('.sw-widget')?.lang === 'en' && document.querySelector('.sw-button--start'));
  assert.equal(await heading(page), 'Have your say', 'the next person starts in English');
  assert.deepEqual(problems, []);
  await context.close();
});
