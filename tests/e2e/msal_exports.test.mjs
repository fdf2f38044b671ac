// The names besides PublicClientApplication that code written for @azure/msal-browser imports
// (error codes and classes, EventMessageUtils, BrowserUtils, the factories, constants), from a
// native-ESM page, the ./web entry and the script-tag global, checked against msal-browser's own.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';

import * as Msal5 from '@azure/msal-browser';
import * as Msal4 from 'msal-browser-4';

import { assertNoErrors, idpLogin, newPage } from '../support/browser.mjs';
import { KUSTO_SCOPE, startApp } from '../support/app.mjs';
import { ROOT } from '../support/tarball.mjs';

let f;
before(async () => { f = await startApp(); });
after(() => f?.close());

const NAMES = [
  'EventMessageUtils', 'AuthErrorCodes', 'BrowserAuthErrorCodes', 'BrowserConfigurationAuthErrorCodes', 'ClientAuthErrorCodes',
  'ClientConfigurationErrorCodes', 'InteractionRequiredAuthErrorCodes', 'AuthError', 'BrowserAuthError', 'BrowserConfigurationAuthError',
  'ClientAuthError', 'ClientConfigurationError', 'InteractionRequiredAuthError', 'ServerError', 'BrowserUtils', 'WrapperSKU',
  'OIDC_DEFAULT_SCOPES', 'stubbedPublicClientApplication', 'AzureCloudInstance', 'ResponseMode', 'AuthenticationScheme',
  'createNestablePublicClientApplication', 'version', 'LogLevel',
];

const CODES = ['AuthErrorCodes', 'BrowserAuthErrorCodes', 'BrowserConfigurationAuthErrorCodes', 'ClientAuthErrorCodes', 'ClientConfigurationErrorCodes', 'InteractionRequiredAuthErrorCodes'];

// The codes the library raises (src/), by the class that carries them.
const RAISED = {
  BrowserAuthErrorCodes: ['interaction_in_progress', 'user_cancelled', 'popup_window_error', 'empty_window_error', 'monitor_window_timeout', 'no_account_error', 'no_network_connectivity', 'crypto_nonexistent', 'navigation_failed', 'no_window', 'no_history', 'cache_write_failed', 'request_cancelled', 'request_timeout'],
  ClientAuthErrorCodes: ['token_parsing_error', 'null_or_empty_token', 'state_mismatch', 'state_not_found', 'nonce_mismatch', 'no_state_in_hash', 'token_refresh_required', 'failed_to_parse_response', 'redirect_response_malformed', 'account_mismatch', 'audience_mismatch', 'issuer_mismatch', 'id_token_expired', 'id_token_not_yet_valid'],
  ClientConfigurationErrorCodes: ['authority_uri_insecure', 'url_parse_error', 'empty_input_scopes_error', 'endpoints_resolution_error', 'openid_config_error', 'invalid_known_authorities', 'invalid_request_parameter', 'invalid_prompt_value', 'invalid_token_source', 'unsupported_authentication_scheme', 'invalid_authority_metadata', 'invalid_response_mode'],
  InteractionRequiredAuthErrorCodes: ['no_tokens_found', 'refresh_token_expired', 'interaction_required', 'consent_required', 'login_required'],
  AuthErrorCodes: ['post_request_failed'],
  BrowserConfigurationAuthErrorCodes: ['stubbed_public_client_application_called'],
};

async function openExports(context, url = `${f.web.origin}/exports/`) {
  const page = await newPage(context ?? (await f.browser.newContext()));
  await page.goto(url);
  await page.waitForFunction(() => window.ready);
  return page;
}

