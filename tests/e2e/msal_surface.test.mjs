// What code written against @azure/msal-browser finds besides the calls: its constants, with
// their values, the factories of msal-browser 3+, and setNavigationClient for apps with a router.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertNoErrors, idpLogin } from '../support/browser.mjs';
import { KUSTO_SCOPE, startApp } from '../support/app.mjs';

let f;
before(async () => { f = await startApp(); });
after(() => f?.close());

test('a configuration written with MSAL\'s constants works, and the constants have MSAL\'s values', async () => {
  f.configure({ cacheLocation: 'sessionStorage' });
  const page = await f.open();
  const seen = await page.evaluate(async ({ clientId, authority }) => {
    const { PublicClientApplication, LogLevel, BrowserCacheLocation, ProtocolMode, PromptValue, InteractionStatus } = window.lib;
    const levels = [];
    const pca = new PublicClientApplication({
      auth: { clientId, authority, knownAuthorities: [new URL(authority).host] },
      cache: { cacheLocation: BrowserCacheLocation.MemoryStorage },
      system: { protocolMode: ProtocolMode.OIDC, loggerOptions: { logLevel: LogLevel.Info, loggerCallback: (level) => levels.push(level) } },
    });
    let url = null;
    await pca.loginRedirect({ prompt: PromptValue.SELECT_ACCOUNT, onRedirectNavigate: (u) => { url = u; return false; } });
    return { url, levels, constants: { LogLevel, BrowserCacheLocation, ProtocolMode, PromptValue, InteractionStatus } };
  }, { clientId: f.idp.clientId, authority: f.idp.issuer });
  assert.equal(new URL(seen.url).searchParams.get('prompt'), 'select_account');
  assert.ok(seen.levels.length > 0 && seen.levels.every((l) => l === 2), JSON.stringify(seen.levels));
  assert.deepEqual(seen.constants, {
    LogLevel: { Error: 0, Warning: 1, Info: 2, Verbose: 3, Trace: 4, 0: 'Error', 1: 'Warning', 2: 'Info', 3: 'Verbose', 4: 'Trace' },
    BrowserCacheLocation: { LocalStorage: 'localStorage', SessionStorage: 'sessionStorage', MemoryStorage: 'memoryStorage' },
    ProtocolMode: { AAD: 'AAD', OIDC: 'OIDC' },
    PromptValue: { LOGIN: 'login', SELECT_ACCOUNT: 'select_account', CONSENT: 'consent', NONE: 'none', CREATE: 'create', NO_SESSION: 'no_session' },
    InteractionStatus: { Startup: 'startup', HandleRedirect: 'handleRedirect', Login: 'login', AcquireToken: 'acquireToken', SsoSilent: 'ssoSilent', Logout: 'logout', None: 'none' },
  });
  assertNoErrors(page);
  await page.context().close();
});

test('createStandardPublicClientApplication and PublicClientApplication.createPublicClientApplication give an instance, initialized once, on the same cache', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  assert.ok((await f.signIn(page, 'fay')).ok);
  f.idp.resetCounts();
  const seen = await page.evaluate(async ({ clientId, authority, scope }) => {
    const { PublicClientApplication, createStandardPublicClientApplication } = window.lib;
    const config = { auth: { clientId, authority }, cache: { cacheLocation: 'localStorage' } };
    const initialized = [];
    class Counting extends PublicClientApplication {
      initialize() {
        initialized.push(this);
        return super.initialize();
      }
    }
    const own = await Counting.createPublicClientApplication(config);
    const original = PublicClientApplication.prototype.initialize;
    PublicClientApplication.prototype.initialize = function () { initialized.push(this); return original.call(this); };
    const standard = await createStandardPublicClientApplication(config).finally(() => { PublicClientApplication.prototype.initialize = original; });
    const tokens = await Promise.all([own, standard].map((pca) => pca.acquireTokenSilent({ scopes: [scope], account: pca.getAllAccounts()[0] })));
    const bad = await createStandardPublicClientApplication({ auth: {} }).then(() => null, (e) => window.describeError(e));
    return {
      own: own instanceof Counting,
      standard: standard instanceof PublicClientApplication,
      initializedOnce: initialized.length === 2 && initialized[0] === own && initialized[1] === standard,
      tokens: tokens.map((t) => [t.account.username, t.fromCache]),
      bad,
    };
  }, { clientId: f.idp.clientId, authority: f.idp.issuer, scope: KUSTO_SCOPE });
  assert.deepEqual({ own: seen.own, standard: seen.standard, initializedOnce: seen.initializedOnce }, { own: true, standard: true, initializedOnce: true });
  assert.deepEqual(seen.tokens, [['fay@example.com', true], ['fay@example.com', true]]);
  assert.deepEqual(f.idp.counts().paths, {}, 'both answered from the cache the first instance filled');
  assert.ok(seen.bad?.instanceOf.includes('ClientConfigurationError'), `a configuration without a clientId rejects: ${JSON.stringify(seen.bad)}`);
  assertNoErrors(page);
  await page.context().close();
});

