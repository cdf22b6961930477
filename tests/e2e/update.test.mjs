// End to end (issue #3): a new deployment reaches a device whose service worker has the old
// one cached, while a person is halfway through a survey (and, issue #10, an event tablet
// keeps what it needs offline across the update). The open page keeps running its own
// build (old JS with old wasm, never mixed), its answers keep saving, and the next load runs
// the new build and resumes the draft.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { startServer } from './support/server.mjs';
import { launch } from './support/browser.mjs';
import { cachedPaths, serviceWorkerInControl, storedDraft } from './support/storage.mjs';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
let server;
let browser;
let work;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'sw-update-'));
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  await rm(work, { recursive: true, force: true });
});

/** Copies the release build as deployment `label`: every hashed file gets a new name, as a
 *  real rebuild would give it, the page names the new files, and the service worker is filled
 *  in again by the same post-build hook Trunk runs. */
async function deployment(label) {
  const dir = join(work, label);
  await cp(join(ROOT, 'dist'), dir, { recursive: true });
  let html = await readFile(join(dir, 'index.html'), 'utf8');
  let eventPage = await readFile(join(dir, 'event.html'), 'utf8');
  // The widget's hashed files are in the artefact folder (issue #11), named by embed.js too.
  const artefact = join(dir, 'survey-widget', (await readdir(join(dir, 'survey-widget')))[0]);
  let loader = await readFile(join(artefact, 'embed.js'), 'utf8');
  const names = {};
  for (const file of await readdir(artefact)) {
    const hashed = file.match(/^(.*-)([0-9a-f]{12,16})((?:_bg)?\.(?:js|wasm|css))$/);
    if (!hashed || file.startsWith('survey-preview') || file.startsWith('preview')) continue;
    const renamed = `${hashed[1]}${randomBytes(8).toString('hex')}${hashed[3]}`;
    await rename(join(artefact, file), join(artefact, renamed));
    html = html.replaceAll(file, renamed);
    eventPage = eventPage.replaceAll(file, renamed);
    loader = loader.replaceAll(file, renamed);
    if (file.startsWith('survey-widget-')) names[hashed[3].replace('_bg', '')] = renamed;
  }
  html = html.replace('<meta charset=utf-8>', `<meta charset=utf-8><meta name=build content=${label}>`);
  await writeFile(join(dir, 'index.html'), html);
  await writeFile(join(dir, 'event.html'), eventPage);
  await writeFile(join(artefact, 'embed.js'), loader);
  execFileSync('node', [join(ROOT, 'scripts/service-worker.mjs'), dir], { env: { ...process.env, TRUNK_PROFILE: 'release' } });
  return { dir, names };
}

/** The widget's JS and wasm files this page loaded. */
function loadedBuildFiles(page) {
  return page.evaluate(() => performance.getEntriesByType('resource')
    .map((e) => new URL(e.name).pathname.split('/').pop())
    // Trunk writes 12 to 16 hex digits (a leading zero is dropped; issue #22 saw 15).
    .filter((p) => /^survey-widget-[0-9a-f]{12,16}(_bg)?\.(js|wasm)$/.test(p))
    .sort());
}

test('a new deployment while a draft is open: nothing lost, old and new builds never mixed', async () => {
  const first = await deployment('first');
  const second = await deployment('second');
  server.setDist(first.dir);

  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.goto(`${server.url}/?survey=discharge-reablement`);
  await page.waitForSelector('.sw-widget h1');
  await serviceWorkerInControl(page);
  await page.click('.sw-button--start');
  await page.click('#sw1-who-is-answering');
  await page.click('.sw-form button[type=submit]');
  await page.waitForSelector('#sw1-discharge-date-day');
  assert.deepEqual(await loadedBuildFiles(page), [first.names['.js'], first.names['.wasm']].sort());

  // Deploy, and let the browser find the new worker as it does on its own update check.
  server.setDist(second.dir);
  await page.evaluate(async () => {
    const changed = new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    await (await navigator.serviceWorker.getRegistration()).update();
    await changed;
  });

  // The open page still runs the first build and still saves.
  await page.fill('#sw1-discharge-date-day', '9');
  await page.fill('#sw1-discharge-date-month', '10');
  await page.fill('#sw1-discharge-date-year', '2026');
  await storedDraft(page, 'discharge-reablement', (d) => d.session.answers['discharge-date']?.year === '2026');
  assert.equal(await page.getAttribute('meta[name=build]', 'content'), 'first');

  await page.reload();
  await page.waitForSelector('#sw1-discharge-date-day');
  assert.equal(await page.getAttribute('meta[name=build]', 'content'), 'second', 'the new deployment is taken up');
  assert.deepEqual(await loadedBuildFiles(page), [second.names['.js'], second.names['.wasm']].sort(), 'new JS with new wasm');
  assert.deepEqual(
    [await page.inputValue('#sw1-discharge-date-day'), await page.inputValue('#sw1-discharge-date-month'), await page.inputValue('#sw1-discharge-date-year')],
    ['9', '10', '2026'],
  );
  // The previous build's files stay cached for pages still running it; older ones go.
  const caches = await page.evaluate(() => caches.keys());
  assert.equal(caches.filter((c) => /^survey-widget-[0-9a-f]{16}$/.test(c)).length, 2, caches.join(', '));
  assert.deepEqual(problems, []);
  await context.close();
});

test('an event tablet keeps the event build and the console cached across a new deployment', async () => {
  const first = await deployment('event-first');
  const second = await deployment('event-second');
  server.setDist(first.dir);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.url}/event.html`);
  await page.waitForSelector('.sw-widget h1');
  await serviceWorkerInControl(page);
  const eventWasm = (names) => names.find((p) => /\/survey-event-[0-9a-f]{12,16}_bg\.wasm$/.test(p));
  const before = await cachedPaths(page);
  assert.ok(eventWasm(before), 'the event build is cached on the tablet');

  server.setDist(second.dir);
  await page.evaluate(async () => {
    const changed = new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    await (await navigator.serviceWorker.getRegistration()).update();
    await changed;
  });
  // The new deployment's event build and console are cached, with no visit to event.html
  // since the update.
  const secondEvent = (await readdir(join(second.dir, 'survey-widget', (await readdir(join(second.dir, 'survey-widget')))[0])))
    .find((f) => /^survey-event-[0-9a-f]+_bg\.wasm$/.test(f));
  const after = await cachedPaths(page);
  assert.notEqual(`/survey-widget/0.1.0/${secondEvent}`, eventWasm(before));
  assert.ok(after.some((p) => p.endsWith(`/${secondEvent}`)), `the new event build ${secondEvent} is cached`);
  assert.equal(after.filter((p) => p.endsWith('/console/index.html')).length, 2, 'each generation has the console');
  await context.close();
});
