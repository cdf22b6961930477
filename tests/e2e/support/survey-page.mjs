// Page object for the widget: drives it by keyboard alone, as a person without a mouse
// would, and audits each screen with axe-core.
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export class SurveyPage {
  constructor(page) {
    this.page = page;
    this.audits = 0;
  }

  async open(baseUrl, survey) {
    await this.page.goto(`${baseUrl}/host.html?survey=${survey}`);
    await this.page.bringToFront();
    // Give the window focus as a person's browser has it; a fresh headless page sometimes
    // starts without, and then Tab goes nowhere.
    await this.page.mouse.click(1, 1);
    await this.page.waitForSelector('.sw-widget h1');
  }

  heading() {
    return this.page.locator('.sw-widget h1').first().innerText();
  }

  /** Presses Tab until the focused element matches `selector` (bounded). */
  async tabTo(selector) {
    for (let i = 0; i < 120; i++) {
      if (await this.page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
      await this.page.keyboard.press('Tab');
    }
    const at = await this.page.evaluate(() => document.activeElement?.outerHTML?.slice(0, 80));
    throw new Error(`could not reach ${selector} with Tab (focus is on ${at})`);
  }

  async focusedId() {
    return this.page.evaluate(() => document.activeElement?.id ?? '');
  }

  async start() {
    await this.tabTo('.sw-button--start');
    await this.page.keyboard.press('Enter');
    await this.waitForFocusOn('-heading');
  }

  /** Waits until focus lands on an element whose id ends with `suffix`. */
  async waitForFocusOn(suffix) {
    await this.page.waitForFunction((s) => document.activeElement?.id?.endsWith(s), suffix, { timeout: 5000 });
  }

  async continue() {
    await this.tabTo('.sw-form button[type=submit]');
    await this.page.keyboard.press('Enter');
  }

  /** Question ids on the current page, in order. */
  questionIds() {
    return this.page.$$eval('.sw-question', (els) => els.map((e) => e.dataset.question));
  }

  errorMessages() {
    return this.page.$$eval('.sw-error-summary__list a', (els) => els.map((e) => e.textContent));
  }

  /** Selects radio `index` of the group whose first radio is `firstId`, by keyboard: Tab into
   *  the group (which lands on the checked radio, or the first), then arrow keys. */
  async radio(firstId, index) {
    const target = index === 0 ? firstId : `${firstId}-${index + 1}`;
    const name = await this.page.getAttribute(`#${firstId}`, 'name');
    await this.tabTo(`input[name="${name}"]`);
    if (!(await this.page.evaluate((n) => !!document.querySelector(`input[name="${n}"]:checked`), name))) {
      await this.page.keyboard.press('Space');
    }
    for (let i = 0; i < 12 && !(await this.page.isChecked(`#${target}`)); i++) {
      await this.page.keyboard.press('ArrowDown');
    }
    if (!(await this.page.isChecked(`#${target}`))) throw new Error(`could not select #${target}`);
  }

  /** Answers one question by keyboard. `answer` is { radio: i } | { checks: [i] } | { text } |
   *  { date: [d, m, y] } | { rows: [i, …] } | { consent: true } | { other: text, radio: i }. */
  async answer(instance, id, answer) {
    const base = `${instance}-${id}`;
    if (answer.radio !== undefined) {
      await this.radio(base, answer.radio);
      if (answer.other !== undefined) {
        await this.tabTo(`#${base}-other`);
        await this.page.keyboard.type(answer.other);
      }
    } else if (answer.checks) {
      for (const i of answer.checks) {
        await this.tabTo(`#${i === 0 ? base : `${base}-${i + 1}`}`);
        await this.page.keyboard.press('Space');
      }
    } else if (answer.text !== undefined) {
      await this.tabTo(`#${base}`);
      await this.page.keyboard.type(answer.text);
    } else if (answer.date) {
      for (const [part, value] of [['day', answer.date[0]], ['month', answer.date[1]], ['year', answer.date[2]]]) {
        await this.tabTo(`#${base}-${part}`);
        await this.page.keyboard.type(value);
      }
    } else if (answer.rows) {
      const statements = await this.page.$$eval(`[data-question="${id}"] fieldset`, (fs) =>
        fs.map((f) => f.querySelector('input').id));
      for (const [n, first] of statements.entries()) await this.radio(first, answer.rows[n % answer.rows.length]);
    } else if (answer.consent) {
      await this.tabTo(`#${base}`);
      await this.page.keyboard.press('Space');
    }
  }

  /** Runs axe-core on the page and fails with the violations listed. */
  async audit(label) {
    if (!(await this.page.evaluate(() => 'axe' in window))) {
      await this.page.addScriptTag({ path: AXE_PATH });
    }
    const violations = await this.page.evaluate(async (tags) => {
      const result = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
      return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    }, AXE_TAGS);
    this.audits += 1;
    assert.deepEqual(violations, [], `axe violations on ${label}`);
  }
}
