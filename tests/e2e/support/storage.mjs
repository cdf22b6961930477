// Reads and prepares the widget's IndexedDB from the page, as the browser's developer tools
// would: tests check what is really stored, not what the widget says it stored.

/** Every record of `store` in the widget's database (the database is opened at whatever
 *  version it has, so this never upgrades it). */
export function readStore(page, store) {
  return page.evaluate((store) => new Promise((resolve, reject) => {
    const open = indexedDB.open('survey-widget');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains(store)) { db.close(); resolve([]); return; }
      const request = db.transaction(store).objectStore(store).getAll();
      request.onsuccess = () => { db.close(); resolve(request.result); };
      request.onerror = () => { db.close(); reject(request.error); };
    };
  }), store);
}

/** The database's version and store names. */
export function describeDatabase(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('survey-widget');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const result = { version: db.version, stores: [...db.objectStoreNames] };
      db.close();
      resolve(result);
    };
  }));
}

/** Creates the database at `version` with `stores` ({ name: keyPath }) and puts `records`
 *  ({ name: [record, …] }) into it. Run on a page of the widget's origin before it loads. */
export function seedDatabase(page, { version, stores, records }) {
  return page.evaluate(({ version, stores, records }) => new Promise((resolve, reject) => {
    const open = indexedDB.open('survey-widget', version);
    open.onerror = () => reject(open.error);
    open.onupgradeneeded = () => {
      for (const [name, keyPath] of Object.entries(stores)) {
        if (!open.result.objectStoreNames.contains(name)) open.result.createObjectStore(name, { keyPath });
      }
    };
    open.onsuccess = () => {
      const db = open.result;
      const names = Object.keys(records);
      if (!names.length) { db.close(); resolve(); return; }
      const tx = db.transaction(names, 'readwrite');
      for (const [name, rows] of Object.entries(records)) for (const row of rows) tx.objectStore(name).put(row);
      tx.oncomplete = () => { db.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }), { version, stores, records });
}

/** Adds `responses` to the event set up on the device, each with the event's `context`, as
 *  the widget stores them; with `exported`, the console's record says they were exported. */
export function addEventResponses(page, responses, { exported = false } = {}) {
  return page.evaluate(({ responses, exported }) => new Promise((resolve, reject) => {
    const open = indexedDB.open('survey-widget');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const get = db.transaction('events').objectStore('events').get('current');
      get.onsuccess = () => {
        const ev = get.result;
        const context = { mode: 'event', event: ev.name, eventId: ev.id, device: ev.device };
        const tx = db.transaction(['responses', 'events'], 'readwrite');
        for (const r of responses) tx.objectStore('responses').put({ ...r, context });
        if (exported) tx.objectStore('events').put({ key: 'exported', eventId: ev.id, ids: responses.map((r) => r.responseId), at: Date.now() });
        tx.oncomplete = () => { db.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
      };
    };
  }), { responses, exported });
}

/** Resolves once a service worker controls the page. */
export function serviceWorkerInControl(page) {
  return page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
    return navigator.serviceWorker.controller.scriptURL;
  });
}

/** Waits for the status line to contain `text`. */
export function statusSays(page, text) {
  return page.waitForFunction((t) => document.querySelector('.sw-status')?.textContent.includes(t), text, { timeout: 10000 });
}

/** Polls `check` (async, truthy when done) every 50 ms until it passes or `timeout` ms pass. */
export async function until(check, { timeout = 10000, what = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  while (Date.now() < end) {
    last = await check();
    if (last) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
}

/** The stored draft of `surveyId`, once `test(draft)` holds for it. */
export function storedDraft(page, surveyId, test = () => true) {
  return until(async () => {
    const drafts = await readStore(page, 'drafts');
    return drafts.find((d) => d.surveyId === surveyId && test(d));
  }, { what: `a stored draft of ${surveyId}` });
}

/** The paths of everything in the page's origin's Cache Storage (the service worker's caches). */
export function cachedPaths(page) {
  return page.evaluate(async () => {
    const paths = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) paths.push(new URL(request.url).pathname);
    }
    return paths;
  });
}
