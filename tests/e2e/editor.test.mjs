// End to end (issue #25): the survey editor. A survey built by keyboard alone at 1280 and
// 375 px, axe-core on every screen; options, "Other", an optional question, a route, moves
// (one refused because it would break the route), the check with its advice and previews,
// the file downloaded, published to a collector, answered in the widget from the collector
// and exported; the survey kept on the device across a reload with no signal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from './support/server.mjs';
import { launch } from './support/browser.mjs';
import { startCollector, COLLECTOR } from './support/collector.mjs';
import { SurveyPage } from './support/survey-page.mjs';

const PASSWORD = 'correct horse battery staple';
let server;
let browser;
let collector;
before(async () => {
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

const EDITOR = () => `${server.url}/survey-widget/0.1.0/editor.html`;

/** The editor driven by keyboard: Tab to a control, then Enter, Space or typing. */
class Editor extends SurveyPage {
  async press(selector, key = 'Enter') {
    await this.tabTo(selector);
    await this.page.keyboard.press(key);
  }

  async type(selector, text) {
    await this.tabTo(selector);
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.type(text);
  }

  async heading(text) {
    await this.page.waitForFunction((t) => document.activeElement?.id === 'ed-heading' && document.activeElement.textContent.includes(t), text, { timeout: 5000 });
  }

  /** Adds a question through the four steps, auditing each at `label`. */
  async addQuestion({ kind, title, hint = '', optional = false, options = null, extra = false }, label) {
    await this.press('#ed-add');
    await this.heading('What kind of answer do you need?');
    if (label) await this.audit(`editor: kind of answer${label}`);
    // Tab into the radios (onto the first), then arrows to the kind, as a keyboard user would.
    await this.tabTo('input[name="ed-kind"]');
    await this.page.keyboard.press('Space');
    for (let i = 0; i < 12 && !(await this.page.isChecked(`#ed-kind-${kind}`)); i++) await this.page.keyboard.press('ArrowDown');
    assert.ok(await this.page.isChecked(`#ed-kind-${kind}`), `could not choose ${kind}`);
    await this.press('#ed-continue');
    await this.heading('Edit question');
    await this.type('#ed-question', title);
    if (hint) await this.type('#ed-hint', hint);
    if (optional) await this.press('#ed-optional', 'Space');
    if (label) await this.audit(`editor: the question${label}`);
    await this.press('#ed-continue');
    if (options) {
      await this.heading('Options');
      await this.tabTo('#ed-options');
      for (const [i, o] of options.entries()) {
        if (i) await this.page.keyboard.press('Enter');
        await this.page.keyboard.type(o);
      }
      if (extra) await this.press('#ed-extra', 'Space');
      if (label) await this.audit(`editor: options${label}`);
      await this.press('#ed-continue');
    }
    await this.heading('Check your question');
    const frame = this.page.frameLocator('iframe[title="On a phone, 375 pixels wide"]');
    await frame.locator('.sw-widget h1').waitFor();
    if (label) await this.audit(`editor: check your question${label}`);
    await this.press('#ed-save-question');
    await this.heading('Questions');
    await this.page.waitForSelector('text=Question saved.');
  }
}

test('a survey built by keyboard alone is checked, downloaded, published, answered and exported', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const ed = new Editor(page);
  await page.goto(EDITOR());
  await page.mouse.click(1, 1);
  await page.waitForSelector('h1:text("Shape a survey")');
  await page.waitForSelector('text=There are no surveys on this device yet.');
  await ed.audit('editor: start');

  // Creating needs a title: the summary says so and links to the field.
  await ed.press('#ed-create');
  await page.waitForSelector('.sw-error-summary');
  assert.equal(await ed.focusedId(), 'ed-problems');
  await ed.audit('editor: start, with a problem');
  await ed.type('#ed-new-title', 'Tell us about the library');
  await ed.press('#ed-create');
  await ed.heading('Tell us about the library');
  assert.match(await page.locator('.ed-tasks').innerText(), /1\. Survey details\s+In progress[\s\S]*2\. Questions \(0\)\s+Not started[\s\S]*3\. Routes\s+Cannot start yet[\s\S]*5\. Check, preview and download\s+Cannot start yet/);
  await ed.audit('editor: task list');

  await ed.press('#ed-task-details');
  await ed.heading('Survey details');
  await ed.type('#ed-description', 'We are planning next year’s opening hours.');
  await ed.type('#ed-privacy-text', 'How we use your information');
  await ed.type('#ed-privacy-href', 'http://example.gov.uk/privacy');
  await ed.press('#ed-save-details');
  await page.waitForSelector('.sw-error-summary a:text("Enter the privacy notice’s web address, starting https://")');
  await ed.audit('editor: details, with a problem');
  await ed.type('#ed-privacy-href', 'https://www.example.gov.uk/privacy');
  await ed.press('#ed-save-details');
  await ed.heading('Tell us about the library');
  assert.match(await page.locator('#ed-task-details-status').innerText(), /Completed/);

  await ed.press('#ed-task-questions');
  await ed.heading('Questions');
  await ed.audit('editor: no questions yet');
  await ed.addQuestion({ kind: 'yesNo', title: 'Have you used the library this year?' }, '');
  await ed.addQuestion({ kind: 'singleChoice', title: 'How do you usually get there?', options: ['Walk', 'Bus', 'Car'], extra: true }, '');
  await ed.addQuestion({ kind: 'longText', title: 'What would make it better?', optional: true }, '');
  await ed.audit('editor: questions');
  const titles = () => page.locator('.ed-question__title').allInnerTexts();
  assert.deepEqual(await titles(), ['Have you used the library this year?', 'How do you usually get there?', 'What would make it better?']);

  // Move up and down by keyboard; focus stays on the button pressed.
  await ed.press('#ed-up-what-would-make-it');
  await page.waitForSelector('text=Question moved.');
  assert.deepEqual((await titles())[1], 'What would make it better?');
  assert.equal(await ed.focusedId(), 'ed-up-what-would-make-it');
  await ed.press('#ed-down-what-would-make-it');
  assert.deepEqual((await titles())[2], 'What would make it better?');
  await ed.press('#ed-to-tasks');

  // A route: the last question only for people who use the library.
  await ed.press('#ed-task-routes');
  await ed.heading('Routes');
  await ed.audit('editor: routes');
  await ed.press('#ed-route-what-would-make-it');
  await ed.heading('Route for “What would make it better?”');
  await ed.tabTo('#ed-source');
  await page.keyboard.press('ArrowDown');
  await page.waitForSelector('#ed-answers');
  await ed.press('#ed-answer-0', 'Space');
  await ed.audit('editor: a route');
  await ed.press('#ed-save-route');
  await ed.heading('Routes');
  await page.waitForSelector('text=Shown when “Have you used the library this year?” is “Yes”');
  assert.match(await page.locator('#ed-routes').innerText(), /Otherwise people go on to: the end of the survey/);
  await ed.press('#ed-to-tasks');

  // The large-print version for a group that meets on paper, with the route in words.
  await ed.press('#ed-large-print');
  await ed.heading('Tell us about the library');
  const printed = await page.locator('.ed-print').innerText();
  assert.match(printed, /2\. How do you usually get there\?\s+Walk\s+Bus\s+Car\s+Other/);
  assert.match(printed, /3\. What would make it better\?\s+Answer this only if you answered “Yes” to question 1\.\s+You can leave this one out\./);
  await ed.audit('editor: large print');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('#ed-print').isVisible(), false, 'the buttons are not printed');
  assert.ok(await page.locator('.ed-print__title').first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize)) >= 24, 'large print');
  await page.emulateMedia({ media: 'screen' });
  await ed.press('.sw-back-link');
  await ed.heading('Tell us about the library');

  // Moving the routed question before the answer it depends on is refused, with the reason.
  await ed.press('#ed-task-questions');
  await ed.press('#ed-up-what-would-make-it');
  await page.waitForSelector('text=Question moved.');
  await ed.press('#ed-up-what-would-make-it');
  await page.waitForSelector('.sw-error-summary');
  assert.match(await page.locator('.sw-error-summary').innerText(), /“What would make it better\?” is shown only after an answer that would then come after it/);
  await ed.audit('editor: a move refused');
  await ed.press('#ed-down-what-would-make-it');
  await page.waitForSelector('text=Question moved.');
  await ed.press('#ed-to-tasks');

  // Check, preview and download.
  await ed.press('#ed-task-check');
  await ed.heading('Check, preview and download');
  await page.waitForSelector('text=The survey works: the widget loads it without a problem.');
  await page.frameLocator('iframe[title="On a computer"]').locator('h1:text("Tell us about the library")').waitFor();
  // The council's own jargon joins the advice's list.
  assert.doesNotMatch(await page.locator('#ed-advice').innerText(), /opening hours/);
  await ed.tabTo('#ed-jargon');
  await page.keyboard.type('opening hours');
  await page.waitForSelector('#ed-advice li:has-text("“opening hours” may be jargon to the people answering")');
  await ed.audit('editor: check');
  // Beside the preview, each question links back to its own check page.
  await ed.press('#ed-edit-links li:nth-child(2) button');
  await ed.heading('Check your question');
  assert.equal(await page.locator('#ed-review-title').innerText(), 'How do you usually get there?');
  await ed.press('.sw-back-link');
  await ed.press('#ed-to-tasks');
  await ed.press('#ed-task-check');
  await ed.heading('Check, preview and download');
  await ed.tabTo('#ed-download');
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  assert.equal(download.suggestedFilename(), 'tell-us-about-the.json');
  const dir = await mkdtemp(join(tmpdir(), 'sw-editor-'));
  const file = join(dir, 'survey.json');
  await download.saveAs(file);
  const text = await readFile(file, 'utf8');
  const survey = JSON.parse(text);
  assert.equal(survey.pages.length, 3);
  assert.deepEqual(survey.pages[2].questions[0].showIf, { question: 'have-you-used-the', equals: 'yes' });
  assert.deepEqual(survey.pages[1].questions[0].other, { value: 'other', label: 'Other' });
  assert.ok(text.endsWith('}\n') && text.includes('\n  "pages": ['), 'indented as the built-in files are');

  // Advanced: the file one click away; a change that is not JSON is refused.
  await ed.press('#ed-advanced');
  await ed.heading('Advanced: the survey file');
  assert.equal(await page.locator('#ed-json').inputValue(), text);
  await ed.audit('editor: advanced');

  // Kept on the device: a reload with no signal lists it (the editor's own service worker
  // has its files), and it opens as it was, previews included.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => !!navigator.serviceWorker.controller);
  await context.setOffline(true);
  await page.reload();
  await page.mouse.click(1, 1);
  await page.waitForSelector('#ed-drafts th:text("Tell us about the library")');
  await ed.press('#ed-drafts .sw-link-button');
  await ed.heading('Tell us about the library');
  assert.match(await page.locator('.ed-tasks').innerText(), /2\. Questions \(3\)\s+Completed/);
  await ed.press('#ed-task-check');
  await page.frameLocator('iframe[title="On a phone, 375 pixels wide"]').locator('h1:text("Tell us about the library")').waitFor();
  await context.setOffline(false);

  // Published to the collector by an officer in its console, answered from it, exported.
  const officer = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const console_ = await officer.newPage();
  await console_.goto(`${collector.url}/console/sign-in`);
  await console_.fill('#username', 'officer');
  await console_.fill('#password', PASSWORD);
  await console_.click('button:text("Sign in")');
  await console_.waitForSelector('text=Signed in as officer');
  await console_.goto(`${collector.url}/console/drafts?survey=tell-us-about-the`);
  await console_.fill('#definition', text);
  await console_.click('button:text("Save the draft")');
  await console_.click('button:text("Publish version 1")');
  await console_.waitForSelector('text=Version 1 is published.');
  await officer.close();
  const person = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const answering = await person.newPage();
  const sp = new SurveyPage(answering);
  await answering.goto(`${server.url}/host.html?src=${encodeURIComponent(`${collector.url}/surveys/tell-us-about-the/survey.json`)}&endpoint=${encodeURIComponent(collector.endpoint)}`);
  await answering.waitForSelector('h1:text("Tell us about the library")');
  await sp.start();
  await sp.answer('sw1', 'have-you-used-the', { radio: 0 });
  await sp.continue();
  await sp.waitForFocusOn('-heading');
  await sp.answer('sw1', 'how-do-you-usually', { radio: 1 });
  await sp.continue();
  await sp.waitForFocusOn('-heading');
  await sp.answer('sw1', 'what-would-make-it', { text: 'Open on Sundays' });
  await sp.continue();
  await answering.waitForSelector('.sw-summary-list');
  await answering.click('text=Send answers');
  await answering.waitForSelector('text=Your answers have been received by the council.');
  const responses = await collector.responses('tell-us-about-the');
  assert.equal(responses.length, 1);
  assert.deepEqual(responses[0].answers, { 'have-you-used-the': 'yes', 'how-do-you-usually': 'bus', 'what-would-make-it': 'Open on Sundays' });
  await rm(dir, { recursive: true, force: true });
  await person.close();
  await context.close();
});

