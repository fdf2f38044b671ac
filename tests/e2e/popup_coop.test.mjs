// Popups when the identity provider's pages send Cross-Origin-Opener-Policy: same-origin, as
// Entra's do. The popup then loses its opener on the IdP's page: the opener's handle reads
// closed at once and can no longer read the popup's address. The popup's redirect page hands the
// response back over a same-origin BroadcastChannel instead (the library's own redirect page, or
// the bridge page an msal-browser 5 app has), then closes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertLocalOnly, assertNoErrors, idpLoginInPopup, newPage } from '../support/browser.mjs';
import { KUSTO_SCOPE, openPopup, startApp } from '../support/app.mjs';

let f;
before(async () => { f = await startApp({ coop: true }); });
after(() => f?.close());

test('the IdP\'s pages really cut the popup off from its opener', async () => {
  const page = await f.open();
  const seen = await page.evaluate(async (issuer) => {
    const popup = window.open(`${issuer}/.well-known/openid-configuration`, '_blank', 'popup');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    return popup.closed;
  }, f.idp.issuer);
  assert.equal(seen, true, 'the opener\'s handle reads closed while the popup shows the IdP');
  await page.context().close();
});

test('loginPopup and acquireTokenPopup sign in under COOP: the redirect page hands the response back and closes', async () => {
  f.configure({ cacheLocation: 'sessionStorage' });
  const page = await f.open();
  const urlBefore = page.url();
  const popup = await openPopup(page, 'loginPopup', { scopes: [KUSTO_SCOPE], state: 'coop' });
  await idpLoginInPopup(popup, 'cora');
  await page.waitForFunction(() => window.app.popupResult);
  const login = await page.evaluate(() => window.app.popupResult);
  assert.ok(login.ok, JSON.stringify(login.error));
  assert.equal(login.value.account.username, 'cora@example.com');
  assert.equal(login.value.state, 'coop');
  assert.equal(page.url(), urlBefore);
  assert.deepEqual((await page.evaluate(() => window.app.accounts())).map((a) => a.username), ['cora@example.com']);

  await page.evaluate(() => { window.app.popupResult = undefined; });
  const again = await openPopup(page, 'acquireTokenPopup', { scopes: [KUSTO_SCOPE], account: login.value.account });
  await again.waitForEvent('close');
  await page.waitForFunction(() => window.app.popupResult);
  const token = await page.evaluate(() => window.app.popupResult);
  assert.ok(token.ok, JSON.stringify(token.error));
  assert.equal(token.value.account.homeAccountId, login.value.account.homeAccountId);
  assert.equal(f.idp.counts().token.authorization_code, 2);
  assertLocalOnly(page);
  assertNoErrors(page);
  await page.context().close();
});

test('an msal-browser 5 bridge page (broadcastResponseToMainFrame from kusto-spa-auth/redirect-bridge) works as the popup\'s redirect page', async () => {
  f.configure({ cacheLocation: 'sessionStorage' });
  const page = await f.open();
  const popup = await openPopup(page, 'loginPopup', { scopes: [KUSTO_SCOPE], redirectUri: `${f.web.origin}/app/bridge.html` });
  await idpLoginInPopup(popup, 'bea');
  await page.waitForFunction(() => window.app.popupResult);
  const login = await page.evaluate(() => window.app.popupResult);
  assert.ok(login.ok, JSON.stringify(login.error));
  assert.equal(login.value.account.username, 'bea@example.com');
  await page.context().close();
});

test('a popup the user closes under COOP fails with timed_out after popupBridgeTimeout, and a redirect page the response reaches late changes nothing', async () => {
  f.configure({ cacheLocation: 'sessionStorage', popupBridgeTimeout: 2000 });
  const page = await f.open();
  const started = Date.now();
  const popup = await openPopup(page, 'loginPopup', { scopes: [KUSTO_SCOPE] });
  await popup.waitForSelector('input[name=login]');
  await popup.close();
  await page.waitForFunction(() => window.app.popupResult, null, { timeout: 10_000 });
  const out = await page.evaluate(() => window.app.popupResult);
  const waited = Date.now() - started;
  assert.equal(out.ok, false);
  assert.equal(out.error.errorCode, 'timed_out', JSON.stringify(out.error));
  assert.ok(out.error.instanceOf.includes('BrowserAuthError'));
  assert.match(out.error.errorMessage, /Cross-Origin-Opener-Policy/);
  assert.ok(waited >= 2000 && waited < 8000, `${waited} ms`);
  assert.deepEqual(await page.evaluate(() => window.app.accounts()), []);
  await page.context().close();
});

test('a page opened by a link that carries a popup-like state is not stuck: it is no popup, so its response is refused as any unasked one', async () => {
  f.configure({ cacheLocation: 'sessionStorage' });
  // A tab of its own (a history of one page, which a script may close), loaded with the link.
  const page = await newPage(await f.browser.newContext(), { allowErrors: [/state_not_found/] });
  await page.goto(`${f.appUrl}#code=forged&state=p.forged`);
  await page.waitForFunction(() => window.app);
  assert.equal(page.isClosed(), false);
  const redirect = await page.evaluate(() => window.app.redirect);
  assert.equal(redirect.ok, false, JSON.stringify(redirect));
  assert.equal(redirect.error.errorCode, 'state_not_found');
  assert.equal(new URL(page.url()).hash, '', 'the response is out of the address bar');
  await page.context().close();
});

test('logoutPopup under COOP signs out here at once, and the provider\'s page in the popup ends its session', async () => {
  f.configure({ cacheLocation: 'sessionStorage' });
  const page = await f.open();
  const popup = await openPopup(page, 'loginPopup', { scopes: [KUSTO_SCOPE] });
  await idpLoginInPopup(popup, 'lou');
  assert.ok((await page.evaluate(() => window.app.popupResult)).ok);
  f.idp.resetCounts();
  const logout = await openPopup(page, 'logoutPopup', {});
  const outcome = await page.evaluate(() => window.app.popupResult);
  assert.deepEqual(outcome, { ok: true, value: undefined });
  assert.deepEqual(await page.evaluate(() => window.app.accounts()), []);
  // The popup, cut off from this page, goes on by itself: the provider ends its session.
  await logout.waitForURL((u) => u.origin === f.web.origin, { timeout: 10_000 });
  assert.equal(f.idp.counts().posts['/session/end/confirm'], 1);
  await page.context().close();
});
