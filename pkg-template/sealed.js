// The localStorage cache, sealed at rest: the secrets in its entries (access and refresh tokens,
// ID tokens) are stored encrypted with AES-GCM under a key that cannot be exported, kept in
// IndexedDB. A copy of localStorage (an extension, a profile on disk, a script that only reads
// storage) then carries no usable token. The library reads and writes a plaintext copy in memory,
// synchronously, as it would localStorage; it is filled by `load()` and follows other tabs'
// writes. A live script in the page can still call the library: that is not what this stops.
import { request } from "./tabs.js";

// The prefix of every key the library writes (src/core/cache.rs, PREFIX): needed here before the
// wasm is instantiated, to start fetching the key as the page loads.
const OURS = "ksa1|";
const SEALED = "ksa1e:";
const SECRETS = ["secret", "idToken"];
const text = new TextEncoder();

// The origin's cache key, made by the first tab that needs it (a tab that loses the race reads
// the winner's). Null where the browser has no WebCrypto or IndexedDB: entries are then kept as
// they are.
async function cacheKey() {
  const read = () => request("keys", "readonly", (keys) => keys.get("cache"));
  const found = await read();
  if (found) return found;
  const made = await crypto.subtle.generateKey({ name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
  await request("keys", "readwrite", (keys) => keys.add(made, "cache")).catch(() => {});
  return read();
}

let keyFetch;
const originKey = () => (keyFetch ??= cacheKey().catch(() => null));
// A returning user's cache needs the key before the first call: it is fetched while the rest of
// the page (the wasm among it) loads.
try {
  if (globalThis.indexedDB && globalThis.crypto?.subtle && Object.keys(localStorage).some((name) => name.startsWith(OURS))) originKey();
} catch {
  // No localStorage here (a sandboxed frame): nothing to open.
}

// The sealed form of a secret, bound to its storage key (an entry moved to another key does not open).
async function seal(key, name, secret) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: text.encode(name) }, key, text.encode(secret)));
  return SEALED + btoa(String.fromCharCode(...iv, ...sealed));
}

async function unseal(key, name, value) {
  if (!value.startsWith(SEALED)) return value;
  if (!key) throw new Error("no key");
  const bytes = Uint8Array.from(atob(value.slice(SEALED.length)), (c) => c.charCodeAt(0));
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes.subarray(0, 12), additionalData: text.encode(name) }, key, bytes.subarray(12));
  return new TextDecoder().decode(plain);
}

// The entry of a JSON text and the names of the secrets it holds, or null if it holds none.
function secretsOf(value) {
  try {
    const entry = JSON.parse(value);
    const names = SECRETS.filter((name) => typeof entry?.[name] === "string");
    return names.length > 0 ? { entry, names } : null;
  } catch {
    return null;
  }
}

// Whether an entry's text holds a sealed secret.
function isSealed(value) {
  const found = secretsOf(value);
  return Boolean(found?.names.some((name) => found.entry[name].startsWith(SEALED)));
}

// The entry's text with `change` applied to each of its secrets.
async function mapSecrets(value, change) {
  const found = secretsOf(value);
  if (!found) return value;
  for (const name of found.names) found.entry[name] = await change(found.entry[name]);
  return JSON.stringify(found.entry);
}

/** A Storage-shaped view of localStorage whose entries of this library are sealed at rest. */
export class SealedStorage {
  constructor(onError) {
    // Each entry's plaintext, and the text localStorage held for it then: localStorage stays the
    // truth, so an entry that script in this page removed or rewrote there is read again.
    this._plain = new Map();
    this._stored = new Map();
    // Entries whose sealed form is still being written.
    this._pending = new Set();
    this._key = null;
    this._keys = [];
    this._writes = Promise.resolve();
    this._onError = onError;
    /** Whether `load()` has finished. Until then reads see what localStorage holds, secrets still
     * sealed (or what this page wrote since): enough for the accounts, and every call that uses a
     * secret waits for `load()`. */
    this.loaded = false;
    globalThis.addEventListener?.("storage", (event) => this._changed(event));
  }

