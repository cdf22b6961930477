// Load benchmark (issues #2 and #24): serves the release build on loopback with brotli, opens it
// in headless Chromium as a mid-range phone on a slow connection (4x CPU slowdown, 150 ms
// round trip, 1.6 Mbit/s down, cold cache) and prints the median time from navigation to the
// first interactive control of the survey. MODE=page (the demo page, default), element (a
// council page with `<council-survey>`, issue #11) or iframe (a page with frame.html in an
// iframe). Each run also loads the same survey with SurveyJS (tests/bench/surveyjs.mjs) on the
// same profile, turn about with ours, and the ratio of the medians is printed. MODE=page then
// times a warm start: the second visit, everything from the service worker.
import { readdirSync, readFileSync } from 'node:fs';
import { startServer } from '../e2e/support/server.mjs';
import { launch } from '../e2e/support/browser.mjs';
import { serviceWorkerInControl } from '../e2e/support/storage.mjs';
import { surveyJsFiles, surveyJsPage } from './surveyjs.mjs';

const RUNS = Number(process.env.RUNS ?? 7);
const SURVEY = process.env.SURVEY ?? 'carers-strategy';
const MODE = process.env.MODE ?? 'page';
const TARGETS = { page: 1250, element: 1400, iframe: null };
const RATIO_TARGET = 0.5;
const WARM_TARGET_MS = 150;
const dist = new URL('../../dist/', import.meta.url);
const ARTEFACT = `/survey-widget/${readdirSync(new URL('survey-widget', dist))[0]}/`;
const head = '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Council</title><link rel="icon" href="data:,">';
const survey = JSON.parse(readFileSync(new URL(`surveys/${SURVEY}.json`, dist), 'utf8'));
const pages = {
  '/element.html': `${head}<script type="module" src="${ARTEFACT}embed.js"></script></head><body><h1>Have your say</h1><council-survey src="/surveys/${SURVEY}.json"></council-survey></body></html>`,
  '/iframe.html': `${head}</head><body><h1>Have your say</h1><iframe title="Survey" style="width:100%;height:600px;border:0" src="${ARTEFACT}frame.html?survey=/surveys/${SURVEY}.json"></iframe></body></html>`,
  '/surveyjs.html': surveyJsPage(survey, head),
  ...surveyJsFiles(),
};
const PATHS = { page: `/host.html?survey=${SURVEY}`, element: '/element.html', iframe: '/iframe.html' };

/** A fresh phone: its own context, nothing cached. */
const phone = (browser) => browser.newContext({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });

/** Opens `path` in a new page of `context` on the phone profile; resolves to the time to
 *  the first control and when each file arrived. */
async function measure(context, path) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  // The HTTP cache, not the service worker's: a warm start is served by the worker.
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6 * 1024 * 1024) / 8,
    uploadThroughput: (750 * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  // Record, inside the page, when the first control of the survey appears: in the page, in
  // the element's shadow root, in the (same-origin here) frame's, or in SurveyJS's container.
  await page.addInitScript(() => {
    if (window !== window.top) return;
    const selector = '.sw-widget button, .sw-widget input, #surveyContainer input, #surveyContainer button, #surveyContainer textarea';
    const inside = (doc) => doc && (doc.querySelector(selector)
      || doc.querySelector('council-survey')?.shadowRoot?.querySelector(selector));
    const found = () => inside(document) || inside(document.querySelector('iframe')?.contentDocument);
    const look = () => {
      if (found()) window.__firstControl = performance.now();
      else requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
  });
  await page.goto(`${server.url}${path}`);
  await page.waitForFunction(() => window.__firstControl, null, { timeout: 30000 });
  const ms = await page.evaluate(() => window.__firstControl);
  // Where the time went: when each file finished arriving.
  const arrivals = await page.evaluate(() => performance.getEntriesByType('resource')
    .map((e) => [new URL(e.name).pathname.replace(/-[0-9a-f]{16}/, '').slice(1), Math.round(e.responseEnd)])
    .filter(([name]) => /\.(wasm|js|json|css)$/.test(name.split('/').pop())));
  await page.close();
  return { ms, arrivals };
}

const median = (times) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
const range = (times) => `min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)}`;

const server = await startServer({ pages });
const browser = await launch();
const ours = [];
const theirs = [];
const warm = [];
try {
  for (let run = 0; run < RUNS; run++) {
    for (const [path, times, who] of [[PATHS[MODE], ours, 'ours'], ['/surveyjs.html', theirs, 'SurveyJS']]) {
      const context = await phone(browser);
      const { ms, arrivals } = await measure(context, path);
      times.push(ms);
      console.log(`run ${run + 1}, ${who}: ${ms.toFixed(0)} ms (${arrivals.map(([n, t]) => `${n} ${t}`).join(', ')})`);
      await context.close();
    }
  }
  if (MODE === 'page') {
    // One phone, visited once (the worker installs and caches the build), then again and again.
    const context = await phone(browser);
    const first = await context.newPage();
    await first.goto(`${server.url}${PATHS.page}`);
    await serviceWorkerInControl(first);
    await first.close();
    for (let run = 0; run < RUNS; run++) {
      const { ms, arrivals } = await measure(context, PATHS.page);
      warm.push(ms);
      console.log(`warm run ${run + 1}: ${ms.toFixed(0)} ms, from the service worker (${arrivals.map(([n, t]) => `${n} ${t}`).join(", ")})`);
    }
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
const target = TARGETS[MODE];
console.log(`load benchmark (${MODE}): median ${median(ours).toFixed(0)} ms to the first control over ${RUNS} runs `
  + `(${range(ours)})${target ? `; target ${target} ms` : ''}`);
console.log(`load benchmark (${MODE}): SurveyJS with the same survey, same runs: median ${median(theirs).toFixed(0)} ms `
  + `(${range(theirs)}); ours ${(median(ours) / median(theirs)).toFixed(2)}x SurveyJS's; target ${RATIO_TARGET}x`);
if (warm.length) {
  console.log(`load benchmark (warm start, second visit from the service worker): median ${median(warm).toFixed(0)} ms `
    + `(${range(warm)}); target ${WARM_TARGET_MS} ms`);
}
