// Event mode benchmark (issue #10), headless Chromium on loopback:
// - "Next person": on the phone profile (375×667, 4× CPU slowdown), the time from pressing
//   "Next person" on the confirmation to an interactive welcome screen (its Start button in
//   the DOM with focus on the heading), median of 7;
// - "What we heard today" for 1,000 responses of the event on the device: the summary's own
//   time, as the console reports it (data-summary-ms), median of 5 loads.
import { startServer } from '../e2e/support/server.mjs';
import { launch } from '../e2e/support/browser.mjs';
import { SurveyPage } from '../e2e/support/survey-page.mjs';
import { ANSWERS } from '../e2e/support/answers.mjs';
import { addEventResponses } from '../e2e/support/storage.mjs';

const server = await startServer();
const browser = await launch();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const PIN = '4826';

const context = await browser.newContext({ viewport: { width: 375, height: 667 } });
const page = await context.newPage();
const sp = new SurveyPage(page);
await page.goto(`${server.url}/console/`);
await page.fill('#name', 'Benchmark event');
await page.fill('#pin', PIN);
await page.fill('#pin-again', PIN);
await page.click('button[type=submit]');
await page.waitForSelector('#count-total', { timeout: 30000 });

const cdp = await context.newCDPSession(page);
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
const nextPerson = [];
await page.goto(`${server.url}/event.html`);
for (let run = 0; run < 7; run++) {
  await page.waitForSelector('.sw-button--start');
  await page.click('.sw-button--start');
  for (let n = 0; n < 30; n++) {
    await page.waitForSelector('.sw-widget h1');
    const ids = await sp.questionIds();
    if (ids.length === 0) break;
    for (const id of ids) if (ANSWERS['co-production'][id]) await sp.answer('swe1', id, ANSWERS['co-production'][id]);
    await page.click('.sw-form button[type=submit]');
    await page.waitForFunction((before) => !document.querySelector(`[data-question="${before}"]`), ids[0]);
  }
  await page.click('.sw-page > .sw-button');
  await page.waitForSelector('#swe1-next-person');
  const ms = await page.evaluate(() => new Promise((resolve) => {
    const started = performance.now();
    const observer = new MutationObserver(() => {
      if (document.querySelector('.sw-button--start') && document.activeElement?.id === 'swe1-heading') {
        observer.disconnect();
        resolve(performance.now() - started);
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
    document.querySelector('#swe1-next-person').click();
    // Focus moves in the next animation frame; poll it as well as watching the DOM.
    const poll = () => {
      if (document.querySelector('.sw-button--start') && document.activeElement?.id === 'swe1-heading') {
        observer.disconnect();
        resolve(performance.now() - started);
      } else requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  }));
  nextPerson.push(ms);
}
await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
console.log(`event: "Next person" to an interactive welcome screen (phone, 4x CPU): median ${median(nextPerson).toFixed(0)} ms (runs: ${nextPerson.map((m) => m.toFixed(0)).join(', ')})`);

// 1,000 responses of this event, as the widget stores them.
const ways = ['meetings', 'surveys', 'online', 'groups', 'phone'];
await addEventResponses(page, Array.from({ length: 1000 }, (_, i) => ({
  responseId: `6f1d2a9e-0c3b-4d5e-8f7a-${i.toString(16).padStart(12, '0')}`,
  reference: `BEN${i}`, surveyId: 'co-production', surveyVersion: '2026-11',
  startedAt: Date.now() - 600000, completedAt: Date.now(),
  answers: {
    'connection-to-care': ['carer', 'both', 'draws-on-care'][i % 3],
    'want-bigger-say': i % 4 ? 'yes' : 'no',
    'ways-to-take-part': [ways[i % 5], ways[(i + 2) % 5]],
    'anything-else': `Answer number ${i} with some words in it`,
  },
})));
const summary = [];
for (let run = 0; run < 5; run++) {
  await page.goto(`${server.url}/console/`);
  await page.fill('#unlock-pin', PIN);
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => Number(document.querySelector('#count-total')?.textContent) >= 1000, null, { timeout: 60000 });
  await page.waitForSelector('.sw-heard__question');
  summary.push(Number(await page.getAttribute('.sw-heard', 'data-summary-ms')));
}
console.log(`event: "What we heard today" for 1,000 responses: median ${median(summary).toFixed(1)} ms (runs: ${summary.join(', ')})`);
await context.close();
await browser.close();
await server.close();
