// Takes over what @azure/msal-browser cached for this client in one storage area: reads it and
// hands the wasm (importMsalCache, which checks it all again) one record per account, with the
// ID token and refresh token msal keeps for it; msal's active account stays the active one.
// Loaded only when such a cache is there. Reads only: msal's keys are never written or removed.
//
// msal-browser lists its entries under index keys: `msal.account.keys` and
// `msal.token.keys.{clientId}` (3.x, early 4.x), with the schema version after `msal.` later on
// (`msal.2.` in 4.x, `msal.3.` in 5.x). 4.x and later encrypt each localStorage entry as
// `{ id, nonce, data }`: AES-GCM-256 (a zero IV) under a key derived by HKDF-SHA-256 from the
// session cookie `msal.cache.encryption` (`{ id, key }`, the key 32 random bytes in base64url),
// with the entry's nonce as salt and the clientId as info when the entry's key holds it (else
// empty). An entry whose `id` is not the cookie's (a new browser session) cannot be read.

const COOKIE = "msal.cache.encryption";

const json = (text) => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

const bytes = (base64url) => Uint8Array.from(atob(base64url.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));

// The cookie's key, imported for HKDF, or null without a usable cookie.
async function cookieKey() {
  const raw = document.cookie.split(";").map((c) => c.trim()).find((c) => c.startsWith(`${COOKIE}=`));
  const cookie = raw && json(decodeURIComponent(raw.slice(COOKIE.length + 1)));
  if (typeof cookie?.id !== "string" || typeof cookie.key !== "string") return null;
  return { id: cookie.id, key: await crypto.subtle.importKey("raw", bytes(cookie.key), "HKDF", false, ["deriveKey"]) };
}

async function decrypt(cookie, key, entry, clientId) {
  const info = new TextEncoder().encode(key.includes(clientId) ? clientId : "");
  const aes = await crypto.subtle.deriveKey({ name: "HKDF", hash: "SHA-256", salt: bytes(entry.nonce), info }, cookie.key, { name: "AES-GCM", length: 256 }, false, ["decrypt"]);
  return json(new TextDecoder().decode(await crypto.subtle.decrypt({ name: "AES-GCM", iv: new Uint8Array(12) }, aes, bytes(entry.data))));
}

const same = (a, b) => typeof a === "string" && typeof b === "string" && a.toLowerCase() === b.toLowerCase();

/**
 * msal's accounts of `clientId` in `area`, each as `{ homeAccountId, environment, realm,
 * clientInfo, idToken, refreshToken, refreshTokenExpiresOn }`, and how many listed entries could
 * not be read. `indexKeys`: msal's index keys in `area`.
 */
async function readMsalCache(area, clientId, indexKeys) {
  const keys = new Set();
  for (const index of indexKeys) {
    const listed = json(area.getItem(index));
    for (const key of [listed, listed?.idToken, listed?.refreshToken].flatMap((l) => (Array.isArray(l) ? l : []))) {
      if (typeof key === "string") keys.add(key);
    }
  }
  const entries = [];
  let unreadable = 0;
  let cookie;
  for (const key of keys) {
    let entry = json(area.getItem(key));
    if (typeof entry !== "object") entry = null;
    if (entry && "id" in entry && "nonce" in entry && "data" in entry) {
      cookie ??= await cookieKey().catch(() => null);
      entry = cookie?.id === entry.id ? await decrypt(cookie, key, entry, clientId).catch(() => null) : null;
    }
    if (entry && typeof entry === "object") entries.push(entry);
    else unreadable += 1;
  }
  const credentials = (account, type) => entries.filter((e) => same(e.credentialType, type) && e.clientId === clientId && e.homeAccountId === account.homeAccountId && same(e.environment, account.environment));
  const accounts = entries
    .filter((e) => !("credentialType" in e) && "homeAccountId" in e)
    .map((account) => {
      const idToken = credentials(account, "IdToken").find((e) => same(e.realm, account.realm));
      const refreshToken = credentials(account, "RefreshToken")[0];
      return {
        homeAccountId: account.homeAccountId,
        environment: account.environment,
        realm: account.realm,
        clientInfo: account.clientInfo,
        idToken: idToken?.secret,
        refreshToken: refreshToken?.secret,
        // Seconds, a string in msal's entries: the wasm reads it.
        refreshTokenExpiresOn: refreshToken?.expiresOn ?? null,
      };
    });
  return { accounts, unreadable };
}

/**
 * Takes over msal's cache in `area` for `pca` (its clientId's `indexKeys` are there): `take`
 * hands the records to the wasm.
 */
export async function takeOver(pca, area, clientId, indexKeys, take) {
  const { accounts, unreadable } = await readMsalCache(area, clientId, indexKeys);
  if (unreadable) {
    pca.getLogger().info(`msal-browser's cache: ${unreadable} entries could not be read (encrypted with the key of an ended browser session, or not msal's); their users sign in again`);
  }
  take(accounts);
  // msal keeps its active account as `{ homeAccountId, localAccountId, tenantId }`, unencrypted.
  const active = json(area.getItem(`msal.${clientId}.active-account-filters`));
  const account = !pca.getActiveAccount() && pca.getAllAccounts().find((a) => a.homeAccountId === active?.homeAccountId && a.localAccountId === active.localAccountId);
  if (account) pca.setActiveAccount(account);
}