test('at 375 px every screen fits, is audited, and a question is added by keyboard', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  const ed = new Editor(page);
  await page.goto(EDITOR());
  await page.mouse.click(1, 1);
  await page.waitForSelector('h1:text("Shape a survey")');
  const fits = async (where) => {
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(wide <= 0, `${where} scrolls sideways by ${wide} px`);
  };
  await fits('start');
  await ed.audit('editor at 375 px: start');
  await ed.type('#ed-new-title', 'Carers’ café');
  await ed.press('#ed-create');
  await ed.heading('Carers’ café');
  await fits('task list');
  await ed.audit('editor at 375 px: task list');
  await ed.press('#ed-task-questions');
  await ed.heading('Questions');
  await ed.addQuestion({ kind: 'multipleChoice', title: 'Which days suit you?', hint: 'Select all that apply.', options: ['Monday', 'Wednesday', 'Saturday'], extra: true }, ' at 375 px');
  await fits('questions');
  await ed.audit('editor at 375 px: questions');
  await ed.press('#ed-edit-which-days-suit-you');
  await ed.heading('Check your question');
  assert.match(await page.locator('#ed-review-options').innerText(), /Monday, Wednesday, Saturday, None of the above/);
  await fits('check your question');
  await ed.press('.sw-back-link');
  await ed.press('#ed-to-tasks');
  await ed.press('#ed-task-languages');
  await ed.heading('Languages');
  await ed.press('#ed-add-cy');
  await page.waitForSelector('text=The survey is in: English, Cymraeg.');
  await fits('languages');
  await ed.audit('editor at 375 px: languages');
  await ed.press('.sw-back-link');
  await ed.press('#ed-task-check');
  await ed.heading('Check, preview and download');
  await fits('check');
  await ed.audit('editor at 375 px: check');
  await context.close();
});