test('every name loads from a native-ESM import, the ./web entry and the script-tag global, with msal-browser\'s values', async () => {
  const page = await openExports();
  const seen = await page.evaluate((names) => {
    const kinds = Object.fromEntries(Object.entries(window.entries).map(([entry, lib]) => [entry, names.map((n) => typeof lib[n])]));
    const data = (lib) => JSON.stringify(names.filter((n) => typeof lib[n] !== 'function').map((n) => lib[n]));
    const { LogLevel, version } = window.names;
    return {
      kinds,
      sameData: Object.values(window.entries).map(data).every((d, _, all) => d === all[0]),
      tables: Object.fromEntries(names.filter((n) => typeof window.names[n] === 'object' && !['BrowserUtils', 'stubbedPublicClientApplication'].includes(n)).map((n) => [n, { ...window.names[n] }])),
      scopes: [...window.names.OIDC_DEFAULT_SCOPES],
      levels: [LogLevel[0], LogLevel[4], LogLevel.Error, LogLevel.Trace],
      version,
    };
  }, NAMES);
  const expectedKinds = NAMES.map((n) => (n === 'version' ? 'string' : typeof Msal5[n]));
  for (const [entry, kinds] of Object.entries(seen.kinds)) assert.deepEqual(kinds, expectedKinds, entry);
  assert.ok(seen.sameData, 'the entries agree on every value');

  for (const name of ['WrapperSKU', 'AzureCloudInstance', 'ResponseMode', 'AuthenticationScheme', 'LogLevel']) {
    assert.deepEqual(seen.tables[name], { ...Msal5[name] }, name);
  }
  assert.deepEqual(seen.scopes, Msal5.OIDC_DEFAULT_SCOPES);
  assert.deepEqual(seen.levels, ['Error', 'Trace', 0, 4], 'LogLevel maps both ways, as a TypeScript enum');
  assert.equal(seen.version, /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(`${ROOT}/Cargo.toml`, 'utf8'))[1]);

  assert.equal(seen.tables.BrowserAuthErrorCodes.interactionInProgress, 'interaction_in_progress');
  assert.equal(seen.tables.InteractionRequiredAuthErrorCodes.noTokensFound, 'no_tokens_found');
  for (const name of CODES) {
    const ours = seen.tables[name];
    // Where msal-browser has the name, the value is its value.
    for (const [key, value] of Object.entries(ours)) {
      if (key in Msal5[name]) assert.equal(value, Msal5[name][key], `${name}.${key}`);
    }
    assert.deepEqual(RAISED[name].filter((code) => !Object.values(ours).includes(code)), [], `${name} names every code raised with its class`);
  }
  assertNoErrors(page);
  await page.context().close();
});

test('the error classes take msal-browser 5\'s constructor parameters, keep its fields and its hierarchy', async () => {
  const page = await openExports();
  // [class, constructor arguments, the fields msal-browser 5 sets from them]
  const cases = [
    ['AuthError', ['code_a', 'corr-1', 'message a', 'sub a']],
    ['ClientAuthError', ['state_mismatch', 'corr-2', 'message b']],
    ['ServerError', ['server_error', 'corr-3', 'message c', 'sub c']],
    ['InteractionRequiredAuthError', ['login_required', 'corr-4', 'message d', 'sub d', 'ts', 'trace', 'claims d']],
    ['BrowserConfigurationAuthError', ['storage_not_supported', 'corr-5', 'message e']],
  ];
  const fields = (e) => ({ name: e.name, errorCode: e.errorCode, errorMessage: e.errorMessage, subError: e.subError, correlationId: e.correlationId, message: e.message, claims: e.claims });
  const seen = await page.evaluate(({ cases }) => {
    const lib = window.names;
    const fields = (e) => ({ name: e.name, errorCode: e.errorCode, errorMessage: e.errorMessage, subError: e.subError, correlationId: e.correlationId, message: e.message, claims: e.claims });
    const browser = new lib.BrowserAuthError('user_cancelled', 'corr-6', 'sub f');
    const classes = ['AuthError', 'BrowserAuthError', 'ClientAuthError', 'ServerError', 'InteractionRequiredAuthError', 'ClientConfigurationError', 'BrowserConfigurationAuthError'];
    const all = [...cases.map(([name, args]) => new lib[name](...args)), browser, new lib.ClientConfigurationError('url_parse_error', 'corr-7')];
    return {
      made: cases.map(([name, args]) => fields(new lib[name](...args))),
      browser: { ...fields(browser), errorMessage: undefined, message: undefined },
      hierarchy: all.map((e) => [e instanceof Error, e instanceof lib.AuthError, classes.filter((c) => e instanceof lib[c])]),
    };
  }, { cases });
  assert.deepEqual(seen.made, cases.map(([name, args]) => fields(new Msal5[name](...args))));
  // msal-browser's BrowserAuthError message is a link to its documentation; the rest is the same.
  assert.deepEqual(seen.browser, { ...fields(new Msal5.BrowserAuthError('user_cancelled', 'corr-6', 'sub f')), errorMessage: undefined, message: undefined });
  assert.deepEqual(seen.hierarchy, [
    [true, true, ['AuthError']],
    [true, true, ['AuthError', 'ClientAuthError']],
    [true, true, ['AuthError', 'ServerError']],
    [true, true, ['AuthError', 'InteractionRequiredAuthError']],
    [true, true, ['AuthError', 'BrowserConfigurationAuthError']],
    [true, true, ['AuthError', 'BrowserAuthError']],
    [true, true, ['AuthError', 'ClientConfigurationError']],
  ]);
  assertNoErrors(page);
  await page.context().close();
});

