// The browser side of offline work that must be plain JavaScript: IndexedDB transactions and
// the service worker's registration. Everything that decides something lives in Rust
// (app/src/offline); this file only moves JSON in and out.
//
// Why not a Rust IndexedDB crate: an IndexedDB transaction commits as soon as the event loop
// finds it with no pending request, so a transaction that spans Rust futures (awaiting between
// requests) can commit half-way. Each function here does all of its requests inside one
// transaction, synchronously, which is what "the outbox entry is written in the same
// transaction as the local change" needs.

const DB_NAME = "fieldwork";
const DB_VERSION = 1;
/** One object store per synced entity (named as the sync contract names them). */
export const ENTITIES = ["contact", "activity", "task", "appointment", "visit", "listing", "conflict"];

let opening = null;

function open() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        const db = request.result;
        for (const name of ENTITIES) {
          if (!db.objectStoreNames.contains(name)) db.createObjectStore(name, { keyPath: "id" });
        }
        if (!db.objectStoreNames.contains("outbox")) {
          // Keyed by [user, mutation id]: each user's queue waits for that user.
          db.createObjectStore("outbox", { keyPath: ["user_id", "mutation_id"] });
        }
        if (!db.objectStoreNames.contains("meta")) db.createObjectStore("meta");
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error("the local store is open in an older tab"));
    });
    opening.catch(() => { opening = null; });
  }
  return opening;
}

function done(tx) {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error("aborted"));
  });
}

function result(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** The user's pending mutations, oldest first. */
function pendingRange(userId) {
  return IDBKeyRange.bound([userId, 0], [userId, Number.MAX_SAFE_INTEGER]);
}

/** Every record of an entity, as a JSON array. */
export async function getAll(entity) {
  const db = await open();
  const rows = await result(db.transaction(entity).objectStore(entity).getAll());
  return JSON.stringify(rows);
}

/** One record as JSON, or null. */
export async function get(entity, id) {
  const db = await open();
  const row = await result(db.transaction(entity).objectStore(entity).get(id));
  return row === undefined ? null : JSON.stringify(row);
}

export async function getMeta(key) {
  const db = await open();
  const value = await result(db.transaction("meta").objectStore("meta").get(key));
  return value === undefined ? null : value;
}

export async function setMeta(key, value) {
  const db = await open();
  const tx = db.transaction("meta", "readwrite");
  tx.objectStore("meta").put(value, key);
  await done(tx);
}

/**
 * A change made on this device: the record as it looks now (`overlay` merged over what the
 * store holds) and the mutation that tells the server, in one transaction. The mutation id is
 * taken from the user's counter in the same transaction. Returns the mutation id.
 */
export async function write(userId, entity, id, overlayJson, mutationJson) {
  const db = await open();
  const tx = db.transaction([entity, "outbox", "meta"], "readwrite");
  const overlay = JSON.parse(overlayJson);
  const mutation = JSON.parse(mutationJson);
  const meta = tx.objectStore("meta");
  const counter = `next_mutation:${userId}`;
  let mutationId = 0;
  meta.get(counter).onsuccess = (e) => {
    mutationId = e.target.result || 1;
    meta.put(mutationId + 1, counter);
    mutation.mutation_id = mutationId;
    tx.objectStore("outbox").put({ user_id: userId, mutation_id: mutationId, entity, id, overlay, mutation, at: Date.now() });
  };
  const records = tx.objectStore(entity);
  records.get(id).onsuccess = (e) => {
    records.put(Object.assign({}, e.target.result || {}, overlay, { id, _pending: true }));
  };
  await done(tx);
  return mutationId;
}

/** The user's mutations waiting to be sent, oldest first (JSON array of mutations). */
export async function outbox(userId) {
  const db = await open();
  const rows = await result(db.transaction("outbox").objectStore("outbox").getAll(pendingRange(userId)));
  return JSON.stringify(rows.map((r) => r.mutation));
}

/** How many mutations wait, per user (JSON object). */
export async function waiting() {
  const db = await open();
  const rows = await result(db.transaction("outbox").objectStore("outbox").getAll());
  const counts = {};
  for (const r of rows) counts[r.user_id] = (counts[r.user_id] || 0) + 1;
  return JSON.stringify(counts);
}

/**
 * Applies what the server said, in one transaction: `reset` drops every record first; `puts`
 * and `removes` change records; the user's mutations up to `acked` leave the outbox; the
 * still-pending ones are laid over their records again; then `metaJson` (cursor, last sync…)
 * is saved — last, so a crash before the end leaves the old cursor and the page comes again.
 */
export async function apply(userId, changesJson, acked, reset, metaJson) {
  const db = await open();
  const tx = db.transaction([...ENTITIES, "outbox", "meta"], "readwrite");
  const changes = JSON.parse(changesJson);
  if (reset) for (const name of ENTITIES) tx.objectStore(name).clear();
  for (const c of changes) {
    const store = tx.objectStore(c.entity);
    if (c.op === "put" && c.record) store.put(c.record);
    else store.delete(c.id);
  }
  const outboxStore = tx.objectStore("outbox");
  outboxStore.getAll(pendingRange(userId)).onsuccess = (e) => {
    for (const pending of e.target.result) {
      if (pending.mutation_id <= acked) {
        outboxStore.delete([userId, pending.mutation_id]);
        continue;
      }
      const store = tx.objectStore(pending.entity);
      store.get(pending.id).onsuccess = (g) => {
        store.put(Object.assign({}, g.target.result || {}, pending.overlay, { id: pending.id, _pending: true }));
      };
    }
  };
  const meta = tx.objectStore("meta");
  for (const [key, value] of Object.entries(JSON.parse(metaJson))) meta.put(value, key);
  await done(tx);
}

/** Drops the records (another user signs in, or the user asked); `withOutbox` also the queue. */
export async function wipe(withOutbox) {
  const db = await open();
  const names = withOutbox ? [...ENTITIES, "outbox", "meta"] : [...ENTITIES];
  if (!withOutbox) names.push("meta");
  const tx = db.transaction(names, "readwrite");
  const finished = done(tx);
  for (const name of ENTITIES) tx.objectStore(name).clear();
  if (withOutbox) {
    tx.objectStore("outbox").clear();
    tx.objectStore("meta").clear();
  } else {
    // Keep the queue and this browser's ids; drop the cursor (it described the records just
    // dropped) and the cached day and calendar ranges (they are records too).
    const meta = tx.objectStore("meta");
    const dropped = ["cursor:", "last_synced:", "today:", "agenda:"];
    meta.getAllKeys().onsuccess = (e) => {
      for (const key of e.target.result) if (dropped.some((p) => String(key).startsWith(p))) meta.delete(key);
    };
  }
  await finished;
}

/** `{usage, quota, persisted}` of this site's storage, as JSON. */
export async function storage() {
  const s = navigator.storage;
  if (!s || !s.estimate) return JSON.stringify({ usage: null, quota: null, persisted: false });
  const { usage, quota } = await s.estimate();
  const persisted = s.persisted ? await s.persisted() : false;
  return JSON.stringify({ usage, quota, persisted });
}

/** Asks the browser not to evict the local store under storage pressure. */
export async function persist() {
  const s = navigator.storage;
  return s && s.persist ? await s.persist() : false;
}

/** True while the browser believes it has a network. */
export function online() {
  return navigator.onLine;
}

/** Calls `callback(isOnline)` whenever the network comes or goes. */
export function onNetwork(callback) {
  window.addEventListener("online", () => callback(true));
  window.addEventListener("offline", () => callback(false));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") callback(navigator.onLine);
  });
}

