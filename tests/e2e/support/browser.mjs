// Launches Debian's Chromium through playwright-core: no browser download, loopback only.
//
// Every context these helpers hand out is guarded (issue #8): any uncaught page error (a
// wasm panic shows as `RuntimeError: unreachable`) or console error that the test did not
// declare with `context.allowConsoleErrors(/…/)` fails the test when the context closes,
// and `context.assertNoProblems()` checks at any point in between.
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function watch(page, problems, allowed) {
  page.on('pageerror', (e) => problems.push(`page error on ${page.url()}: ${e.stack ?? e.message}`));
  page.on('crash', () => problems.push(`page crashed: ${page.url()}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const text = m.text();
    if (!allowed.some((re) => re.test(text))) problems.push(`console error on ${page.url()}: ${text}`);
  });
}

/** Guards `context` (see above); returns it. Pages opened later are guarded too. */
export function guard(context) {
  if (context.problems) return context;
  const problems = [];
  const allowed = [];
  for (const page of context.pages()) watch(page, problems, allowed);
  context.on('page', (page) => watch(page, problems, allowed));
  context.problems = problems;
  /** Console errors matching any of `patterns` are expected in this test. */
  context.allowConsoleErrors = (...patterns) => allowed.push(...patterns);
  context.assertNoProblems = (what = 'the pages') => assert.deepEqual(problems, [], `${what} reported errors`);
  const close = context.close.bind(context);
  context.close = async (...args) => {
    await close(...args);
    context.assertNoProblems();
  };
  return context;
}

export async function launch() {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => guard(await newContext(options));
  const newPage = browser.newPage.bind(browser);
  browser.newPage = async (options) => {
    const page = await newPage(options);
    guard(page.context());
    return page;
  };
  return browser;
}

/** A browser with a profile on disk, for tests that restart it and find their data. */
export async function launchPersistent(profile, options = {}) {
  return guard(await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: ARGS, ...options }));
}