test('errors the library raises keep their class, code, message and correlation id', async () => {
  f.configure({ cacheLocation: 'sessionStorage' });
  const page = await f.open();
  const seen = await page.evaluate(async ({ clientId, authority, scope }) => {
    const lib = window.lib;
    const describe = (e) => ({ name: e.name, errorCode: e.errorCode, message: e.message, errorMessage: e.errorMessage, correlationId: e.correlationId, subError: e.subError });
    let config;
    try {
      new lib.PublicClientApplication({ auth: {} });
    } catch (e) {
      config = { ...describe(e), isClass: e instanceof lib.ClientConfigurationError && e instanceof lib.AuthError };
    }
    const pca = new lib.PublicClientApplication({ auth: { clientId, authority } });
    await pca.initialize();
    // No IdP session: the hidden frame's answer is that the user must sign in.
    const sso = await pca.ssoSilent({ scopes: ['openid'], correlationId: 'corr-sso' }).then(() => null, (e) => ({ ...describe(e), isClass: e instanceof lib.InteractionRequiredAuthError, code: e.errorCode === lib.InteractionRequiredAuthErrorCodes.loginRequired }));
    const silent = await pca.acquireTokenSilent({ scopes: [scope] }).then(() => null, (e) => ({ ...describe(e), isClass: e instanceof lib.BrowserAuthError, code: e.errorCode === lib.BrowserAuthErrorCodes.noAccountError }));
    return { config, sso, silent };
  }, { clientId: f.idp.clientId, authority: f.idp.issuer, scope: KUSTO_SCOPE });
  assert.equal(seen.config.name, 'ClientConfigurationError');
  assert.ok(seen.config.isClass);
  assert.equal(seen.config.message, `${seen.config.errorCode}: ${seen.config.errorMessage}`);
  assert.deepEqual({ name: seen.sso.name, isClass: seen.sso.isClass, code: seen.sso.code, correlationId: seen.sso.correlationId }, { name: 'InteractionRequiredAuthError', isClass: true, code: true, correlationId: 'corr-sso' });
  assert.ok(seen.sso.errorMessage && seen.sso.message.startsWith('login_required: '), JSON.stringify(seen.sso));
  assert.deepEqual({ name: seen.silent.name, isClass: seen.silent.isClass, code: seen.silent.code }, { name: 'BrowserAuthError', isClass: true, code: true });
  assert.ok(seen.silent.errorMessage, 'the library\'s own message, not msal-browser\'s link');
  await page.context().close();
});

/** [eventType, interactionType, status before] for every event of either generation, kind of call and status. */
function everyCase() {
  const events = [...new Set([...Object.values(Msal4.EventType), ...Object.values(Msal5.EventType)])];
  const statuses = [undefined, ...Object.values(Msal4.InteractionStatus)];
  return events.flatMap((eventType) => ['redirect', 'popup', 'silent', null].flatMap((interactionType) => statuses.map((status) => [eventType, interactionType, status])));
}