const navigations = (page) => page.evaluate(() => JSON.parse(sessionStorage.getItem('test:navigations') ?? '[]'));

test('setNavigationClient: the client leaves for the IdP, and a router that brings the user back in place gets the result on that page load', async () => {
  f.configure({ cacheLocation: 'sessionStorage', navigationClient: 'router' });
  const page = await f.open();
  const start = `${f.web.origin}/app/?route=reports`;
  await f.goto(page, start);
  const back = await f.signIn(page, 'nia');
  assert.ok(back.ok, JSON.stringify(back.error));
  assert.equal(back.value.account.username, 'nia@example.com');
  assert.equal(page.url(), start, 'routed to the page where sign-in started');
  const seen = await navigations(page);
  assert.deepEqual(seen.map(({ kind, noHistory }) => [kind, noHistory]), [['external', false], ['internal', true]]);
  assert.equal(new URL(seen[0].url).origin, f.idp.issuer);
  assert.equal(seen[1].url, start);
  assert.deepEqual(Object.keys((await page.evaluate(() => window.app.storage())).session).filter((k) => k.includes('|handover')), [], 'nothing left for a later page load');
  assertNoErrors(page);
  await page.context().close();
});

test('setNavigationClient: a client that leaves the page gets the result on the start page\'s load; one that fails is an error and leaves nothing behind', async () => {
  f.configure({ cacheLocation: 'sessionStorage', navigationClient: 'reload' });
  const page = await f.open();
  const start = `${f.web.origin}/app/?route=settings`;
  await f.goto(page, start);
  await Promise.all([page.waitForURL((u) => u.origin === f.idp.issuer), page.evaluate((scopes) => { window.app.login({ scopes }); }, [KUSTO_SCOPE])]);
  await idpLogin(page, 'noa');
  await page.waitForURL(start);
  await page.waitForFunction(() => window.app);
  const back = await page.evaluate(() => window.app.redirect);
  assert.ok(back.ok && back.value, JSON.stringify(back));
  assert.equal(back.value.account.username, 'noa@example.com');
  assert.deepEqual((await navigations(page)).map(({ kind, url }) => [kind, kind === 'internal' ? url : new URL(url).origin]), [['external', f.idp.issuer], ['internal', start]]);
  await page.context().close();

  f.configure({ cacheLocation: 'sessionStorage', navigationClient: 'broken' });
  const other = await f.open();
  await f.goto(other, start);
  const failed = await f.signIn(other, 'nell');
  assert.equal(failed.ok, false);
  assert.equal(failed.error.errorCode, 'navigation_failed');
  assert.match(failed.error.errorMessage, /navigationClient\.navigateInternal failed: no route for that/);
  assert.deepEqual((await other.evaluate(() => window.app.accounts())).map((a) => a.username), ['nell@example.com'], 'the sign-in itself stands');
  await f.goto(other, start);
  assert.deepEqual(await other.evaluate(() => window.app.redirect), { ok: true, value: null }, 'no stale result on the next load');
  await other.context().close();
});


