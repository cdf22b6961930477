// Iframe mode (issue #11; README, "Iframe mode"): frame.html?survey=…&parent-origin=…
//
// Shows one <council-survey> from the query string and tells the parent page its height, so
// the parent's ten-line snippet can size the iframe. Messages go only to the origins listed
// in `parent-origin`: postMessage with a target origin is not delivered to any other.
// The survey (and an endpoint, if given) must be on this folder's own site: a link cannot
// make the council's domain show someone else's questions or send answers elsewhere.
import './embed.js';

const params = new URLSearchParams(location.search);
const main = document.getElementById('survey');
// Second-level domains under which every name is a site of its own (the UK's, where councils
// are; the Public Suffix List has the world's).
const SECOND_LEVEL = /\.(gov|co|org|ac|nhs|police|sch|ltd|plc|me|net|mod|parliament)\.uk$/;
/** A host's site (its registrable domain): the last two labels, or three under a UK
 *  second-level domain, so www.example.gov.uk and collect.example.gov.uk are one site and
 *  example.gov.uk and another.gov.uk two. An IP address is a site of its own. */
const site = (host) => {
  if (/^[\d.]+$/.test(host) || host.startsWith('[')) return host;
  return host.split('.').slice(SECOND_LEVEL.test(`.${host}`) ? -3 : -2).join('.');
};
/** `value` as an absolute URL when it is on this frame's site with the same scheme (another
 *  origin of the site is fine: a collector on collect. beside a frame on www.), else null. */
const sameSite = (value) => {
  try {
    const url = new URL(value, location.href);
    const ok = url.protocol === location.protocol && site(url.hostname) === site(location.hostname);
    return ok ? url.href : null;
  } catch {
    return null;
  }
};
const origins = (params.get('parent-origin') ?? '')
  .split(/[\s,]+/)
  .filter((o) => {
    try {
      return o !== '' && new URL(o).origin === o;
    } catch {
      return false;
    }
  });
// Where the browser says who the parent is (Chromium, Safari), post only there: posting to a
// listed origin that is not the parent's is dropped anyway, with a console error.
const parentOrigin = location.ancestorOrigins?.[0];
const targets = parentOrigin === undefined ? origins : origins.filter((o) => o === parentOrigin);
const tell = (message) => {
  if (parent === window) return;
  for (const origin of targets) parent.postMessage({ source: 'council-survey', ...message }, origin);
};

function problem(text) {
  const p = document.createElement('p');
  p.className = 'frame-problem';
  p.setAttribute('role', 'alert');
  p.textContent = text;
  main.append(p);
  console.error(`council-survey frame: ${text}`);
}

const survey = sameSite(params.get('survey') ?? '');
const EVENTS = ['ready', 'pagechange', 'completed', 'delivered', 'error'];

const endpoint = params.get('endpoint');

/** The element, set up from the query string; `definition` is preview.html's survey text. */
function widget(definition) {
  const el = document.createElement('council-survey');
  if (definition !== undefined) el.definition = definition;
  else el.setAttribute('src', survey);
  if (endpoint && sameSite(endpoint)) el.setAttribute('endpoint', sameSite(endpoint));
  if (params.get('mode') === 'event') el.setAttribute('mode', 'event');
  // The frame is the survey's whole page: the tab's title can follow it.
  el.setAttribute('manage-title', '');
  // Theme colours: hex only, set through CSSOM (which a strict style-src allows).
  for (const name of ['brand', 'text', 'link', 'focus', 'error', 'background']) {
    const value = params.get(name);
    if (value && /^#[0-9a-f]{3}([0-9a-f]{3})?$/i.test(value)) el.style.setProperty(`--council-survey-${name}`, value);
  }
  for (const name of EVENTS) el.addEventListener(name, (e) => tell({ type: 'event', name, detail: e.detail }));
  return el;
}

if (params.has('preview')) {
  // preview.html (this folder, same origin) sends the survey being written; the widget
  // then neither saves nor sends anything.
  addEventListener('message', (e) => {
    if (e.origin !== location.origin || e.data?.source !== 'council-survey-preview') return;
    main.replaceChildren(widget(String(e.data.definition ?? '')));
  });
} else if (endpoint && !sameSite(endpoint)) {
  // A link that would send people's answers to another site: nobody is asked to answer
  // a survey whose answers could not go to the council (issue #21).
  problem(`This survey can’t take answers here: the link sends them to a site that is not this one (${location.hostname}). Please tell the council.`);
} else if (survey) {
  main.append(widget());
} else if (params.get('survey')) {
  problem(`This survey link is not complete: the survey is not on this site (${location.hostname}). Please tell the council.`);
} else {
  problem('This survey link is not complete: it does not say which survey to show. Please tell the council.');
}

let last = 0;
new ResizeObserver(() => {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  if (height !== last) tell({ type: 'height', height: (last = height) });
}).observe(document.documentElement);
