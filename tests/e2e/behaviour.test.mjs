// End to end (issue #2, section 5): the error summary and its links, Change links from
// "Check your answers", a broken survey file, and the page at 320px wide.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from './support/setup.mjs';
import { SurveyPage } from './support/survey-page.mjs';

const env = serverAndBrowser();

async function fresh(survey = 'discharge-reablement', viewport = { width: 1280, height: 800 }) {
  const context = await env.browser.newContext({ viewport });
  const page = await context.newPage();
  const sp = new SurveyPage(page);
  await sp.open(env.server.url, survey);
  return { context, page, sp };
}

test('error summary takes focus and its links focus each field', async () => {
  const { context, page, sp } = await fresh();
  await sp.start();
  await sp.answer('sw1', 'who-is-answering', { radio: 0 });
  await sp.continue();
  await sp.waitForFocusOn('-heading');
  // A date with a missing month and a bad year.
  await sp.answer('sw1', 'discharge-date', { date: ['12', '', '26'] });
  await sp.continue();
  await sp.waitForFocusOn('error-summary');
  assert.deepEqual(await sp.errorMessages(), ['The date you left hospital must include a month']);
  assert.equal(await page.title(), 'Error: When did you leave hospital? – Leaving hospital and getting back on your feet');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  assert.equal(await sp.focusedId(), 'sw1-discharge-date-month');
  assert.equal(new URL(page.url()).hash, '', 'the host page URL is left alone');
  await page.keyboard.type('10');
  await sp.continue();
  await sp.waitForFocusOn('error-summary');
  assert.deepEqual(await sp.errorMessages(), ['Year must include 4 numbers']);
  const described = await page.getAttribute('fieldset', 'aria-describedby');
  assert.equal(described, 'sw1-discharge-date-hint sw1-discharge-date-error');
  assert.equal(await page.locator('#sw1-discharge-date-error').textContent(), 'Error: Year must include 4 numbers');
  await context.close();
});

test('Change links go to the question and come back to Check your answers', async () => {
  const { context, page, sp } = await fresh('co-production');
  await sp.start();
  const plan = [
    ['connection-to-care', { radio: 0 }],
    ['want-bigger-say', { radio: 1 }],
    ['why-not-involved', {}],
    ['barriers-to-taking-part', { checks: [9] }],
    ['format-preferences', { rows: [0] }],
    ['preferred-language', { radio: 0 }],
    ['access-needs', { checks: [7] }],
    ['anything-else', {}],
  ];
  for (const [id, answer] of plan) {
    assert.deepEqual(await sp.questionIds(), [id]);
    await sp.answer('sw1', id, answer);
    await sp.continue();
    await sp.waitForFocusOn('-heading');
  }
  assert.equal(await sp.heading(), 'Check your answers before sending them');
  const rowFor = (title) => page.locator('.sw-summary-list__row', { hasText: title });
  assert.equal(await rowFor('Would you like a bigger say').locator('.sw-summary-list__value').innerText(), 'No');
  // Change "bigger say" to yes: the newly shown required question is asked, then back to check.
  await rowFor('Would you like a bigger say').locator('button').focus();
  await page.keyboard.press('Enter');
  await sp.waitForFocusOn('-heading');
  assert.deepEqual(await sp.questionIds(), ['want-bigger-say']);
  await sp.answer('sw1', 'want-bigger-say', { radio: 0 });
  await sp.continue();
  await sp.waitForFocusOn('-heading');
  assert.deepEqual(await sp.questionIds(), ['ways-to-take-part']);
  await sp.answer('sw1', 'ways-to-take-part', { checks: [2] });
  await sp.continue();
  await sp.waitForFocusOn('-heading');
  assert.equal(await sp.heading(), 'Check your answers before sending them');
  assert.equal(await rowFor('Would you like a bigger say').locator('.sw-summary-list__value').innerText(), 'Yes');
  assert.equal(await rowFor('Can you tell us why not').count(), 0, 'hidden question is not listed');
  await context.close();
});

test('a broken survey file shows a clear message and logs every problem', async () => {
  const context = await env.browser.newContext();
  context.allowConsoleErrors(/^survey widget: \/fixtures\/broken-survey\.json: survey definition has \d+ problem/);
  const page = await context.newPage();
  const logged = [];
  page.on('console', (m) => m.type() === 'error' && logged.push(m.text()));
  await page.goto(`${env.server.url}/host.html?src=/fixtures/broken-survey.json`);
  const alert = page.locator('.sw-widget [role=alert]');
  await alert.waitFor();
  assert.match(await alert.innerText(), /This survey can’t be shown/);
  const log = logged.join('\n');
  assert.match(log, /\$\.pages\[0\]\.questions\[0\]\.choices: list must not be empty/);
  assert.match(log, /\$\.colour: unknown field `colour`/);
  const sp = new SurveyPage(page);
  await sp.audit('broken survey message');
  await context.close();
});

