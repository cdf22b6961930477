// End to end (issue #8): the respondent's experience. No crash after typing and moving on,
// a progress total that never rises, scales that read in order at every width, errors for
// every unanswered statement, honest words about delivery and storage, focus that stays
// somewhere meaningful, and long unbroken words that never scroll the page sideways.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser } from './support/setup.mjs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { startCollector } from './support/collector.mjs';
import { SurveyPage } from './support/survey-page.mjs';
import { ANSWERS, ALTERNATIVES } from './support/answers.mjs';
import { statusSays, storedDraft, readStore, until } from './support/storage.mjs';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
// Screenshots for people to look at; the assertions use element boxes, never pixels.
const SHOTS = join(ROOT, '.tmp', 'screenshots');
const BUILT_IN = Object.keys(ANSWERS);

const env = serverAndBrowser();
before(async () => {
  await mkdir(SHOTS, { recursive: true });
});

async function open(path, { width = 375, height = 800, clock = false, allow = [] } = {}) {
  const context = await env.browser.newContext({ viewport: { width, height } });
  context.allowConsoleErrors(...allow);
  if (clock) await context.clock.install();
  const page = await context.newPage();
  await page.goto(`${env.server.url}${path}`);
  await page.waitForSelector('.sw-widget h1');
  return { context, page, sp: new SurveyPage(page) };
}

/** After a click that changes the screen: the new heading (or the error summary) has focus. */
async function settled(page) {
  await page.waitForFunction(() => /(-heading|error-summary)$/.test(document.activeElement?.id ?? ''), null, { timeout: 5000 });
}

/** Fills one question's text-like controls (text, long text, number, email, phone, date)
 *  with its answer, or with `probe` when the route has none (`''` clears them); returns
 *  whether it has any. */
async function fillTextLike(page, id, answer, probe) {
  const base = `#sw1-${id}`;
  if (await page.locator(`${base}-day`).count()) {
    const [d, m, y] = answer?.date ?? (probe ? ['1', '2', '2020'] : ['', '', '']);
    await page.fill(`${base}-day`, d);
    await page.fill(`${base}-month`, m);
    await page.fill(`${base}-year`, y);
    return true;
  }
  const control = page.locator(`textarea${base}, input${base}:not([type=radio]):not([type=checkbox])`);
  if (!(await control.count())) return false;
  await control.fill(answer?.text ?? probe);
  return true;
}

/** The progress caption as [current, total], or null where there is none. */
async function progress(page) {
  const caption = page.locator('.sw-caption');
  if (!(await caption.count()) || !(await caption.isVisible())) return null;
  const found = (await caption.innerText()).match(/^(?:Question|Page) (\d+) of (\d+)$/);
  assert.ok(found, `a caption of the form "Question N of M", not "${await caption.innerText()}"`);
  return [Number(found[1]), Number(found[2])];
}

/** Walks a survey to "Check your answers", answering each page before Continue. `onPage`
 *  runs on arrival at each page, before anything is answered. */
async function walk(page, sp, answers, onPage = async () => {}) {
  for (let n = 0; n < 60; n++) {
    const ids = await sp.questionIds();
    if (ids.length === 0) return;
    await onPage(ids);
    for (const id of ids) {
      if (answers[id] && !(await fillTextLike(page, id, answers[id], null).catch(() => false))) {
        await sp.answer('sw1', id, answers[id]);
      }
    }
    await page.click('.sw-form button[type=submit]');
    await settled(page);
    assert.deepEqual(await sp.errorMessages(), [], `no errors on ${ids}`);
  }
  throw new Error('more than 60 pages');
}

