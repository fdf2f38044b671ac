// What MSAL apps rely on without saying so, end to end against the test IdP: relative redirect
// URIs, a redirect page that hands the result back without running app code or leaving a history
// entry, OIDC-only silent requests answered from the ID token, and requests for a token scheme
// other than Bearer refused rather than answered with a Bearer token.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertNoErrors, authorizations, idpLogin } from '../support/browser.mjs';
import { KUSTO_SCOPE, openPopup, startApp } from '../support/app.mjs';

let f;
before(async () => { f = await startApp(); });
after(() => f?.close());

test('relative redirect and post-logout URIs are resolved against the page, as MSAL does', async () => {
  f.configure({ cacheLocation: 'sessionStorage', redirectUri: '/app/', postLogoutRedirectUri: 'signed-out.html' });
  const page = await f.open();
  const back = await f.signIn(page, 'ada');
  assert.ok(back.ok, JSON.stringify(back.error));
  const [sent] = authorizations(page, f.idp.issuer);
  assert.equal(sent.searchParams.get('redirect_uri'), `${f.web.origin}/app/`);

  const urls = await page.evaluate(async () => {
    const seen = [];
    const capture = (u) => { seen.push(u); return false; };
    await window.pca.loginRedirect({ scopes: ['openid'], redirectUri: '../app/?via=request', onRedirectNavigate: capture });
    await window.pca.logoutRedirect({ account: window.pca.getAllAccounts()[0], onRedirectNavigate: capture });
    return seen;
  });
  assert.equal(new URL(urls[0]).searchParams.get('redirect_uri'), `${f.web.origin}/app/?via=request`);
  assert.equal(new URL(urls[1]).searchParams.get('post_logout_redirect_uri'), `${f.web.origin}/app/signed-out.html`);
  assertNoErrors(page);
  await page.context().close();
});

test('the redirect page runs no app code after handleRedirectPromise, and Back does not return to it', async () => {
  f.configure({ cacheLocation: 'sessionStorage', redirectUri: '/app/' });
  const page = await f.open();
  const start = `${f.web.origin}/app/?route=reports`;
  await f.goto(page, start);
  await page.evaluate(() => sessionStorage.removeItem('test:after-redirect'));
  await Promise.all([page.waitForURL((u) => u.origin === f.idp.issuer), page.evaluate((scopes) => { window.app.login({ scopes }); }, [KUSTO_SCOPE])]);
  await idpLogin(page, 'bea', { waitFor: (u) => u.href === start });
  await page.waitForFunction(() => window.app);
  const outcome = await page.evaluate(() => window.app.redirect);
  assert.ok(outcome.ok && outcome.value, JSON.stringify(outcome));
  assert.equal(outcome.value.account.username, 'bea@example.com');
  const ran = await page.evaluate(() => JSON.parse(sessionStorage.getItem('test:after-redirect') ?? '[]'));
  assert.deepEqual(ran, [start], 'app code ran only on the start page');

  await page.goBack({ waitUntil: 'commit' });
  const previous = new URL(page.url());
  assert.notEqual(`${previous.origin}${previous.pathname}${previous.search}`, `${f.web.origin}/app/`, 'Back skipped the redirect page');
  await page.context().close();
});

test('acquireTokenSilent for OIDC scopes only is answered from the cached ID token', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  const back = await f.signIn(page, 'cai');
  assert.ok(back.ok, JSON.stringify(back.error));
  f.idp.resetCounts();
  for (const scopes of [['openid'], ['openid', 'profile'], ['openid', 'profile', 'offline_access']]) {
    const out = await page.evaluate((s) => window.app.silent({ scopes: s }), scopes);
    assert.ok(out.ok, `${scopes}: ${JSON.stringify(out.error)}`);
    assert.equal(out.value.idTokenClaims.sub, 'cai');
    assert.equal(out.value.idToken, back.value.idToken);
    assert.equal(out.value.fromCache, true);
    assert.equal(out.value.account.username, 'cai@example.com');
  }
  assert.deepEqual(f.idp.counts().posts, {}, 'no request');
  await page.context().close();
});

