// End to end (issue #3): answers are saved on the device as they are given, the widget loads
// and resumes with no network, and storage problems are explained with nothing lost.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from './support/setup.mjs';
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { launchPersistent } from './support/browser.mjs';
import { SurveyPage } from './support/survey-page.mjs';
import {
  cachedPaths, readStore, describeDatabase, seedDatabase, serviceWorkerInControl, statusSays, storedDraft, until,
} from './support/storage.mjs';

const env = serverAndBrowser();

const SHORT = '/host.html?src=/fixtures/short-survey.json';

async function fresh(path, { init, allow = [] } = {}) {
  const context = await env.browser.newContext({ viewport: { width: 375, height: 800 } });
  context.allowConsoleErrors(...allow);
  if (init) await context.addInitScript(init);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${env.server.url}${path}`);
  await page.mouse.click(1, 1);
  await page.waitForSelector('.sw-widget h1');
  return { context, page, sp: new SurveyPage(page), problems };
}

test('half a survey, then offline and a reload: it loads from the service worker and resumes', async () => {
  const { context, page, sp, problems } = await fresh('/?survey=discharge-reablement');
  await serviceWorkerInControl(page);
  // A respondent's phone caches the widget, not what only an event tablet needs.
  const cached = await cachedPaths(page);
  assert.ok(cached.some((p) => /\/survey-widget-[0-9a-f]+_bg\.wasm$/.test(p)), 'the widget is cached');
  // Issue #24: and the sender, which a visit loads only once something waits to be sent.
  assert.ok(cached.some((p) => /\/survey-sender-[0-9a-f]+_bg\.wasm$/.test(p)), 'the sender is cached');
  assert.ok(cached.some((p) => /\/survey-sender-[0-9a-f]+\.js$/.test(p)), "the sender's script is cached");
  assert.deepEqual(cached.filter((p) => /survey-event-|\/console\/|event\.html/.test(p)), [], 'no event files cached');
  await sp.start();
  await sp.answer('sw1', 'who-is-answering', { radio: 1 });
  await sp.continue();
  await sp.waitForFocusOn('-heading');
  await sp.answer('sw1', 'discharge-date', { date: ['3', '11', '2026'] });
  await storedDraft(page, 'discharge-reablement', (d) => d.session.answers['discharge-date']?.year === '2026');
  await statusSays(page, 'saved on this device');

  await context.setOffline(true);
  await statusSays(page, 'offline');
  await page.reload();
  await page.waitForSelector('.sw-widget h1');
  assert.equal(await sp.heading(), 'When did you leave hospital?', 'resumes at the same question');
  assert.deepEqual(
    [await page.inputValue('#sw1-discharge-date-day'), await page.inputValue('#sw1-discharge-date-month'), await page.inputValue('#sw1-discharge-date-year')],
    ['3', '11', '2026'],
  );
  assert.match(await page.locator('#sw1-resumed').innerText(), /Your answers were saved on this device/);
  await statusSays(page, 'offline');
  await sp.audit('resumed draft, offline');

  // Back shows the earlier answer, and the rest of the survey still works offline.
  await page.click('.sw-back-link');
  await sp.waitForFocusOn('-heading');
  assert.equal(await page.isChecked('#sw1-who-is-answering-2'), true);
  await context.setOffline(false);
  await statusSays(page, 'back online');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the demo page can be installed on a home screen', async () => {
  // Chromium never offers installation in a private window, so this one has a real profile.
  const profile = await mkdtemp(join(tmpdir(), 'sw-install-'));
  const context = await launchPersistent(profile);
  try {
    const page = await context.newPage();
    await page.goto(`${env.server.url}/`);
    await serviceWorkerInControl(page);
    const cdp = await context.newCDPSession(page);
    const manifest = await cdp.send('Page.getAppManifest');
    assert.deepEqual(manifest.errors, []);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, []);
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
});

test('Start again asks first, then deletes the draft', async () => {
  const { context, page, sp } = await fresh(SHORT);
  await sp.start();
  await sp.answer('sw1', 'name', { text: 'Sam' });
  await storedDraft(page, 'short-survey', (d) => d.session.answers.name?.value === 'Sam');
  await page.reload();
  await page.waitForSelector('#sw1-resumed');
  await page.click('#sw1-resumed button');
  await sp.waitForFocusOn('resumed-body');
  assert.match(await page.locator('#sw1-resumed').innerText(), /delete your answers/);
  await sp.audit('confirm start again');
  await page.click('#sw1-resumed .sw-button--warning');
  await sp.waitForFocusOn('-heading');
  assert.equal(await sp.heading(), 'A short survey');
  await statusSays(page, 'deleted');
  await until(async () => (await readStore(page, 'drafts')).every((d) => d.surveyId !== 'short-survey'), { what: 'the draft deleted' });
  await page.reload();
  await page.waitForSelector('.sw-widget h1');
  assert.equal(await page.locator('.sw-banner').count(), 0);
  await context.close();
});

test('completing stores the response and its outbox entry, and removes the draft, in one go', async () => {
  const { context, page, sp } = await fresh(SHORT);
  await sp.start();
  await sp.answer('sw1', 'carer', { radio: 0 });
  await sp.continue();
  await sp.waitForFocusOn('-heading');
  await sp.continue();
  await sp.waitForFocusOn('-heading');
  await page.click('text=Send answers');
  await page.waitForSelector('.sw-reference');
  // With no endpoint configured, the person is told the answers stay on the device.
  await page.waitForSelector('.sw-page [role=status]:has-text("This survey does not send answers over the internet, so they stay here")');
  const reference = await page.locator('.sw-reference').innerText();
  const responses = (await readStore(page, 'responses')).filter((r) => r.surveyId === 'short-survey');
  const outbox = (await readStore(page, 'outbox')).filter((r) => r.surveyId === 'short-survey');
  assert.equal(responses.length, 1);
  assert.deepEqual(responses[0].answers, { carer: 'yes' });
  assert.equal(responses[0].reference, reference);
  assert.deepEqual(outbox.map((o) => [o.responseId, o.reference]), [[responses[0].responseId, reference]]);
  assert.equal((await readStore(page, 'drafts')).filter((d) => d.surveyId === 'short-survey').length, 0);
  await sp.audit('confirmation, stored');
  await context.close();
});

test('a full device: a clear message, nothing stored damaged, and saving again once there is space', async () => {
  // Chromium reads the quota when it first opens an origin's database and keeps that figure
  // while the browser runs, so the quota is lowered in a fresh browser on the same profile,
  // before the widget opens its database. Service workers are kept out: a worker still
  // filling its cache would use up the little room left and make the test about it instead.
  const profile = await mkdtemp(join(tmpdir(), 'sw-quota-'));
  let context;
  try {
    context = await launchPersistent(profile, { serviceWorkers: 'block' });
    let page = await context.newPage();
    await page.goto(`${env.server.url}${SHORT}`);
    await page.click('.sw-button--start');
    await page.fill('#sw1-name', 'Before');
    await storedDraft(page, 'short-survey', (d) => d.session.answers.name?.value === 'Before');
    await context.close();

    context = await launchPersistent(profile, { serviceWorkers: 'block' });
    context.allowConsoleErrors(/^survey widget: saving the draft failed: the storage quota is exceeded$/);
    page = await context.newPage();
    await page.goto(`${env.server.url}/fixtures/blank.html`);
    const cdp = await context.newCDPSession(page);
    const origin = env.server.url;
    const { usage } = await cdp.send('Storage.getUsageAndQuota', { origin });
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 8192 });
    await page.goto(`${env.server.url}${SHORT}`);
    await page.waitForSelector('#sw1-resumed');
    assert.equal(await page.inputValue('#sw1-name'), 'Before');
    // Random text, so the database's compression cannot make it fit.
    await page.fill('#sw1-name', randomBytes(24000).toString('base64'));
    await page.waitForSelector('#sw1-storage-problem');
    assert.match(await page.locator('#sw1-storage-problem').innerText(), /out of storage space/);
    await statusSays(page, 'out of storage space');
    await new SurveyPage(page).audit('storage full');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#sw1-storage-problem button')]);
    const file = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.equal(file.inProgress.answers[0].answer.length, 32000, 'the download has what could not be saved');
    assert.equal((await storedDraft(page, 'short-survey')).session.answers.name.value, 'Before', 'the stored draft is intact');

    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    await page.fill('#sw1-name', 'After');
    await statusSays(page, 'Your answers are saved on this device');
    assert.equal(await page.locator('#sw1-storage-problem').count(), 0);
    await storedDraft(page, 'short-survey', (d) => d.session.answers.name?.value === 'After');
  } finally {
    // Always, or a failed run leaves a browser behind that keeps the test process alive.
    await context?.close();
    await rm(profile, { recursive: true, force: true });
  }
});

test('no IndexedDB (private browsing): it works in memory, says so, and offers the answers as a file', async () => {
  const init = () => {
    IDBFactory.prototype.open = function () { throw new DOMException('The operation is insecure.', 'SecurityError'); };
  };
  const { context, page, sp, problems } = await fresh(SHORT, {
    init,
    allow: [/^survey widget: saved answers could not be read: IndexedDB is unavailable: /, /^survey widget: storing the response failed: /],
  });
  await page.waitForSelector('#sw1-storage-problem');
  assert.match(await page.locator('#sw1-storage-problem').innerText(), /can’t be saved on this device/);
  // Issue #8: nothing to download yet, and no promise the device cannot keep.
  assert.equal(await page.locator('#sw1-storage-problem button').count(), 0, 'no download before there are answers');
  assert.doesNotMatch(await page.locator('.sw-widget').innerText(), /saved on this device as you go/);
  await sp.audit('storage unavailable, start page');
  await sp.start();
  // The full explanation was shown once; from here on a compact line says it.
  assert.equal(await page.locator('#sw1-storage-problem').count(), 0, 'the banner is not repeated');
  await statusSays(page, 'can’t be saved on this device');
  assert.equal(await page.isVisible('#sw1-download'), false, 'still nothing to download');
  await sp.answer('sw1', 'name', { text: 'Robin' });
  await sp.answer('sw1', 'carer', { radio: 1 });
  await page.waitForSelector('#sw1-download', { state: 'visible' });
  await sp.audit('storage unavailable, compact line with the download');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#sw1-download')]);
  const file = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.match(download.suggestedFilename(), /^short-survey-answers-\d{4}-\d{2}-\d{2}\.json$/);
  assert.deepEqual(file.inProgress.answers.map((a) => [a.questionId, a.answer]), [['name', 'Robin'], ['carer', 'No'], ['story', 'Not answered']]);

  await sp.continue();
  await sp.waitForFocusOn('-heading');
  await sp.continue();
  await sp.waitForFocusOn('-heading');
  await page.click('text=Send answers');
  await page.waitForSelector('#sw1-unsaved');
  await sp.audit('confirmation, not stored');
  const [second] = await Promise.all([page.waitForEvent('download'), page.click('#sw1-unsaved button')]);
  const kept = JSON.parse(await readFile(await second.path(), 'utf8'));
  assert.deepEqual(kept.completed[0].answers, { name: 'Robin', carer: 'no' });
  assert.equal(kept.completed[0].reference, await page.locator('.sw-reference').innerText());
  assert.deepEqual(problems, []);
  await context.close();
});

test('a draft of an earlier survey version is kept, and offered as a download', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.server.url}/fixtures/blank.html`);
  const older = {
    surveyId: 'short-survey', surveyVersion: '0', savedAt: 1,
    session: { answers: { name: { kind: 'text', value: 'From before' } }, screen: { screen: 'page', index: 0 }, returningToCheck: false, startedAt: 1 },
  };
  await seedDatabase(page, {
    version: 2,
    stores: { drafts: ['surveyId', 'surveyVersion'], responses: 'responseId', outbox: 'responseId', receipts: 'responseId' },
    records: { drafts: [older] },
  });
  await page.goto(`${env.server.url}${SHORT}`);
  await page.waitForSelector('#sw1-older-draft');
  assert.equal(await new SurveyPage(page).heading(), 'A short survey', 'a fresh start on the new version');
  await new SurveyPage(page).audit('earlier version draft');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#sw1-older-draft button')]);
  const file = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(file.earlierDrafts[0].session.answers.name.value, 'From before');
  await page.click('.sw-button--start');
  await page.fill('#sw1-name', 'New');
  await storedDraft(page, 'short-survey', (d) => d.surveyVersion === '1');
  const drafts = await readStore(page, 'drafts');
  assert.deepEqual(drafts.map((d) => d.surveyVersion).sort(), ['0', '1'], 'the old draft lives beside the new one');
  await context.close();
});