test('setNavigationClient: a navigateExternal that fails rejects loginRedirect and logoutRedirect with navigation_failed, and the next sign-in is not blocked', async () => {
  f.configure({ cacheLocation: 'sessionStorage', navigationClient: 'offline' });
  const page = await f.open();
  const here = page.url();
  f.idp.resetCounts();
  const login = await page.evaluate((scopes) => window.app.login({ scopes }), [KUSTO_SCOPE]);
  assert.equal(login.ok, false);
  assert.equal(login.error.errorCode, 'navigation_failed');
  assert.ok(login.error.instanceOf.includes('BrowserAuthError'), JSON.stringify(login.error));
  assert.match(login.error.errorMessage, /navigationClient\.navigateExternal failed: no way out/);
  assert.ok(login.error.correlationId, 'the failure carries the request\'s correlation id');
  // Nothing is left under way: the next sign-in starts rather than failing with interaction_in_progress.
  const again = await page.evaluate((scopes) => window.app.login({ scopes, onRedirectNavigate: () => false }), [KUSTO_SCOPE]);
  assert.ok(again.ok, JSON.stringify(again.error));
  const logout = await page.evaluate(() => window.app.logout({}));
  assert.equal(logout.error?.errorCode, 'navigation_failed');
  assert.equal((await navigations(page)).filter(({ kind }) => kind === 'external').length, 2, 'the client was asked for the sign-in and the sign-out');
  assert.equal(page.url(), here, 'the page stayed');
  assert.deepEqual(f.idp.counts().paths, { '/.well-known/openid-configuration': 1 }, 'nothing reached the IdP but discovery');
  assertNoErrors(page);
  await page.context().close();
});

test('handleRedirectPromise takes the response hash the app captured, as a string or as options.hash, and leaves the router\'s fragment alone', async () => {
  for (const [captureHash, login] of [['string', 'hal'], ['options', 'hob']]) {
    f.configure({ cacheLocation: 'sessionStorage', captureHash });
    const page = await f.open();
    const back = await f.signIn(page, login);
    assert.ok(back.ok && back.value, `${captureHash}: ${JSON.stringify(back)}`);
    assert.equal(back.value.account.username, `${login}@example.com`);
    assert.equal(new URL(page.url()).hash, '#/home', 'the route stays in the address bar');
    assertNoErrors(page);
    await page.context().close();
  }
});

test('getConfiguration: the configuration with the defaults the library acts on', async () => {
  f.configure({ cacheLocation: 'sessionStorage' });
  const page = await f.open();
  const seen = await page.evaluate(async ({ clientId, authority }) => {
    const pca = new window.lib.PublicClientApplication({ auth: { clientId, authority }, system: { windowHashTimeout: 5000 } });
    let url = null;
    await pca.loginRedirect({ scopes: ['openid'], onRedirectNavigate: (u) => { url = u; return false; } });
    // Relative URIs are reported as the library resolved and sends them.
    const relative = new window.lib.PublicClientApplication({ auth: { clientId, authority, redirectUri: '/', postLogoutRedirectUri: '/signed-out' } }).getConfiguration().auth;
    return { configuration: pca.getConfiguration(), authorize: url, page: location.href, relative: [relative.redirectUri, relative.postLogoutRedirectUri] };
  }, { clientId: f.idp.clientId, authority: f.idp.issuer });
  assert.deepEqual(seen.relative, [`${f.web.origin}/`, `${f.web.origin}/signed-out`]);
  const { auth, cache, system } = seen.configuration;
  assert.equal(auth.clientId, f.idp.clientId);
  assert.equal(auth.authority, f.idp.issuer);
  assert.equal(auth.redirectUri, new URL(seen.authorize).searchParams.get('redirect_uri'), 'the redirect URI the sign-in sent');
  assert.equal(auth.redirectUri, seen.page.split(/[?#]/)[0]);
  assert.equal(auth.postLogoutRedirectUri, auth.redirectUri);
  assert.deepEqual({ knownAuthorities: auth.knownAuthorities, navigateToLoginRequestUrl: auth.navigateToLoginRequestUrl }, { knownAuthorities: [], navigateToLoginRequestUrl: true });
  assert.deepEqual(cache, { cacheLocation: 'sessionStorage' });
  assert.deepEqual(system, { tokenRenewalOffsetSeconds: 300, iframeBridgeTimeout: 10000, iframeHashTimeout: 10000, popupBridgeTimeout: 5000, windowHashTimeout: 5000, redirectNavigationTimeout: 30000, allowRedirectInIframe: false });
  assert.deepEqual({ OIDCOptions: auth.OIDCOptions, azureCloudOptions: auth.azureCloudOptions, authorityMetadata: auth.authorityMetadata }, {
    OIDCOptions: { responseMode: 'fragment', defaultScopes: ['openid', 'profile', 'offline_access'] },
    azureCloudOptions: { azureCloudInstance: 'none', tenant: '' },
    authorityMetadata: '',
  });
  assertNoErrors(page);
  await page.context().close();
});
