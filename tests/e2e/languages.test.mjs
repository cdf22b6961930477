// End to end (issue #23): a survey in Welsh by keyboard alone with axe-core on every screen and
// none of the widget's English left; switching language half way through a page keeps what was
// typed and the errors showing, redrawn in the new language, with focus on the switch; the
// choice resumes with the draft; a right-to-left survey laid out mirrored with nothing
// overflowing, Urdu digits read as numbers; each response recording its languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { serverAndBrowser } from './support/setup.mjs';
import { SurveyPage } from './support/survey-page.mjs';
import { ANSWERS } from './support/answers.mjs';
import { readStore, storedDraft, until } from './support/storage.mjs';

const env = serverAndBrowser();
const ROOT = new URL('../..', import.meta.url).pathname;
const EN = JSON.parse(readFileSync(`${ROOT}src/core/text/locales/en.json`, 'utf8'));
const CY = JSON.parse(readFileSync(`${ROOT}src/core/text/locales/cy.json`, 'utf8'));
const UR = JSON.parse(readFileSync(`${ROOT}src/core/text/locales/ur.json`, 'utf8'));
const CATALOGUES = { cy: CY, ur: UR };
/** The widget's own English words a person would see on a screen; none may be left. */
const ENGLISH = ['nav.back', 'nav.continue', 'start.button', 'errors.title', 'check.heading', 'check.change',
  'check.send.button', 'date.day', 'date.month', 'date.year', 'question.optional', 'done.heading',
  'done.reference', 'language.nav'].map((k) => EN[k]);

/** The built-in surveys and the languages each is written in. */
const BUILT_IN = ['carers-strategy', 'co-production', 'discharge-reablement'].map((name) => {
  const survey = JSON.parse(readFileSync(`${ROOT}public/surveys/${name}.json`, 'utf8'));
  return { name, languages: (survey.languages ?? []).map((l) => l.code) };
});
const WELSH = BUILT_IN.filter((s) => s.languages.includes('cy')).map((s) => s.name);
/** Each survey in each language but English: Welsh at both widths, Urdu at a phone's. */
const RUNS = BUILT_IN.flatMap(({ name, languages }) => languages
  .filter((l) => l !== 'en')
  .flatMap((lang) => (lang === 'cy' ? [375, 1280] : [375]).map((width) => ({ survey: name, lang, width }))));

