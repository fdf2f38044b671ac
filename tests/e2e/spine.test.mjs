// The authorization code + PKCE flow of the built package, end to end in Chromium against the
// real test IdP: sign-in, silent answers from the cache, refresh, interaction fallback, logout,
// and refused responses, in each cache location.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertLocalOnly, assertNoErrors, idpLogin } from '../support/browser.mjs';
import { entries, KUSTO, KUSTO_SCOPE, startApp } from '../support/app.mjs';
import { decodeJwt, verifyJwt } from '../support/jwt.mjs';

let f;
before(async () => { f = await startApp(); });
after(() => f?.close());

const requestsSeen = (counts) => Object.values(counts.paths).reduce((a, b) => a + b, 0)
  + Object.values(counts.posts).reduce((a, b) => a + b, 0);

for (const cacheLocation of ['sessionStorage', 'localStorage', 'memoryStorage']) {
  test(`${cacheLocation}: sign in by redirect, then answer silently from the cache`, async () => {
    f.configure({ cacheLocation });
    f.idp.resetCounts();
    const page = await f.open();
    const first = await page.evaluate(() => window.app.redirect);
    assert.deepEqual(first, { ok: true, value: null }, 'a fresh page has no response to handle');

    const signedIn = await f.signIn(page, 'ada', { scopes: [KUSTO_SCOPE], state: 'app-state|1' });
    assert.ok(signedIn.ok, JSON.stringify(signedIn.error));
    const result = signedIn.value;
    const { payload } = await verifyJwt(result.accessToken, f.idp.issuer);
    assert.equal(payload.aud, KUSTO);
    assert.equal(result.account.username, 'ada@example.com');
    assert.equal(result.account.environment, new URL(f.idp.issuer).host);
    assert.equal(result.account.homeAccountId, 'ada');
    assert.equal(result.idTokenClaims.sub, 'ada');
    assert.equal(decodeJwt(result.idToken).payload.aud, f.idp.clientId);
    assert.equal(result.state, 'app-state|1');
    assert.equal(result.fromCache, false);
    assert.equal(result.tokenType, 'Bearer');
    assert.ok(result.expiresOnIsDate);
    assert.ok(result.scopes.includes(KUSTO_SCOPE), result.scopes.join(' '));
    assert.match(result.correlationId, /^[0-9a-f-]{36}$/);
    const url = new URL(page.url());
    assert.equal(url.hash, '', 'the response left the address bar');
    assert.ok(!url.search.includes('code') && !url.search.includes('state'));
    assert.equal(f.idp.counts().token.authorization_code, 1);

    const dump = await page.evaluate(() => window.app.storage());
    assert.deepEqual(Object.keys(dump.session).filter((k) => k.includes('|request|') || k.endsWith('|interaction')), [],
      'no interaction state is left behind');
    const area = { sessionStorage: dump.session, localStorage: dump.local, memoryStorage: {} }[cacheLocation];
    assert.equal(entries(area, 'rt').length, cacheLocation === 'memoryStorage' ? 0 : 1);
    if (cacheLocation === 'memoryStorage') {
      assert.equal(entries(dump.local, 'at').length + entries(dump.session, 'at').length, 0, 'memoryStorage writes no tokens to storage');
    }

    f.idp.resetCounts();
    if (cacheLocation !== 'memoryStorage') await f.goto(page);
    const silent = await page.evaluate(() => window.app.silent({ scopes: ['https://help.kusto.windows.net/.default'] }));
    assert.ok(silent.ok, JSON.stringify(silent.error));
    assert.equal(silent.value.fromCache, true);
    assert.equal(silent.value.accessToken, result.accessToken);
    assert.equal(requestsSeen(f.idp.counts()), 0, `no request at all reached the IdP: ${JSON.stringify(f.idp.counts())}`);

    if (cacheLocation === 'memoryStorage') {
      await f.goto(page);
      assert.deepEqual(await page.evaluate(() => window.app.accounts()), [], 'memory does not survive a reload');
    }
    assertLocalOnly(page);
    assertNoErrors(page);
    await page.context().close();
  });
}