test('EventMessageUtils derives the interaction status from an event as msal-browser 5 does, for every event either generation sends', async () => {
  const page = await openExports();
  const cases = everyCase();
  const ours = await page.evaluate((cases) => cases.map(([eventType, interactionType, status]) => window.names.EventMessageUtils.getInteractionStatusFromEvent({ eventType, interactionType }, status ?? undefined)), cases);
  const at = (msal, [eventType, interactionType, status]) => msal.EventMessageUtils.getInteractionStatusFromEvent({ eventType, interactionType }, status);
  // As msal-browser 5, which ignores the names only 2–4 send (LOGIN_START, SSO_SILENT_*): the
  // instance sends both, and a status must not flip between the two generations' answers.
  assert.deepEqual(ours, cases.map((c) => at(Msal5, c)));
  assert.ok(cases.some((c, i) => at(Msal4, c) !== ours[i]), 'the cases include some where 4 answers otherwise');
  const samples = [
    [{ eventType: 'msal:loginStart', interactionType: 'popup' }, 'none'],
    [{ eventType: 'msal:acquireTokenStart', interactionType: 'popup' }, 'none'],
    [{ eventType: 'msal:acquireTokenStart', interactionType: 'silent' }, 'none'],
    [{ eventType: 'msal:acquireTokenSuccess', interactionType: 'popup' }, 'acquireToken'],
    [{ eventType: 'msal:handleRedirectEnd', interactionType: 'redirect' }, 'logout'],
  ];
  assert.deepEqual(await page.evaluate((samples) => samples.map(([message, status]) => window.names.EventMessageUtils.getInteractionStatusFromEvent(message, status)), samples), [null, 'acquireToken', null, 'none', null]);
  await page.context().close();
});

test('createNestablePublicClientApplication: outside a host, a standard instance, initialized, on the app\'s cache; the stub signs nobody in', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  assert.ok((await f.signIn(page, 'nat')).ok);
  f.idp.resetCounts();
  const seen = await page.evaluate(async ({ clientId, authority, scope }) => {
    const lib = window.lib;
    const pending = lib.createNestablePublicClientApplication({ auth: { clientId, authority }, cache: { cacheLocation: 'localStorage' } });
    const pca = await pending;
    const token = await pca.acquireTokenSilent({ scopes: [scope], account: pca.getAllAccounts()[0] });
    const stub = lib.stubbedPublicClientApplication;
    const rejected = await Promise.all(['initialize', 'handleRedirectPromise', 'loginRedirect', 'acquireTokenSilent', 'logoutRedirect'].map((m) => stub[m]({}).then(() => null, (e) => [e.name, e.errorCode, e instanceof lib.BrowserConfigurationAuthError])));
    let thrown = null;
    try {
      stub.getConfiguration();
    } catch (e) {
      thrown = e.errorCode;
    }
    return {
      isPromise: pending instanceof Promise,
      instance: pca instanceof lib.PublicClientApplication,
      token: [token.account.username, token.fromCache],
      rejected,
      thrown,
      quiet: [stub.getAllAccounts(), stub.getAccount({}), stub.getActiveAccount(), stub.addEventCallback(() => {})],
    };
  }, { clientId: f.idp.clientId, authority: f.idp.issuer, scope: KUSTO_SCOPE });
  assert.deepEqual({ isPromise: seen.isPromise, instance: seen.instance, token: seen.token }, { isPromise: true, instance: true, token: ['nat@example.com', true] });
  assert.deepEqual(f.idp.counts().paths, {}, 'answered from the cache the app filled');
  const stubbed = ['BrowserConfigurationAuthError', 'stubbed_public_client_application_called', true];
  assert.deepEqual(seen.rejected, [stubbed, stubbed, stubbed, stubbed, stubbed]);
  assert.equal(seen.thrown, 'stubbed_public_client_application_called');
  assert.deepEqual(seen.quiet, [[], null, null, null]);
  assertNoErrors(page);
  await page.context().close();
});