async function newPage(width) {
  const context = await env.browser.newContext({ viewport: { width, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  page.on('pageerror', (e) => problems.push(e.message));
  return { context, page, problems };
}

/** Fails if any of the widget's English words shows on the current screen. */
async function noEnglish(page, where) {
  const text = await page.locator('.sw-widget').innerText();
  for (const phrase of ENGLISH) {
    assert.ok(!text.includes(phrase), `"${phrase}" left in English on ${where}`);
  }
}

test('the built-in surveys in Welsh, and the carers\' survey in Urdu', () => {
  assert.deepEqual(WELSH, ['carers-strategy', 'co-production', 'discharge-reablement']);
  assert.ok(BUILT_IN[0].languages.includes('ur'));
});

for (const { survey, lang, width } of RUNS) {
  {
    const words = CATALOGUES[lang];
    test(`${survey} completed in ${lang} by keyboard at ${width}px, axe on every screen, no English left`, async () => {
      const { context, page, problems } = await newPage(width);
      const sp = new SurveyPage(page);
      await page.goto(`${env.server.url}/host.html?survey=${survey}&lang=${lang}`);
      await page.mouse.click(1, 1);
      await page.waitForSelector('.sw-widget h1');
      assert.equal(await page.getAttribute('.sw-widget', 'lang'), lang);
      assert.equal(await page.getAttribute('.sw-widget', 'dir'), lang === 'ur' ? 'rtl' : 'ltr');
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en', "the host page's own lang is never touched");
      await sp.audit(`${survey} start, ${lang}`);
      await noEnglish(page, 'the start page');
      await sp.start();
      const answers = ANSWERS[survey];
      for (let n = 0; n < 60; n++) {
        const ids = await sp.questionIds();
        if (ids.length === 0) break;
        await noEnglish(page, ids.join(','));
        await sp.audit(`${survey} ${ids.join(',')}, ${lang}`);
        await sp.continue();
        await page.waitForFunction(() => document.activeElement?.id?.endsWith('error-summary') || document.activeElement?.id?.endsWith('-heading'));
        if (await page.evaluate(() => document.activeElement.id.endsWith('error-summary'))) {
          assert.ok((await page.title()).startsWith(words['errors.prefix']), await page.title());
          assert.equal(await page.locator('.sw-error-summary__title').innerText(), words['errors.title']);
          await noEnglish(page, `${ids.join(',')} with errors`);
          await sp.audit(`${survey} ${ids.join(',')} with errors, ${lang}`);
          for (const id of ids) if (answers[id]) await sp.answer('sw1', id, answers[id]);
          await sp.continue();
          await sp.waitForFocusOn('-heading');
        }
        if (await page.locator('.sw-summary-list').count()) break;
      }
      assert.equal(await sp.heading(), words['check.heading']);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'nothing overflows');
      await noEnglish(page, 'the check page');
      await sp.audit(`${survey} check answers, ${lang}`);
      await sp.tabTo('.sw-page > .sw-button');
      await page.keyboard.press('Enter');
      await sp.waitForFocusOn('-heading');
      assert.equal(await sp.heading(), words['done.heading']);
      await noEnglish(page, 'the confirmation');
      await sp.audit(`${survey} confirmation, ${lang}`);
      const [response] = await until(async () => {
        const all = await readStore(page, 'responses');
        return all.length ? all : null;
      }, { what: 'the stored response' });
      assert.equal(response.locale, lang);
      assert.deepEqual(response.languagesUsed, [lang]);
      assert.deepEqual(problems, []);
      await context.close();
    });
  }
}

test('switching language half way through a page keeps the answer typed, the errors and the focus', async () => {
  const { context, page, problems } = await newPage(375);
  const sp = new SurveyPage(page);
  await sp.open(env.server.url, 'discharge-reablement');
  await sp.start();
  await sp.answer('sw1', 'who-is-answering', { radio: 1 });
  await sp.continue();
  await sp.waitForFocusOn('-heading');
  // A day typed, the month and year not: Continue shows the error summary.
  await sp.tabTo('#sw1-discharge-date-day');
  await page.keyboard.type('2');
  await sp.continue();
  await sp.waitForFocusOn('error-summary');
  const url = page.url();
  await sp.tabTo('.sw-language-select a[hreflang="cy"]');
  const started = Date.now();
  await page.keyboard.press('Enter');
  await sp.waitForFocusOn('language-current');
  console.log(`language switch: page redrawn in Welsh ${Date.now() - started} ms after the key press`);
  assert.equal(await page.getAttribute('.sw-widget', 'lang'), 'cy');
  assert.equal(await page.inputValue('#sw1-discharge-date-day'), '2', 'the day typed is kept');
  assert.equal(await page.locator('.sw-error-summary__title').innerText(), CY['errors.title']);
  assert.match(await page.locator('.sw-error-summary__list').innerText(), /Rhaid i/);
  assert.equal(await sp.heading(), 'Pryd wnaethoch chi adael yr ysbyty?');
  assert.equal(page.url(), url, 'switched in place, not by loading the page');
  assert.equal(await page.locator('.sw-language-select [aria-current="true"]').innerText(), 'Cymraeg');
  await sp.audit('date page with errors, after switching to Welsh');
  // The choice is kept with the draft, and resumes with it.
  await storedDraft(page, 'discharge-reablement', (d) => d.session.language === 'cy');
  await page.reload();
  await page.waitForSelector('.sw-widget h1');
  assert.equal(await page.getAttribute('.sw-widget', 'lang'), 'cy', 'the draft resumes in Welsh');
  // Back to English and on to the end: the response was completed in English, using both.
  await sp.tabTo('.sw-language-select a[hreflang="en"]');
  await page.keyboard.press('Enter');
  await sp.waitForFocusOn('language-current');
  assert.equal(await page.getAttribute('.sw-widget', 'lang'), 'en');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a right-to-left survey at 375px: mirrored, nothing overflowing, Urdu digits read as a number', async () => {
  const { context, page, problems } = await newPage(375);
  const sp = new SurveyPage(page);
  await page.goto(`${env.server.url}/host.html?src=/fixtures/rtl-survey.json&lang=ur`);
  await page.mouse.click(1, 1);
  await page.waitForSelector('.sw-widget h1');
  assert.equal(await page.getAttribute('.sw-widget', 'dir'), 'rtl');
  assert.equal(await page.getAttribute('.sw-widget', 'lang'), 'ur');
  const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  const box = (selector) => page.locator(selector).first().boundingBox();
  // The language switch sits at the inline end, which is the left in Urdu.
  const nav = await box('.sw-language-select__list');
  const widget = await box('.sw-widget');
  assert.ok(nav.x - widget.x < 40, `the switch is at the left (${nav.x} in ${widget.x}..)`);
  assert.ok(await fits(), 'nothing overflows the start page');
  await sp.audit('right-to-left start page');
  await sp.start();
  // Radios: the circle is right of its label.
  const circle = await box('.sw-radios__input');
  const label = await box('.sw-radios__label');
  assert.ok(circle.x > label.x, `the radio is at the right (${circle.x} > ${label.x})`);
  const back = await box('.sw-back-link');
  assert.ok(back.x + back.width > widget.x + widget.width - 40, 'Back is at the right');
  assert.ok(await fits(), 'nothing overflows the first question');
  await sp.audit('right-to-left question');
  await sp.answer('sw1', 'cares-for', { radio: 0 });
  await sp.continue();
  await sp.waitForFocusOn('-heading');
  await sp.tabTo('#sw1-caring-hours');
  await page.keyboard.type('۳۵');
  assert.equal(await page.getAttribute('#sw1-caring-hours', 'dir'), 'ltr');
  await sp.continue();
  await sp.waitForFocusOn('-heading');
  assert.deepEqual(await sp.errorMessages(), [], 'Urdu digits are a number');
  await sp.answer('sw1', 'has-support', { radio: 0 });
  assert.equal(await page.locator('label[for="sw1-has-support"]').innerText(), 'ہاں');
  await sp.continue();
  await sp.waitForFocusOn('-heading');
  await sp.tabTo('#sw1-anything-else');
  assert.equal(await page.getAttribute('#sw1-anything-else', 'dir'), 'auto');
  // "ŵ" typed as w and a combining circumflex is one character, counted and kept as one.
  await page.keyboard.type('w\u0302');
  await page.waitForFunction(() => document.querySelector('#sw1-anything-else').value === '\u0175');
  assert.match(await page.locator('.sw-character-count__message').last().innerText(), /199/);
  await page.keyboard.press('Backspace');
  await page.keyboard.type('شکریہ');
  await sp.continue();
  await sp.waitForFocusOn('-heading');
  assert.ok(await fits(), 'nothing overflows the check page');
  await sp.audit('right-to-left check page');
  await sp.tabTo('.sw-page > .sw-button');
  await page.keyboard.press('Enter');
  await sp.waitForFocusOn('-heading');
  assert.equal(await page.getAttribute('.sw-reference', 'dir'), 'ltr', 'the reference code reads left to right');
  const [response] = await until(async () => {
    const all = await readStore(page, 'responses');
    return all.length ? all : null;
  }, { what: 'the stored response' });
  assert.equal(response.locale, 'ur');
  assert.equal(response.answers['caring-hours'], 35);
  assert.equal(response.answers['has-support'], 'yes', 'answers are codes, never labels');
  assert.deepEqual(problems, []);
  await context.close();
});
