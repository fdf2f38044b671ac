// Signing out: logoutPopup (the IdP's end-session page in a popup), clearCache (this app only),
// the app's onRedirectNavigate hook, and where the IdP sends the browser afterwards.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertLocalOnly, assertNoErrors } from '../support/browser.mjs';
import { KUSTO_SCOPE, entries, openPopup, startApp } from '../support/app.mjs';

let f;
before(async () => { f = await startApp(); });
after(() => f?.close());

const SCOPES = [KUSTO_SCOPE];

/** Signs ada and then bob in (bob with the login form again); returns both accounts. */
async function twoSignedIn(page) {
  assert.ok((await f.signIn(page, 'ada')).ok);
  assert.ok((await f.signIn(page, 'bob', { scopes: SCOPES, prompt: 'login' })).ok);
  const accounts = await page.evaluate(() => window.app.accounts());
  assert.deepEqual(accounts.map((a) => a.username).sort(), ['ada@example.com', 'bob@example.com']);
  return accounts;
}

/** Our account, token and active-account entries, in both storages. */
async function cached(page) {
  const { local, session } = await page.evaluate(() => window.app.storage());
  return ['account', 'at', 'rt', 'active'].flatMap((kind) => [...entries(local, kind), ...entries(session, kind)]);
}

/** Whether the IdP still has a session: a hidden-frame sign-in succeeds only with one. */
async function idpSession(page) {
  const outcome = await page.evaluate((scopes) => window.app.sso({ scopes }), SCOPES);
  if (!outcome.ok) assert.equal(outcome.error.errorCode, 'login_required', JSON.stringify(outcome.error));
  return outcome.ok;
}

test('logoutPopup ends the IdP session in a popup that closes by itself; the page stays, and only the named account leaves', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  const [first] = await twoSignedIn(page);
  const urlBefore = page.url();
  f.idp.resetCounts();
  const popup = await openPopup(page, 'logoutPopup', { account: first });
  await popup.waitForEvent('close');
  const outcome = await page.evaluate(() => window.app.popupResult);
  assert.deepEqual(outcome, { ok: true, value: undefined });
  assert.equal(page.url(), urlBefore, 'the app page never navigated');
  assert.equal(f.idp.counts().posts['/session/end/confirm'], 1, 'the IdP ended its session');
  const left = await page.evaluate(() => window.app.accounts());
  assert.equal(left.length, 1);
  assert.notEqual(left[0].homeAccountId, first.homeAccountId, 'the other account stays');
  const logout = (await page.evaluate(() => window.app.events)).filter((e) => e.eventType.startsWith('msal:logout'));
  assert.deepEqual(logout.map((e) => [e.eventType, e.interactionType]), [
    ['msal:logoutStart', 'popup'], ['msal:logoutSuccess', 'popup'], ['msal:logoutEnd', 'popup'],
  ]);
  assert.equal(await idpSession(page), false, 'no IdP session is left');
  assertLocalOnly(page);
  assertNoErrors(page);
  await page.context().close();
});

test('logoutPopup without an account signs every account out, then sends the page to mainWindowRedirectUri', async () => {
  f.configure({ cacheLocation: 'sessionStorage' });
  const page = await f.open();
  await twoSignedIn(page);
  const main = `${f.web.origin}/app/signed-out.html?from=popup`;
  const popup = await openPopup(page, 'logoutPopup', { mainWindowRedirectUri: main });
  await Promise.all([popup.waitForEvent('close'), page.waitForURL(main)]);
  assert.equal(f.idp.counts().posts['/session/end/confirm'] >= 1, true, 'the IdP ended its session');
  assert.deepEqual(await page.evaluate(() => Object.keys(sessionStorage).filter((k) => /^ksa1\|[^|]*\|(account|at|rt|active)\|/.test(k))), []);
  assertNoErrors(page);
  await page.context().close();
});

test('a logoutPopup the IdP keeps on its own page (no post-logout URI) is closed after system.windowHashTimeout, and resolves', async () => {
  f.configure({ cacheLocation: 'localStorage', windowHashTimeout: 4000 });
  const page = await f.open();
  assert.ok((await f.signIn(page, 'ada')).ok);
  f.idp.resetCounts();
  const clickedAt = Date.now();
  const popup = await openPopup(page, 'logoutPopup', { postLogoutRedirectUri: null });
  const closed = popup.waitForEvent('close');
  const outcome = await page.evaluate(() => window.app.popupResult);
  const elapsed = Date.now() - clickedAt;
  await closed;
  assert.deepEqual(outcome, { ok: true, value: undefined });
  assert.ok(elapsed >= 4000 && elapsed < 9000, `resolved after ${elapsed} ms`);
  assert.equal(f.idp.counts().posts['/session/end/confirm'], 1, 'the IdP ended its session on its own page');
  assert.deepEqual(await cached(page), []);
  assertNoErrors(page);
  await page.context().close();
});

test('a logoutPopup the user closes resolves at once: the local sign-out stands', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  assert.ok((await f.signIn(page, 'ada')).ok);
  const popup = await openPopup(page, 'logoutPopup', {});
  const closedAt = Date.now();
  await popup.close();
  const outcome = await page.evaluate(() => window.app.popupResult);
  const elapsed = Date.now() - closedAt;
  assert.deepEqual(outcome, { ok: true, value: undefined });
  assert.ok(elapsed <= 2000, `resolved ${elapsed} ms after the popup closed`);
  assert.deepEqual(await cached(page), []);
  const logout = (await page.evaluate(() => window.app.events)).filter((e) => e.eventType.startsWith('msal:logout'));
  assert.deepEqual(logout.map((e) => e.eventType), ['msal:logoutStart', 'msal:logoutSuccess', 'msal:logoutEnd']);
  assertNoErrors(page);
  await page.context().close();
});

