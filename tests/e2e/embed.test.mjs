// End to end (issue #11): the widget embedded in council pages. The release artefact is
// served from a folder it was not built for; two widgets and the host's own form share a
// page; a hostile host stylesheet; a strict Content Security Policy (and a nonce); iframe
// mode with a parent on another site; the events, in order and without answers; nothing of
// the host page (title, URL, scroll, focus) changes before the person acts; axe-core on each.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { startSite } from './support/site.mjs';
import { launch } from './support/browser.mjs';
import { startCollector } from './support/collector.mjs';
import { AXE_TAGS } from './support/survey-page.mjs';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const DIST = join(ROOT, 'dist');
const VERSION = readdirSync(join(DIST, 'survey-widget'))[0];
const ARTEFACT = join(DIST, 'survey-widget', VERSION);
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
// The folder the council copied the artefact to: not the one it was built for.
const STATIC = '/static/council-survey/';
const MOUNTS = [[STATIC, ARTEFACT], ['/surveys/', join(DIST, 'surveys')], ['/fixtures/', join(ROOT, 'tests/fixtures')]];
const CANARY = 'Zebedee-7f3a';
const EVENTS = ['ready', 'pagechange', 'completed', 'delivered', 'error'];

// One council site for most tests (pages added by each), and a collector that accepts its
// origin, as a council's would.
let browser;
let collector;
let site;
before(async () => {
  browser = await launch();
  site = await startSite({ mounts: MOUNTS });
  collector = await startCollector({ origins: [site.url] });
});
after(async () => {
  await browser?.close();
  await collector?.close();
  await site?.close();
});
const wasmRequests = () => site.requests.filter((p) => p.endsWith('.wasm')).length;

/** A council page: its own header, search form and the widget's two lines. */
function councilPage({ body, head = '', script = `<script type="module" src="${STATIC}embed.js"></script>` }) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Carers’ hub – Example Council</title><link rel="icon" href="data:,">${head}${script}</head>
<body><header><a href="/">Example Council</a></header>
<main><form id="search" action="/search"><label for="q">Search the site</label>
<input id="q" name="q" autofocus><button>Search</button></form>
${body}</main></body></html>`;
}

/** axe-core on the page or frame, shadow roots included; injected by evaluation, so it runs
 *  under a strict CSP too. */
async function audit(target, label, only = null) {
  if (!(await target.evaluate(() => 'axe' in window))) await target.evaluate(AXE);
  const violations = await target.evaluate(async ({ tags, only }) => {
    const result = await window.axe.run(only ? { include: [[only]] } : document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  }, { tags: AXE_TAGS, only });
  assert.deepEqual(violations, [], `axe violations on ${label}`);
}

/** Records the widget's events and CSP violations from the first script on. */
async function record(context) {
  await context.addInitScript((names) => {
    window.__events = [];
    window.__violations = [];
    for (const name of names) {
      document.addEventListener(name, (e) => {
        if (e instanceof CustomEvent) window.__events.push({ name, target: e.target.id, detail: JSON.parse(JSON.stringify(e.detail)) });
      });
    }
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
  }, EVENTS);
}

const events = (page, target) => page.evaluate((t) => window.__events.filter((e) => !t || e.target === t), target);
const widgetHeading = (page, host) => page.locator(`${host} .sw-widget h1`).first();

/** Answers the short fixture survey in widget `host` by keyboard and mouse as a person would,
 *  checking the host page is left alone at each step; ends on the confirmation page. */
async function completeShortSurvey(page, host, { error = false, check = async () => {} } = {}) {
  const widget = page.locator(host);
  await widget.getByRole('button', { name: 'Start now' }).click();
  await waitForFocusedHeading(page, host);
  await check('the first question');
  if (error) {
    await widget.getByRole('button', { name: 'Continue' }).click();
    await widget.locator('.sw-error-summary').waitFor();
    await check('the error summary');
  }
  await widget.getByLabel('What should we call you?').fill(CANARY);
  await widget.getByLabel('Yes').check();
  await widget.getByRole('button', { name: 'Continue' }).click();
  await widget.getByLabel('Tell us about it').waitFor();
  await check('the second question');
  await widget.getByLabel('Tell us about it').fill(`${CANARY} story`);
  await widget.getByRole('button', { name: 'Continue' }).click();
  await widget.getByRole('heading', { name: 'Check your answers before sending them' }).waitFor();
  await check('Check your answers');
  await widget.getByRole('button', { name: 'Send answers' }).click();
  await widget.getByRole('heading', { name: 'Thank you for your answers' }).waitFor();
  await check('the confirmation');
}

/** Focus has moved to the new heading inside the widget's shadow root. */
function waitForFocusedHeading(page, host) {
  return page.waitForFunction((h) => {
    const el = document.querySelector(h);
    const inner = el.shadowRoot ? el.shadowRoot.activeElement : document.activeElement;
    return document.activeElement === (el.shadowRoot ? el : inner) && inner?.id?.endsWith('-heading');
  }, host, { timeout: 5000 });
}

test('two widgets and the host’s own form on one page, from a folder the artefact was not built for', async () => {
  const endpoint = collector.endpoint;
  site.pages['/carers/hub.html'] = councilPage({
    body: `<h1>Carers’ hub</h1>