test('a revoked grant: the hidden frame recovers while the IdP session lasts, a redirect after', async () => {
  f.configure({ cacheLocation: 'localStorage', tokenRenewalOffsetSeconds: 0 });
  const page = await f.open({ allowErrors: [/status of 400/] });
  const signedIn = await f.signIn(page, 'bob');
  assert.ok(signedIn.ok, JSON.stringify(signedIn.error));
  const renew = () => page.evaluate(() => window.app.silent({ scopes: ['https://help.kusto.windows.net/.default'], forceRefresh: true }));

  // Rotate once, then put the old refresh token back: presenting it revokes the grant, as when
  // another client raced us with the same token.
  const { local } = await page.evaluate(() => window.app.storage());
  const [rtKey] = entries(local, 'rt');
  const oldRefreshToken = local[rtKey];
  f.idp.resetCounts();
  const rotated = await renew();
  assert.ok(rotated.ok, JSON.stringify(rotated.error));
  assert.notEqual(rotated.value.accessToken, signedIn.value.accessToken);
  assert.equal(f.idp.counts().token.refresh_token, 1);
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [rtKey, oldRefreshToken]);
  // The library reads localStorage at load (it keeps the cache in memory, sealed at rest).
  await f.goto(page);

  // The refresh fails (invalid_grant); the IdP session still stands, so prompt=none in a hidden
  // frame gets a new code without the page moving.
  let topNavigations = 0;
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) topNavigations += 1; });
  const recovered = await renew();
  assert.ok(recovered.ok, JSON.stringify(recovered.error));
  assert.equal(recovered.value.fromCache, false);
  assert.deepEqual(f.idp.counts().token, { authorization_code: 1, refresh_token: 2 });
  assert.equal(f.idp.counts().paths['/auth'], 1);
  assert.equal(topNavigations, 0);

  // Without the IdP session, the frame answers login_required: interaction, then a redirect.
  await page.context().clearCookies();
  const { local: now } = await page.evaluate(() => window.app.storage());
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [entries(now, 'rt')[0], oldRefreshToken]);
  await f.goto(page);
  const failed = await renew();
  assert.equal(failed.ok, false);
  assert.equal(failed.error.errorCode, 'login_required');
  assert.deepEqual(failed.error.instanceOf, ['AuthError', 'InteractionRequiredAuthError']);
  assert.equal(entries((await page.evaluate(() => window.app.storage())).local, 'rt').length, 0, 'the dead refresh token is dropped');

  await Promise.all([
    page.waitForURL((u) => u.origin === f.idp.issuer),
    page.evaluate(() => { window.app.acquireRedirect({ scopes: ['https://help.kusto.windows.net/.default'] }); }),
  ]);
  await idpLogin(page, 'bob');
  await page.waitForFunction(() => window.app);
  const again = await page.evaluate(() => window.app.redirect);
  assert.ok(again.ok, JSON.stringify(again.error));
  assert.equal(decodeJwt(again.value.accessToken).payload.aud, KUSTO);
  assert.equal(entries((await page.evaluate(() => window.app.storage())).local, 'rt').length, 1);
  assertLocalOnly(page);
  assertNoErrors(page);
  await page.context().close();
});