test('clearCache signs out of the app only: no request to the IdP, whose session stays', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  const [first, second] = await twoSignedIn(page);
  f.idp.resetCounts();
  await page.evaluate((account) => window.pca.clearCache({ account }), first);
  assert.deepEqual((await page.evaluate(() => window.app.accounts())).map((a) => a.homeAccountId), [second.homeAccountId]);
  await page.evaluate(() => window.pca.clearCache());
  assert.deepEqual(await cached(page), [], 'no account or token is left');
  const heard = f.idp.counts();
  assert.deepEqual([heard.paths, heard.posts], [{}, {}], 'the IdP heard nothing');
  assert.equal(await idpSession(page), true, 'the IdP session still signs in without a form');
  assertNoErrors(page);
  await page.context().close();
});

test('onRedirectNavigate returning false keeps the page: logoutRedirect still signs out here, loginRedirect lets the app navigate itself', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  await twoSignedIn(page);
  const urlBefore = page.url();

  // As MSAL: without an account, logout signs every account out (even with one active).
  const seen = await page.evaluate(async () => {
    window.pca.setActiveAccount(window.app.accounts()[0]);
    let url = null;
    await window.pca.logoutRedirect({ onRedirectNavigate: (u) => { url = u; return false; } });
    return url;
  });
  assert.equal(page.url(), urlBefore, 'the page stayed');
  const endSession = new URL(seen);
  assert.equal(`${endSession.origin}${endSession.pathname}`, `${f.idp.issuer}/session/end`);
  assert.equal(endSession.searchParams.get('post_logout_redirect_uri'), `${f.web.origin}/app/signed-out.html`);
  assert.deepEqual(await cached(page), []);

  // The hook sees the authorize URL; the app follows it when it wants, and the sign-in completes.
  const authorize = await page.evaluate(async (scopes) => {
    let url = null;
    await window.pca.loginRedirect({ scopes, onRedirectNavigate: (u) => { url = u; return false; } });
    return url;
  }, SCOPES);
  assert.equal(page.url(), urlBefore, 'the page stayed');
  assert.equal(new URL(authorize).searchParams.get('code_challenge_method'), 'S256');
  await page.goto(authorize);
  await page.waitForURL((u) => u.origin === f.web.origin);
  await page.waitForFunction(() => window.app);
  const back = await page.evaluate(() => window.app.redirect);
  assert.ok(back.ok, JSON.stringify(back.error));
  assert.ok(back.value?.account, 'the sign-in the app navigated to came back with an account');

  // A hook that throws: the call fails, saying so, and the page stays.
  const thrown = await page.evaluate((scopes) => window.app.login({ scopes, onRedirectNavigate: () => { throw new Error('no navigation today'); } }), SCOPES);
  assert.equal(thrown.error.errorCode, 'navigation_failed');
  assert.match(thrown.error.errorMessage, /onRedirectNavigate threw: no navigation today/);
  assert.equal(page.url(), urlBefore);
  const next = await page.evaluate((scopes) => window.app.login({ scopes, onRedirectNavigate: () => false }), SCOPES);
  assert.ok(next.ok, `the failed redirect left its interaction behind: ${JSON.stringify(next.error)}`);
  assertNoErrors(page);
  await page.context().close();
});

test('the configuration\'s onRedirectNavigate (msal-browser 5) and the post-logout default: the redirect URI, or with null none', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  assert.ok((await f.signIn(page, 'cy')).ok);
  const urls = await page.evaluate(async ({ clientId, authority }) => {
    const seen = [];
    const make = (auth) => new window.lib.PublicClientApplication({
      auth: { clientId, authority, redirectUri: `${location.origin}/app/`, onRedirectNavigate: (u) => { seen.push(u); return false; }, ...auth },
      cache: { cacheLocation: 'localStorage' },
    });
    await make({}).logoutRedirect();
    await make({ postLogoutRedirectUri: null }).logoutRedirect();
    await make({}).logoutRedirect({ postLogoutRedirectUri: `${location.origin}/app/signed-out.html` });
    await make({ postLogoutRedirectUri: `${location.origin}/app/signed-out.html` }).logoutRedirect({ postLogoutRedirectUri: null });
    return seen;
  }, { clientId: f.idp.clientId, authority: f.idp.issuer });
  assert.deepEqual(urls.map((u) => new URL(u).searchParams.get('post_logout_redirect_uri')), [
    `${f.web.origin}/app/`,
    null,
    `${f.web.origin}/app/signed-out.html`,
    null,
  ]);
  assert.deepEqual(await cached(page), []);

  // Followed for real, the default brings the browser back to the app from the IdP.
  await Promise.all([
    page.waitForRequest((r) => r.url().startsWith(`${f.idp.issuer}/session/end`)),
    page.evaluate(({ clientId, authority }) => {
      const pca = new window.lib.PublicClientApplication({ auth: { clientId, authority, redirectUri: `${location.origin}/app/` }, cache: { cacheLocation: 'localStorage' } });
      pca.logoutRedirect();
    }, { clientId: f.idp.clientId, authority: f.idp.issuer }),
  ]);
  await page.waitForURL(`${f.web.origin}/app/`);
  await page.waitForFunction(() => window.app);
  assert.equal(await idpSession(page), false, 'the IdP session ended');
  assertNoErrors(page);
  await page.context().close();
});
