// <council-survey>: the survey widget as one element (issue #11; README, "Embedding").
//
//   <script type="module" src="/survey-widget/0.1.0/embed.js"></script>
//   <council-survey src="/surveys/carers.json" endpoint="https://…/responses"></council-survey>
//
// Finds its own address (import.meta.url) and loads the widget's code from beside itself, so
// the folder works wherever it is served from. The code is fetched once per page, however
// many elements there are, and only once one is on the page (or near the viewport, with
// loading="lazy"). Each element renders into its own shadow root with a linked stylesheet:
// no inline script or style, so it runs under a strict Content Security Policy.
const FILES = { js: '', wasm: '', css: '', eventJs: '', eventWasm: '', senderJs: '', senderWasm: '' }; // filled in by the build (scripts/entries.mjs)
const here = (name) => new URL(name, import.meta.url).href;
const SETTINGS = ['src', 'endpoint', 'headers', 'mode', 'console', 'manage-title', 'history', 'lang'];

/** Asks the browser to fetch `href` now, for a fetch() that comes later (the wasm, once
 *  the JS has loaded; the survey, once the wasm has started). */
function preload(href, type) {
  if ([...document.querySelectorAll('link[rel=preload]')].some((l) => l.href === href)) return;
  const link = document.createElement('link');
  link.rel = 'preload';
  link.as = 'fetch';
  link.crossOrigin = 'anonymous';
  if (type) link.type = type;
  link.href = href;
  document.head.append(link);
}

/** Event mode (issue #10) is a build of its own, with event mode only: an element with
 *  mode="event" gets it, every other element the respondent's build, so no respondent's page
 *  downloads event mode. A page with both kinds loads both, each once. */
const code = {};

/** Starts the widget's code for event mode or not, once per page. */
function start(event) {
  if (!code[event]) {
    const wasm = here(event ? FILES.eventWasm : FILES.wasm);
    preload(wasm, 'application/wasm');
    code[event] = import(here(event ? FILES.eventJs : FILES.js)).then(async (m) => {
      await m.default({ module_or_path: wasm });
      m.useSender(loadSender, sendLater);
      return m;
    });
  }
  return code[event];
}

/** The sender (issue #24): the send loop in a module of its own, loaded once per page and
 *  only when a widget has something waiting to be sent, so no first load carries it. A
 *  classic script (the service worker imports the same file), whose global is
 *  `surveySender`. A failed load (a bad connection) is tried afresh next time. */
let sender = null;
function loadSender() {
  sender ??= new Promise((loaded, failed) => {
    const script = document.createElement('script');
    script.src = here(FILES.senderJs);
    script.nonce = pageNonce();
    script.onload = loaded;
    // Left in place when it fails: the next try adds a fresh one.
    script.onerror = () => failed(new Error(`no sender at ${script.src}`));
    document.head.append(script);
  }).then(async () => {
    await self.surveySender({ module_or_path: here(FILES.senderWasm) });
    return self.surveySender;
  }).catch((e) => {
    sender = null;
    throw e;
  });
  return sender;
}

/** Leaves what waits to the service worker, which sends it once the device is online, page
 *  or no page (Background Sync, in Chromium-based browsers; public/sw.js answers the tag). */
const sendLater = () => navigator.serviceWorker?.getRegistration().then((r) => r?.sync?.register('survey-widget-outbox')).catch(() => undefined);

/** The nonce of the script tag that loaded this file, for hosts whose policy needs one. */
function pageNonce() {
  const me = [...document.querySelectorAll('script[type=module][src]')].find((s) => s.src === import.meta.url);
  return me?.nonce ?? '';
}

class CouncilSurvey extends HTMLElement {
  static observedAttributes = SETTINGS;
  #mounted = null;
  #target = null;
  #watch = null;

  connectedCallback() {
    if (this.#mounted || this.#watch) return; // moved within the page: carries on as it was
    if (!this.#target) {
      const root = this.attachShadow({ mode: 'open' });
      const css = document.createElement('link');
      css.rel = 'stylesheet';
      css.href = here(FILES.css);
      css.nonce = this.nonce || pageNonce();
      this.#target = document.createElement('div');
      // The element's own content (say, a link to the survey) shows until the widget does.
      root.append(css, document.createElement('slot'), this.#target);
    }
    if (this.getAttribute('loading') === 'lazy' && 'IntersectionObserver' in window) {
      this.#watch = new IntersectionObserver((seen) => {
        if (!seen.some((e) => e.isIntersecting)) return;
        this.#stopWatching();
        this.#mount();
      }, { rootMargin: '600px 0px' });
      this.#watch.observe(this);
    } else {
      this.#mount();
    }
  }

  disconnectedCallback() {
    this.#stopWatching();
    // Moving the element disconnects and reconnects it at once: only unmount if it stays out.
    queueMicrotask(() => {
      if (!this.isConnected) this.#unmount();
    });
  }

  attributeChangedCallback(name, before, after) {
    if (!this.#mounted || before === after) return;
    // Another survey or endpoint: the widget starts again with it. Answers so far are
    // saved on the device first and come back when the same survey is shown again.
    console.info(`council-survey: ${name} changed; showing the survey again with the new setting`);
    this.#unmount();
    this.#mount();
  }

  /** Event mode: ends this person's turn and shows the welcome screen for the next. */
  reset() {
    return this.#mounted ? this.#mounted.reset() : false;
  }

  #stopWatching() {
    this.#watch?.disconnect();
    this.#watch = null;
  }

  #mount() {
    const src = this.getAttribute('src');
    if (src) preload(new URL(src, document.baseURI).href);
    start(this.getAttribute('mode') === 'event').then((m) => {
      if (!this.isConnected || this.#mounted) return;
      this.shadowRoot.querySelector('slot')?.remove();
      this.#mounted = m.mountElement(this, this.#target);
    }, (e) => {
      console.error('council-survey: the widget could not start:', e);
      const detail = { kind: 'code-unavailable', message: 'the widget could not start; the browser console says why' };
      this.dispatchEvent(new CustomEvent('error', { bubbles: true, composed: true, detail }));
    });
  }

  #unmount() {
    this.#mounted?.free();
    this.#mounted = null;
  }
}

if (!customElements.get('council-survey')) customElements.define('council-survey', CouncilSurvey);
// `data-survey-widget` hosts keep working: each build mounts the hosts named for it when its
// code starts.
function legacy() {
  for (const host of document.querySelectorAll('[data-survey-widget]:not([data-survey-widget-build])')) {
    const event = host.dataset.mode === 'event';
    host.dataset.surveyWidgetBuild = event ? 'event' : 'respondent';
    start(event);
  }
}
if (document.readyState === 'loading') addEventListener('DOMContentLoaded', legacy, { once: true });
else legacy();
