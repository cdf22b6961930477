// The survey editor's service worker (issue #25): after one visit online, editor.html opens
// again with no signal, with its previews, and every survey being shaped is still on the
// device (IndexedDB). Registered by editor.html only, with the widget's folder as its scope,
// so a council's own pages never meet it.
//
// The build (scripts/entries.mjs) fills in VERSION, a hash of the files, and FILES: the
// editor's page and files, and what its preview frames load (frame.html, the widget). Left
// unfilled (a debug build), it caches nothing and passes every request through.
const VERSION = 'unbuilt';
const FILES = [];
const PREFIX = 'survey-editor-';
const CACHE = `${PREFIX}${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    if (!FILES.length) return;
    const cache = await caches.open(CACHE);
    await cache.addAll(FILES.map((f) => new Request(new URL(f, self.registration.scope).href, { cache: 'reload' })));
  })());
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || !FILES.length || !request.url.startsWith(self.registration.scope)) return;
  const path = request.url.slice(self.registration.scope.length).split(/[?#]/)[0];
  if (!FILES.includes(path)) return;
  // Pages from the network first, so a new deployment is seen at once; their files, named
  // by their content, from the cache.
  const page = path.endsWith('.html');
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    if (page) {
      try {
        return await fetch(request);
      } catch {
        return (await cache.match(path)) ?? Response.error();
      }
    }
    return (await cache.match(request, { ignoreSearch: true })) ?? fetch(request);
  })());
});