test('getAccount: an empty filter names no account; loginHint matches the account\'s preferred_username; the older lookups by one field', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  assert.ok((await f.signIn(page, 'lia')).ok);
  const seen = await page.evaluate(() => [{}, { loginHint: 'lia@example.com' }, { loginHint: 'someone@example.com' }, { username: 'LIA@example.com' }].map((filter) => window.pca.getAccount(filter)?.username ?? null));
  assert.deepEqual(seen, [null, 'lia@example.com', null, 'lia@example.com']);
  const lookups = await page.evaluate(() => {
    const { pca } = window;
    const [account] = pca.getAllAccounts();
    const name = (found) => found?.username ?? null;
    return {
      found: [pca.getAccountByHomeId(account.homeAccountId), pca.getAccountByLocalId(account.localAccountId), pca.getAccountByUsername('Lia@Example.com')].map(name),
      missed: [pca.getAccountByHomeId('nobody'), pca.getAccountByLocalId(''), pca.getAccountByUsername(undefined)].map(name),
    };
  });
  assert.deepEqual(lookups, { found: ['lia@example.com', 'lia@example.com', 'lia@example.com'], missed: [null, null, null] });
  assertNoErrors(page);
  await page.context().close();
});

test('BrowserUtils: fresh GUIDs, where the page is, and a frame that holds a sign-in response refuses to start the app again', async () => {
  const page = await openExports(undefined, `${f.web.origin}/exports/?route=a#/home`);
  const seen = await page.evaluate(async () => {
    const { BrowserUtils } = window.names;
    const here = { inIframe: BrowserUtils.isInIframe(), inPopup: BrowserUtils.isInPopup(), current: BrowserUtils.getCurrentUri(), home: BrowserUtils.getHomepage() };
    const guids = [BrowserUtils.createGuid(), BrowserUtils.createGuid()];
    BrowserUtils.clearHash(window);
    const routeKept = location.href;
    history.replaceState(null, '', '#code=c&state=s');
    const length = history.length;
    BrowserUtils.clearHash(window);
    const cleared = [location.href, history.length === length];
    const frame = document.createElement('iframe');
    frame.src = '/exports/#code=c&state=s';
    document.body.append(frame);
    await new Promise((resolve) => { const poll = () => (frame.contentWindow.ready ? resolve() : setTimeout(poll, 20)); poll(); });
    return { here, guids, routeKept, cleared, frame: frame.contentWindow.frameCheck, top: window.frameCheck };
  });
  const origin = f.web.origin;
  assert.deepEqual(seen.here, { inIframe: false, inPopup: false, current: `${origin}/exports/`, home: `${origin}/` });
  assert.match(seen.guids[0], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'createGuid gives a UUID (msal-react makes correlation ids with it)');
  assert.notEqual(seen.guids[0], seen.guids[1]);
  assert.equal(seen.routeKept, `${origin}/exports/?route=a#/home`, 'a fragment that is no sign-in response stays');
  assert.deepEqual(seen.cleared, [`${origin}/exports/?route=a`, true]);
  assert.deepEqual(seen.top, { inIframe: false, inPopup: false, blocked: null });
  assert.deepEqual(seen.frame, { inIframe: true, inPopup: false, blocked: { name: 'BrowserAuthError', errorCode: 'block_iframe_reload', isBrowserAuthError: true } });
  await page.context().close();
});

test('a sign-in\'s events take an MSAL app\'s interaction status through handleRedirect and back; a silent sign-in leaves it, as in msal-browser 5', async () => {
  f.configure({ cacheLocation: 'sessionStorage' });
  const page = await f.open();
  await page.evaluate(() => window.app.redirect);
  await Promise.all([page.waitForURL((u) => u.origin === f.idp.issuer), page.evaluate((scopes) => { window.app.login({ scopes }); }, [KUSTO_SCOPE])]);
  await idpLogin(page, 'ora');
  await page.waitForFunction(() => window.app);
  await page.evaluate(() => window.app.redirect);
  await page.evaluate((scope) => window.app.sso({ scopes: [scope] }), KUSTO_SCOPE);
  const trail = await page.evaluate(() => {
    let status = 'startup';
    return window.app.events.map((m) => (status = window.lib.EventMessageUtils.getInteractionStatusFromEvent(m, status) ?? status));
  });
  assert.deepEqual(trail.filter((s, i) => s !== trail[i - 1]), ['startup', 'handleRedirect', 'none']);
  assert.ok((await page.evaluate(() => window.app.events.filter((m) => m.interactionType === 'silent').length)) > 0);
  await page.context().close();
});