for (const survey of BUILT_IN) {
  test(`issue #8: typing into every text, long-text and date field of ${survey} and leaving at once never crashes`, async () => {
    // The fake clock makes "about a second later" happen at once, and for certain.
    for (const answers of [ANSWERS[survey], ALTERNATIVES[survey]]) {
      const { context, page, sp } = await open(`/host.html?survey=${survey}`, { clock: true });
      await page.click('.sw-button--start');
      await settled(page);
      let typedOn = 0;
      await walk(page, sp, answers, async (ids) => {
        const probed = [];
        for (const id of ids) {
          if (!answers[id] && (await fillTextLike(page, id, null, 'Typed, then left at once'))) probed.push(id);
          else if (answers[id]?.text || answers[id]?.date) await fillTextLike(page, id, answers[id], null);
        }
        const typed = probed.length || ids.some((id) => answers[id]?.text || answers[id]?.date);
        if (!typed) return;
        typedOn += 1;
        // Leave at once, let every timer run, and come back.
        await page.click('.sw-back-link');
        await context.clock.fastForward(3000);
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
        context.assertNoProblems(`leaving ${ids} right after typing`);
        await page.click(await page.locator('.sw-button--start').count() ? '.sw-button--start' : '.sw-form button[type=submit]');
        await settled(page);
        assert.deepEqual(await sp.questionIds(), ids, 'back on the page');
        // The probes were only for typing; optional fields are left as they were.
        for (const id of probed) await fillTextLike(page, id, null, '');
      });
      assert.ok(typedOn > 0);
      await context.clock.fastForward(3000);
      await context.close();
    }
  });

  test(`issue #8: on the way through ${survey} the progress total never rises and an information page is no question`, async () => {
    for (const answers of [ANSWERS[survey], ALTERNATIVES[survey]]) {
      const { context, page, sp } = await open(`/host.html?survey=${survey}`);
      await page.click('.sw-button--start');
      await settled(page);
      const seen = [];
      await walk(page, sp, answers, async (ids) => {
        const info = await page.locator('.sw-question .sw-info').count() === ids.length;
        const shown = await progress(page);
        if (info) {
          assert.equal(shown, null, `information page ${ids} shows no progress`);
          return;
        }
        assert.ok(shown, `progress on ${ids}`);
        const last = seen.at(-1);
        if (last) {
          assert.ok(shown[1] <= last[1], `the total rose from ${last[1]} to ${shown[1]} on ${ids}`);
          assert.equal(shown[0], last[0] + 1, `question ${shown[0]} follows ${last[0]}`);
        }
        assert.ok(shown[0] <= shown[1]);
        seen.push(shown);
        // Ticking an option does not change the total.
        for (const id of ids) if (answers[id]?.radio !== undefined) await sp.answer('sw1', id, answers[id]);
        assert.deepEqual(await progress(page), shown, `answering ${ids} left the progress alone`);
      });
      assert.ok(seen.length > 3);
      console.log(`${survey}: ${seen.map(([c, t]) => `${c}/${t}`).join(' ')}`);
      await context.close();
    }
  });
}

/** Boxes of the radios of one group, in DOM (scale) order. */
function radioBoxes(page, selector) {
  return page.$$eval(selector, (inputs) => inputs.map((i) => {
    const label = i.nextElementSibling.getBoundingClientRect();
    const r = i.getBoundingClientRect();
    return { x: r.left, y: r.top, cx: r.left + r.width / 2, labelTop: label.top, labelBottom: label.bottom, labelLeft: label.left, labelRight: label.right };
  }));
}

/** One column in scale order, or (`wide`) one row of evenly spaced options in scale order. */
function assertScale(boxes, wide, what) {
  assert.ok(boxes.length >= 3, what);
  for (let i = 1; i < boxes.length; i++) {
    const [a, b] = [boxes[i - 1], boxes[i]];
    if (wide) {
      assert.ok(Math.abs(a.y - b.y) < 1, `${what}: option ${i + 1} is on the same row`);
      assert.ok(b.x > a.x, `${what}: option ${i + 1} is right of option ${i}`);
      assert.ok(a.labelRight <= b.labelLeft + 1, `${what}: labels ${i} and ${i + 1} do not overlap`);
    } else {
      assert.ok(Math.abs(a.x - b.x) < 1, `${what}: option ${i + 1} is in the same column`);
      assert.ok(b.y >= a.labelBottom - 1, `${what}: option ${i + 1} is below option ${i}`);
    }
  }
  if (wide) {
    const gaps = boxes.slice(1).map((b, i) => b.cx - boxes[i].cx);
    assert.ok(Math.max(...gaps) - Math.min(...gaps) < 1.5, `${what}: evenly spaced (${gaps.map((g) => g.toFixed(1))})`);
  }
}

/**
 * Issue #21: in a row, each radio's ring, its dot when chosen, its (invisible) input and its
 * number share one centre line, and the dot sits in the middle of its ring.
 */
