// End to end (issue #12): closing the loop. A person completes a response; an officer signs
// in to the collector's console, sees it counted, reads the figures and publishes "You said,
// we did"; the person sees the outcomes on the survey's start page and beside their reference
// on the device, and still after a reload with no signal; the public lookup page gives the
// stage of the reference and never an answer. axe-core on every console page and new part.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer } from './support/server.mjs';
import { launch } from './support/browser.mjs';
import { startCollector, COLLECTOR } from './support/collector.mjs';
import { SurveyPage } from './support/survey-page.mjs';
import { serviceWorkerInControl } from './support/storage.mjs';
import { ANSWERS } from './support/answers.mjs';

const PASSWORD = 'correct horse battery staple';
const CANARY = 'Quokka-5e1b story';

let server;
let browser;
let collector;
before(async () => {
  // The demo page itself (precached by the service worker, so it opens with no signal),
  // pointed at this collector.
  collector = await startCollector({ origins: ['*'] });
  server = await startServer({ endpoint: collector.endpoint });
  execFileSync(COLLECTOR, ['user', 'add', 'officer', '--db', collector.db], { input: `${PASSWORD}\n`, stdio: ['pipe', 'ignore', 'ignore'] });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await collector?.close();
  await server?.close();
});

const SURVEY = 'co-production';
const TITLE = 'Have a bigger say in adult social care';
const PAGE = () => `${server.url}/?survey=${SURVEY}`;

/** The respondent's part: the co-production survey by keyboard, with a canary in the free
 *  text; returns the reference code. */
async function answer(page, sp) {
  await page.goto(PAGE());
  await page.mouse.click(1, 1);
  await page.waitForSelector('.sw-button--start');
  await sp.start();
  const answers = { ...ANSWERS[SURVEY], 'access-needs-other': { text: CANARY } };
  for (let n = 0; n < 30 && !(await page.locator('.sw-summary-list').count()); n++) {
    for (const id of await sp.questionIds()) if (answers[id]) await sp.answer('sw1', id, answers[id]);
    await sp.continue();
    await sp.waitForFocusOn('-heading');
  }
  await page.click('text=Send answers');
  const reference = await page.locator('.sw-reference').innerText();
  await page.waitForSelector('text=Your answers have been received by the council.');
  return reference;
}