<council-survey id="first" src="/surveys/carers-strategy.json"><a href="/carers/survey">Take the survey</a></council-survey>
<council-survey id="second" src="/fixtures/short-survey.json" endpoint="${endpoint}"></council-survey>`,
  });
  const before = wasmRequests();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await record(context);
  const page = await context.newPage();
  await page.goto(`${site.url}/carers/hub.html`);
  await widgetHeading(page, '#first').waitFor();
  await widgetHeading(page, '#second').waitFor();
  await page.waitForFunction(() => window.__events.filter((e) => e.name === 'ready').length === 2);

  // Nothing of the host page changed before the person acted.
  const url = page.url();
  assert.equal(await page.title(), 'Carers’ hub – Example Council');
  assert.equal(await page.evaluate(() => scrollY), 0);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'q', 'the host’s autofocus keeps focus');
  const historyLength = await page.evaluate(() => history.length);
  // The code is fetched once for both, from beside embed.js.
  assert.equal(wasmRequests() - before, 1, 'one wasm download');
  assert.ok(site.requests.every((p) => !p.endsWith('.wasm') || p.startsWith(STATIC)));
  // The host's fallback content goes once the widget shows; its form still works.
  assert.equal(await page.locator('#first a', { hasText: 'Take the survey' }).isVisible(), false);
  await page.fill('#q', 'bin collection');
  assert.equal(await page.inputValue('#q'), 'bin collection');
  await audit(page, 'two widgets on a council page');

  await completeShortSurvey(page, '#second', {
    check: async (screen) => {
      assert.equal(await page.title(), 'Carers’ hub – Example Council', `title on ${screen}`);
      assert.equal(page.url(), url, `URL on ${screen}`);
      assert.equal(await page.evaluate(() => history.length), historyLength, `history on ${screen}`);
    },
  });
  await page.waitForFunction(() => window.__events.some((e) => e.name === 'delivered'), null, { timeout: 15000 });
  await audit(page, 'the confirmation inside a council page');
  // The other widget was left alone.
  assert.equal(await widgetHeading(page, '#first').innerText(), 'Help shape our carers’ strategy');

  const seen = await events(page, 'second');
  assert.deepEqual(seen.map((e) => `${e.name}${e.detail.screen ? `:${e.detail.screen}` : ''}`), [
    'ready', 'pagechange:question', 'pagechange:question', 'pagechange:check', 'pagechange:complete', 'completed', 'delivered',
  ]);
  assert.deepEqual(seen[0].detail, { surveyId: 'short-survey', surveyVersion: '1', mode: 'standard' });
  assert.deepEqual(seen[1].detail, { screen: 'question', pageId: 'about', questionId: 'name', progress: { current: 1, total: 2 } });
  const completed = seen.find((e) => e.name === 'completed').detail;
  assert.match(completed.reference, /^[A-Z0-9-]{6,}$/);
  assert.equal(seen.find((e) => e.name === 'delivered').detail.responseId, completed.responseId);
  assert.ok(!JSON.stringify(await events(page)).includes(CANARY), 'no answer in any event');
  assert.equal((await collector.responses('short-survey')).length >= 1, true);
  await context.close();
});

test('loading="lazy" fetches nothing until the element comes near; a new src shows the new survey', async () => {
  site.pages['/lazy.html'] = councilPage({
    head: '<style>.spacer { height: 4000px; }</style>',
    body: '<div class="spacer">Lots of council news</div><council-survey id="lazy" loading="lazy" src="/surveys/co-production.json"></council-survey>',
  });
  const before = wasmRequests();
  const context = await browser.newContext({ viewport: { width: 375, height: 700 } });
  await record(context);
  const page = await context.newPage();
  const infos = [];
  page.on('console', (m) => m.type() === 'info' && infos.push(m.text()));
  await page.goto(`${site.url}/lazy.html`);
  // Two frames after load: the observer has reported the element far away by then.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  assert.equal(wasmRequests() - before, 0, 'no wasm before the element is near');
  await page.locator('#lazy').scrollIntoViewIfNeeded();
  await widgetHeading(page, '#lazy').waitFor();
  assert.equal(wasmRequests() - before, 1);
  assert.equal(await widgetHeading(page, '#lazy').innerText(), 'Have a bigger say in adult social care');
  await page.evaluate(() => document.querySelector('#lazy').setAttribute('src', '/fixtures/short-survey.json'));
  await page.waitForFunction(() => document.querySelector('#lazy').shadowRoot.querySelector('h1')?.textContent === 'A short survey');
  assert.ok(infos.some((t) => t.includes('src changed')), 'the change is reported on the console');
  // reset() is for event mode: refused, with a message, on a standard survey.
  context.allowConsoleErrors(/reset\(\) is for event mode/);
  assert.equal(await page.evaluate(() => document.querySelector('#lazy').reset()), false);
  // Removing the element unmounts the widget: no error, nothing left running.
  await page.evaluate(() => document.querySelector('#lazy').remove());
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await context.close();
});

test('event mode is its own build: a standard page never fetches it, an event page fetches only it, a page with both gets each once', async () => {
  const built = readdirSync(ARTEFACT);
  const standardWasm = built.find((f) => /^survey-widget-[0-9a-f]+_bg\.wasm$/.test(f));
  const standardJs = built.find((f) => /^survey-widget-[0-9a-f]+\.js$/.test(f));
  const eventWasm = built.find((f) => /^survey-event-[0-9a-f]+_bg\.wasm$/.test(f));
  const eventJs = built.find((f) => /^survey-event-[0-9a-f]+\.js$/.test(f));
  assert.ok(standardWasm && standardJs && eventWasm && eventJs, 'both builds are in the artefact');
  site.pages['/standard.html'] = councilPage({ body: '<council-survey id="s" src="/fixtures/short-survey.json"></council-survey>' });
  site.pages['/tablet.html'] = councilPage({ body: '<council-survey id="e" mode="event" src="/surveys/co-production.json"></council-survey>' });
  // A page that loads one build by hand, bypassing embed.js, with a widget of the other kind:
  // refused with a message, so a survey is never shown as a standard one on a shared device,
  // nor the other way round.
  const byHand = (name, js, wasm, host) => {
    site.pages[`/${name}.js`] = {
      body: `import init from '${STATIC}${js}'; init({ module_or_path: '${STATIC}${wasm}' });`,
      headers: { 'Content-Type': 'text/javascript' },
    };
    site.pages[`/${name}.html`] = councilPage({ script: `<script type="module" src="/${name}.js"></script>`, body: host });
  };
  byHand('by-hand', standardJs, standardWasm, '<div id="h" data-survey-widget data-mode="event" data-survey-src="/fixtures/short-survey.json"></div>');
  byHand('by-hand-event', eventJs, eventWasm, '<div id="h" data-survey-widget data-survey-src="/fixtures/short-survey.json"></div>');
  // Both kinds on one page, as elements and as data-survey-widget hosts.
  site.pages['/mixed.html'] = councilPage({
    body: `<div id="ls" data-survey-widget data-survey-src="/fixtures/short-survey.json"></div>