test('a database from schema version 1 is upgraded with its drafts and responses intact', async () => {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.server.url}/fixtures/blank.html`);
  const draft = {
    surveyId: 'short-survey', surveyVersion: '1', savedAt: 1,
    session: { answers: { name: { kind: 'text', value: 'Upgraded' }, carer: { kind: 'choice', value: 'yes', other: '' } }, screen: { screen: 'page', index: 1 }, returningToCheck: false, startedAt: 1 },
  };
  const response = { responseId: '6f1d2a9e-0c3b-4d5e-8f7a-1b2c3d4e5f60', reference: 'KX7P-3M4Q', surveyId: 'short-survey', surveyVersion: '1', startedAt: 1, completedAt: 2, answers: { carer: 'no' } };
  const entry = { responseId: response.responseId, reference: response.reference, surveyId: 'short-survey', queuedAt: 2, attempts: 0 };
  await seedDatabase(page, {
    version: 1,
    stores: { drafts: ['surveyId', 'surveyVersion'], responses: 'responseId', outbox: 'responseId' },
    records: { drafts: [draft], responses: [response], outbox: [entry] },
  });
  await page.goto(`${env.server.url}${SHORT}`);
  await page.waitForSelector('#sw1-resumed');
  assert.equal(await new SurveyPage(page).heading(), 'Tell us about it (optional)', 'resumed on the saved page');
  assert.deepEqual(await describeDatabase(page), { version: 3, stores: ['drafts', 'events', 'outbox', 'receipts', 'responses'] });
  assert.deepEqual(await readStore(page, 'responses'), [response]);
  assert.deepEqual(await readStore(page, 'outbox'), [entry]);
  await page.click('.sw-back-link');
  assert.equal(await page.inputValue('#sw1-name'), 'Upgraded');
  await context.close();
});