test('a response is counted in the console, its outcome published, and shown to the person, offline too', async () => {
  const person = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const page = await person.newPage();
  const sp = new SurveyPage(page);
  const reference = await answer(page, sp);
  assert.match(reference, /^[34679ACDEFGHJKMNPQRTWXY]{4}-[34679ACDEFGHJKMNPQRTWXY]{4}$/);

  // The officer: signed out, every console page goes to sign-in. axe injects a script and
  // sets inline styles, which the console's own policy refuses (the collector's tests check
  // that policy), so this context bypasses it.
  const officer = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  // A wrong password (401) and a form with a problem (400) are answered with their status.
  officer.allowConsoleErrors(/^Failed to load resource: the server responded with a status of (401|400) /);
  const console_ = await officer.newPage();
  const cp = new SurveyPage(console_);
  await console_.goto(`${collector.url}/console/surveys/${SURVEY}`);
  assert.equal(new URL(console_.url()).pathname, '/console/sign-in');
  await cp.audit('console: sign in');
  await console_.fill('#username', 'officer');
  await console_.fill('#password', 'not the password');
  await console_.click('button:text("Sign in")');
  await console_.waitForSelector('.c-error-summary');
  assert.match(await console_.title(), /^Error: Sign in/);
  assert.equal(await console_.evaluate(() => document.activeElement?.className), 'c-error-summary', 'focus moves to the summary');
  await cp.audit('console: sign in, wrong password');
  await console_.fill('#password', PASSWORD);
  await console_.click('button:text("Sign in")');
  await console_.waitForSelector('text=Signed in as officer');
  const cookie = (await officer.cookies(collector.url)).find((c) => c.name === '__Host-sc_session');
  assert.ok(cookie.httpOnly && cookie.secure && cookie.sameSite === 'Strict', JSON.stringify(cookie));
  await cp.audit('console: surveys');
  await console_.click(`a:text("${TITLE}")`);
  await console_.waitForSelector(`h1:text("${TITLE}")`);
  assert.match(await console_.locator('.c-summary').innerText(), /Responses received\s+1\b/);
  assert.ok(await console_.locator('svg.c-chart').count() > 0, 'charts drawn on the server');
  await cp.audit('console: figures');
  await console_.click('text=Show figures for publication');
  await console_.waitForSelector('text=For publication');
  assert.match(await console_.locator('.c-summary').innerText(), /Responses received\s+fewer than 5/);
  await cp.audit('console: figures for publication');
  await console_.click('text=Show all figures');
  await console_.click('#q-access-needs-other ~ p a:text("Read and search the answers to this question")');
  await console_.waitForSelector(`text=${CANARY}`);
  await console_.fill('#q', 'quokka');
  await console_.click('button:text("Search")');
  await console_.waitForSelector('text=1 of 1 answers contain “quokka”');
  await cp.audit('console: free-text answers');
  await console_.goBack();
  await console_.goBack();

  // "You said, we did": a problem first, then published.
  await console_.click('text=You said, we did: outcomes for this survey');
  await console_.waitForSelector('h1:text("You said, we did")');
  await cp.audit('console: outcomes');
  // One response is under the threshold, so the figures suggest no theme, and the page says so.
  await console_.click('text=Choose themes from the figures');
  await console_.waitForSelector('text=the figures suggest no themes yet');
  await cp.audit('console: outcomes, themes from the figures');
  await console_.click('text=Back to you said, we did');
  await console_.waitForSelector('h1:text("You said, we did")');
  await console_.check('input[name=status][value=published]');
  await console_.fill('#theme-0-text', 'Evening sessions suit carers better');
  await console_.fill('#theme-0-count', '12');
  await console_.fill('#action-0-text', 'Carers’ forum moves to 6pm');
  await console_.selectOption('#action-0-status', 'done');
  await console_.click('button:text("Preview")');
  await console_.waitForSelector('.c-error-summary');
  await cp.audit('console: outcomes with a problem');
  await console_.click('.c-error-summary a');
  assert.equal(await console_.evaluate(() => document.activeElement?.id), 'action-0-owner');
  await console_.fill('#action-0-owner', 'Engagement team');
  await console_.fill('#action-0-date', '2027-01-31');
  // Issue #21: nothing is public until the officer has seen it as the public will.
  await console_.click('button:text("Preview")');
  await console_.waitForSelector('h1:text("Check what the public will see")');
  assert.match(await console_.locator('.c-preview').innerText(), /Evening sessions suit carers better \(12 people\)[\s\S]*Carers’ forum moves to 6pm[\s\S]*Done\s+31 January 2027/);
  const feed = await (await fetch(`${collector.url}/surveys/${SURVEY}/outcomes.json`)).json();
  assert.equal(feed.updatedAt, null, 'a preview publishes nothing');
  await cp.audit('console: outcomes preview');
  await console_.click('button:text("Publish")');
  await console_.waitForSelector('text=Saved and published.');
  assert.match(await console_.locator('table:has(caption:text("Every saved change")) tbody').innerText(), /officer\s+Record started: status Outcomes published; 1 themes; 1 actions/);
  await cp.audit('console: outcomes saved');

  // The public lookup: the stage and the outcomes, never an answer.
  const lookup = await officer.newPage();
  await lookup.goto(`${collector.url}/lookup`);
  await new SurveyPage(lookup).audit('lookup');
  await lookup.fill('#reference', reference.toLowerCase().replace('-', ' '));
  await lookup.click('button:text("Look up")');
  await lookup.waitForSelector(`h2:has-text("${reference}")`);
  assert.match(await lookup.locator('.c-summary').first().innerText(), /Stage\s+Outcomes published/);
  assert.ok(!(await lookup.content()).includes('Quokka'), 'no answer on the lookup page');
  await new SurveyPage(lookup).audit('lookup: found');
  // Issue #21: at 375 px no console or public page scrolls sideways.
  for (const p of [lookup, console_]) await p.setViewportSize({ width: 375, height: 800 });
  await lookup.reload();
  await lookup.waitForSelector(`h2:has-text("${reference}")`);
  const wide = async (p, what) => {
    const [width, culprits] = await p.evaluate(() => [document.documentElement.scrollWidth,
      [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 375.5)
        .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)]);
    assert.ok(width <= 375, `${what} is ${width} px wide at 375 px: ${culprits.join(', ')}`);
  };
  await wide(lookup, 'the lookup page');
  // Issue #23: the same page in Urdu, right to left: mirrored (the language list runs from the
  // right), nothing wider than the phone, axe-core.
  await lookup.goto(`${collector.url}/lookup?lang=ur&reference=${reference}`);
  await lookup.waitForSelector(`h2:has-text("${reference}")`);
  assert.deepEqual(await lookup.evaluate(() => [document.documentElement.lang, document.documentElement.dir]), ['ur', 'rtl']);
  const [first, last] = await lookup.evaluate(() => [...document.querySelectorAll('.c-language__item')]
    .map((li) => li.getBoundingClientRect().left).filter((_, i, all) => i === 0 || i === all.length - 1));
  assert.ok(first > last, `the language list runs right to left (${first} then ${last})`);
  const [button, box] = await lookup.evaluate(() => ['form .c-button', '#reference']
    .map((sel) => document.querySelector(sel).getBoundingClientRect().right));
  assert.ok(Math.abs(button - box) < 1, `Look up starts at the box's edge, on the right (${button}, ${box})`);
  await wide(lookup, 'the lookup page in Urdu');
  await new SurveyPage(lookup).audit('lookup: found, in Urdu');
  for (const path of ['/console', `/console/surveys/${SURVEY}`, `/console/surveys/${SURVEY}?view=publication`,
    `/console/surveys/${SURVEY}/outcomes`, `/console/surveys/${SURVEY}/outcomes/themes`]) {
    await console_.goto(`${collector.url}${path}`);
    await wide(console_, path);
  }
  // Signing out ends the session: the console sends the officer back to sign in.
  await console_.click('button:text("Sign out")');
  await console_.waitForSelector('h1:text("You have signed out")');
  await cp.audit('console: signed out');
  await console_.goto(`${collector.url}/console`);
  assert.equal(new URL(console_.url()).pathname, '/console/sign-in');
  officer.assertNoProblems('console');
  await officer.close();

  // The person: on the start page after a reload, then beside the reference.
  await serviceWorkerInControl(page);
  await page.goto(PAGE());
  const outcomes = page.locator('.sw-widget .sw-outcomes');
  await outcomes.waitFor();
  assert.match(await outcomes.innerText(), /You said, we did\s+Outcomes published\s+You said\s+Evening sessions suit carers better \(12 people\)\s+We did\s+Carers’ forum moves to 6pm\s+Done, Engagement team, 31 January 2027\s+Last updated on this device \d+ \w+ \d{4} at \d+:\d\d[ap]m\./);
  await sp.audit('start page with outcomes');
  await page.click('text=Your responses on this device');
  await sp.waitForFocusOn('-heading');
  const row = page.locator('.sw-table tbody tr', { hasText: reference });
  assert.match(await row.innerText(), /Received by the council/);
  assert.equal(await row.locator('[aria-current=step]').innerText(), 'Outcomes published');
  await page.locator('.sw-page .sw-outcomes').waitFor();
  await sp.audit('your responses with outcomes');

  // No signal: the device's copy, with its date.
  person.allowConsoleErrors(/ERR_INTERNET_DISCONNECTED/);
  await person.setOffline(true);
  await page.reload();
  await outcomes.waitFor();
  assert.match(await outcomes.innerText(), /Evening sessions suit carers better[\s\S]*Last updated on this device/);
  person.assertNoProblems('respondent');
  await person.close();
});