  /** Opens every entry once; resolves when the cache can be read. */
  load() {
    this._loading ??= (async () => {
      this._key = await originKey();
      if (!this._key) this._onError("no key for the cache (IndexedDB or WebCrypto unavailable): it is stored unsealed");
      const ours = Object.keys(localStorage).filter((name) => name.startsWith(OURS));
      await Promise.all(ours.map((name) => this._take(name, localStorage.getItem(name))));
    })()
      .catch((e) => this._onError(`the cache could not be read (${e?.name})`))
      .finally(() => { this.loaded = true; });
    return this._loading;
  }

  // Opens an entry as stored, unless it changed meanwhile; one that does not open under the key
  // (sealed under one this origin no longer has) is dropped: it can never be read again. Without
  // a key (IndexedDB failed this time) sealed entries are left as they are, unread.
  async _take(name, stored) {
    const plain = await mapSecrets(stored, (v) => unseal(this._key, name, v)).catch(() => null);
    if (this._pending.has(name) || localStorage.getItem(name) !== stored) return;
    if (plain !== null) {
      this._plain.set(name, plain);
      this._stored.set(name, stored);
    } else if (this._key) this.removeItem(name);
  }

  // Takes what localStorage now holds for an entry: at once when it is readable as it is (gone,
  // or in plain text), else once opened, the previous plaintext answering until then.
  _adopt(name, stored) {
    if (stored === null) {
      this._plain.delete(name);
      this._stored.delete(name);
    } else if (!isSealed(stored)) {
      this._plain.set(name, stored);
      this._stored.set(name, stored);
    } else {
      this._stored.set(name, stored);
      this._take(name, stored);
    }
  }

  // Another tab's write.
  _changed({ key: name, newValue, storageArea }) {
    if (storageArea !== globalThis.localStorage) return;
    if (name === null) {
      this._plain.clear();
      this._stored.clear();
    } else if (name.startsWith(OURS) && !this._pending.has(name)) {
      if (this.loaded) this._adopt(name, newValue);
      else {
        this._plain.delete(name);
        this._stored.delete(name);
      }
    }
  }

  getItem(name) {
    if (!name.startsWith(OURS)) return localStorage.getItem(name);
    if (!this.loaded) return this._plain.has(name) ? this._plain.get(name) : localStorage.getItem(name);
    if (!this._pending.has(name)) {
      const stored = localStorage.getItem(name);
      if (stored !== (this._stored.get(name) ?? null)) this._adopt(name, stored);
    }
    return this._plain.get(name) ?? null;
  }

  setItem(name, value) {
    if (!name.startsWith(OURS)) return localStorage.setItem(name, value);
    if (isSealed(value)) {
      // An entry read before load() written back: stored as it is, and opened when next read.
      localStorage.setItem(name, value);
      this._pending.delete(name);
      this._plain.delete(name);
      this._stored.delete(name);
      return;
    }
    // Entries without secrets are written at once (a full storage throws to the caller, as
    // localStorage would); the others once sealed, and only if nothing newer replaced them.
    if (!secretsOf(value)) {
      localStorage.setItem(name, value);
      this._pending.delete(name);
      this._stored.set(name, value);
    } else {
      this._pending.add(name);
      const current = () => this._plain.get(name) === value;
      const written = this.load()
        .then(() => (this._key ? mapSecrets(value, (v) => seal(this._key, name, v)) : value))
        .then((sealed) => {
          if (!current()) return;
          localStorage.setItem(name, sealed);
          this._stored.set(name, sealed);
          this._pending.delete(name);
        })
        .catch((e) => {
          // Out of quota: the entry lives in this page only, and no older one is left behind.
          localStorage.removeItem(name);
          this._onError(`a cache entry could not be stored (${e?.name}); it lasts until the page closes`);
        });
      this._writes = Promise.all([this._writes, written]);
    }
    this._plain.set(name, value);
  }

  /** Resolves once every entry written so far is in localStorage (sealing takes a moment): a page
   * about to be left waits for it, or the entries would be lost with it. */
  written() {
    return this._writes;
  }

  removeItem(name) {
    this._plain.delete(name);
    this._stored.delete(name);
    this._pending.delete(name);
    localStorage.removeItem(name);
  }

  // The keys, as a list taken when `length` is read (the library reads it, then each key).
  get length() {
    this._keys = [...new Set([...Object.keys(localStorage), ...this._pending])];
    return this._keys.length;
  }

  key(i) {
    return this._keys[i] ?? null;
  }
}