<div id="le" data-survey-widget data-mode="event" data-survey-src="/surveys/co-production.json"></div>
<council-survey id="cs" src="/fixtures/short-survey.json"></council-survey>
<council-survey id="ce" mode="event" src="/surveys/co-production.json"></council-survey>`,
  });
  const context = await browser.newContext({ viewport: { width: 768, height: 1024 } });
  const page = await context.newPage();
  const fetched = (from) => site.requests.slice(from).filter((p) => p.endsWith('.wasm')).map((p) => p.split('/').pop());

  let from = site.requests.length;
  await page.goto(`${site.url}/standard.html`);
  await widgetHeading(page, '#s').waitFor();
  assert.deepEqual(fetched(from), [standardWasm]);
  // Switching the element to event mode after load brings the event build for it.
  from = site.requests.length;
  await page.locator('#s').evaluate((el) => el.setAttribute('mode', 'event'));
  await page.locator('#s').getByRole('heading', { name: 'This device is not ready yet' }).waitFor();
  assert.deepEqual(fetched(from), [eventWasm]);

  from = site.requests.length;
  await page.goto(`${site.url}/tablet.html`);
  // A device no officer has set up says so, from the event build.
  await page.locator('#e').getByRole('heading', { name: 'This device is not ready yet' }).waitFor();
  assert.deepEqual(fetched(from), [eventWasm]);
  await audit(page, 'an event-mode element on a device not set up');

  from = site.requests.length;
  await page.goto(`${site.url}/mixed.html`);
  for (const host of ['#ls', '#cs']) await page.locator(host).getByRole('button', { name: 'Start now' }).waitFor();
  for (const host of ['#le', '#ce']) await page.locator(host).getByRole('heading', { name: 'This device is not ready yet' }).waitFor();
  assert.deepEqual(fetched(from).sort(), [standardWasm, eventWasm].sort(), 'each build once');
  // The two builds number their widgets with their own prefixes, so the page's ids stay unique.
  const rootIds = await page.evaluate(() => [...document.querySelectorAll('.sw-widget[id]')].map((e) => e.id));
  assert.equal(rootIds.length, 2, `the two data-survey-widget roots: ${rootIds}`);
  assert.notEqual(rootIds[0], rootIds[1]);
  await audit(page, 'a page with a standard and an event-mode widget of each kind');

  context.allowConsoleErrors(/mode="event" needs the event build/, /this is the event build, for mode="event" only/);
  for (const name of ['by-hand', 'by-hand-event']) {
    await page.goto(`${site.url}/${name}.html`);
    await page.locator('#h').getByRole('heading', { name: 'This survey can’t be shown' }).waitFor();
    assert.equal(await page.locator('#h').getByRole('button', { name: 'Start now' }).count(), 0, name);
  }
  await context.close();
});

const HOSTILE = `<style>
  html { font-size: 10px; }
  body { font-size: 22px; line-height: 1; text-transform: uppercase; letter-spacing: 3px; text-align: center; color: #333; }
  * { box-sizing: content-box; }
  button { all: unset; }
  input { width: 50px; }
  label { display: none; }
  div { padding: 20px; border: 1px dashed #999; }
  p { margin: 0; }
  h1 { font-size: 60px; color: red; }
  a { color: hotpink; }
  .sw-body, .sw-button { color: red; background: yellow; }
</style>`;

test('a hostile host stylesheet cannot break the survey, and the survey’s styles stay inside it', async () => {
  site.pages['/hostile.html'] = councilPage({
    head: HOSTILE,
    body: '<p class="sw-body" id="host-p">A council paragraph that happens to use the widget’s class name.</p><council-survey id="w" src="/fixtures/short-survey.json"></council-survey>',
  });
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  await record(context);
  const page = await context.newPage();
  await page.goto(`${site.url}/hostile.html`);
  await widgetHeading(page, '#w').waitFor();
  const style = (selector, props) => page.locator(selector).first().evaluate((el, p) => {
    const s = getComputedStyle(el);
    return Object.fromEntries(p.map((k) => [k, s[k]]));
  }, props);
  assert.deepEqual(await style('#w .sw-button--start', ['backgroundColor', 'textTransform', 'paddingTop', 'cursor']), {
    backgroundColor: 'rgb(0, 112, 60)', textTransform: 'none', paddingTop: '8px', cursor: 'pointer',
  });
  const body = await style('#w .sw-body', ['fontSize', 'letterSpacing', 'textAlign', 'color']);
  assert.ok(parseFloat(body.fontSize) >= 16, `body text is ${body.fontSize}`);
  assert.deepEqual({ ...body, fontSize: undefined }, { fontSize: undefined, letterSpacing: 'normal', textAlign: 'start', color: 'rgb(11, 12, 12)' });
  // The widget's CSS does not reach the host's own element with the same class.
  assert.deepEqual(await style('#host-p', ['marginBottom', 'color']), { marginBottom: '0px', color: 'rgb(255, 0, 0)' });
  // The host's own header link, search label and button are its problem (its stylesheet
  // breaks them): the audit covers the survey.
  await audit(page, 'the start page under hostile host CSS', '#w');
  await page.locator('#w').getByRole('button', { name: 'Start now' }).click();
  await waitForFocusedHeading(page, '#w');
  const label = await page.locator('#w label', { hasText: 'What should we call you?' }).boundingBox();
  assert.ok(label && label.height > 0, 'labels show');
  const input = await page.locator('#w').getByLabel('What should we call you?').boundingBox();
  assert.ok(input.width > 200, `the text input is ${input.width}px wide`);
  await audit(page, 'a question under hostile host CSS', '#w');
  await page.keyboard.press('Tab');
  await page.keyboard.type(CANARY);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  await page.locator('#w').getByRole('button', { name: 'Continue' }).press('Enter');
  await page.locator('#w').getByLabel('Tell us about it').waitFor();
  await audit(page, 'the second question under hostile host CSS', '#w');
  await context.close();
});

/** The policy the issue names, with the collector as the endpoint. */
const strictPolicy = (endpoint, extra = '') =>
  `default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self' ${new URL(endpoint).origin}; img-src 'self' data:; base-uri 'none'; form-action 'none'${extra}`;

async function assertNoViolations(page, where) {
  assert.deepEqual(await page.evaluate(() => window.__violations), [], `CSP violations on ${where}`);
}

test('under a strict Content Security Policy: the embed and the demo pages, on every screen', async () => {
  site.pages['/strict.html'] = {
    body: councilPage({
      body: `<council-survey id="w" src="/fixtures/short-survey.json" endpoint="${collector.endpoint}"></council-survey>`,
    }),
    headers: { 'Content-Security-Policy': strictPolicy(collector.endpoint) },
  };
  // The demo pages, as built, on a site of their own with a collector that accepts it. They
  // also have a web app manifest, which needs manifest-src (README).
  const demoSite = await startSite({ mounts: [...MOUNTS, ['/', DIST]] });
  const demoCollector = await startCollector({ origins: [demoSite.url] });
  const demoPolicy = strictPolicy(demoCollector.endpoint, "; manifest-src 'self'");
  demoSite.pages['/demo.html'] = {
    body: readFileSync(join(DIST, 'index.html'), 'utf8')
      .replace(/data-survey-src=(?:"[^"]*"|[^\s>]+)/, 'data-survey-src=/fixtures/short-survey.json')
      .replace(/data-endpoint=(?:"[^"]*"|[^\s>]+)/, `data-endpoint=${demoCollector.endpoint}`),
    headers: { 'Content-Security-Policy': demoPolicy },
  };
  demoSite.pages['/event.html'] = {
    body: readFileSync(join(DIST, 'event.html'), 'utf8'),
    headers: { 'Content-Security-Policy': demoPolicy },
  };
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  await record(context);
  const page = await context.newPage();
  for (const [url, host] of [[`${site.url}/strict.html`, '#w'], [`${demoSite.url}/demo.html`, '#demo-survey']]) {
    await page.goto(url);
    await widgetHeading(page, host).waitFor();
    await assertNoViolations(page, `${url}: the start page`);
    await completeShortSurvey(page, host, {
      error: true,
      check: async (screen) => {
        await assertNoViolations(page, `${url}: ${screen}`);
      },
    });
    await page.locator(host).getByRole('button', { name: /Your responses on this device/ }).click();
    await page.locator(host).getByRole('heading', { name: 'Your responses on this device' }).waitFor();
    await assertNoViolations(page, `${url}: your responses on this device`);
    // No axe here: axe itself sets inline styles, which this policy blocks. The other tests
    // audit the same screens.
    context.assertNoProblems(`${url} under a strict CSP`);
  }
  // The event page: its first screen tells a visitor the device is not set up.
  await page.goto(`${demoSite.url}/event.html`);
  await page.locator('.sw-widget h1').waitFor();
  await assertNoViolations(page, 'event.html');
  await context.close();
  await demoSite.close();
  await demoCollector.close();
});

test('a host whose policy allows scripts and styles only by nonce', async () => {
  const nonce = 'r4nd0mN0nce';
  site.pages['/nonce.html'] = {
    body: councilPage({
      script: `<script type="module" nonce="${nonce}" src="${STATIC}embed.js"></script>`,
      body: '<council-survey id="w" src="/fixtures/short-survey.json"></council-survey>',
    }),
    headers: {
      'Content-Security-Policy': `default-src 'none'; script-src 'nonce-${nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src data:; base-uri 'none'`,
    },
  };
  const context = await browser.newContext();
  await record(context);
  const page = await context.newPage();
  await page.goto(`${site.url}/nonce.html`);
  await widgetHeading(page, '#w').waitFor();
  const background = await page.locator('#w .sw-button--start').evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.equal(background, 'rgb(0, 112, 60)', 'the stylesheet loaded with the nonce');
  await assertNoViolations(page, 'a nonce-only page');
  await context.close();
});

/** The documented iframe snippet (docs/embedding.md), pointed at this test's sites. */
function readmeSnippet(frameUrl, frameOrigin) {
  const readme = readFileSync(join(ROOT, 'docs', 'embedding.md'), 'utf8');
  const found = readme.match(/<!-- iframe-snippet -->\s*```html\n([\s\S]*?)```/);
  assert.ok(found, 'docs/embedding.md has the iframe snippet');
  return found[1]
    .replaceAll('https://www.example.gov.uk/survey-widget/0.1.0/frame.html?survey=/surveys/carers.json&amp;parent-origin=https://www.example-cms.gov.uk', frameUrl.replaceAll('&', '&amp;'))
    .replaceAll('https://www.example.gov.uk', frameOrigin);
}

test('iframe mode: the README’s snippet sizes the frame on another origin; other origins hear nothing', async () => {
  const frames = await startSite({ mounts: MOUNTS });
  // The CMS: another origin on the same site (another port), as www. and cms. are.
  const cms = await startSite();
  // Not listed in parent-origin, and another site: the frame there is third-party.
  const other = await startSite({ host: 'localhost' });
  const frameUrl = `${frames.url}${STATIC}frame.html?survey=/fixtures/short-survey.json&parent-origin=${cms.url}`;
  cms.pages['/page.html'] = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Carers – Example CMS</title><link rel="icon" href="data:,"></head>
<body><h1>Have your say</h1>${readmeSnippet(frameUrl, frames.url)}
<script>window.__messages = []; addEventListener('message', (e) => window.__messages.push(e.data));</script></body></html>`;
  other.pages['/page.html'] = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not listed</title><link rel="icon" href="data:,"></head>
<body><iframe title="Survey" src="${frameUrl}"></iframe>
<script>window.__messages = []; addEventListener('message', (e) => window.__messages.push(e.data));</script></body></html>`;
  const context = await browser.newContext({ viewport: { width: 375, height: 700 } });
  // Chromium refuses IndexedDB to a frame from another site: the widget says so (below).
  // Console errors are checked per page, so this allows it for the third-party page only.
  context.allowConsoleErrors(/^survey widget: saved answers could not be read: IndexedDB is unavailable/);
  const page = await context.newPage();
  await page.goto(`${cms.url}/page.html`);
  const frame = page.frameLocator('iframe');
  await frame.locator('.sw-widget h1').waitFor();
  const sized = () => page.waitForFunction(() => {
    const iframe = document.querySelector('iframe');
    const inner = iframe.contentDocument; // cross-origin: null, so compare with the last message
    const last = window.__messages.filter((m) => m.type === 'height').at(-1);
    return inner === null && last && Math.abs(iframe.getBoundingClientRect().height - last.height) < 1;
  });
  await sized();
  const handle = await page.$('iframe');
  const inside = await handle.contentFrame();
  const contentHeight = () => inside.evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
  assert.equal(Math.round((await handle.boundingBox()).height), await contentHeight(), 'the frame is as tall as the survey');
  await audit(inside, 'the iframe page');
  await frame.getByRole('button', { name: 'Start now' }).click();
  await frame.getByLabel('What should we call you?').waitFor();
  await sized();
  assert.equal(Math.round((await handle.boundingBox()).height), await contentHeight(), 'resized for the next page');
  await frame.getByLabel('What should we call you?').fill(CANARY);
  await frame.getByLabel('Yes').check();
  // By keyboard: the frame resizes as the page changes, which a pointer click can miss.
  await frame.getByRole('button', { name: 'Continue' }).press('Enter');
  await frame.getByLabel('Tell us about it').waitFor();
  await frame.getByRole('button', { name: 'Continue' }).press('Enter');
  await frame.getByRole('button', { name: 'Send answers' }).press('Enter');
  await frame.getByRole('heading', { name: 'Thank you for your answers' }).waitFor();
  await audit(inside, 'the confirmation in the iframe');
  const messages = await page.evaluate(() => window.__messages);
  const names = messages.filter((m) => m.type === 'event').map((m) => m.name);
  assert.deepEqual(names.filter((n) => n !== 'pagechange'), ['ready', 'completed']);
  assert.ok(messages.every((m) => m.source === 'council-survey'));
  assert.ok(!JSON.stringify(messages).includes(CANARY), 'no answer reaches the parent');
  assert.equal(await page.title(), 'Carers – Example CMS', 'the parent page keeps its title');

  // A page on an origin not in parent-origin gets no message at all. There the frame is
  // third-party: Chromium refuses it storage, and the person is told before they start.
  const stranger = await context.newPage();
  await stranger.goto(`${other.url}/page.html`);
  const strange = stranger.frameLocator('iframe');
  await strange.locator('.sw-widget h1').waitFor();
  await strange.getByText('Your answers can’t be saved on this device').first().waitFor();
  await stranger.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  assert.deepEqual(await stranger.evaluate(() => window.__messages), []);
  await context.close();
  await Promise.all([frames.close(), cms.close(), other.close()]);
});

test('iframe mode sends to the council’s collector on another origin of the same site; a link to another site is refused and says so (issue #21)', async () => {
  // www. for the artefact, cms. for the page with the frame, collect. for the collector: one
  // site (*.localhost is loopback), three origins.
  const frames = await startSite({ mounts: MOUNTS, host: 'www.council.localhost' });
  const cms = await startSite({ host: 'cms.council.localhost' });
  const own = await startCollector({ origins: [frames.url] });
  try {
    const endpoint = own.endpoint.replace('127.0.0.1', 'collect.council.localhost');
    const frameUrl = (to) => `${frames.url}${STATIC}frame.html?survey=/fixtures/short-survey.json&parent-origin=${cms.url}&endpoint=${encodeURIComponent(to)}`;
    cms.pages['/page.html'] = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Carers – Example CMS</title><link rel="icon" href="data:,"></head>
<body><h1>Have your say</h1>${readmeSnippet(frameUrl(endpoint), frames.url)}
<script>window.__messages = []; addEventListener('message', (e) => window.__messages.push(e.data));</script></body></html>`;
    const context = await browser.newContext({ viewport: { width: 375, height: 700 } });
    const page = await context.newPage();
    await page.goto(`${cms.url}/page.html`);
    const frame = page.frameLocator('iframe');
    await frame.getByRole('button', { name: 'Start now' }).click();
    await frame.getByLabel('Yes').check();
    await frame.getByRole('button', { name: 'Continue' }).press('Enter');
    await frame.getByLabel('Tell us about it').waitFor();
    await frame.getByRole('button', { name: 'Continue' }).press('Enter');
    await frame.getByRole('button', { name: 'Send answers' }).press('Enter');
    await frame.getByText('Your answers have been received by the council.').waitFor({ timeout: 15000 });
    assert.equal((await own.responses('short-survey')).length, 1, 'the collector has it');
    await page.waitForFunction(() => window.__messages.some((m) => m.name === 'delivered'));

    // The same frame pointed at another site's collector: it shows no survey to answer in vain.
    const elsewhere = own.endpoint.replace('127.0.0.1', 'collect.elsewhere.localhost');
    context.allowConsoleErrors(/^council-survey frame: This survey can’t take answers here/);
    await page.goto(frameUrl(elsewhere));
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /can’t take answers here: the link sends them to a site that is not this one \(www\.council\.localhost\)\. Please tell the council\./);
    assert.equal(await page.locator('council-survey').count(), 0);
    await audit(page, 'a frame whose link sends answers elsewhere');
    await context.close();
  } finally {
    await Promise.all([frames.close(), cms.close(), own.close()]);
  }
});

test('every page of the artefact works under the documented policy: preview.html, frame.html, themes.html and the officer console (issue #21)', async () => {
  // The README's policy, plus what it says each page adds: manifest-src for the demo's pages,
  // frame-src for preview.html's two frames.
  const policy = strictPolicy(collector.endpoint, "; manifest-src 'self'; frame-src 'self'");
  const served = await startSite({
    mounts: [...MOUNTS, ['/', DIST]],
    headers: () => ({ 'Content-Security-Policy': policy }),
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await record(context);
  const page = await context.newPage();
  const everywhere = async (where) => {
    for (const f of page.frames()) {
      const violations = await f.evaluate(() => window.__violations ?? []).catch(() => []);
      assert.deepEqual(violations, [], `CSP violations on ${where} (${f.url()})`);
    }
  };
  try {
    await page.goto(`${served.url}/survey-widget/${VERSION}/preview.html`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.locator('#pv-json').fill(readFileSync(join(ROOT, 'tests/fixtures/short-survey.json'), 'utf8'));
    await page.getByRole('button', { name: /Check and preview/ }).click();
    await page.frameLocator('iframe[title="On a phone, 375 pixels wide"]').locator('.sw-widget h1').waitFor();
    await everywhere('preview.html');
    await page.goto(`${served.url}/survey-widget/${VERSION}/frame.html?survey=/fixtures/short-survey.json`);
    await page.locator('.sw-widget h1').waitFor();
    await page.getByRole('button', { name: 'Start now' }).click();
    await page.getByLabel('What should we call you?').waitFor();
    await everywhere('frame.html');
    await page.goto(`${served.url}/themes.html`);
    await page.locator('council-survey .sw-widget h1').first().waitFor();
    await everywhere('themes.html');
    await page.goto(`${served.url}/console/index.html`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await everywhere('the officer console');
    context.assertNoProblems('the web teams’ and officers’ pages under the documented policy');
  } finally {
    await context.close();
    await served.close();
  }
});

test('at 320 px the web teams’ pages do not scroll sideways: preview.html (its phone frame scrolls in its figure) and themes.html', async () => {
  const demoSite = await startSite({ mounts: [...MOUNTS, ['/', DIST]] });
  const context = await browser.newContext({ viewport: { width: 320, height: 800 } });
  const page = await context.newPage();
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  await page.goto(`${demoSite.url}/survey-widget/${VERSION}/preview.html`);
  await page.getByLabel('Or paste the survey’s JSON').fill(readFileSync(join(ROOT, 'tests/fixtures/short-survey.json'), 'utf8'));
  await page.getByRole('button', { name: 'Check and preview' }).click();
  await page.frameLocator('iframe[title="On a phone, 375 pixels wide"]').locator('.sw-widget h1').waitFor();
  assert.equal(await overflow(), 0, 'preview.html at 320 px');
  assert.equal(await page.locator('iframe[title="On a phone, 375 pixels wide"]').evaluate((f) => f.getBoundingClientRect().width), 375, 'the phone frame keeps its 375 px');
  await page.goto(`${demoSite.url}/themes.html`);
  await page.locator('council-survey').first().locator('.sw-widget h1').waitFor();
  assert.equal(await overflow(), 0, 'themes.html at 320 px');
  await audit(page, 'themes.html at 320 px');
  await context.close();
  await demoSite.close();
});

test('preview.html: problems with their JSON paths, a live preview in two frames, contrast warnings, embed code', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${site.url}${STATIC}preview.html`);
  await page.getByRole('heading', { name: 'Preview a survey' }).waitFor();
  // A broken survey: every problem, with where it is.
  await page.getByLabel('Or paste the survey’s JSON').fill(readFileSync(join(ROOT, 'tests/fixtures/broken-survey.json'), 'utf8'));
  await page.getByRole('button', { name: 'Check and preview' }).click();
  const summary = page.locator('#pv-result');
  await summary.waitFor();
  assert.match(await summary.innerText(), /problems? with this survey/);
  assert.match(await summary.innerText(), /\$\.pages\[\d+\]/, 'each problem has its JSON path');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'pv-result', 'focus moves to the result');
  await audit(page, 'preview.html with problems');
  // A good one: it shows in both frames, and nothing is saved.
  await page.getByLabel('Or paste the survey’s JSON').fill(readFileSync(join(ROOT, 'tests/fixtures/short-survey.json'), 'utf8'));
  await page.getByRole('button', { name: 'Check and preview' }).click();
  await page.getByText('No problems found: “A short survey”').waitFor();
  for (const title of ['On a phone, 375 pixels wide', 'On a computer']) {
    const frame = page.frameLocator(`iframe[title="${title}"]`);
    await frame.locator('.sw-widget h1', { hasText: 'A short survey' }).waitFor();
    // It saves nothing, so its start page does not say it does.
    assert.doesNotMatch(await frame.locator('.sw-widget').innerText(), /saved on this device/, `${title}: no promise to save`);
  }
  const phone = page.frameLocator('iframe[title="On a phone, 375 pixels wide"]');
  await phone.getByRole('button', { name: 'Start now' }).click();
  await phone.getByLabel('What should we call you?').fill(CANARY);
  const inPhone = page.frames().find((f) => f.url().includes('frame.html'));
  const drafts = await inPhone.evaluate(() => new Promise((ok) => {
    const open = indexedDB.open('survey-widget');
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('drafts')) return ok(0);
      const r = db.transaction('drafts').objectStore('drafts').count();
      r.onsuccess = () => ok(r.result);
    };
    open.onerror = () => ok(-1);
  }));
  assert.ok(drafts <= 0, 'a preview saves no draft');
  // A pale brand colour is flagged; the frames take the colour.
  await page.locator('#pv-colour-brand').evaluate((el) => {
    el.value = '#8fd3a5';
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await page.getByText(/Too little contrast: .* against white text on it/).waitFor();
  await phone.locator('.sw-widget h1', { hasText: 'A short survey' }).waitFor();
  await page.mouse.move(0, 0); // not hovering the button, whose hover colour is darker
  const button = await phone.locator('.sw-button--start').evaluate((el) => getComputedStyle(el).backgroundColor);
  assert.equal(button, 'rgb(143, 211, 165)');
  // The code, with what was chosen filled in.
  await page.getByLabel('Survey file’s address on your site').fill('/surveys/carers.json');
  await page.getByLabel('Your pages’ origin, for the iframe (optional)').fill('https://www.example.gov.uk');
  const element = await page.locator('#pv-element-code').innerText();
  assert.ok(element.includes(`<script type="module" src="${site.url}${STATIC}embed.js"></script>`), element);
  assert.ok(element.includes('<council-survey src="/surveys/carers.json"></council-survey>'), element);
  assert.ok(element.includes('--council-survey-brand: #8fd3a5;'), element);
  const iframe = await page.locator('#pv-iframe-code').innerText();
  assert.ok(iframe.includes(`${STATIC}frame.html?survey=/surveys/carers.json&amp;parent-origin=https://www.example.gov.uk&amp;brand=%238fd3a5`), iframe);
  await audit(page, 'preview.html with a survey');
  await context.close();
});

test('preview.html: advice on the survey as written, each piece with where it is, never a problem (issue #25)', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${site.url}${STATIC}preview.html`);
  await page.getByLabel('Or paste the survey’s JSON').fill(readFileSync(join(ROOT, 'tests/fixtures/advice-survey.json'), 'utf8'));
  await page.getByRole('button', { name: 'Check and preview' }).click();
  await page.getByText('No problems found: “Tell us about support for carers”').waitFor();
  const advice = page.getByRole('region', { name: 'Advice on the wording' });
  await advice.waitFor();
  const items = await advice.locator('li').allInnerTexts();
  const expect = [
    ['$.pages[0].questions[0]', /“Other” gives people nowhere to say what they mean/],
    ['$.pages[0].questions[0].title', /seems to ask two things at once/],
    ['$.pages[1].questions[0]', /has a format but no hint shows it/],
    ['$.pages[2].questions[0]', /must answer this in their own words/],
    ['$.pages[2].questions[0].hint', /“leverage” is on GOV.UK’s list of words to avoid/],
    ['$.pages[2].questions[0].hint', /“empower” is on GOV.UK’s list/],
    ['$.pages[2].questions[0].hint', /“stakeholder” may be jargon/],
  ];
  for (const [path, text] of expect) {
    assert.ok(items.some((i) => i.startsWith(`${path}: `) && text.test(i)), `${path} ${text}: ${items.join(' | ')}`);
  }
  assert.match(await advice.innerText(), /suggestions from GOV.UK’s guidance/);
  // Advice never stops the survey: it is previewed all the same.
  await page.frameLocator('iframe[title="On a phone, 375 pixels wide"]').locator('.sw-widget h1', { hasText: 'Tell us about support for carers' }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), 0, 'no sideways scroll at 375 px');
  await audit(page, 'preview.html with advice');
  // A survey that follows the guidance gets none.
  await page.getByLabel('Or paste the survey’s JSON').fill(readFileSync(join(ROOT, 'tests/fixtures/short-survey.json'), 'utf8'));
  await page.getByRole('button', { name: 'Check and preview' }).click();
  await page.getByText('No problems found: “A short survey”').waitFor();
  assert.equal(await page.locator('#pv-advice li').count(), 0, await page.locator('.pv-advice').innerText());
  await context.close();
});

test('preview.html: questions pasted as text become a survey to review, and lines it could not take are listed (issue #25)', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${site.url}${STATIC}preview.html`);
  const word = [
    'Carers’ survey 2026', '', '1. How did you hear about this survey?', 'a) From my GP', 'b) A leaflet', 'c) Other', '',
    '2) Do you look after someone?', '- Yes', '- No', '', 'Q3: Which of these have you used? Tick all that apply.',
    '• Day centre', '• Respite care', '• None of these',
  ].join('\n');
  await page.getByLabel('Or paste your questions as text').fill(word);
  await page.getByRole('button', { name: 'Turn into a survey' }).click();
  await page.getByText('No problems found: “Carers’ survey 2026”, version 1, 3 pages, 3 questions.').waitFor();
  const json = JSON.parse(await page.getByLabel('Or paste the survey’s JSON').inputValue());
  assert.deepEqual(json.pages.map((p) => p.questions[0].type), ['singleChoice', 'yesNo', 'multipleChoice']);
  assert.equal(await page.locator('#pv-left-out').count(), 0);
  const phone = page.frameLocator('iframe[title="On a phone, 375 pixels wide"]');
  await phone.locator('.sw-widget h1', { hasText: 'Carers’ survey 2026' }).waitFor();
  await phone.getByRole('button', { name: 'Start now' }).click();
  await phone.getByRole('radio', { name: 'A leaflet' }).waitFor();
  await audit(page, 'preview.html with a pasted survey');
  // A line before the first question that is not the title is listed, not lost.
  await page.getByLabel('Or paste your questions as text').fill(`Title\nSome notes\n${word}`);
  await page.getByRole('button', { name: 'Turn into a survey' }).click();
  await page.locator('#pv-left-out').waitFor();
  const listed = await page.locator('#pv-left-out li').allInnerTexts();
  assert.deepEqual(listed.slice(0, 2), ['Line 2: Some notes', 'Line 3: Carers’ survey 2026']);
  await audit(page, 'preview.html with lines not taken');
  await context.close();
});

test('preview.html: a survey in several languages, each previewed, what is not translated listed with its path, every text side by side (issue #23)', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${site.url}${STATIC}preview.html`);
  await page.getByRole('heading', { name: 'Preview a survey' }).waitFor();
  // A draft with one label not yet in Urdu.
  const survey = JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/rtl-survey.json'), 'utf8'));
  survey.draft = true;
  survey.pages[0].questions[0].choices[1].label = { en: 'A child' };
  await page.getByLabel('Or paste the survey’s JSON').fill(JSON.stringify(survey));
  await page.getByRole('button', { name: 'Check and preview' }).click();
  await page.getByRole('heading', { name: 'Languages' }).waitFor();
  assert.match(await page.locator('#pv-missing').innerText(), /\$\.pages\[0\]\.questions\[0\]\.choices\[1\]\.label: no text in اردو/);
  const table = page.locator('#pv-texts');
  assert.equal(await table.locator('thead th').count(), 3, 'where, English, Urdu');
  const row = table.locator('tr', { hasText: '$.title' });
  assert.match(await row.innerText(), /Caring in our community/);
  assert.equal(await row.locator('td[lang="ur"]').getAttribute('dir'), 'rtl');
  assert.match(await table.locator('tr', { hasText: 'choices[1].label' }).innerText(), /Not translated yet/);
  // Previewed in Urdu: the frames show it right to left, the untranslated label in English, marked so.
  await page.getByLabel('Preview in').selectOption('ur');
  const phone = page.frameLocator('iframe[title="On a phone, 375 pixels wide"]');
  await phone.locator('.sw-widget[dir="rtl"] h1', { hasText: 'ہماری برادری' }).waitFor();
  await phone.getByRole('button', { name: 'ابھی شروع کریں' }).click();
  const fallback = phone.locator('.sw-radios__label', { hasText: 'A child' });
  await fallback.waitFor();
  assert.equal(await fallback.evaluate((el) => el.closest('[lang]').getAttribute('lang')), 'en', 'the default language’s text, marked with its lang');
  await audit(page, 'preview.html with a survey in two languages');
  await context.close();
});
