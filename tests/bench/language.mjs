// Language switch benchmark (issue #23), headless Chromium on loopback, on the phone profile
// (375×667, 4× CPU slowdown): the time from pressing a language in the switch, on a question
// page with an answer typed and the error summary showing, to the page redrawn in that
// language with focus back on the switch. The first switch to Welsh fetches cy.json; later
// ones use the catalogue already loaded. Median of 7 of each.
import { startServer } from '../e2e/support/server.mjs';
import { launch } from '../e2e/support/browser.mjs';
import { SurveyPage } from '../e2e/support/survey-page.mjs';

const server = await startServer();
const browser = await launch();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Presses the link to `code` and resolves when the widget is in it with focus on the switch. */
const press = (page, code) => page.evaluate((code) => new Promise((resolve) => {
  const started = performance.now();
  const done = () => document.querySelector('.sw-widget')?.lang === code
    && document.activeElement?.id?.endsWith('language-current')
    && document.activeElement?.lang === code;
  const poll = () => (done() ? resolve(performance.now() - started) : requestAnimationFrame(poll));
  document.querySelector(`.sw-language-select a[hreflang="${code}"]`).click();
  requestAnimationFrame(poll);
}), code);

const first = [];
const again = [];
for (let run = 0; run < 7; run++) {
  const context = await browser.newContext({ viewport: { width: 375, height: 667 } });
  const page = await context.newPage();
  const sp = new SurveyPage(page);
  await sp.open(server.url, 'discharge-reablement');
  await sp.start();
  await sp.answer('sw1', 'who-is-answering', { radio: 1 });
  await sp.continue();
  await sp.waitForFocusOn('-heading');
  await page.fill('#sw1-discharge-date-day', '2');
  await sp.continue();
  await sp.waitForFocusOn('error-summary');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  first.push(await press(page, 'cy'));
  await press(page, 'en');
  again.push(await press(page, 'cy'));
  await context.close();
}
console.log(`language: press to the page redrawn in Welsh (phone, 4x CPU), first switch (fetching cy.json): median ${median(first).toFixed(0)} ms (runs: ${first.map((m) => m.toFixed(0)).join(', ')})`);
console.log(`language: the same, catalogue already loaded: median ${median(again).toFixed(0)} ms (runs: ${again.map((m) => m.toFixed(0)).join(', ')})`);
await browser.close();
await server.close();
