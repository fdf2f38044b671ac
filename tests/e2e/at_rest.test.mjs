// Tokens at rest: with cacheLocation localStorage, the access, refresh and ID tokens in storage
// are sealed (AES-GCM, a key that cannot be exported, kept in IndexedDB). The app reads them as
// before, across reloads; a copy of localStorage in another browser profile carries none.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertNoErrors } from '../support/browser.mjs';
import { KUSTO_SCOPE, entries, startApp } from '../support/app.mjs';

let f;
before(async () => { f = await startApp(); });
after(() => f?.close());

/** The refresh tokens the IdP issues from now on (counted at the IdP: a page may leave before
 * its answer's body could be read). */
function refreshTokensFromNow() {
  const before = f.idp.refreshTokens().length;
  return () => f.idp.refreshTokens().slice(before);
}

const localStorageOf = async (page) => (await page.evaluate(() => window.app.storage())).local;

test('no token is readable in localStorage; the app reads them across reloads', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  const refreshTokens = refreshTokensFromNow();
  const signedIn = await f.signIn(page, 'ada');
  assert.ok(signedIn.ok, JSON.stringify(signedIn.error));
  const secrets = [signedIn.value.accessToken, signedIn.value.idToken, ...refreshTokens()];
  assert.equal(secrets.length, 3);

  const local = await localStorageOf(page);
  const dump = JSON.stringify(local);
  for (const secret of secrets) assert.ok(!dump.includes(secret.slice(-24)), 'a token in plain text');
  for (const [kind, field] of [['at', 'secret'], ['rt', 'secret'], ['account', 'idToken']]) {
    const keys = entries(local, kind);
    assert.equal(keys.length, 1, kind);
    assert.match(JSON.parse(local[keys[0]])[field], /^ksa1e:[A-Za-z0-9+/]+=*$/, kind);
  }

  await f.goto(page);
  const cached = await page.evaluate((scopes) => window.app.silent({ scopes }), [KUSTO_SCOPE]);
  assert.ok(cached.ok && cached.value.fromCache, JSON.stringify(cached));
  assert.equal(cached.value.accessToken, signedIn.value.accessToken);
  assert.equal(cached.value.idToken, signedIn.value.idToken);
  f.idp.resetCounts();
  const renewed = await page.evaluate((scopes) => window.app.silent({ scopes, forceRefresh: true }), [KUSTO_SCOPE]);
  assert.ok(renewed.ok && !renewed.value.fromCache, JSON.stringify(renewed));
  assert.equal(f.idp.counts().token.refresh_token, 1, 'the sealed refresh token was redeemed');
  assertNoErrors(page);
  await page.context().close();
});

test('a copy of localStorage in another profile carries no usable token, and nothing reaches the IdP', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  assert.ok((await f.signIn(page, 'ben')).ok);
  const copied = await localStorageOf(page);
  await page.context().close();

  // Another profile: its own IndexedDB, so another key.
  const thief = await f.open();
  await thief.evaluate((all) => Object.entries(all).forEach(([k, v]) => localStorage.setItem(k, v)), copied);
  f.idp.resetCounts();
  await f.goto(thief);
  const out = await thief.evaluate((request) => window.pca.acquireTokenSilent(request).then(() => 'token', (e) => e.errorCode), {
    scopes: [KUSTO_SCOPE], account: { homeAccountId: 'ben', environment: new URL(f.idp.issuer).host }, forceRefresh: true,
  });
  assert.notEqual(out, 'token');
  // Once a call has opened the cache (the account's listing needs no key, so it may show until then).
  assert.deepEqual(await thief.evaluate(() => window.app.accounts()), []);
  assert.deepEqual(f.idp.counts().posts, {}, 'no copied token was sent anywhere');
  const left = await localStorageOf(thief);
  assert.deepEqual(['at', 'rt', 'account'].flatMap((kind) => entries(left, kind)), [], 'entries that cannot be opened are dropped');
  await thief.context().close();
});

test('entries an earlier version stored in plain text are still read, and sealed when written again', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  const refreshTokens = refreshTokensFromNow();
  assert.ok((await f.signIn(page, 'cai')).ok);
  const [rtKey] = entries(await localStorageOf(page), 'rt');
  const [refreshToken] = refreshTokens();
  assert.ok(refreshToken && rtKey);
  await page.evaluate(([k, secret]) => localStorage.setItem(k, JSON.stringify({ ...JSON.parse(localStorage.getItem(k)), secret })), [rtKey, refreshToken]);
  await f.goto(page);
  f.idp.resetCounts();
  const renewed = await page.evaluate((scopes) => window.app.silent({ scopes, forceRefresh: true }), [KUSTO_SCOPE]);
  assert.ok(renewed.ok, JSON.stringify(renewed));
  assert.equal(f.idp.counts().token.refresh_token, 1, JSON.stringify(f.idp.counts()));
  await page.waitForFunction((k) => JSON.parse(localStorage.getItem(k)).secret.startsWith('ksa1e:'), rtKey);
  await page.context().close();
});