test('cacheLookupPolicy picks which answers acquireTokenSilent may use: cached token, refresh token, hidden frame', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open({ allowErrors: [/status of 400/] });
  assert.ok((await f.signIn(page, 'cleo')).ok);
  const silent = (cacheLookupPolicy) => page.evaluate((request) => window.app.silent(request), { scopes: [KUSTO_SCOPE], cacheLookupPolicy });
  const heard = () => {
    const { token, paths } = f.idp.counts();
    return { code: token.authorization_code ?? 0, refresh: token.refresh_token ?? 0, frames: paths['/auth'] ?? 0 };
  };
  const stored = async (kind) => entries((await page.evaluate(() => window.app.storage())).local, kind);

  // AccessToken (1) and AccessTokenAndRefreshToken (2): the fresh cached token, no request.
  f.idp.resetCounts();
  for (const policy of [1, 2]) assert.equal((await silent(policy)).value?.fromCache, true, `policy ${policy}`);
  assert.deepEqual(heard(), { code: 0, refresh: 0, frames: 0 });
  // RefreshToken (3) skips the cached token, also when asked twice (no answer from memory).
  const [a, b] = [await silent(3), await silent(3)];
  assert.ok(a.ok && b.ok && !a.value.fromCache && a.value.accessToken !== b.value.accessToken, JSON.stringify([a, b]));
  assert.deepEqual(heard(), { code: 0, refresh: 2, frames: 0 });
  // Skip (5): straight to the hidden frame.
  f.idp.resetCounts();
  assert.ok((await silent(5)).ok);
  assert.deepEqual(heard(), { code: 1, refresh: 0, frames: 1 });

  // A dead refresh token stops RefreshToken (3) at the IdP's answer; with it dropped and no cached
  // token, AccessTokenAndRefreshToken (2) and AccessToken (1) fail without a request, and
  // RefreshTokenAndNetwork (4) gets a token in the frame.
  const [rtKey] = await stored('rt');
  await page.evaluate((k) => localStorage.setItem(k, JSON.stringify({ ...JSON.parse(localStorage.getItem(k)), secret: 'not-a-refresh-token' })), rtKey);
  await f.goto(page);
  f.idp.resetCounts();
  const dead = await silent(3);
  assert.deepEqual([dead.error?.errorCode, dead.error?.instanceOf.includes('InteractionRequiredAuthError')], ['invalid_grant', true], JSON.stringify(dead));
  for (const key of await stored('at')) await page.evaluate((k) => localStorage.removeItem(k), key);
  await f.goto(page);
  const noRefresh = await silent(2);
  assert.deepEqual([noRefresh.error?.errorCode, noRefresh.error?.instanceOf.includes('InteractionRequiredAuthError')], ['no_tokens_found', true], JSON.stringify(noRefresh));
  const cacheOnly = await silent(1);
  assert.equal(cacheOnly.error?.errorCode, 'token_refresh_required', JSON.stringify(cacheOnly));
  assert.deepEqual(heard(), { code: 0, refresh: 1, frames: 0 });
  const network = await silent(4);
  assert.ok(network.ok, JSON.stringify(network.error));
  assert.deepEqual(heard(), { code: 1, refresh: 1, frames: 1 });

  const wrong = await silent(7);
  assert.deepEqual([wrong.error?.errorCode, wrong.error?.instanceOf.includes('ClientConfigurationError')], ['invalid_request_parameter', true]);
  assertNoErrors(page);
  await page.context().close();
});

test('logoutRedirect clears the account and lands on postLogoutRedirectUri', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  assert.ok((await f.signIn(page, 'carol')).ok);
  await Promise.all([
    page.waitForURL(`${f.web.origin}/app/signed-out.html`),
    page.evaluate(() => { window.app.logout({ account: window.app.accounts()[0] }); }),
  ]);
  const leftover = await page.evaluate(() => Object.keys(localStorage).concat(Object.keys(sessionStorage)));
  assert.deepEqual(leftover.filter((k) => /\|(account|at|rt|active)\|/.test(k)), [], leftover.join('\n'));
  assert.ok(f.idp.counts().paths['/session/end'] >= 1, 'the IdP session was ended');
  assertLocalOnly(page);
  assertNoErrors(page);
  await page.context().close();
});

test('a response with a tampered state is refused before any token request', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  await Promise.all([page.waitForURL((u) => u.origin === f.idp.issuer), page.evaluate(() => { window.app.login({ scopes: ['https://help.kusto.windows.net/.default'] }); })]);
  f.idp.resetCounts();
  await f.goto(page, `${f.appUrl}#code=stolen-code&state=forged`);
  const outcome = await page.evaluate(() => window.app.redirect);
  assert.equal(outcome.ok, false);
  assert.equal(outcome.error.errorCode, 'state_mismatch');
  assert.ok(outcome.error.instanceOf.includes('AuthError'));
  assert.equal(f.idp.counts().token.authorization_code, 0, 'nothing was redeemed');
  const dump = await page.evaluate(() => window.app.storage());
  assert.deepEqual(Object.keys(dump.local).filter((k) => k.startsWith('ksa1|') && !k.startsWith('ksa1|meta|')), [], 'nothing cached');
  assert.equal(new URL(page.url()).hash, '', 'the forged response left the address bar');
  assertNoErrors(page);
  await page.context().close();
});