test('a configuration holding class instances and cycles is read, and its system.navigationClient navigates', async () => {
  f.configure({ cacheLocation: 'sessionStorage' });
  const page = await f.open();
  const seen = await page.evaluate(async ({ clientId, authority }) => {
    const { PublicClientApplication, NavigationClient } = window.lib;
    const navigations = [];
    class Router extends NavigationClient {
      constructor() { super(); this.self = this; this.window = window; }
      navigateExternal(url, options) { navigations.push([url, options.noHistory]); return Promise.resolve(false); }
    }
    class Http { sendGetRequestAsync() {} sendPostRequestAsync() {} }
    const pca = new PublicClientApplication({
      auth: { clientId, authority },
      system: { navigationClient: new Router(), networkClient: new Http(), loggerOptions: { loggerCallback() {} } },
      telemetry: { client: new (class Telemetry {})(), application: { appName: 'app', appVersion: '1' } },
    });
    await pca.initialize();
    await pca.loginRedirect({ scopes: ['openid'], popupWindowParent: window });
    return navigations.map(([url, noHistory]) => [new URL(url).origin, noHistory]);
  }, { clientId: f.idp.clientId, authority: f.idp.issuer });
  assert.deepEqual(seen, [[f.idp.issuer, false]]);
  assertNoErrors(page);
  await page.context().close();
});

test('a request for a pop, DPoP or SSH token fails with unsupported_authentication_scheme, never with a Bearer token', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  assert.ok((await f.signIn(page, 'dee')).ok);
  f.idp.resetCounts();
  const seen = await page.evaluate(async (scope) => {
    const { pca, lib } = window;
    const account = pca.getAllAccounts()[0];
    const navigated = [];
    const onRedirectNavigate = (url) => { navigated.push(url); return false; };
    const outcome = (p) => p.then((r) => ({ tokenType: r?.tokenType ?? null }), (e) => ({ ...window.describeError(e), isClass: e instanceof lib.ClientConfigurationError }));
    const { POP, DPOP, SSH, BEARER } = lib.AuthenticationScheme;
    const refused = {
      silentPop: await outcome(pca.acquireTokenSilent({ scopes: [scope], account, authenticationScheme: POP })),
      silentDpop: await outcome(pca.acquireTokenSilent({ scopes: [scope], account, authenticationScheme: DPOP, resourceRequestMethod: 'GET', resourceRequestUri: 'https://example.com/' })),
      redirectDpop: await outcome(pca.acquireTokenRedirect({ scopes: [scope], account, authenticationScheme: DPOP, onRedirectNavigate })),
      loginSsh: await outcome(pca.loginRedirect({ scopes: [scope], authenticationScheme: SSH, sshJwk: '{}', sshKid: 'k', onRedirectNavigate })),
      ssoPop: await outcome(pca.ssoSilent({ scopes: [scope], account, authenticationScheme: POP })),
    };
    return {
      refused,
      frames: document.querySelectorAll('iframe').length,
      navigated,
      bearer: await outcome(pca.acquireTokenSilent({ scopes: [scope], account, authenticationScheme: BEARER })),
      absent: await outcome(pca.acquireTokenSilent({ scopes: [scope], account })),
      account,
    };
  }, KUSTO_SCOPE);
  for (const [call, error] of Object.entries(seen.refused)) {
    assert.equal(error.errorCode, 'unsupported_authentication_scheme', `${call}: ${JSON.stringify(error)}`);
    assert.ok(error.isClass, `${call} is a ClientConfigurationError`);
    assert.match(error.errorMessage, /authenticationScheme must be 'Bearer'/, call);
    assert.ok(error.correlationId, `${call} has a correlation id`);
  }
  assert.deepEqual(seen.navigated, [], 'no redirect left for the IdP');
  assert.equal(seen.frames, 0, 'no hidden frame');
  // A popup opens inside the click, as MSAL's does, and closes with the refusal.
  const account = seen.account;
  const popup = await openPopup(page, 'acquireTokenPopup', { scopes: [KUSTO_SCOPE], account, authenticationScheme: 'pop' });
  if (!popup.isClosed()) await popup.waitForEvent('close');
  const popupOutcome = await page.evaluate(() => window.app.popupResult);
  assert.equal(popupOutcome.error?.errorCode, 'unsupported_authentication_scheme', JSON.stringify(popupOutcome));
  assert.deepEqual({ paths: f.idp.counts().paths, posts: f.idp.counts().posts }, { paths: {}, posts: {} }, 'nothing reached the IdP');
  assert.deepEqual([seen.bearer, seen.absent], [{ tokenType: 'Bearer' }, { tokenType: 'Bearer' }]);
  assertNoErrors(page);
  await page.context().close();
});