async function assertCentred(page, name, what) {
  const parts = await page.$$eval(`input[name="${name}"]`, (inputs) => inputs.map((input) => {
    const label = input.nextElementSibling;
    const item = input.closest('.sw-radios__item');
    const box = item.getBoundingClientRect();
    const pseudo = (which) => {
      const s = getComputedStyle(label, which);
      const left = box.left + parseFloat(s.left) + parseFloat(s.marginLeft);
      const top = box.top + parseFloat(s.top) + parseFloat(s.marginTop);
      // A border-box never draws narrower than its borders (the dot is all border).
      const bw = parseFloat(s.borderLeftWidth) + parseFloat(s.borderRightWidth);
      const bh = parseFloat(s.borderTopWidth) + parseFloat(s.borderBottomWidth);
      const inner = s.boxSizing === 'border-box';
      const w = inner ? Math.max(parseFloat(s.width), bw) : parseFloat(s.width) + bw;
      const h = inner ? Math.max(parseFloat(s.height), bh) : parseFloat(s.height) + bh;
      return { cx: left + w / 2, cy: top + h / 2 };
    };
    const text = document.createRange();
    text.selectNodeContents(label.firstChild ?? label);
    const t = text.getBoundingClientRect();
    const i = input.getBoundingClientRect();
    return { ring: pseudo('::before'), dot: pseudo('::after'), input: i.left + i.width / 2, number: t.left + t.width / 2 };
  }));
  assert.ok(parts.length >= 3, what);
  for (const [n, p] of parts.entries()) {
    const off = (a, b) => Math.abs(a - b) <= 1;
    assert.ok(off(p.dot.cx, p.ring.cx) && off(p.dot.cy, p.ring.cy), `${what}: option ${n + 1}'s dot is centred in its ring (${JSON.stringify(p)})`);
    assert.ok(off(p.input, p.ring.cx), `${what}: option ${n + 1}'s control is centred on its ring (${JSON.stringify(p)})`);
    assert.ok(off(p.number, p.ring.cx), `${what}: option ${n + 1}'s number is centred over its ring (${JSON.stringify(p)})`);
  }
}

async function noSidewaysScroll(page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${what}: horizontal scroll of ${overflow}px`);
}

for (const width of [320, 375, 641, 768, 1280]) {
  test(`issue #8: Likert and rating scales read in order at ${width}px`, async () => {
    const wide = width > 640;
    const { context, page, sp } = await open('/host.html?src=/fixtures/scales-survey.json', { width, height: 900 });
    await page.click('.sw-button--start');
    await settled(page);
    // Likert: every unanswered statement has its own error, each linked from the summary.
    await page.click('.sw-form button[type=submit]');
    await settled(page);
    const statements = ['I felt listened to', 'I was told what would happen next', 'I was involved in decisions about my care'];
    assert.deepEqual(await sp.errorMessages(), statements.map((s) => `Select an answer for ‘${s}’`));
    assert.equal(await page.locator('.sw-likert__row .sw-error-message').count(), 3);
    for (const [n, id] of ['heard', 'informed', 'involved'].entries()) {
      await page.locator('.sw-error-summary__link').nth(n).click();
      assert.equal(await sp.focusedId(), `sw1-statements-${id}`, `summary link ${n + 1} focuses its statement`);
    }
    // GOV.UK order: the error summary, then the caption, then the heading.
    assert.deepEqual(await page.$$eval('.sw-error-summary, .sw-caption, h1', (els) => els.map((e) => e.className)),
      ['sw-error-summary', 'sw-caption', 'sw-heading-l']);
    await sp.audit(`Likert errors at ${width}px`);
    await page.screenshot({ path: join(SHOTS, `likert-errors-${width}.png`), fullPage: true });
    for (const id of ['heard', 'informed', 'involved']) {
      assertScale(await radioBoxes(page, `input[name="sw1-statements-${id}"]`), wide, `Likert ‘${id}’ at ${width}px`);
    }
    if (wide) await assertCentred(page, 'sw1-statements-heard', `Likert at ${width}px`);
    await noSidewaysScroll(page, `Likert at ${width}px`);
    for (const id of ['heard', 'informed', 'involved']) await page.check(`#sw1-statements-${id}-${id === 'heard' ? 2 : 4}`);
    await page.click('.sw-form button[type=submit]');
    await settled(page);

    // The 0–10 rating, with its end labels at its ends.
    const rating = await radioBoxes(page, 'input[name="sw1-likely"]');
    assert.equal(rating.length, 11);
    assertScale(rating, wide, `0–10 rating at ${width}px`);
    if (wide) await assertCentred(page, 'sw1-likely', `0–10 rating at ${width}px`);
    const ends = await page.$$eval('[data-question=likely] .sw-option__hint', (hints) => hints.map((h) => ({
      text: h.textContent, option: h.closest('.sw-radios__item').querySelector('input').value,
    })));
    assert.deepEqual(ends, [{ text: 'not at all likely', option: '0' }, { text: 'extremely likely', option: '10' }]);
    if (wide) {
      // In a row, the end labels read outward from the two ends on one line each, never split
      // mid-word into one narrow column.
      const placed = await page.$$eval('[data-question=likely] .sw-option__hint', (hints) => hints.map((h) => {
        const r = h.getBoundingClientRect();
        const item = h.closest('.sw-radios__item').getBoundingClientRect();
        return { left: r.left - item.left, right: item.right - r.right, lines: Math.round(r.height / parseFloat(getComputedStyle(h).lineHeight)), wider: r.width > item.width };
      }));
      assert.ok(Math.abs(placed[0].left) < 1 && Math.abs(placed[1].right) < 1, `end labels at the ends (${JSON.stringify(placed)})`);
      assert.ok(placed.every((p) => p.lines === 1 && p.wider), `end labels on one line each (${JSON.stringify(placed)})`);
    }
    await noSidewaysScroll(page, `rating at ${width}px`);
    await sp.audit(`0–10 rating at ${width}px`);
    await page.screenshot({ path: join(SHOTS, `rating-${width}.png`), fullPage: true });
    await page.check('#sw1-likely-3');
    await page.click('.sw-form button[type=submit]');
    await settled(page);
    assertScale(await radioBoxes(page, 'input[name="sw1-overall"]'), wide, `1–5 rating at ${width}px`);
    await page.check('#sw1-overall');
    await page.click('.sw-form button[type=submit]');
    await settled(page);

    // Check your answers reads a rating with its scale.
    const value = (title) => page.locator('.sw-summary-list__row', { hasText: title }).locator('.sw-summary-list__value').innerText();
    assert.equal(await value('recommend'), '2 out of 10');
    assert.equal(await value('overall'), '1 out of 5 (very poor)');
    await context.close();
  });
}

