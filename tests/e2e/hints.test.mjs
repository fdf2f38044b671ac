// Who the identity provider is told the user is, as msal-browser 5 decides it, checked on the
// authorize requests the browser really sends: no hint with prompt=select_account, a session id
// only with prompt=none, and an account's own hint before the request's loginHint.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';

import { assertNoErrors, authorizations } from '../support/browser.mjs';
import { KUSTO_SCOPE, startApp } from '../support/app.mjs';

let f;
before(async () => { f = await startApp(); });
after(() => f?.close());

const HINTS = ['prompt', 'login_hint', 'sid', 'domain_hint'];

/**
 * Runs `pca[method](request)` and returns the hint parameters of the authorize requests it sent:
 * a redirect's (the page then goes back to the app) or a hidden frame's (ssoSilent).
 */
async function hintsSent(page, method, request) {
  const from = page.record.requests.length;
  if (method === 'ssoSilent') {
    await page.evaluate((r) => window.app.sso(r), request);
  } else {
    // Not awaited in the page: the navigation may destroy it first.
    await page.evaluate(([m, r]) => { window.pca[m](r); }, [method, request]);
    for (let waited = 0; authorizations(page, f.idp.issuer, from).length === 0; waited += 20) {
      assert.ok(waited < 10_000, `${method} sent no authorize request`);
      await sleep(20);
    }
    // Landed: on the IdP's sign-in page, or back on the app with its refusal (the test IdP does
    // not support prompt=select_account); then back to the app.
    await page.waitForURL((u) => (u.origin === f.idp.issuer ? u.pathname !== '/auth' : u.hash.includes('state=')), { waitUntil: 'commit' });
    await f.goto(page);
  }
  return authorizations(page, f.idp.issuer, from).map((u) => Object.fromEntries(HINTS.filter((k) => u.searchParams.has(k)).map((k) => [k, u.searchParams.get(k)])));
}

/** The account with extra ID token claims, as Entra's carry `login_hint` and `sid`. */
const withClaims = (account, claims) => ({ ...account, idTokenClaims: { ...account.idTokenClaims, ...claims } });

test('the hint the IdP receives follows MSAL\'s rules: the account\'s login_hint claim, its sid with prompt=none only, nothing with select_account', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  const back = await f.signIn(page, 'ada');
  assert.ok(back.ok, JSON.stringify(back.error));
  const ada = back.value.account;
  const scopes = [KUSTO_SCOPE];
  const bob = 'bob@example.com';

  // The account's opaque login_hint claim wins over the request's loginHint.
  assert.deepEqual(await hintsSent(page, 'acquireTokenRedirect', { scopes, account: withClaims(ada, { login_hint: 'O.ada-hint' }), loginHint: bob }), [{ login_hint: 'O.ada-hint' }]);
  // ... unless the request names a domain: then the request's loginHint, as MSAL.
  assert.deepEqual(await hintsSent(page, 'acquireTokenRedirect', { scopes, account: withClaims(ada, { login_hint: 'O.ada-hint' }), loginHint: bob, domainHint: 'example.com' }),
    [{ login_hint: bob, domain_hint: 'example.com' }]);
  // select_account: the user picks; neither the account nor the request hints at anyone.
  assert.deepEqual(await hintsSent(page, 'loginRedirect', { scopes, prompt: 'select_account', account: withClaims(ada, { login_hint: 'O.ada-hint', sid: 'sid-ada' }), loginHint: bob, sid: 'sid-req' }),
    [{ prompt: 'select_account' }]);
  // A session id only with prompt=none: a silent sign-in sends the account's sid ...
  assert.deepEqual(await hintsSent(page, 'ssoSilent', { scopes, account: withClaims(ada, { sid: 'sid-ada' }), loginHint: bob }), [{ prompt: 'none', sid: 'sid-ada' }]);
  // ... and the request's before it; an interactive one never does.
  assert.deepEqual(await hintsSent(page, 'ssoSilent', { scopes, account: withClaims(ada, { sid: 'sid-ada' }), sid: 'sid-req' }), [{ prompt: 'none', sid: 'sid-req' }]);
  assert.deepEqual(await hintsSent(page, 'loginRedirect', { scopes, account: withClaims(ada, { sid: 'sid-ada' }), sid: 'sid-req' }), [{ login_hint: ada.username }]);
  assert.deepEqual(await hintsSent(page, 'loginRedirect', { scopes, prompt: 'login', sid: 'sid-req', loginHint: bob }), [{ prompt: 'login', login_hint: bob }]);
  assertNoErrors(page);
  await page.context().close();
});

test('a request naming no account, loginHint or sid hints at the active account', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  const back = await f.signIn(page, 'ann');
  assert.ok(back.ok, JSON.stringify(back.error));
  const scopes = [KUSTO_SCOPE];
  assert.deepEqual(await hintsSent(page, 'acquireTokenRedirect', { scopes }), [{}], 'no active account: no hint');
  await page.evaluate(() => window.pca.setActiveAccount(window.pca.getAllAccounts()[0]));
  assert.deepEqual(await hintsSent(page, 'acquireTokenRedirect', { scopes }), [{ login_hint: 'ann@example.com' }]);
  assert.deepEqual(await hintsSent(page, 'acquireTokenRedirect', { scopes, loginHint: 'bob@example.com' }), [{ login_hint: 'bob@example.com' }]);
  assert.deepEqual(await hintsSent(page, 'loginRedirect', { scopes, prompt: 'select_account' }), [{ prompt: 'select_account' }]);
  assertNoErrors(page);
  await page.context().close();
});