test('a built-in survey opened comes back byte for byte, and a changed English text flags its Welsh to check', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const ed = new Editor(page);
  await page.goto(EDITOR());
  await page.mouse.click(1, 1);
  await page.waitForSelector('h1:text("Shape a survey")');
  const path = new URL('../../public/surveys/discharge-reablement.json', import.meta.url).pathname;
  const original = await readFile(path, 'utf8');
  await page.setInputFiles('#ed-file', path);
  await ed.heading('Leaving hospital and getting back on your feet');
  // Unchanged, the survey file is the file that was opened.
  await ed.press('#ed-task-check');
  await ed.heading('Check, preview and download');
  await ed.press('#ed-advanced');
  assert.equal(await page.locator('#ed-json').inputValue(), original);
  await ed.press('.sw-back-link');
  await ed.press('.sw-back-link');
  // Change the first question's English: its Welsh is flagged in the texts side by side.
  await ed.press('#ed-task-questions');
  const first = await page.locator('.ed-question').first().getAttribute('id');
  const id = first.replace(/^ed-q-/, '');
  await ed.press(`#ed-edit-${id}`);
  await ed.heading('Check your question');
  await ed.press('#ed-review-title ~ .sw-summary-list__actions button');
  await ed.heading('Edit question');
  await ed.tabTo('#ed-question');
  await page.keyboard.press('End');
  await page.keyboard.type(' (please answer)');
  await ed.press('#ed-continue');
  if (await page.locator('#ed-options').count()) await ed.press('#ed-continue');
  await ed.heading('Check your question');
  await ed.press('#ed-save-question');
  await ed.heading('Questions');
  await ed.press('#ed-to-tasks');
  await ed.press('#ed-task-languages');
  await ed.heading('Languages');
  assert.match(await page.locator('#ed-languages').innerText(), /English, Cymraeg/);
  const flagged = page.locator('#ed-texts tr:has(.ed-stale)');
  assert.equal(await flagged.count(), 1);
  assert.match(await flagged.innerText(), /\(please answer\)[\s\S]*Check: the English changed/);
  await ed.audit('editor: languages side by side, a translation to check');
  await ed.press('#ed-checked');
  await page.waitForFunction(() => !document.querySelector('.ed-stale'));
  await context.close();
});

