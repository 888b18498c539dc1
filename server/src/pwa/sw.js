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

// Background Sync: wake an open page's sync engine (it owns the outbox and the session).
self.addEventListener("sync", (event) => {
  if (event.tag !== "fieldwork-outbox") return;
  event.waitUntil(self.clients.matchAll({ type: "window" }).then((pages) => {
    for (const page of pages) page.postMessage("sync-outbox");
  }));
});

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