test('an IdP error response becomes a typed ServerError', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  await Promise.all([page.waitForURL((u) => u.origin === f.idp.issuer), page.evaluate(() => { window.app.login({ scopes: ['https://help.kusto.windows.net/.default'] }); })]);
  // The IdP's "Cancel" link aborts the interaction: access_denied comes back.
  await Promise.all([page.waitForURL((u) => u.origin === f.web.origin), page.click('a[href$="/abort"]')]);
  await page.waitForFunction(() => window.app);
  const outcome = await page.evaluate(() => window.app.redirect);
  assert.equal(outcome.ok, false);
  assert.equal(outcome.error.errorCode, 'access_denied');
  assert.deepEqual(outcome.error.instanceOf, ['AuthError', 'ServerError']);
  assert.equal(new URL(page.url()).hash, '');
  assert.equal(f.idp.counts().token.authorization_code, 0);
  assertNoErrors(page);
  await page.context().close();
});

test('a login abandoned with the Back button does not block the next one', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  await Promise.all([page.waitForURL((u) => u.origin === f.idp.issuer), page.evaluate(() => { window.app.login({ scopes: ['https://help.kusto.windows.net/.default'] }); })]);
  await page.goBack();
  await page.waitForFunction(() => window.app);
  assert.deepEqual(await page.evaluate(() => window.app.redirect), { ok: true, value: null });
  const signedIn = await f.signIn(page, 'nia');
  assert.ok(signedIn.ok, JSON.stringify(signedIn.error));
  assert.equal(signedIn.value.account.username, 'nia@example.com');
  assertNoErrors(page);
  await page.context().close();
});

test('a page restored from the back/forward cache, with its sign-in redirect still under way, can sign in again', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  // The IdP's page answers 204 No Content, so the browser stays on the app page as it was when it
  // left: what a restore from the back/forward cache gives back. (The real cache cannot be
  // provoked here: Playwright turns it off, and with it on, Chromium still refuses these pages
  // for their no-store answers.)
  const authorize = (url) => url.origin === f.idp.issuer && url.searchParams.has('code_challenge');
  await page.route(authorize, (route) => route.fulfill({ status: 204 }));
  await Promise.all([page.waitForResponse((r) => authorize(new URL(r.url()))), page.evaluate((r) => { window.app.login(r); }, { scopes: [KUSTO_SCOPE] })]);
  await page.unroute(authorize);
  assert.equal(new URL(page.url()).origin, f.web.origin);
  assert.match(JSON.stringify((await page.evaluate(() => window.app.login({ scopes: ['openid'] }))).error), /interaction_in_progress/, 'still under way');

  await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })));
  assert.deepEqual((await page.evaluate(() => window.app.events)).filter((e) => e.eventType === 'msal:restoreFromBFCache')
    .map((e) => e.interactionType), ['redirect']);
  const signedIn = await f.signIn(page, 'nia');
  assert.ok(signedIn.ok, JSON.stringify(signedIn.error));
  assert.equal(signedIn.value.account.username, 'nia@example.com');
  assertNoErrors(page);
  await page.context().close();
});

test('a claims request bypasses a fresh cached token', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  assert.ok((await f.signIn(page, 'ola')).ok);
  f.idp.resetCounts();
  const cached = await page.evaluate(() => window.app.silent({ scopes: ['https://help.kusto.windows.net/.default'] }));
  assert.equal(cached.value.fromCache, true);
  const challenged = await page.evaluate(() => window.app.silent({ scopes: ['https://help.kusto.windows.net/.default'], claims: '{"access_token":{"nbf":{"essential":true,"value":"1"}}}' }));
  assert.ok(challenged.ok, JSON.stringify(challenged.error));
  assert.equal(challenged.value.fromCache, false);
  assert.equal(f.idp.counts().token.refresh_token, 1);
  await page.context().close();
});
