// What MSAL apps rely on without saying so, end to end against the test IdP: relative redirect
// URIs, a redirect page that hands the result back without running app code or leaving a history
// entry, and OIDC-only silent requests answered from the ID token.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertNoErrors, authorizations, idpLogin } from '../support/browser.mjs';
import { KUSTO_SCOPE, startApp } from '../support/app.mjs';

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