/** Opens the short survey sending to `endpoint` and answers it up to its last page. */
async function toLastPage(page, endpoint) {
  await page.goto(`${env.server.url}/host.html?src=/fixtures/short-survey.json&endpoint=${encodeURIComponent(endpoint)}`);
  await page.click('.sw-button--start');
  await page.click('#sw1-carer');
  await page.click('.sw-form button[type=submit]');
  await page.waitForSelector('#sw1-story');
}

/** From the last page: Continue, then Send answers. */
async function send(page) {
  await page.click('.sw-form button[type=submit]');
  await page.click('text=Send answers');
}

test('issue #8: the confirmation says what is true while the council’s server cannot be reached, then when it has the answers', async () => {
  const collector = await startCollector({ origins: [env.server.url] });
  try {
    const context = await env.browser.newContext();
    context.allowConsoleErrors(/^Failed to load resource: net::ERR_FAILED$/, /ERR_CONNECTION_REFUSED/);
    const page = await context.newPage();
    let reachable = false;
    await page.route(collector.endpoint, (route) => (reachable ? route.continue() : route.abort('connectionrefused')));
    await toLastPage(page, collector.endpoint);
    const sp = new SurveyPage(page);
    await send(page);
    const line = page.locator('.sw-panel ~ [role=status]');
    await line.filter({ hasText: 'We are trying to send them to the council…' }).waitFor();
    const next = page.locator('.sw-page > .sw-heading-m + .sw-body');
    assert.match(await next.innerText(), /You can close this page: if your answers have not been sent by then, they will be sent the next time you open this survey on this device\./);
    assert.doesNotMatch(await line.innerText(), /when you are online/);
    await sp.audit('confirmation, trying to send');
    reachable = true;
    // The sender's own retry (within its backoff) delivers it.
    await line.filter({ hasText: 'Your answers have been received by the council.' }).waitFor({ timeout: 15000 });
    assert.equal(await next.innerText(), 'Keep your reference code if you want to ask the council about your answers. You can close this page.');
    await context.close();
  } finally {
    await collector.close();
  }
});

