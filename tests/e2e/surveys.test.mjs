// End to end (issue #2, section 5): each built-in survey completed by keyboard alone against
// the release build, with axe-core on every screen, error states included, at phone and
// desktop widths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from './support/setup.mjs';
import { SurveyPage } from './support/survey-page.mjs';
import { readFileSync } from 'node:fs';
import { ANSWERS, ALTERNATIVES } from './support/answers.mjs';

/** Question ids seen per survey across all routes, to check every page was audited. */
const SEEN = {};

const env = serverAndBrowser();

const ROUTES = [
  ...Object.entries(ANSWERS).map(([survey, answers]) => ({ survey, answers, route: 'main route' })),
  ...Object.entries(ALTERNATIVES).map(([survey, answers]) => ({ survey, answers, route: 'other branches' })),
];

for (const { survey, answers, route } of ROUTES) {
  for (const width of [375, 1280]) {
    test(`${survey} (${route}): complete by keyboard at ${width}px with zero axe violations`, async () => {
      const context = await env.browser.newContext({ viewport: { width, height: 800 } });
      const page = await context.newPage();
      const consoleErrors = [];
      page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
      const sp = new SurveyPage(page);
      await sp.open(env.server.url, survey);
      await sp.audit(`${survey} start page`);
      await sp.start();
      const seen = [];
      for (let n = 0; n < 60; n++) {
        const ids = await sp.questionIds();
        if (ids.length === 0) break;
        seen.push(...ids);
        await sp.audit(`${survey} ${ids.join(',')}`);
        // Show the errors first (required questions) and audit that state too.
        await sp.continue();
        await page.waitForFunction(() => document.activeElement?.id?.endsWith('error-summary') || document.activeElement?.id?.endsWith('-heading'));
        const errored = await page.evaluate(() => document.activeElement.id.endsWith('error-summary'));
        if (errored) {
          assert.match(await page.title(), /^Error: /);
          await sp.audit(`${survey} ${ids.join(',')} with errors`);
          for (const id of ids) if (answers[id]) await sp.answer('sw1', id, answers[id]);
          await sp.continue();
          await sp.waitForFocusOn('-heading');
          assert.deepEqual(await sp.errorMessages(), [], `errors remain on ${ids}`);
        } else {
          // An optional page went straight on: come back and answer it if we have answers.
          if (ids.some((id) => answers[id])) {
            await sp.tabTo('.sw-back-link');
            await page.keyboard.press('Enter');
            await sp.waitForFocusOn('-heading');
            for (const id of ids) if (answers[id]) await sp.answer('sw1', id, answers[id]);
            await sp.continue();
            await sp.waitForFocusOn('-heading');
          }
        }
        if (await page.locator('.sw-summary-list').count()) break;
      }
      assert.equal(await sp.heading(), 'Check your answers before sending them');
      if (route === 'main route') {
        for (const id of Object.keys(answers)) assert.ok(seen.includes(id), `${id} was never shown`);
      }
      SEEN[survey] = new Set([...(SEEN[survey] ?? []), ...seen]);
      await sp.audit(`${survey} check answers`);
      assert.equal(await page.locator('.sw-error-message:visible').count(), 0, 'no error shows on a complete check page');
      // Survey text typed by a person comes back as text, not markup.
      if (survey === 'carers-strategy') {
        assert.ok((await page.locator('.sw-summary-list').innerText()).includes('<b>near home</b>'));
        assert.equal(await page.locator('.sw-summary-list b').count(), 0);
      }
      await sp.tabTo('.sw-page > .sw-button');
      await page.keyboard.press('Enter');
      await sp.waitForFocusOn('-heading');
      assert.equal(await sp.heading(), 'Thank you for your answers');
      const reference = await page.locator('.sw-reference').innerText();
      assert.match(reference, /^[34679ACDEFGHJKMNPQRTWXY]{4}-[34679ACDEFGHJKMNPQRTWXY]{4}$/);
      await sp.audit(`${survey} confirmation`);
      assert.deepEqual(consoleErrors, []);
      await context.close();
    });
  }
}

test('every page of every built-in survey was audited', () => {
  for (const survey of Object.keys(ANSWERS)) {
    const definition = JSON.parse(readFileSync(new URL(`../../public/surveys/${survey}.json`, import.meta.url)));
    const all = definition.pages.flatMap((p) => p.questions.map((q) => q.id));
    const missed = all.filter((id) => !SEEN[survey]?.has(id));
    assert.deepEqual(missed, [], `${survey}: pages never shown`);
  }
});

test('issue #21: a page a changed answer reveals is visited before Check, and the browser Back and Forward buttons walk the questions keeping every answer', async () => {
  const context = await env.browser.newContext({ viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  const sp = new SurveyPage(page);
  await sp.open(env.server.url, 'carers-strategy');
  await sp.start();
  // The other route: 50 to 64, so "Support for young carers" is not shown.
  const answers = ALTERNATIVES['carers-strategy'];
  const visited = [];
  for (let n = 0; n < 60 && !(await page.locator('.sw-summary-list').count()); n++) {
    const ids = await sp.questionIds();
    visited.push(...ids);
    for (const id of ids) if (answers[id]) await sp.answer('sw1', id, answers[id]);
    await sp.continue();
    await sp.waitForFocusOn('-heading');
  }
  assert.equal(await sp.heading(), 'Check your answers before sending them');
  assert.ok(!visited.includes('young-carer-info'));
  const last = visited.at(-1);
  const before = visited.at(-2);

  // The browser's Back: the previous question, with its answer; again; then Forward.
  const onPage = async (id) => page.waitForSelector(`[data-question="${id}"]`);
  await page.goBack();
  await onPage(last);
  assert.equal(await page.locator(`[data-question="${last}"] input:checked`).count(), 1, 'the answer is still there');
  assert.match(await page.title(), /^How did you hear about this survey\?/);
  await page.goBack();
  await onPage(before);
  await page.goForward();
  await onPage(last);
  await page.goForward();
  await page.waitForSelector('.sw-summary-list');
  const checked = await page.locator('.sw-summary-list').innerText();
  assert.match(checked, /At the library/, 'nothing was lost on the way back and forth');

  // Change the age to "Under 18": the young carers' page is shown before Check.
  await page.locator('.sw-summary-list__row', { hasText: 'How old are you' }).locator('a, button').first().click();
  await onPage('age-band');
  await sp.answer('sw1', 'age-band', { radio: 0 });
  await sp.continue();
  await sp.waitForFocusOn('-heading');
  assert.equal(await sp.heading(), 'Support for young carers');
  await sp.audit('young carers page after a change');
  await sp.continue();
  await sp.waitForFocusOn('-heading');
  assert.equal(await sp.heading(), 'Check your answers before sending them');
  // Back from Check after the change goes to the page before it, never out of the survey.
  await page.goBack();
  await page.waitForSelector('[data-question]');
  assert.ok(page.url().startsWith(env.server.url), 'still on the survey');
  await context.close();
});
