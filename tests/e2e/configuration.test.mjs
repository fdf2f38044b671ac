// msal-browser 5's configuration names, end to end: the popup and frame timeouts under their new
// names, auth.authorityMetadata instead of a discovery request, auth.azureCloudOptions, and
// auth.OIDCOptions; a value of the wrong type is a ClientConfigurationError naming its key.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertNoErrors, authorizations } from '../support/browser.mjs';
import { KUSTO_SCOPE, openPopup, startApp } from '../support/app.mjs';

let f;
before(async () => { f = await startApp(); });
after(() => f?.close());

const DISCOVERY = '/.well-known/openid-configuration';

test('system.popupBridgeTimeout and system.iframeBridgeTimeout time the popup and the hidden frame, over windowHashTimeout and iframeHashTimeout', async () => {
  f.configure({ cacheLocation: 'sessionStorage', popupBridgeTimeout: 1500, windowHashTimeout: 60_000, iframeBridgeTimeout: 1000, iframeHashTimeout: 60_000 });
  const page = await f.open();
  const clickedAt = Date.now();
  const popup = await openPopup(page, 'loginPopup', { scopes: [KUSTO_SCOPE] });
  const closed = popup.waitForEvent('close');
  const popupOutcome = await page.evaluate(() => window.app.popupResult);
  const popupElapsed = Date.now() - clickedAt;
  await closed;
  assert.equal(popupOutcome.error?.errorCode, 'monitor_window_timeout', JSON.stringify(popupOutcome));
  assert.ok(popupElapsed >= 1500 && popupElapsed < 6000, `the popup failed after ${popupElapsed} ms`);

  // The IdP answers the frame with an error page of its own origin, which never comes back.
  f.idp.setFault({ path: '/auth', status: 500 });
  const started = Date.now();
  const frameOutcome = await page.evaluate((scope) => window.app.sso({ scopes: [scope] }), KUSTO_SCOPE);
  const frameElapsed = Date.now() - started;
  assert.equal(frameOutcome.error?.errorCode, 'monitor_window_timeout', JSON.stringify(frameOutcome));
  assert.ok(frameElapsed >= 1000 && frameElapsed < 5000, `the frame failed after ${frameElapsed} ms`);

  const { system } = await page.evaluate(() => window.pca.getConfiguration());
  assert.deepEqual([system.popupBridgeTimeout, system.windowHashTimeout, system.iframeBridgeTimeout, system.iframeHashTimeout], [1500, 1500, 1000, 1000], 'getConfiguration reports the timeouts in use');
  await page.context().close();
});

test('auth.authorityMetadata stands in for the discovery request: a whole sign-in and a refresh without one', async () => {
  const metadata = await (await fetch(`${f.idp.issuer}${DISCOVERY}`)).text();
  f.configure({ cacheLocation: 'sessionStorage', authorityMetadata: metadata });
  f.idp.resetCounts();
  const page = await f.open();
  const back = await f.signIn(page, 'meg');
  assert.ok(back.ok, JSON.stringify(back.error));
  const renewed = await page.evaluate((scope) => window.app.silent({ scopes: [scope], forceRefresh: true }), KUSTO_SCOPE);
  assert.ok(renewed.ok, JSON.stringify(renewed.error));
  assert.deepEqual(f.idp.counts().token, { authorization_code: 1, refresh_token: 1 });
  assert.equal(f.idp.counts().paths[DISCOVERY], undefined, 'no discovery request');

  // The same app without it asks the provider once: the count above can see one.
  const discovered = await page.evaluate(async ({ clientId, authority }) => {
    const pca = new window.lib.PublicClientApplication({ auth: { clientId, authority }, cache: { cacheLocation: 'memoryStorage' } });
    await pca.loginRedirect({ scopes: ['openid'], onRedirectNavigate: () => false });
  }, { clientId: f.idp.clientId, authority: f.idp.issuer }).then(() => f.idp.counts().paths[DISCOVERY]);
  assert.equal(discovered, 1);
  assertNoErrors(page);
  await page.context().close();
});

test('auth.authorityMetadata is checked as a discovery answer is', async () => {
  const doc = await (await fetch(`${f.idp.issuer}${DISCOVERY}`)).json();
  f.configure({ cacheLocation: 'sessionStorage' });
  const page = await f.open();
  const refused = await page.evaluate(({ clientId, authority, documents }) => documents.map((authorityMetadata) => {
    try {
      new window.lib.PublicClientApplication({ auth: { clientId, authority, authorityMetadata } });
      return null;
    } catch (e) {
      return { ...window.describeError(e), isClass: e instanceof window.lib.ClientConfigurationError };
    }
  }), {
    clientId: f.idp.clientId,
    authority: f.idp.issuer,
    documents: [
      JSON.stringify({ ...doc, token_endpoint: 'https://collector.example/token' }),
      JSON.stringify({ ...doc, issuer: 'https://other.example' }),
      JSON.stringify({ ...doc, authorization_endpoint: undefined }),
      '{"issuer": ',
    ],
  });
  assert.deepEqual(refused.map((e) => [e?.errorCode, e?.isClass]), [
    ['openid_config_error', true],
    ['openid_config_error', true],
    ['openid_config_error', true],
    ['invalid_authority_metadata', true],
  ]);
  assert.match(refused[3].errorMessage, /^auth\.authorityMetadata /);
  assertNoErrors(page);
  await page.context().close();
});