test('a missing survey file shows the message too', async () => {
  const context = await env.browser.newContext();
  context.allowConsoleErrors(/status of 404/, /^survey widget: surveys\/no-such-survey\.json: http status 404$/);
  const page = await context.newPage();
  await page.goto(`${env.server.url}/host.html?src=surveys/no-such-survey.json`);
  await page.locator('.sw-widget [role=alert]').waitFor();
  assert.match(await page.locator('.sw-widget').innerText(), /This survey can’t be shown/);
  await context.close();
});

test('an unreachable survey offers to try again, and trying again works', async () => {
  const context = await env.browser.newContext();
  context.allowConsoleErrors(/ERR_INTERNET_DISCONNECTED/, /^survey widget: surveys\/co-production\.json: network error/);
  const page = await context.newPage();
  // The first request for the survey fails at the network level; the second goes through.
  let failed = false;
  await page.route('**/surveys/co-production.json', (route) => {
    if (!failed) {
      failed = true;
      return route.abort('internetdisconnected');
    }
    return route.continue();
  });
  await page.goto(`${env.server.url}/host.html?survey=co-production`);
  const alert = page.locator('.sw-widget [role=alert]');
  await alert.waitFor();
  assert.match(await alert.innerText(), /Check your internet connection/);
  const sp = new SurveyPage(page);
  await sp.audit('unreachable survey message');
  await page.getByRole('button', { name: 'Try again' }).click();
  await page.locator('.sw-button--start').waitFor();
  assert.equal(await sp.heading(), 'Have a bigger say in adult social care');
  await context.close();
});

test('the character count is shown at once and announced when typing pauses', async () => {
  const { context, page, sp } = await fresh('co-production');
  await sp.start();
  await sp.answer('sw1', 'connection-to-care', { radio: 0 });
  await sp.continue();
  await sp.waitForFocusOn('-heading');
  await sp.answer('sw1', 'want-bigger-say', { radio: 1 });
  await sp.continue();
  await sp.waitForFocusOn('-heading');
  await sp.answer('sw1', 'why-not-involved', { text: 'Hello' });
  assert.equal(await page.locator('.sw-character-count__message [aria-hidden=true]').innerText(), 'You have 595 characters remaining');
  const live = page.locator('[data-question=why-not-involved] [aria-live=polite]');
  await page.waitForFunction(() =>
    document.querySelector('[data-question=why-not-involved] [aria-live=polite]')?.textContent === 'You have 595 characters remaining');
  assert.equal(await live.textContent(), 'You have 595 characters remaining');
  await sp.audit('long text with a character count');
  await context.close();
});

test('an "Other" choice without details shows its error once, beside the details box', async () => {
  const { context, page, sp } = await fresh('co-production');
  await sp.start();
  await sp.answer('sw1', 'connection-to-care', { radio: 4 });
  await sp.continue();
  await sp.waitForFocusOn('error-summary');
  assert.deepEqual(await sp.errorMessages(), ['Enter details for ‘Something else’']);
  assert.equal(await page.locator('.sw-question .sw-error-message').count(), 1);
  assert.equal(await page.locator('#sw1-connection-to-care-other-error').count(), 1);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  assert.equal(await sp.focusedId(), 'sw1-connection-to-care-other');
  await sp.audit('other details error');
  await context.close();
});

test('the demo page links to each built-in survey', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.server.url}/`);
  await page.locator('.sw-widget h1').waitFor();
  assert.equal(await page.locator('.sw-widget h1').innerText(), 'Help shape our carers’ strategy');
  await page.getByRole('link', { name: 'Leaving hospital' }).click();
  await page.locator('.sw-widget h1', { hasText: 'Leaving hospital' }).waitFor();
  await page.getByRole('link', { name: 'Co-production' }).click();
  await page.locator('.sw-widget h1', { hasText: 'bigger say' }).waitFor();
  await new SurveyPage(page).audit('demo host page');
  await context.close();
});

test('no horizontal scroll at 320px and targets at least 44px', async () => {
  const { context, page, sp } = await fresh('carers-strategy', { width: 320, height: 640 });
  await sp.start();
  for (let i = 0; i < 4; i++) {
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `horizontal scroll of ${overflow}px`);
    const small = await page.$$eval('.sw-widget input, .sw-widget button, .sw-widget textarea', (els) =>
      // Only what is rendered: a hidden control is no target.
      els.filter((e) => e.getClientRects().length > 0).map((e) => {
        // Radios and checkboxes are invisible inputs over a 40px box; measure the input itself.
        const r = e.getBoundingClientRect();
        return { id: e.id || e.className, w: r.width, h: r.height };
      }).filter((r) => r.w < 44 - 0.5 || r.h < 44 - 0.5));
    assert.deepEqual(small, []);
    await sp.continue();
    await page.waitForFunction(() => document.activeElement?.id?.endsWith('error-summary') || document.activeElement?.id?.endsWith('-heading'));
    if (await page.locator('.sw-error-summary').count()) {
      const ids = await sp.questionIds();
      await page.locator(`#sw1-${ids[0]}`).first().check().catch(() => page.locator(`#sw1-${ids[0]}`).fill('10'));
      await sp.continue();
      await sp.waitForFocusOn('-heading');
    }
  }
  await context.close();
});
