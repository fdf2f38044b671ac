// The package under a strict Content-Security-Policy, sent as a header with each test page
// (tests/e2e/csp/): every entry loads, signs in, renews through the hidden frame and queries
// Kusto with no violation, and the checks fail when the policy lacks what the package needs.
// Violations are seen twice: as securitypolicyviolation events, which the pages keep in
// sessionStorage, and as the console errors Chromium reports them with (newPage fails on those).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startApp } from '../support/app.mjs';
import { assertLocalOnly, assertNoErrors, authorizations, idpLogin, idpLoginInPopup, newPage } from '../support/browser.mjs';
import { loadStormEvents } from '../support/kusto.mjs';

const SCOPE = 'http://localhost/.default'; // the local Kusto endpoint's resource
const ROWS = loadStormEvents().rows.length;

let f;
let policy = '';
before(async () => {
  f = await startApp({}, { kusto: true, headers: (path) => (path.startsWith('/csp/') && path.endsWith('.html') ? { 'Content-Security-Policy': policy } : undefined) });
});
after(() => f?.close());

/**
 * The policy README.md documents, with `default-src 'none'` so that anything else the package
 * used would be refused and reported. `connect-src 'self'` only where asked (the /web entry).
 */
function strict({ script = "'self' 'wasm-unsafe-eval'", connectSelf = false, frameSrc = `'self' ${f.idp.issuer}`, frameAncestors = "'self'" } = {}) {
  return [
    "default-src 'none'",
    `script-src ${script}`,
    `connect-src ${connectSelf ? "'self' " : ''}${f.idp.issuer} ${f.kusto.url}`,
    `frame-src ${frameSrc}`,
    `frame-ancestors ${frameAncestors}`,
    "base-uri 'none'",
    "form-action 'none'",
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join('; ');
}

/** A fresh context on `/csp/{entry}.html`, its settings in the query; the page's response is checked for the policy. */
async function open(entry, { allowErrors, iframeHashTimeout = 10_000 } = {}) {
  const page = await newPage(await f.browser.newContext(), { allowErrors });
  const query = new URLSearchParams({ clientId: f.idp.clientId, authority: f.idp.issuer, iframeHashTimeout });
  const response = await page.goto(`${f.web.origin}/csp/${entry}.html?${query}`);
  assert.equal(response.headers()['content-security-policy'], policy, 'the page came with the policy');
  return page;
}

const violations = (page) => page.evaluate(() => JSON.parse(sessionStorage.getItem('csp:violations') ?? '[]'));
const loaded = (page) => page.waitForFunction(() => window.app).then(() => page.evaluate(() => window.app.redirect));
const silent = (page, request) => page.evaluate((r) =>
  window.pca.acquireTokenSilent({ scopes: r.scopes, account: window.pca.getAllAccounts()[0], ...(r.skip && { cacheLookupPolicy: window.lib.CacheLookupPolicy.Skip }) })
    .then((t) => ({ ok: true, fromCache: t.fromCache, username: t.account.username }), (e) => ({ ok: false, errorCode: e.errorCode })), request);
const sso = (page) => page.evaluate((scope) =>
  window.pca.ssoSilent({ scopes: [scope] }).then((t) => ({ ok: true, username: t.account.username }), (e) => ({ ok: false, errorCode: e.errorCode })), SCOPE);

// Started from a timer, so that the navigation it begins cannot cut the evaluation short.
const navigateBy = (page, call) => page.evaluate((c) => { setTimeout(() => window.pca[c.method](c.request)); }, call);

async function signInRenewQuery(entry, login, kustoFiles) {
  policy = strict({ connectSelf: entry === 'web' });
  const page = await open(entry);
  assert.deepEqual(await loaded(page), { ok: true, username: null });

  // Redirect sign-in, and handleRedirectPromise on the way back.
  await Promise.all([page.waitForURL((u) => u.origin === f.idp.issuer), navigateBy(page, { method: 'loginRedirect', request: { scopes: [SCOPE] } })]);
  await idpLogin(page, login);
  assert.deepEqual(await loaded(page), { ok: true, username: `${login}@example.com` });
  assert.deepEqual(await silent(page, { scopes: [SCOPE] }), { ok: true, fromCache: true, username: `${login}@example.com` });

  // Renewals through the hidden frame (prompt=none against the IdP's session), which comes back
  // to this page, under the same policy, and is read from there.
  const from = page.record.requests.length;
  f.idp.resetCounts();
  assert.deepEqual(await silent(page, { scopes: [SCOPE], skip: true }), { ok: true, fromCache: false, username: `${login}@example.com` });
  assert.deepEqual(await sso(page), { ok: true, username: `${login}@example.com` });
  assert.deepEqual(authorizations(page, f.idp.issuer, from).map((u) => u.searchParams.get('prompt')), ['none', 'none']);
  assert.equal(f.idp.counts().token.authorization_code, 2, 'both frames brought back a code');

  // A query: the Kusto module loads (its wasm compiled from bytes or fetched) and calls the cluster.
  const served = f.web.served().length;
  const rows = await page.evaluate((cluster) => new window.lib.KustoClient(cluster, { pca: window.pca }).query('Samples', 'StormEvents | count').then((r) => r.primaryResults[0].rows), f.kusto.url);
  assert.deepEqual(rows, [[ROWS]]);
  assert.deepEqual(f.web.served().slice(served).filter((p) => p.startsWith('/pkg/')).sort(), kustoFiles);

  // And out again, back to this page.
  await Promise.all([page.waitForURL((u) => u.origin === f.web.origin && !u.search), navigateBy(page, { method: 'logoutRedirect', request: {} })]);
  assert.deepEqual(await loaded(page), { ok: true, username: null });
  assert.deepEqual(await page.evaluate(() => window.pca.getAllAccounts()), []);

  assert.deepEqual(await violations(page), []);
  assertNoErrors(page);
  assertLocalOnly(page);
  await page.context().close();
}

test('the default entry signs in, renews through the hidden frame and queries Kusto under the strict policy', () =>
  signInRenewQuery('default', 'ada', ['/pkg/kusto_client.js', '/pkg/kusto_client_inline.js', '/pkg/kusto_client_wasm.js']));

test("the /web entry does the same with connect-src 'self' added for its .wasm files", () =>
  signInRenewQuery('web', 'bo', ['/pkg/kusto_client.js', '/pkg/kusto_client_bg.wasm', '/pkg/kusto_client_web.js']));

test('the script-tag build does the same (its Kusto module is in the one file)', () =>
  signInRenewQuery('iife', 'cy', []));

test('loginPopup and logoutPopup under the strict policy', async () => {
  policy = strict();
  const page = await open('default');
  assert.deepEqual(await loaded(page), { ok: true, username: null });
  const click = async (method, request) => {
    await page.evaluate((call) => { window.app.popupCall = call; }, { method, request });
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#popup')]);
    return popup;
  };
  // A popup's page keeps its own copy of sessionStorage: its violations show as console errors.
  await idpLoginInPopup(await click('loginPopup', { scopes: [SCOPE] }), 'dee');
  assert.deepEqual(await page.evaluate(() => window.app.popupResult), { ok: true, username: 'dee@example.com' });
  const logout = await click('logoutPopup', {});
  await logout.waitForEvent('close');
  assert.deepEqual(await page.evaluate(() => window.app.popupResult), { ok: true, username: null });
  assert.deepEqual(await page.evaluate(() => window.pca.getAllAccounts()), []);
  assert.deepEqual(await violations(page), []);
  assertNoErrors(page);
  assertLocalOnly(page);
  await page.context().close();
});

test("without 'wasm-unsafe-eval' no entry loads: compiling its wasm is a script-src violation", async () => {
  policy = strict({ script: "'self'", connectSelf: true });
  for (const [entry, source] of [['default', 'kusto_spa_auth.js'], ['web', 'kusto_spa_auth.js'], ['iife', 'kusto-spa-auth.iife.js']]) {
    const page = await open(entry);
    await page.waitForFunction(() => sessionStorage.getItem('csp:violations'));
    assert.deepEqual(await violations(page), [{ directive: 'script-src', blocked: 'wasm-eval', source: `${f.web.origin}/pkg/${source}`, page: `/csp/${entry}.html` }], entry);
    // The entry's import throws (the script-tag page's own module then finds no global).
    assert.match(page.record.errors[0], /^uncaught: WebAssembly\.\w+\(\): Compiling or instantiating WebAssembly module violates the following Content Security policy directive/, entry);
    assert.equal(await page.evaluate(() => window.app), undefined, `${entry}: the package did not load`);
    await page.context().close();
  }
});

test("the /web entry without connect-src 'self' cannot fetch its wasm", async () => {
  policy = strict();
  const page = await open('web', { allowErrors: [/./] });
  await page.waitForFunction(() => sessionStorage.getItem('csp:violations'));
  assert.deepEqual(await violations(page), [{ directive: 'connect-src', blocked: `${f.web.origin}/pkg/kusto_spa_auth_bg.wasm`, source: `${f.web.origin}/pkg/web-wasm.js`, page: '/csp/web.html' }]);
  assert.equal(await page.evaluate(() => window.app), undefined);
  await page.context().close();
});

test("the hidden frame needs frame-src 'self' (it comes back to the redirect URI) and a frame-ancestors that allows 'self'", async () => {
  // Without an IdP session the frame comes back at once with login_required...
  policy = strict();
  let page = await open('default', { iframeHashTimeout: 2000 });
  await loaded(page);
  assert.deepEqual(await sso(page), { ok: false, errorCode: 'login_required' });
  assertNoErrors(page);
  await page.context().close();
  // ...unless the policy keeps it from coming back: the call then waits out its timeout.
  for (const [change, refused] of [[{ frameSrc: f.idp.issuer }, /violates the following Content Security Policy directive: "frame-src /], [{ frameAncestors: "'none'" }, /violates the following Content Security Policy directive: "frame-ancestors 'none'"/]]) {
    policy = strict(change);
    page = await open('default', { iframeHashTimeout: 2000, allowErrors: [refused] });
    await loaded(page);
    assert.deepEqual(await sso(page), { ok: false, errorCode: 'monitor_window_timeout' }, JSON.stringify(change));
    assert.ok(page.record.console.some((m) => refused.test(m)), JSON.stringify(change));
    assertNoErrors(page);
    await page.context().close();
  }
});

test('the browser enforces the Trusted Types of the policy: a string for innerHTML is refused and reported', async () => {
  policy = strict();
  const page = await open('default', { allowErrors: [/TrustedHTML/] });
  await loaded(page);
  const thrown = await page.evaluate(() => {
    try {
      document.createElement('div').innerHTML = '<b>text</b>';
      return null;
    } catch (e) {
      return e.name;
    }
  });
  assert.equal(thrown, 'TypeError');
  await page.waitForFunction(() => sessionStorage.getItem('csp:violations'));
  assert.deepEqual((await violations(page)).map((v) => v.directive), ['require-trusted-types-for']);
  await page.context().close();
});
