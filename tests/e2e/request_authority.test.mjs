// A request's own `authority` (B2C user flows, guest tenants), end to end against two test IdPs:
// the app is configured with one and names the other in its requests, as msal-browser apps do.
// The sign-in, the cached answer and the refresh all happen at the request's authority; its
// tokens never answer for, or go to, the configured one; an authority on a host the app does
// not trust is refused before anything leaves the page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { idpLogin, idpLoginInPopup } from '../support/browser.mjs';
import { KUSTO_SCOPE, openPopup, startApp } from '../support/app.mjs';
import { startIdp } from '../support/idp.mjs';

let f;
let flow;
before(async () => {
  f = await startApp();
  flow = await startIdp({ appOrigins: [f.web.origin] });
});
after(async () => {
  await flow?.close();
  await f?.close();
});

const trustFlowHost = () => f.configure({ knownAuthorities: [new URL(flow.issuer).host] });

test('loginRedirect at the request\'s authority; its tokens answer for it alone, and its refresh goes there', async () => {
  trustFlowHost();
  const page = await f.open();
  const request = { scopes: [KUSTO_SCOPE], authority: flow.issuer };
  await Promise.all([page.waitForURL((u) => u.origin === flow.issuer), page.evaluate((r) => { window.app.login(r); }, request)]);
  await idpLogin(page, 'ada');
  await page.waitForFunction(() => window.app);
  const signedIn = await page.evaluate(() => window.app.redirect);
  assert.ok(signedIn.ok, JSON.stringify(signedIn.error));
  assert.equal(signedIn.value.authority, flow.issuer);
  assert.equal(signedIn.value.account.environment, new URL(flow.issuer).host);

  const cached = await page.evaluate((r) => window.app.silent(r), request);
  assert.ok(cached.ok && cached.value.fromCache, JSON.stringify(cached));
  assert.equal(cached.value.accessToken, signedIn.value.accessToken);

  // At the configured authority, the same account has no tokens: nothing is served or sent there.
  f.idp.resetCounts();
  for (const extra of [{}, { forceRefresh: true }]) {
    const out = await page.evaluate((r) => window.app.silent(r), { scopes: [KUSTO_SCOPE], ...extra });
    assert.equal(out.ok, false, JSON.stringify(out));
    assert.ok(out.error.instanceOf.includes('InteractionRequiredAuthError'), JSON.stringify(out.error));
  }
  assert.deepEqual(f.idp.counts().posts, {}, 'nothing was posted to the configured authority');

  flow.resetCounts();
  const renewed = await page.evaluate((r) => window.app.silent({ ...r, forceRefresh: true }), request);
  assert.ok(renewed.ok && !renewed.value.fromCache, JSON.stringify(renewed));
  assert.equal(renewed.value.authority, flow.issuer);
  assert.equal(flow.counts().token.refresh_token, 1, 'the refresh went to the request\'s authority');
  assert.deepEqual(f.idp.counts().posts, {});
  await page.context().close();
});

test('acquireTokenPopup at the request\'s authority', async () => {
  trustFlowHost();
  const page = await f.open();
  const popup = await openPopup(page, 'acquireTokenPopup', { scopes: [KUSTO_SCOPE], authority: flow.issuer });
  await popup.waitForURL((u) => u.origin === flow.issuer);
  await idpLoginInPopup(popup, 'grace');
  const out = await page.waitForFunction(() => window.app.popupResult).then(() => page.evaluate(() => window.app.popupResult));
  assert.ok(out.ok, JSON.stringify(out.error));
  assert.equal(out.value.authority, flow.issuer);
  assert.equal(out.value.account.environment, new URL(flow.issuer).host);
  await page.context().close();
});

test('an authority on a host the app does not trust is refused before the page goes anywhere', async () => {
  f.configure();
  const page = await f.open();
  const here = page.url();
  flow.resetCounts();
  for (const call of ['login', 'silent', 'sso']) {
    const out = await page.evaluate(([c, request]) => window.app[c](request), [call, { scopes: [KUSTO_SCOPE], authority: flow.issuer }]);
    assert.equal(out.ok, false, `${call}: ${JSON.stringify(out)}`);
    assert.equal(out.error.errorCode, 'untrusted_authority', call);
    assert.ok(out.error.instanceOf.includes('ClientConfigurationError'), call);
    assert.match(out.error.errorMessage, /knownAuthorities/);
  }
  assert.equal(await page.evaluate(() => window.lib.ClientConfigurationErrorCodes.untrustedAuthority), 'untrusted_authority');
  assert.equal(page.url(), here);
  assert.deepEqual(flow.counts().paths, {}, 'nothing reached the untrusted authority');
  await page.context().close();
});