// Holds back this page's IndexedDB (where the cache's key is) until `window.releaseKey()`.
const holdKey = (page) => page.addInitScript(() => {
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  window.releaseKey = release;
  const open = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (...args) {
    const request = open.apply(this, args);
    let onsuccess = null;
    Object.defineProperty(request, 'onsuccess', { get: () => onsuccess, set: (handler) => { onsuccess = handler; } });
    request.addEventListener('success', (event) => released.then(() => onsuccess?.call(request, event)));
    return request;
  };
});

test('accounts are there as soon as the page starts, before the key; a token waits for the key and needs no request', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  const signedIn = await f.signIn(page, 'dee');
  assert.ok(signedIn.ok, JSON.stringify(signedIn.error));
  await holdKey(page);
  await f.goto(page);
  f.idp.resetCounts();
  // initialize() and handleRedirectPromise() resolve with the key still held back.
  assert.deepEqual(await page.evaluate(() => window.app.redirect), { ok: true, value: null });
  assert.deepEqual((await page.evaluate(() => window.app.accounts())).map((a) => a.username), ['dee@example.com']);
  await page.evaluate((scopes) => { window.pending = window.app.silent({ scopes }); window.pending.then(() => { window.answered = true; }); }, [KUSTO_SCOPE]);
  await new Promise((resolve) => { setTimeout(resolve, 300); });
  assert.equal(await page.evaluate(() => window.answered), undefined, 'a token before the key');
  await page.evaluate(() => window.releaseKey());
  const cached = await page.evaluate(() => window.pending);
  assert.ok(cached.ok && cached.value.fromCache, JSON.stringify(cached));
  assert.equal(cached.value.accessToken, signedIn.value.accessToken);
  assert.equal(cached.value.idToken, signedIn.value.idToken);
  assert.deepEqual(f.idp.counts().posts, {});
  assertNoErrors(page);
  await page.context().close();
});

test("a tab still waiting for the key leaves another tab's new entries alone", async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  assert.ok((await f.signIn(page, 'eve')).ok);
  const waiting = await page.context().newPage();
  await holdKey(waiting);
  await f.goto(waiting);
  // The first tab renews: new sealed entries, announced to the waiting tab as storage events.
  const renewed = await page.evaluate((scopes) => window.app.silent({ scopes, forceRefresh: true }), [KUSTO_SCOPE]);
  assert.ok(renewed.ok, JSON.stringify(renewed));
  await page.waitForFunction(() => Object.entries(localStorage).some(([k, v]) => k.split('|')[2] === 'at' && v.includes('ksa1e:')));
  await new Promise((resolve) => { setTimeout(resolve, 300); });
  const local = await localStorageOf(page);
  for (const kind of ['at', 'rt', 'account']) assert.equal(entries(local, kind).length, 1, kind);
  await f.goto(page);
  const cached = await page.evaluate((scopes) => window.app.silent({ scopes }), [KUSTO_SCOPE]);
  assert.ok(cached.ok && cached.value.fromCache, JSON.stringify(cached));
  assert.equal(cached.value.accessToken, renewed.value.accessToken);
  await page.context().close();
});

// Makes sealing slow in this page (each encryption 300 ms), as on a busy device.
const slowSeal = (page) => page.addInitScript(() => {
  const encrypt = SubtleCrypto.prototype.encrypt;
  SubtleCrypto.prototype.encrypt = function (...args) {
    return new Promise((resolve) => { setTimeout(resolve, 300); }).then(() => encrypt.apply(this, args));
  };
});

test('a sign-in answers once its tokens are in localStorage, so a page left at once keeps them', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  await slowSeal(page);
  assert.ok((await f.signIn(page, 'fay')).ok);
  const stored = await page.evaluate(() => window.app.storedAtRedirect);
  for (const kind of ['account', 'at', 'rt']) assert.ok(stored.includes(kind), `no ${kind} in localStorage when handleRedirectPromise answered: ${stored}`);
  await page.context().close();
});

test('a renewal answers once its tokens are in localStorage', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  assert.ok((await f.signIn(page, 'gus')).ok);
  await slowSeal(page);
  await f.goto(page);
  const out = await page.evaluate(async (scopes) => {
    const tokens = () => Object.entries(localStorage).filter(([k]) => k.split('|')[2] === 'at').map(([, v]) => v);
    const before = tokens();
    const result = await window.pca.acquireTokenSilent({ scopes, account: window.pca.getAllAccounts()[0], forceRefresh: true });
    return { before, after: tokens(), fromCache: result.fromCache };
  }, [KUSTO_SCOPE]);
  assert.equal(out.fromCache, false);
  assert.equal(out.after.length, 1);
  assert.notDeepEqual(out.after, out.before, 'the new token was not yet stored when the call answered');
  assert.match(JSON.parse(out.after[0]).secret, /^ksa1e:/);
  await page.context().close();
});
