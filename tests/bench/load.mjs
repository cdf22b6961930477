// Load benchmark (issue #2): serves the release build on loopback with brotli, opens it in
// headless Chromium as a mid-range phone on a slow connection (4x CPU slowdown, 150 ms round
// trip, 1.6 Mbit/s down, cold cache) and prints the median time from navigation to the
// first interactive control of the survey. MODE=page (the demo page, default), element (a
// council page with `<council-survey>`, issue #11) or iframe (a page with frame.html in an
// iframe).
import { readdirSync } from 'node:fs';
import { startServer } from '../e2e/support/server.mjs';
import { launch } from '../e2e/support/browser.mjs';

const RUNS = Number(process.env.RUNS ?? 7);
const SURVEY = process.env.SURVEY ?? 'carers-strategy';
const MODE = process.env.MODE ?? 'page';
const TARGET_MS = 1000;
const ARTEFACT = `/survey-widget/${readdirSync(new URL('../../dist/survey-widget', import.meta.url))[0]}/`;
const head = '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Council</title><link rel="icon" href="data:,">';
const pages = {
  '/element.html': `${head}<script type="module" src="${ARTEFACT}embed.js"></script></head><body><h1>Have your say</h1><council-survey src="/surveys/${SURVEY}.json"></council-survey></body></html>`,
  '/iframe.html': `${head}</head><body><h1>Have your say</h1><iframe title="Survey" style="width:100%;height:600px;border:0" src="${ARTEFACT}frame.html?survey=/surveys/${SURVEY}.json"></iframe></body></html>`,
};
const PATHS = { page: `/host.html?survey=${SURVEY}`, element: '/element.html', iframe: '/iframe.html' };

const server = await startServer({ pages });
const browser = await launch();
const times = [];
try {
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({
      viewport: { width: 375, height: 667 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 150,
      downloadThroughput: (1.6 * 1024 * 1024) / 8,
      uploadThroughput: (750 * 1024) / 8,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    // Record, inside the page, when the first control of the survey appears: in the page,
    // in the element's shadow root, or in the (same-origin here) frame's.
    await page.addInitScript(() => {
      if (window !== window.top) return;
      const selector = '.sw-widget button, .sw-widget input';
      const inside = (doc) => doc && (doc.querySelector(selector)
        || doc.querySelector('council-survey')?.shadowRoot?.querySelector(selector));
      const found = () => inside(document) || inside(document.querySelector('iframe')?.contentDocument);
      const look = () => {
        if (found()) window.__firstControl = performance.now();
        else requestAnimationFrame(look);
      };
      requestAnimationFrame(look);
    });
    await page.goto(`${server.url}${PATHS[MODE]}`);
    await page.waitForFunction(() => window.__firstControl, null, { timeout: 30000 });
    const ms = await page.evaluate(() => window.__firstControl);
    times.push(ms);
    // Where the time went: when each file finished arriving.
    const arrivals = await page.evaluate(() => performance.getEntriesByType('resource')
      .map((e) => [new URL(e.name).pathname.replace(/-[0-9a-f]{16}/, '').slice(1), Math.round(e.responseEnd)])
      .filter(([name]) => /\.(wasm|js|json|css)$/.test(name.split('/').pop())));
    console.log(`run ${run + 1}: ${ms.toFixed(0)} ms (${arrivals.map(([n, t]) => `${n} ${t}`).join(', ')})`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
console.log(`load benchmark (${MODE}): median ${median.toFixed(0)} ms to the first control over ${RUNS} runs ` +
  `(min ${sorted[0].toFixed(0)}, max ${sorted[sorted.length - 1].toFixed(0)}); target ${TARGET_MS} ms`);
