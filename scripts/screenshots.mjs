// The README's screenshots (docs/images/), taken from the release build in headless Chromium
// as the end-to-end tests run it. After `./scripts/build.sh`: `node scripts/screenshots.mjs`.
import { mkdir, readFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../tests/e2e/support/server.mjs';
import { launch } from '../tests/e2e/support/browser.mjs';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'images');
await mkdir(OUT, { recursive: true });
const server = await startServer();
const browser = await launch();
try {
  const phone = await browser.newContext({ viewport: { width: 375, height: 700 }, serviceWorkers: 'block' });
  const page = await phone.newPage();
  await page.goto(`${server.url}/?survey=carers-strategy`);
  await page.waitForSelector('.sw-button--start');
  await page.click('.sw-button--start');
  await page.waitForSelector('.sw-form button[type=submit]');
  await page.screenshot({ path: join(OUT, 'question-phone.png') });
  await page.click('.sw-form button[type=submit]');
  await page.waitForSelector('.sw-error-summary');
  await page.screenshot({ path: join(OUT, 'error-phone.png') });
  // docs/languages.md: a question in Welsh, with the language switch.
  await page.goto(`${server.url}/?survey=discharge-reablement&lang=cy`);
  await page.waitForSelector('.sw-button--start');
  await page.click('.sw-button--start');
  await page.waitForSelector('.sw-form button[type=submit]');
  await page.screenshot({ path: join(OUT, 'question-welsh-phone.png') });
  await phone.close();

  const desk = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const preview = await desk.newPage();
  await preview.goto(`${server.url}/survey-widget/0.1.0/preview.html`);
  await preview.waitForSelector('h1');
  await preview.locator('#pv-json').fill(await readFile(join(OUT, '..', '..', 'public', 'surveys', 'carers-strategy.json'), 'utf8'));
  await preview.getByRole('button', { name: /Check and preview/ }).click();
  const phoneFrame = preview.locator('iframe[title="On a phone, 375 pixels wide"]');
  await preview.frameLocator('iframe[title="On a phone, 375 pixels wide"]').locator('.sw-widget h1').waitFor();
  await phoneFrame.scrollIntoViewIfNeeded();
  await preview.evaluate(() => window.scrollBy(0, -120));
  await preview.screenshot({ path: join(OUT, 'preview.png') });
  await desk.close();
  console.log(`screenshots written to ${OUT}`);
} finally {
  await browser.close();
  await server.close();
}
