// The load benchmark's yardstick (issue #24): SurveyJS (survey-core and survey-js-ui, MIT, from
// npm) showing the same survey, so our first load is printed beside another library's in the
// same run. `toSurveyJs` turns a survey of ours into SurveyJS's JSON: the same pages,
// questions, choices and required flags in the survey's default language. Skip logic is left
// out: it does not change what the first page shows, which is all the benchmark times.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const text = (t) => (t == null ? undefined : typeof t === 'string' ? t : Array.isArray(t) ? t.join('\n\n') : t.en ?? Object.values(t)[0]);
const choices = (list = []) => list.map((c) => ({ value: String(c.value), text: text(c.label) }));

function question(q) {
  const base = { name: q.id, title: text(q.title), description: text(q.hint), isRequired: q.required !== false };
  switch (q.type) {
    case 'singleChoice': return { ...base, type: 'radiogroup', choices: choices(q.choices), showOtherItem: Boolean(q.other) };
    case 'multipleChoice': return { ...base, type: 'checkbox', choices: choices(q.choices), showNoneItem: Boolean(q.none) };
    case 'yesNo': return { ...base, type: 'radiogroup', choices: [{ value: 'yes', text: 'Yes' }, { value: 'no', text: 'No' }] };
    case 'number': return { ...base, type: 'text', inputType: 'number', min: q.min, max: q.max };
    case 'email': return { ...base, type: 'text', inputType: 'email' };
    case 'phone': return { ...base, type: 'text', inputType: 'tel' };
    case 'date': return { ...base, type: 'text', inputType: 'date' };
    case 'longText': return { ...base, type: 'comment', maxLength: q.maxLength };
    case 'rating': return { ...base, type: 'rating', rateMin: q.min, rateMax: q.max, minRateDescription: text(q.minLabel), maxRateDescription: text(q.maxLabel) };
    case 'likert': return { ...base, type: 'matrix', columns: choices(q.scale), rows: (q.statements ?? []).map((s) => ({ value: s.id, text: text(s.label ?? s.text) })) };
    case 'info': return { type: 'html', name: q.id, html: `<h2>${text(q.title) ?? ''}</h2><p>${text(q.body) ?? ''}</p>` };
    case 'consent': return { ...base, type: 'boolean', renderAs: 'checkbox' };
    default: return { ...base, type: 'text', maxLength: q.maxLength };
  }
}

/** SurveyJS's JSON for one of our surveys. */
export function toSurveyJs(survey) {
  return {
    title: text(survey.title),
    description: text(survey.description),
    pages: survey.pages.map((p) => ({ name: p.id, elements: p.questions.map(question) })),
  };
}

/** SurveyJS's files, read from node_modules: { '/surveyjs/…': body }. */
export function surveyJsFiles() {
  // The packages' exports do not list their script files: read them from the folder.
  const modules = new URL('../../node_modules/', import.meta.url).pathname;
  const core = join(modules, 'survey-core');
  const ui = join(modules, 'survey-js-ui');
  return {
    '/surveyjs/survey.core.min.js': readFileSync(join(core, 'survey.core.min.js'), 'utf8'),
    // Without the web font it fetches from Google: this machine has no way out, nor should a council page need one.
    '/surveyjs/survey-core.min.css': readFileSync(join(core, 'survey-core.fontless.min.css'), 'utf8'),
    '/surveyjs/survey-js-ui.min.js': readFileSync(join(ui, 'survey-js-ui.min.js'), 'utf8'),
  };
}

/** A council page showing `survey` with SurveyJS, as its documentation shows. */
export function surveyJsPage(survey, head) {
  return `${head}<link rel="stylesheet" href="/surveyjs/survey-core.min.css">`
    + '<script src="/surveyjs/survey.core.min.js"></script><script src="/surveyjs/survey-js-ui.min.js"></script>'
    + '</head><body><h1>Have your say</h1><div id="surveyContainer"></div><script>'
    + `const survey = new Survey.Model(${JSON.stringify(toSurveyJs(survey))});`
    + 'survey.render(document.getElementById("surveyContainer"));</script></body></html>';
}
