// Save benchmark (issue #3): the time from an input event to the committed IndexedDB write
// of the draft, for a typed answer and for a radio choice, in headless Chromium on loopback.
//
// The widget fires `survey-widget:saved` at its root when a draft write transaction has
// committed; the time runs from the `input` event's timestamp to that event. Each input waits
// for its save, so every figure is one whole keystroke-to-disk trip, not a coalesced batch.
// The browser runs on a profile on disk: a fresh Playwright context keeps IndexedDB in memory.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../e2e/support/server.mjs';
import { launchPersistent } from '../e2e/support/browser.mjs';

const SAMPLES = Number(process.env.SAMPLES ?? 200);
const TARGET_P95_MS = 50;

const server = await startServer();
const profile = await mkdtemp(join(tmpdir(), 'sw-bench-'));
const context = await launchPersistent(profile);
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** Runs `act(i)` SAMPLES times and returns input-to-saved latencies in ms. */
async function measure(page, act) {
  const times = [];
  for (let i = 0; i < SAMPLES; i++) {
    const armed = page.evaluate(() => new Promise((resolve) => {
      let input = null;
      const onInput = (e) => { input ??= e.timeStamp; };
      document.addEventListener('input', onInput, true);
      document.addEventListener('survey-widget:saved', function saved() {
        if (input === null) return;
        document.removeEventListener('input', onInput, true);
        document.removeEventListener('survey-widget:saved', saved);
        resolve(performance.now() - input);
      });
    }));
    await act(i);
    times.push(await armed);
  }
  return times.sort((a, b) => a - b);
}

let failed = false;
try {
  const page = await context.newPage();
  await page.goto(`${server.url}/host.html?src=/fixtures/short-survey.json`);
  await page.click('.sw-button--start');
  await page.waitForSelector('#sw1-name');
  // Warm up: the first write opens the database.
  await page.type('#sw1-name', 'warm');
  await page.fill('#sw1-name', '');

  const typed = await measure(page, (i) => page.type('#sw1-name', String.fromCharCode(97 + (i % 26))));
  const chosen = await measure(page, (i) => page.click(i % 2 ? '#sw1-carer' : '#sw1-carer-2'));

  console.log(`save benchmark: input event to committed IndexedDB write, ${SAMPLES} samples each`);
  for (const [label, t] of [['typed answer', typed], ['radio choice', chosen]]) {
    const p95 = percentile(t, 95);
    console.log(`${label.padEnd(14)} median ${percentile(t, 50).toFixed(1).padStart(6)} ms   p95 ${p95.toFixed(1).padStart(6)} ms   max ${t[t.length - 1].toFixed(1).padStart(6)} ms`);
    if (p95 > TARGET_P95_MS) {
      console.log(`  over the ${TARGET_P95_MS} ms p95 target`);
      failed = true;
    }
  }
} finally {
  await context.close();
  await server.close();
  await rm(profile, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
