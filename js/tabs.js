// Coordination between the windows of one origin: the tabs that share a localStorage cache, and
// a popup that hands its sign-in response back to the page that opened it.

const turns = new Map();

// Resolves, once the lock `name` is ours, with the function that releases it. Web Locks make
// every tab of the origin take turns; where they are missing (insecure contexts, old browsers)
// at least the calls of this tab do.
export function acquireLock(name) {
  if (globalThis.navigator?.locks) {
    return new Promise((granted) => navigator.locks.request(name, () => new Promise((release) => granted(release))));
  }
  const previous = turns.get(name) ?? Promise.resolve();
  let release;
  const mine = new Promise((resolve) => { release = resolve; });
  turns.set(name, mine);
  return previous.then(() => release);
}

// A localStorage write in one tab can still be invisible to another tab for a moment after the
// writer released the lock; IndexedDB is read consistently across tabs. So the lock holder
// leaves a stamp of what it wrote there, and the next holder waits until localStorage shows it.
let database;
// The origin's database: `stamps` (below) and `keys` (the cache's key, see sealed.js).
function transaction(store, mode) {
  database ??= new Promise((resolve, reject) => {
    const open = indexedDB.open("kusto-spa-auth", 2);
    open.onupgradeneeded = () => {
      for (const name of ["stamps", "keys"]) if (!open.result.objectStoreNames.contains(name)) open.result.createObjectStore(name);
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  return database.then((db) => db.transaction(store, mode));
}

// The result of `operate` (a request on the object store `store` of the database).
export function request(store, mode, operate) {
  return transaction(store, mode).then((tx) => new Promise((resolve, reject) => {
    const asked = operate(tx.objectStore(store));
    asked.onsuccess = () => resolve(asked.result);
    asked.onerror = () => reject(asked.error);
  }));
}

// The stamp under `key`, or undefined (none yet, or no IndexedDB: nothing to wait for).
export function readStamp(key) {
  return request("stamps", "readonly", (stamps) => stamps.get(key)).catch(() => undefined);
}

// Resolves once the stamp is committed, so that it is there before the lock is released.
export function writeStamp(key, value) {
  return transaction("stamps", "readwrite")
    .then((tx) => new Promise((resolve, reject) => {
      tx.objectStore("stamps").put(value, key);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    }))
    .catch(() => undefined);
}

// Sign-in responses handed back over a same-origin channel, for a popup that the identity
// provider's Cross-Origin-Opener-Policy cut off from the page that opened it: that page can no
// longer read the popup's address, so the popup's redirect page posts it here.
const CHANNEL = "ksa1|popup-response";

// Collects what arrives until closed; take() gives the oldest [hash, search], or undefined.
export function listenForResponses() {
  const channel = new BroadcastChannel(CHANNEL);
  const inbox = [];
  channel.onmessage = ({ data }) => {
    if (typeof data?.hash === "string" && typeof data?.search === "string") inbox.push([data.hash, data.search]);
  };
  return { take: () => inbox.shift(), close: () => channel.close() };
}

export function broadcastResponse(hash, search) {
  const channel = new BroadcastChannel(CHANNEL);
  channel.postMessage({ hash, search });
  channel.close();
}