test('issue #8: completed offline, the confirmation says it will be sent when the device is back online', async () => {
  const collector = await startCollector({ origins: [env.server.url] });
  try {
    const context = await env.browser.newContext();
    const page = await context.newPage();
    await toLastPage(page, collector.endpoint);
    await context.setOffline(true);
    await send(page);
    const line = page.locator('.sw-panel ~ [role=status]');
    await line.filter({ hasText: 'They will be sent to the council when you are back online.' }).waitFor();
    // Issue #21: "You can carry on" was said after finishing.
    assert.equal(await page.locator('.sw-status').innerText(), 'You’re offline.');
    await page.click('text=Your responses on this device');
    await page.waitForSelector('text=Will be sent when you are back online');
    // Issue #21: only what is true, and short; the first step reached; nothing cramped at 320 px.
    assert.equal(await page.locator('.sw-status').innerText(), 'You’re offline.');
    assert.equal(await page.locator('.sw-step[aria-current=step]').innerText(), 'Saved on this device');
    await page.setViewportSize({ width: 320, height: 800 });
    // The status wrapped to seven lines in a column of its own; over the four steps, the cell
    // takes little more than the steps themselves.
    const cell = await page.locator('.sw-step-cell').evaluate((td) => {
      const text = document.createRange();
      text.selectNodeContents(td.firstChild);
      return text.getBoundingClientRect().height;
    });
    assert.ok(cell < 4 * 24, `the status takes ${cell}px`);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 320));
    await new SurveyPage(page).audit('responses on this device, offline');
    await page.click('.sw-back-link');
    await context.setOffline(false);
    await line.filter({ hasText: 'Your answers have been received by the council.' }).waitFor({ timeout: 15000 });
    assert.equal((await collector.responses('short-survey')).length, 1);
    await context.close();
  } finally {
    await collector.close();
  }
});

test('issue #8: a reopened survey says "saved" once, and question 1 says nothing before it is answered', async () => {
  const { context, page } = await open('/host.html?src=/fixtures/short-survey.json');
  assert.match(await page.locator('.sw-page').innerText(), /Your answers are saved on this device as you go/, 'the start page promises what the device does');
  await page.click('.sw-button--start');
  await settled(page);
  await storedDraft(page, 'short-survey', (d) => d.session.screen.screen === 'page');
  assert.equal(await page.isVisible('.sw-status'), false, 'nothing answered, nothing said');
  await page.fill('#sw1-name', 'Sam');
  await statusSays(page, 'Your answers are saved on this device.');
  await storedDraft(page, 'short-survey', (d) => d.session.answers.name?.value === 'Sam');
  await page.reload();
  await page.waitForSelector('#sw1-resumed');
  assert.equal(await page.isVisible('.sw-status'), false, 'the banner says it; the status line does not repeat it');
  await page.fill('#sw1-name', 'Sam Jones');
  await statusSays(page, 'Your answers are saved on this device.');
  await context.close();
});

test('issue #8: after Send now delivers everything, focus is on the summary, which says so', async () => {
  const collector = await startCollector({ origins: [env.server.url] });
  try {
    const context = await env.browser.newContext();
    context.allowConsoleErrors(/^Failed to load resource: the server responded with a status of 503 /);
    const page = await context.newPage();
    let open = false;
    await page.route(collector.endpoint, (route) => (open ? route.continue()
      : route.fulfill({ status: 503, body: '{}', contentType: 'application/json', headers: { 'Access-Control-Allow-Origin': '*', 'Retry-After': '300' } })));
    await toLastPage(page, collector.endpoint);
    await send(page);
    await until(async () => (await readStore(page, 'outbox'))[0]?.attempts >= 1, { what: 'a refused attempt' });
    await page.click('text=Your responses on this device');
    await settled(page);
    open = true;
    await page.focus('text=Send now');
    await page.keyboard.press('Enter');
    await page.waitForSelector('text=1 of 1 received by the council.');
    assert.equal(await page.isVisible('text=Send now'), false, 'nothing left to send');
    // Focus moves a frame after the summary is drawn: wait for it (bounded), then check, so a
    // slow machine does not read the focus before it has moved.
    await page.waitForFunction(() => document.activeElement?.id === 'sw1-responses-summary', null, { timeout: 5000 }).catch(() => {});
    assert.equal(await page.evaluate(() => document.activeElement.id), 'sw1-responses-summary');
    await new SurveyPage(page).audit('responses after Send now');
    await context.close();
  } finally {
    await collector.close();
  }
});