// --- The service worker ---------------------------------------------------------------------

let waitingWorker = null;

/**
 * Registers the service worker; `onUpdate()` is called when a new version is installed and
 * waits for the user. When the user accepts (`applyUpdate`), the page reloads under it.
 */
export function registerWorker(onUpdate) {
  if (!("serviceWorker" in navigator)) return;
  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (waitingWorker && !reloading) {
      reloading = true;
      location.reload();
    }
  });
  navigator.serviceWorker.register("/sw.js").then((registration) => {
    const offer = (worker) => {
      waitingWorker = worker;
      onUpdate();
    };
    if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
    registration.addEventListener("updatefound", () => {
      const installing = registration.installing;
      if (!installing) return;
      installing.addEventListener("statechange", () => {
        // Installed while an older version controls the page: an update, not the first install.
        if (installing.state === "installed" && navigator.serviceWorker.controller) offer(installing);
      });
    });
    setInterval(() => registration.update().catch(() => {}), 30 * 60 * 1000);
  }).catch(() => {});
}

export function applyUpdate() {
  if (waitingWorker) {
    waitingWorker.postMessage("skip-waiting");
    return;
  }
  // The server asked for a newer app before the browser found it: look now; the new worker
  // is offered as soon as it is installed.
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.getRegistration().then((r) => r && r.update()).catch(() => {});
  }
}

/** Asks the worker to wake the app's sync when the network returns (Background Sync). */
export function requestBackgroundSync() {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.ready
    .then((registration) => registration.sync && registration.sync.register("fieldwork-outbox"))
    .catch(() => {});
}

/** Calls `callback()` when the worker says a background sync is due. */
export function onWorkerSync(callback) {
  if (!("serviceWorker" in navigator)) return;
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data === "sync-outbox") callback();
  });
}