test('a survey drafted and published in the console is loaded from the collector by the widget, answered and exported', async () => {
  // Issue #25: the collector keeps the survey itself. An officer saves a draft, sees what
  // blocks it, publishes it; a council page loads the live version from the collector's
  // public route; the response comes back counted under that version.
  const officer = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
  officer.allowConsoleErrors(/^Failed to load resource: the server responded with a status of 400 /);
  const console_ = await officer.newPage();
  const cp = new SurveyPage(console_);
  await console_.goto(`${collector.url}/console/sign-in`);
  await console_.fill('#username', 'officer');
  await console_.fill('#password', PASSWORD);
  await console_.click('button:text("Sign in")');
  await console_.waitForSelector('text=Signed in as officer');
  await console_.fill('#survey', 'library');
  await console_.click('button:text("Start a draft")');
  await console_.waitForSelector('h1:text("Versions of library")');
  await cp.audit('console: a new survey\'s versions');
  const definition = (version, extra = {}) => JSON.stringify({
    formatVersion: 1, id: 'library', version, title: 'Tell us about the library',
    pages: [
      { id: 'visits', questions: [{ id: 'visits', type: 'yesNo', title: 'Have you used the library this year?' }] },
      { id: 'better', showIf: { question: 'visits', equals: 'yes' }, questions: [{ id: 'better', type: 'longText', title: 'What would make it better?', required: false }] },
    ],
    ...extra,
  }, null, 2);
  // A draft still marked as unfinished is saved, and what blocks it is said.
  await console_.fill('#definition', definition('1', { draft: true }));
  await console_.click('button:text("Save the draft")');
  await console_.waitForSelector('text=The draft is saved.');
  await console_.waitForSelector('text=It cannot be published yet');
  assert.equal(await console_.locator('button:text("Publish version 1")').count(), 0);
  await cp.audit('console: a draft that cannot be published');
  await console_.fill('#definition', definition('1'));
  await console_.click('button:text("Save the draft")');
  await console_.waitForSelector('text=Ready to publish as version');
  await cp.audit('console: a draft ready to publish');
  await console_.click('button:text("Publish version 1")');
  await console_.waitForSelector('text=Version 1 is published.');
  await console_.waitForSelector('text=There is no draft.');
  await cp.audit('console: published');

  // A council page loads the live version from the collector and sends the answer back.
  const person = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const page = await person.newPage();
  const sp = new SurveyPage(page);
  const live = `${collector.url}/surveys/library/survey.json`;
  await page.goto(`${server.url}/host.html?src=${encodeURIComponent(live)}&endpoint=${encodeURIComponent(collector.endpoint)}`);
  await page.waitForSelector('h1:text("Tell us about the library")');
  await sp.start();
  await sp.answer('sw1', 'visits', { radio: 0 });
  await sp.continue();
  await sp.waitForFocusOn('-heading');
  await sp.answer('sw1', 'better', { text: 'Longer opening hours' });
  await sp.continue();
  await page.waitForSelector('.sw-summary-list');
  await sp.audit('widget: a survey from the collector, check your answers');
  await page.click('text=Send answers');
  await page.waitForSelector('text=Your answers have been received by the council.');

  // Counted under the version it answered, in the console and the exports.
  await console_.goto(`${collector.url}/console/surveys/library`);
  assert.match(await console_.locator('.c-summary').innerText(), /Responses received\s+1\b[\s\S]*Versions answered\s+1\b/);
  await cp.audit('console: figures of a published survey');
  const responses = await collector.responses('library');
  assert.equal(responses.length, 1);
  assert.equal(responses[0].surveyVersion, '1');
  assert.deepEqual(responses[0].answers, { visits: 'yes', better: 'Longer opening hours' });
  const wide = await (await fetch(`${collector.url}/surveys/library/wide.csv`, { headers: { Authorization: `Bearer ${collector.token}` } })).text();
  assert.match(wide, /^response_id,survey_version,[\s\S]*,visits,better\r\n/);
  assert.match(wide, /\r\n[0-9a-f-]{36},1,en,[\s\S]*,yes,Longer opening hours\r\n$/);
  await person.close();
  await officer.close();
});