test('issue #8: choice labels in other languages carry their lang, and the demo tab is titled for its survey', async () => {
  const { context, page, sp } = await open('/?survey=co-production');
  assert.equal(await page.title(), 'Have a bigger say in adult social care');
  await page.click('.sw-button--start');
  await settled(page);
  await walk(page, sp, ANSWERS['co-production'], async (ids) => {
    if (!ids.includes('preferred-language')) return;
    const langs = await page.$$eval('[data-question=preferred-language] .sw-radios__label', (ls) => ls.map((l) => [l.textContent, l.getAttribute('lang')]));
    assert.deepEqual(langs, [['English', null], ['British Sign Language', null], ['Polski', 'pl'], ['اردو', 'ur'], ['ਪੰਜਾਬੀ', 'pa'], ['Română', 'ro'], ['Another language', null]]);
    await sp.audit('language question');
  });
  // And "Check your answers" reads the answer in its language.
  const row = page.locator('.sw-summary-list__row', { hasText: 'Which language would you like information in?' });
  assert.equal(await row.locator('.sw-summary-list__value').getAttribute('lang'), 'pl');
  assert.equal(await row.locator('.sw-summary-list__value').innerText(), 'Polski');
  await context.close();
});

test('issue #8: long unbroken words wrap in every text slot at 320px, and only web links say they open a new tab', async () => {
  const { context, page, sp } = await open('/host.html?src=/fixtures/long-words.json', { width: 320, height: 640 });
  await noSidewaysScroll(page, 'start page');
  await page.click('.sw-button--start');
  await settled(page);
  // The information page: tel: and mailto: open an app, not a tab.
  const links = await page.$$eval('.sw-info .sw-link', (as) => as.map((a) => [a.getAttribute('href').split(':')[0], a.target, /opens in new tab/.test(a.textContent)]));
  assert.deepEqual(links, [['tel', '', false], ['mailto', '', false], ['https', '_blank', true]]);
  // A link that wraps keeps its bullet on its first line.
  const bullets = await page.$$eval('.sw-info .sw-list > li', (lis) => lis.map((li) => {
    const rects = li.querySelector('a').getClientRects();
    return { lines: rects.length, offset: Math.abs(rects[0].top - li.getBoundingClientRect().top) };
  }));
  for (const b of bullets) assert.ok(b.lines > 1 && b.offset < 4, `a wrapped link flows from the bullet's line (${JSON.stringify(b)})`);
  for (let n = 0; n < 12; n++) {
    await noSidewaysScroll(page, `page ${n + 1}`);
    const ids = await sp.questionIds();
    if (ids.length === 0) break;
    if (ids.includes('ok')) await page.check('#sw1-ok');
    if (ids.includes('where')) await page.check('#sw1-where-3');
    if (ids.includes('long')) await page.fill('#sw1-long', 'x'.repeat(300));
    if (ids.includes('name')) await page.fill('#sw1-name', `${'y'.repeat(200)}`);
    await page.click('.sw-form button[type=submit]');
    await settled(page);
    if (ids.includes('where')) {
      // Issue #8: the "Other" box has the length rule of a short text answer.
      await noSidewaysScroll(page, 'Other details with its error');
      assert.deepEqual(await sp.errorMessages(), [`Enter details for ‘Other ${LONG_TAIL}’`]);
      await page.fill('#sw1-where-other', 'z'.repeat(501));
      await page.click('.sw-form button[type=submit]');
      await settled(page);
      assert.deepEqual(await sp.errorMessages(), [`The details for ‘Other ${LONG_TAIL}’ must be 500 characters or less`]);
      await noSidewaysScroll(page, 'Other details too long');
      await sp.audit('Other details too long');
      await page.fill('#sw1-where-other', 'z'.repeat(500));
      await page.click('.sw-form button[type=submit]');
      await settled(page);
    }
  }
  assert.equal(await sp.heading(), 'Check your answers before sending them');
  await noSidewaysScroll(page, 'check your answers');
  await sp.audit('long words, check your answers');
  await context.close();
});

const LONG_TAIL = 'https://www.example-council.gov.uk/adult-social-care/carers/have-your-say/consultations/2026/carers-strategy carers.strategy.consultation.team@example-council.gov.uk Supercalifragilisticexpialidocious-and-then-some-more-unbroken-text';
