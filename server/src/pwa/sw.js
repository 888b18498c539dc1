// Fieldwork's service worker (served at /sw.js by the server, which fills in VERSION and
// ASSETS from the build it serves).
//
// - Precaches the app shell (its HTML, the wasm, the JS glue and its snippets, CSS, icons)
//   under a cache named after the build, so the app starts with no network.
// - Navigations go to the network while it answers quickly and serves this same build;
//   otherwise (offline, a dead connection, or a newer build on the server while this one is
//   still in charge) the cached shell answers, so old and new files never mix.
// - A new build installs beside the old one and waits: the page offers "Update now" and
//   only then does it take over (no unconditional skipWaiting).
// - The API is never cached here: data lives in IndexedDB and moves through sync.

const VERSION = "__VERSION__";
const ASSETS = __ASSETS__;
const CACHE = `fieldwork-shell-${VERSION}`;
const SHELL = "/app-shell";
const NAVIGATION_TIMEOUT_MS = 3500;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll([SHELL, ...ASSETS])));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith("fieldwork-shell-") && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

// Background Sync: an open page's sync engine does the work (it owns the outbox and shows the
// answers); with no page open, the worker pushes the outbox itself with the session cookie, so
// what a rep saved offline reaches the server once the phone has a signal even if the app was
// closed. A failed push rejects, and the browser tries the sync again later.
self.addEventListener("sync", (event) => {
  if (event.tag !== "fieldwork-outbox") return;
  event.waitUntil((async () => {
    const pages = await self.clients.matchAll({ type: "window" });
    if (pages.length > 0) {
      for (const page of pages) page.postMessage("sync-outbox");
      return;
    }
    await pushOutbox();
  })());
});

const PROTOCOL = __PROTOCOL__;
const MAX_PUSH = __MAX_PUSH__;

function request(r) {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function finished(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("aborted"));
  });
}

// The same store and shapes as app/js/offline.js (the app creates the store; the worker only
// opens it when it is there).
async function pushOutbox() {
  const opening = indexedDB.open("fieldwork");
  // Never create the store: only the app does, at its version.
  opening.onupgradeneeded = () => opening.transaction.abort();
  let db;
  try {
    db = await request(opening);
  } catch (_) {
    return;
  }
  try {
    if (!db.objectStoreNames.contains("outbox")) return;
    const meta = (key) => request(db.transaction("meta").objectStore("meta").get(key));
    const user = await meta("owner");
    const clientId = user && (await meta(`client_id:${user}`));
    if (!user || !clientId) return;
    for (;;) {
      const range = IDBKeyRange.bound([user, 0], [user, Number.MAX_SAFE_INTEGER]);
      const rows = await request(db.transaction("outbox").objectStore("outbox").getAll(range, MAX_PUSH));
      if (rows.length === 0) return;
      const epoch = await meta(`push_epoch:${user}`);
      const body = { client_id: clientId, mutations: rows.map((r) => r.mutation), protocol: PROTOCOL };
      if (epoch) body.server_epoch = epoch;
      const response = await fetch("/api/v1/sync/push", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      // Signed out or too old an app: the outbox waits for the page (sign-in, update).
      if (response.status === 401 || response.status === 403 || response.status === 426) return;
      if (!response.ok) throw new Error(`push answered ${response.status}`);
      const answer = await response.json();
      const tx = db.transaction(["outbox", "meta"], "readwrite");
      const outbox = tx.objectStore("outbox");
      for (const row of rows) if (row.mutation_id <= answer.last_mutation_id) outbox.delete([user, row.mutation_id]);
      tx.objectStore("meta").put(answer.server_epoch, `push_epoch:${user}`);
      // The records themselves are refreshed by the app's next sync; a refused change makes it
      // fetch everything again, as the app itself does.
      if (answer.results.some((r) => r.outcome === "rejected")) tx.objectStore("meta").put("", `cursor:${user}`);
      await finished(tx);
      if (answer.last_mutation_id < rows[rows.length - 1].mutation_id) return; // a gap: the app sorts it out
    }
  } finally {
    db.close();
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/") || url.pathname === "/sw.js") return;
  if (request.mode === "navigate") {
    event.respondWith(navigate(request));
    return;
  }
  event.respondWith(caches.open(CACHE).then((cache) => cache.match(request)).then((hit) => hit || fetch(request)));
});

async function navigate(request) {
  try {
    const response = await Promise.race([
      fetch(request),
      new Promise((_, reject) => setTimeout(() => reject(new Error("slow network")), NAVIGATION_TIMEOUT_MS)),
    ]);
    const build = response.headers.get("x-fieldwork-build");
    // Same build (or not a page of the app): the server's answer. A newer build waits for "Update now".
    if (!build || build === VERSION) return response;
  } catch (_) {
    // Offline or too slow: the shell below.
  }
  const cache = await caches.open(CACHE);
  return (await cache.match(SHELL)) || fetch(request);
}
