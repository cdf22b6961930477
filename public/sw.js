// Survey widget service worker: after one visit, the app shell (HTML, JS, wasm, CSS, icons)
// and the survey definitions come from the cache, so the widget loads with no network.
//
// The build (scripts/service-worker.mjs, a Trunk post-build hook) fills in VERSION, a hash
// of every file it lists, and PRECACHE, so each deployment gets a new cache and this file
// changes, which is how the browser notices an update. Left unfilled (a debug build), the
// worker caches nothing and passes every request through.
const VERSION = 'unbuilt';
const PRECACHE = [];
// The event page, the event build and the officer console (issue #10): cached only on a
// device that opens event.html or the console, then on every update after, so an event
// tablet works with no signal while a carer's phone never downloads them.
const OFFICER = [];

// The sender (issue #24): its JS (a classic script, whose global is `surveySender`) and wasm
// in the artefact, filled in by the build. With them the worker sends what waits in the
// outbox when Background Sync says the device is online again, whether or not a page of the
// site is open. Left unfilled, it sends nothing and pages send on the next visit.
const SENDER = { js: '', wasm: '' };
if (SENDER.js) importScripts(SENDER.js);
/** The tag pages register through embed.js (`sendLater`) when they cannot send. */
const SYNC_TAG = 'survey-widget-outbox';

const PREFIX = 'survey-widget-';
const CACHE = `${PREFIX}${VERSION}`;
const GENERATIONS = `${PREFIX}generations`;
// This build's cache and the one before it. A page still running the previous build keeps
// fetching that build's own files (their names carry content hashes), so old JS is never
// paired with new wasm; the generation before that is deleted.
const KEEP = 2;
const HASHED = /-[0-9a-f]{12,16}(_bg)?\.(js|wasm|css)$/;

const scoped = (path) => new URL(path, self.registration.scope).href;
const fresh = (path) => new Request(scoped(path), { cache: 'reload' });
const OFFICER_MARK = 'officer-device';

