// End to end (issue #2, section 5): each built-in survey completed by keyboard alone against
// the release build, with axe-core on every screen, error states included, at phone and
// desktop widths.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './support/server.mjs';
import { launch } from './support/browser.mjs';
import { SurveyPage } from './support/survey-page.mjs';
import { readFileSync } from 'node:fs';

/** Keyboard answers per question id; questions not listed are left blank (optional). */
const ANSWERS = {
  'carers-strategy': {
    'caring-for': { checks: [0, 2] },
    'care-needs': { checks: [1] },
    'caring-hours': { text: '35' },
    'caring-years': { radio: 2 },
    'age-band': { radio: 0 },
    employment: { radio: 1 },
    'work-caring-balance': { radio: 1 },
    'had-assessment': { radio: 0 },
    'assessment-date': { date: ['14', '3', '2026'] },
    'assessment-helpful': { radio: 3 },
    'support-used': { checks: [0, 1] },
    'support-statements': { rows: [1, 2] },
    'missing-support': { text: 'Evening support & "sitting" services <b>near home</b>' },
    'wellbeing-score': { radio: 2 },
    'break-frequency': { radio: 3 },
    'top-priorities': { checks: [1, 2] },
    'involvement-ways': { checks: [0, 3] },
    'meeting-format': { radio: 3 },
    'contact-ok': { radio: 0 },
    'contact-name': { text: 'Ada Lovelace' },
    'contact-email': { text: 'ada@example.com' },
    'contact-consent': { consent: true },
    'postcode-district': { text: 'LS6' },
    'heard-about-survey': { radio: 5, other: 'At the library' },
  },
  'co-production': {
    'connection-to-care': { radio: 1 },
    'want-bigger-say': { radio: 0 },
    'ways-to-take-part': { checks: [1, 5] },
    'barriers-to-taking-part': { checks: [0, 2] },
    'format-preferences': { rows: [0, 1, 2] },
    'preferred-language': { radio: 2 },
    'access-needs': { checks: [3] },
    'access-needs-other': { text: 'Breaks every hour, please.' },
  },
  'discharge-reablement': {
    'who-is-answering': { radio: 1 },
    'discharge-date': { date: ['2', '10', '2026'] },
    'leaving-hospital': { rows: [0, 3, 1] },
    'had-reablement': { radio: 0 },
    'reablement-quality': { radio: 3 },
    'reablement-helped': { radio: 1 },
    'back-in-hospital': { radio: 0 },
    'days-until-readmission': { text: '12' },
    'overall-experience': { radio: 7 },
    'what-to-improve': { text: 'More notice before discharge.' },
  },
};

/** Second routes through the skip logic, so that every page of every survey is audited. */
const ALTERNATIVES = {
  'carers-strategy': {
    ...ANSWERS['carers-strategy'],
    'age-band': { radio: 3 },
    'had-assessment': { radio: 1 },
    'support-used': { checks: [7] },
    'why-not-used': { checks: [0, 2] },
    'wellbeing-score': { radio: 8 },
    'involvement-ways': { checks: [5] },
  },
  'co-production': {
    ...ANSWERS['co-production'],
    'want-bigger-say': { radio: 1 },
    'why-not-involved': { text: 'I have been asked before and nothing changed.' },
    'access-needs': { checks: [7] },
  },
  'discharge-reablement': {
    ...ANSWERS['discharge-reablement'],
    'had-reablement': { radio: 1 },
    'back-in-hospital': { radio: 1 },
  },
};

/** Question ids seen per survey across all routes, to check every page was audited. */
const SEEN = {};

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

const ROUTES = [
  ...Object.entries(ANSWERS).map(([survey, answers]) => ({ survey, answers, route: 'main route' })),
  ...Object.entries(ALTERNATIVES).map(([survey, answers]) => ({ survey, answers, route: 'other branches' })),
];

for (const { survey, answers, route } of ROUTES) {
  for (const width of [375, 1280]) {
    test(`${survey} (${route}): complete by keyboard at ${width}px with zero axe violations`, async () => {
      const context = await browser.newContext({ viewport: { width, height: 800 } });
      const page = await context.newPage();
      const consoleErrors = [];
      page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
      const sp = new SurveyPage(page);
      await sp.open(server.url, survey);
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
