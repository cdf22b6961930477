// Answers to the built-in surveys, by question id, shared by the end-to-end tests.

/** Keyboard answers per question id; questions not listed are left blank (optional). */
export const ANSWERS = {
  'carers-strategy': {
    'caring-for': { checks: [0, 2] },
    'care-needs': { checks: [1] },
    'caring-hours': { text: '35' },
    'caring-years': { radio: 2 },
    'age-band': { radio: 0 },
    employment: { radio: 1 },
    'work-caring-balance': { radio: 1 },
    'had-assessment': { radio: 0 },
    'assessment-date': { date: ['14', '3', '2026'] },
    'assessment-helpful': { radio: 3 },
    'support-used': { checks: [0, 1] },
    'support-statements': { rows: [1, 2] },
    'missing-support': { text: 'Evening support & "sitting" services <b>near home</b>' },
    'wellbeing-score': { radio: 2 },
    'break-frequency': { radio: 3 },
    'top-priorities': { checks: [1, 2] },
    'involvement-ways': { checks: [0, 3] },
    'meeting-format': { radio: 3 },
    'contact-ok': { radio: 0 },
    'contact-name': { text: 'Ada Lovelace' },
    'contact-email': { text: 'ada@example.com' },
    'contact-consent': { consent: true },
    'postcode-district': { text: 'LS6' },
    'heard-about-survey': { radio: 5, other: 'At the library' },
  },
  'co-production': {
    'connection-to-care': { radio: 1 },
    'want-bigger-say': { radio: 0 },
    'ways-to-take-part': { checks: [1, 5] },
    'barriers-to-taking-part': { checks: [0, 2] },
    'format-preferences': { rows: [0, 1, 2] },
    'preferred-language': { radio: 2 },
    'access-needs': { checks: [3] },
    'access-needs-other': { text: 'Breaks every hour, please.' },
  },
  'discharge-reablement': {
    'who-is-answering': { radio: 1 },
    'discharge-date': { date: ['2', '10', '2026'] },
    'leaving-hospital': { rows: [0, 3, 1] },
    'had-reablement': { radio: 0 },
    'reablement-quality': { radio: 3 },
    'reablement-helped': { radio: 1 },
    'back-in-hospital': { radio: 0 },
    'days-until-readmission': { text: '12' },
    'overall-experience': { radio: 7 },
    'what-to-improve': { text: 'More notice before discharge.' },
  },
};

/** Second routes through the skip logic, so that every page of every survey is audited. */
export const ALTERNATIVES = {
  'carers-strategy': {
    ...ANSWERS['carers-strategy'],
    'age-band': { radio: 3 },
    'had-assessment': { radio: 1 },
    'support-used': { checks: [7] },
    'why-not-used': { checks: [0, 2] },
    'wellbeing-score': { radio: 8 },
    'involvement-ways': { checks: [5] },
  },
  'co-production': {
    ...ANSWERS['co-production'],
    'want-bigger-say': { radio: 1 },
    'why-not-involved': { text: 'I have been asked before and nothing changed.' },
    'access-needs': { checks: [7] },
  },
  'discharge-reablement': {
    ...ANSWERS['discharge-reablement'],
    'had-reablement': { radio: 1 },
    'back-in-hospital': { radio: 1 },
  },
};