test('co-design: a carer comments on a draft offline in comment mode, and the officer uses or notes each suggestion', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'sw-codesign-'));
  const surveyFile = join(dir, 'library.json');
  const { writeFile } = await import('node:fs/promises');
  await writeFile(surveyFile, JSON.stringify({
    formatVersion: 1, id: 'library', version: '2', title: 'Tell us about the library',
    pages: [
      { id: 'visits', questions: [{ id: 'visits', type: 'yesNo', title: 'Do you attend the library?' }] },
      { id: 'better', questions: [{ id: 'better', type: 'longText', title: 'What improvements would you like to see?', required: false }] },
    ],
  }, null, 2));
  // The officer opens the draft and downloads it for comment.
  const office = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await office.newPage();
  const ed = new Editor(page);
  await page.goto(EDITOR());
  await page.mouse.click(1, 1);
  await page.setInputFiles('#ed-file', surveyFile);
  await ed.heading('Tell us about the library');
  await ed.tabTo('#ed-for-comment');
  const [draftDownload] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  assert.equal(draftDownload.suggestedFilename(), 'library.draft.json');
  const draftFile = join(dir, 'library.draft.json');
  await draftDownload.saveAs(draftFile);

  // A carer, on a phone, comments in comment mode; what they type survives a reload offline.
  const carer = await browser.newContext({ viewport: { width: 375, height: 800 }, acceptDownloads: true });
  const phone = await carer.newPage();
  const cp = new Editor(phone);
  await phone.goto(`${EDITOR()}?comment`);
  await phone.mouse.click(1, 1);
  await phone.waitForSelector('h1:text("Comment on a draft survey")');
  await cp.audit('editor comment mode: start');
  await phone.setInputFiles('#ed-draft-file', draftFile);
  await phone.waitForSelector('.sw-error-summary a:text("Enter your name or initials")');
  await cp.audit('editor comment mode: no name');
  await cp.type('#ed-name', 'Carers group');
  await phone.setInputFiles('#ed-draft-file', draftFile);
  await cp.heading('Tell us about the library');
  await cp.type('#ed-comment-visits', '“Attend” sounds like a class.');
  await cp.type('#ed-wording-visits', 'Do you use the library?');
  await cp.type('#ed-comment-better', 'Ask about opening hours too.');
  await cp.audit('editor comment mode: commenting');
  await phone.evaluate(() => navigator.serviceWorker.ready);
  await phone.waitForFunction(() => !!navigator.serviceWorker.controller);
  await carer.setOffline(true);
  await phone.reload();
  await phone.waitForSelector('h1:text("Comment on a draft survey")');
  await cp.type('#ed-name', 'Carers group');
  await phone.setInputFiles('#ed-draft-file', draftFile);
  await cp.heading('Tell us about the library');
  assert.equal(await phone.locator('#ed-wording-visits').inputValue(), 'Do you use the library?');
  await cp.tabTo('#ed-send');
  const [commentsDownload] = await Promise.all([phone.waitForEvent('download'), phone.keyboard.press('Enter')]);
  assert.equal(commentsDownload.suggestedFilename(), 'library-comments-Carers-group.json');
  const commentsFile = join(dir, 'comments.json');
  await commentsDownload.saveAs(commentsFile);
  await carer.close();

  // The officer opens the comments: uses the words for one question, notes the other comment.
  await ed.press('#ed-comments');
  await ed.heading('Comments and suggestions');
  await page.waitForSelector('text=No comments to decide.');
  await page.setInputFiles('#ed-comments-file', commentsFile);
  await page.waitForSelector('#ed-incoming .ed-comment');
  assert.equal(await page.locator('#ed-incoming .ed-comment').count(), 2);
  assert.match(await page.locator('#ed-incoming').innerText(), /1\. Do you attend the library\?\s+From Carers group\s+Comment: ““Attend” sounds like a class\.”\s+Suggested words: “Do you use the library\?”/);
  await ed.audit('editor: comments to decide');
  await ed.press('#ed-incoming .ed-comment:first-child .sw-button');
  await page.waitForFunction(() => document.querySelectorAll('#ed-incoming .ed-comment').length === 1);
  await ed.press('#ed-incoming .ed-comment .sw-button--secondary');
  await page.waitForSelector('text=No comments to decide.');
  const history = await page.locator('#ed-history').innerText();
  assert.match(history, /Do you use the library\?\s+Carers group\s+Comment:[\s\S]*Words used/);
  assert.match(history, /What improvements would you like to see\?\s+Carers group\s+Comment: “Ask about opening hours too\.”\s+Noted/);
  await ed.audit('editor: history of suggestions');
  await ed.press('.sw-back-link');
  await ed.press('#ed-task-questions');
  assert.deepEqual(await page.locator('.ed-question__title').allInnerTexts(), ['Do you use the library?', 'What improvements would you like to see?']);
  // A comments file on another survey is refused with the reason.
  const other = join(dir, 'other.json');
  await writeFile(other, JSON.stringify({ survey: 'other', version: '1', by: 'X', items: [] }));
  await ed.press('#ed-to-tasks');
  await ed.press('#ed-comments');
  await page.setInputFiles('#ed-comments-file', other);
  await page.waitForSelector('.sw-error-summary a:text("These comments are on another survey (other)")');
  await office.close();
  await rm(dir, { recursive: true, force: true });
});

test('a spreadsheet opens as a survey, every row it could not take listed', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const ed = new Editor(page);
  await page.goto(EDITOR());
  await page.mouse.click(1, 1);
  await page.waitForSelector('h1:text("Shape a survey")');
  // An ODK-shaped form in English and Welsh, as LibreOffice saves it (.ods, read by calamine).
  await page.setInputFiles('#ed-file', new URL('../fixtures/xlsform/leaving-hospital.ods', import.meta.url).pathname);
  await ed.heading('Leaving hospital');
  const leftOut = await page.locator('#ed-left-out').innerText();
  assert.match(leftOut, /survey sheet, row 2: `start` is device metadata[\s\S]*survey sheet, row 14: the question type `calculate` is not one the widget has[\s\S]*row 15: the question type `geopoint`/);
  assert.match(await page.locator('.ed-tasks').innerText(), /2\. Questions \(9\)/);
  await ed.audit('editor: a spreadsheet opened');
  await ed.press('#ed-task-languages');
  assert.match(await page.locator('#ed-languages').innerText(), /English, Cymraeg/);
  await context.close();
});