/** The page's path within the worker's scope, a folder meaning its index.html. */
function pathOf(href) {
  if (!href.startsWith(self.registration.scope)) return null;
  const asked = href.slice(self.registration.scope.length).split(/[?#]/)[0];
  return asked === '' || asked.endsWith('/') ? `${asked}index.html` : asked;
}
const officerPage = (href) => OFFICER.includes(pathOf(href) ?? '');

/** Whether this device has been used for an event: it opened event.html or the console,
 *  now (a page that registered this worker) or before (the mark survives updates). */
async function officerDevice() {
  if (await (await caches.open(GENERATIONS)).match(OFFICER_MARK)) return true;
  const pages = await self.clients.matchAll({ includeUncontrolled: true, type: 'window' });
  return pages.some((c) => officerPage(c.url));
}

/** Caches the event files into this build's cache, once, and marks the device. */
async function cacheOfficer() {
  const cache = await caches.open(CACHE);
  const missing = [];
  for (const path of OFFICER) if (!(await cache.match(scoped(path)))) missing.push(path);
  if (missing.length) await cache.addAll(missing.map(fresh));
  await (await caches.open(GENERATIONS)).put(OFFICER_MARK, new Response('1'));
}

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    if (PRECACHE.length) {
      const cache = await caches.open(CACHE);
      // `reload` skips the HTTP cache, so a stale copy never enters a new generation.
      await cache.addAll(PRECACHE.map(fresh));
      if (OFFICER.length && (await officerDevice())) await cacheOfficer();
    }
    // Safe to take over at once: open pages keep their own build's files (see KEEP), and
    // answers live in IndexedDB, which no deployment touches.
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    const log = await caches.open(GENERATIONS);
    const previous = await log.match('generations').then((r) => (r ? r.json() : []), () => []);
    const keep = previous.filter((name) => name !== CACHE).concat(PRECACHE.length ? [CACHE] : []).slice(-KEEP);
    await log.put('generations', new Response(JSON.stringify(keep)));
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== GENERATIONS && !keep.includes(name)) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// Cache first for the files of a build: their names change whenever their content does.
async function cacheFirst(request) {
  return (await caches.match(request)) ?? fetch(request);
}

// Survey definitions and other same-origin files: the cached copy at once when there is
// one, refreshed in the background for next time; the network when there is not.
async function staleWhileRevalidate(event) {
  const cache = await caches.open(CACHE);
  // This build's copy first: embed.js keeps its name across builds but names this build's
  // hashed files, so an older generation's copy would pair old JS with a new page.
  const cached = (await cache.match(event.request, { ignoreVary: true }))
    ?? (await caches.match(event.request, { ignoreVary: true }));
  const refresh = fetch(event.request).then(async (response) => {
    if (response.ok && response.type === 'basic') await cache.put(event.request, response.clone());
    return response;
  });
  if (cached) {
    event.waitUntil(refresh.catch(() => undefined));
    return cached;
  }
  return refresh;
}

// Pages: this build's copy of the page first (it names the JS and wasm cached with it), so
// a start with no signal is instant; the network only for pages the build does not have.
async function page(request) {
  // A folder means its index.html: the demo page, and the officer console at console/.
  const path = pathOf(request.url);
  if (path !== null && (PRECACHE.includes(path) || OFFICER.includes(path))) {
    const cache = await caches.open(CACHE);
    const cached = await cache.match(scoped(path));
    if (cached) return cached;
  }
  try {
    return await fetch(request);
  } catch (error) {
    return (await caches.match(request, { ignoreSearch: true })) ?? Response.error();
  }
}

/** The address the officer console asks whether the device is ready to work offline: never a
 *  file, answered here. */
const STATUS = 'survey-widget-offline.json';

/** Makes the device ready for an event (issue #21: a console set up on a fresh browser looked
 *  ready, yet event.html failed offline): caches the event's files and its survey, then says
 *  what, if anything, is still missing. `survey` is the event's survey, on this site. */
async function offlineStatus(url) {
  const status = { version: VERSION, ready: false, missing: [] };
  if (PRECACHE.length) {
    const cache = await caches.open(CACHE);
    try {
      await cacheOfficer();
    } catch (e) {
      console.warn('service worker:', e);
    }
    const survey = url.searchParams.get('survey');
    const surveyUrl = survey ? new URL(survey, self.registration.scope) : null;
    if (surveyUrl && surveyUrl.origin === self.location.origin && !(await cache.match(surveyUrl.href, { ignoreVary: true }))) {
      await cache.add(new Request(surveyUrl.href, { cache: 'reload' })).catch(() => undefined);
    }
    for (const path of [...PRECACHE, ...OFFICER]) if (!(await cache.match(scoped(path)))) status.missing.push(path);
    if (surveyUrl && !(await cache.match(surveyUrl.href, { ignoreVary: true }))) status.missing.push(surveyUrl.href);
    status.ready = status.missing.length === 0;
  }
  return new Response(JSON.stringify(status), { headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method === 'GET' && url.href.split('?')[0] === scoped(STATUS)) {
    event.respondWith(offlineStatus(url));
    return;
  }
  if (!PRECACHE.length || request.method !== 'GET') return;
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(page(request));
    // The first visit to an event page after this worker was installed: cache what the
    // tablet needs offline from now on.
    if (officerPage(request.url)) event.waitUntil(cacheOfficer().catch((e) => console.warn('service worker:', e)));
  } else if (HASHED.test(url.pathname)) {
    event.respondWith(cacheFirst(request));
  } else {
    event.respondWith(staleWhileRevalidate(event));
  }
});

/** The sender's wasm, started once per worker: from this build's cache, so it needs no network. */
let sender = null;
function startSender() {
  sender ??= (async () => {
    const wasm = scoped(SENDER.wasm);
    await self.surveySender({ module_or_path: (await caches.match(wasm)) ?? wasm });
    return self.surveySender;
  })().catch((e) => {
    sender = null;
    throw e;
  });
  return sender;
}

// Background Sync (Chromium-based browsers; README, "Which browsers do what"): a page that
// leaves something waiting registers SYNC_TAG, and the browser fires this once the device is
// online, page or no page. The round takes the same Web Lock as pages, so a response is never
// sent twice at once; a page that holds it is already sending.
self.addEventListener('sync', (event) => {
  if (event.tag !== SYNC_TAG || !SENDER.js) return;
  event.waitUntil((async () => {
    const next = await (await startSender()).sendDue(false, false, () => undefined);
    // Still waiting (the collector said later, or the connection went again): failing the
    // event asks the browser to try again later, with its own back-off.
    if (typeof next === 'number' || !navigator.onLine) throw new Error('survey widget: responses still wait to be sent');
  })());
});