test('auth.azureCloudOptions builds the authority of its cloud, unless its instance is None', async () => {
  f.configure({ cacheLocation: 'sessionStorage' });
  const page = await f.open();
  const seen = await page.evaluate(async ({ clientId, authority }) => {
    const { PublicClientApplication, AzureCloudInstance } = window.lib;
    // A client id each: a redirect kept from leaving stays under way in the tab.
    const run = async (auth, i) => {
      const pca = new PublicClientApplication({ auth: { clientId: `${clientId}-${i}`, ...auth }, cache: { cacheLocation: 'memoryStorage' } });
      let url = null;
      await pca.loginRedirect({ scopes: ['openid'], onRedirectNavigate: (u) => { url = u; return false; } });
      const sent = new URL(url);
      return [pca.getConfiguration().auth.authority, `${sent.origin}${sent.pathname}`];
    };
    return [
      await run({ azureCloudOptions: { azureCloudInstance: AzureCloudInstance.AzureUsGovernment, tenant: 'contoso.onmicrosoft.us' } }, 1),
      await run({ authority: 'https://login.microsoftonline.com/contoso.com', azureCloudOptions: { azureCloudInstance: AzureCloudInstance.AzureChina } }, 2),
      await run({ authority, azureCloudOptions: { azureCloudInstance: AzureCloudInstance.None, tenant: 'contoso.com' } }, 3),
    ];
  }, { clientId: f.idp.clientId, authority: f.idp.issuer });
  assert.deepEqual(seen, [
    ['https://login.microsoftonline.us/contoso.onmicrosoft.us', 'https://login.microsoftonline.us/contoso.onmicrosoft.us/oauth2/v2.0/authorize'],
    ['https://login.chinacloudapi.cn/common', 'https://login.chinacloudapi.cn/common/oauth2/v2.0/authorize'],
    [f.idp.issuer, `${f.idp.issuer}/auth`],
  ]);
  assertNoErrors(page);
  await page.context().close();
});

test('auth.OIDCOptions: defaultScopes replace openid/profile/offline_access, and responseMode "query" brings the response in the query', async () => {
  f.configure({ cacheLocation: 'sessionStorage', OIDCOptions: { responseMode: 'query', defaultScopes: ['email', 'offline_access'] } });
  const page = await f.open();
  const back = await f.signIn(page, 'oli');
  assert.ok(back.ok, JSON.stringify(back.error));
  const [sent] = authorizations(page, f.idp.issuer);
  assert.equal(sent.searchParams.get('response_mode'), 'query');
  assert.equal(sent.searchParams.get('scope'), `${KUSTO_SCOPE} email offline_access openid`);
  assert.equal(back.value.account.username, 'oli@example.com', 'the email scope named the user');
  assert.equal(back.value.idTokenClaims.name, undefined, 'no profile scope was asked for');
  assert.equal(new URL(page.url()).search, '', 'the response is gone from the address bar');
  assert.ok(back.value.refreshTokenExpiresOn, 'offline_access brought a refresh token');

  // msal-browser 5's position wins over the older auth.responseMode.
  const mode = await page.evaluate(async ({ clientId, authority }) => {
    const pca = new window.lib.PublicClientApplication({ auth: { clientId, authority, responseMode: 'query', OIDCOptions: { responseMode: 'fragment' } }, cache: { cacheLocation: 'memoryStorage' } });
    let url = null;
    await pca.loginRedirect({ scopes: ['openid'], onRedirectNavigate: (u) => { url = u; return false; } });
    return new URL(url).searchParams.get('response_mode');
  }, { clientId: f.idp.clientId, authority: f.idp.issuer });
  assert.equal(mode, 'fragment');
  assertNoErrors(page);
  await page.context().close();
});

test('a configuration value of the wrong type is a ClientConfigurationError that names its key', async () => {
  f.configure({ cacheLocation: 'sessionStorage' });
  const page = await f.open();
  const cases = [
    [{ system: { popupBridgeTimeout: '60s' } }, 'system.popupBridgeTimeout must be a positive number of milliseconds'],
    [{ system: { iframeBridgeTimeout: 0, iframeHashTimeout: 5000 } }, 'system.iframeBridgeTimeout must be a positive number of milliseconds'],
    [{ system: { popupBridgeTimeout: 5000, windowHashTimeout: -1 } }, 'system.windowHashTimeout must be a positive number of milliseconds'],
    [{ auth: { OIDCOptions: 'query' } }, 'auth.OIDCOptions must be an object'],
    [{ auth: { OIDCOptions: { defaultScopes: 'openid email' } } }, 'auth.OIDCOptions.defaultScopes must be an array'],
    [{ auth: { OIDCOptions: { responseMode: 'form_post' } } }, "auth.OIDCOptions.responseMode 'form_post' is not supported"],
    [{ auth: { azureCloudOptions: 'AzureUsGovernment' } }, 'auth.azureCloudOptions must be an object'],
    [{ auth: { azureCloudOptions: { azureCloudInstance: 'https://login.microsoftonline.us', tenant: 7 } } }, 'auth.azureCloudOptions.tenant must be a string'],
    [{ auth: { authorityMetadata: {} } }, 'auth.authorityMetadata must be a string'],
  ];
  const seen = await page.evaluate(({ clientId, authority, cases }) => cases.map(([{ auth, system }]) => {
    try {
      new window.lib.PublicClientApplication({ auth: { clientId, authority, ...auth }, system });
      return null;
    } catch (e) {
      return { ...window.describeError(e), isClass: e instanceof window.lib.ClientConfigurationError };
    }
  }), { clientId: f.idp.clientId, authority: f.idp.issuer, cases });
  seen.forEach((error, i) => {
    const [config, message] = cases[i];
    assert.ok(error?.isClass, `${JSON.stringify(config)}: ${JSON.stringify(error)}`);
    assert.ok(error.errorMessage.startsWith(message), `${JSON.stringify(config)}: ${error.errorMessage}`);
  });
  assertNoErrors(page);
  await page.context().close();
});
