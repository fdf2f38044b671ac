// examples/msal-react built by Vite from the packed tarball: a stock @azure/msal-react 5 app (its
// MsalProvider, hooks and templates, everything imported from @azure/msal-browser) switched by
// one alias in vite.config.js that maps @azure/msal-browser to kusto-spa-auth. It signs in
// through the test IdP, gets a token, runs StormEvents | count against the local Kusto endpoint
// and signs out.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { assertLocalOnly, assertNoErrors, authorizations, idpLogin, idpLoginInPopup, newPage } from '../support/browser.mjs';
import { signInQueryAndSignOut } from '../support/msal_react.mjs';
import { buildViteExample, ROOT } from '../support/tarball.mjs';

const EXAMPLE = path.join(ROOT, 'examples', 'msal-react');

let app, tarball, dist, web, idp, kusto, browser;

before(async () => {
  // --sourcemap: the map's sources are the modules the bundle holds.
  app = await buildViteExample(EXAMPLE, ['index.js', 'application.js', 'kusto_spa_auth_wasm.js'], ['--sourcemap']);
  ({ tarball, dist, web, idp, kusto, browser } = app);
});

after(() => app?.close());

const settings = (extra = {}) => new URLSearchParams({ clientId: idp.clientId, authority: idp.issuer, cluster: kusto.url, ...extra });
const atIdp = (u) => u.origin === idp.issuer;

/** Waits up to `timeout` ms for `predicate` in the page; false if it never held. */
const eventually = (page, predicate, timeout = 15_000) => page.waitForFunction(predicate, null, { timeout }).then(() => true, () => false);

const profileToken = () => document.getElementById('profile-token')?.textContent.startsWith('token for');

test('the app imports msal-browser as any msal-react app does; one alias makes it kusto-spa-auth, and none of msal-browser is bundled', () => {
  const imports = readdirSync(path.join(EXAMPLE, 'src')).flatMap((f) => [...readFileSync(path.join(EXAMPLE, 'src', f), 'utf8')
    .matchAll(/^import (.*) from "([^"]+)";$/gm)].map((m) => [m[2], m[1]]));
  assert.ok(imports.some(([from, what]) => from === '@azure/msal-browser' && what.includes('PublicClientApplication')));
  assert.deepEqual(imports.filter(([from]) => from === 'kusto-spa-auth').map(([, what]) => what), ['{ KustoClient }'], 'only the Kusto client is imported by its own name');
  assert.deepEqual([...new Set(imports.map(([from]) => from).filter((s) => !s.startsWith('./')))].sort(),
    ['@azure/msal-browser', '@azure/msal-react', 'kusto-spa-auth', 'react', 'react-dom/client']);
  const config = readFileSync(path.join(EXAMPLE, 'vite.config.js'), 'utf8');
  assert.match(config, /alias: \{ "@azure\/msal-browser": "kusto-spa-auth" \}/);

  const assets = path.join(dist, 'assets');
  const js = readdirSync(assets).filter((f) => f.endsWith('.js')).map((f) => readFileSync(path.join(assets, f), 'utf8')).join('\n');
  assert.ok(js.includes(tarball.inlinedWasmMark()), 'the inlined wasm of the tarball');
  const modules = readdirSync(assets).filter((f) => f.endsWith('.js.map'))
    .flatMap((f) => JSON.parse(readFileSync(path.join(assets, f), 'utf8')).sources)
    .map((s) => s.replace(/^.*\/node_modules\//, ''));
  assert.ok(modules.includes('kusto-spa-auth/application.js'));
  assert.ok(modules.includes('@azure/msal-react/dist/MsalProvider.js'));
  assert.deepEqual(modules.filter((m) => m.startsWith('@azure/msal-browser') || m.startsWith('@azure/msal-common')), [], 'nothing of msal-browser');
  assert.deepEqual(modules.filter((m) => m.startsWith('kusto-spa-auth/react')), []);
});

test('an msal-react app signs in by redirect, gets a token, queries Kusto and signs out', () => signInQueryAndSignOut(app, settings(), /^token for http:\/\/localhost\/\.default, expires \d{1,2}:\d\d/));

test('a sign-in that fails is the app\'s to show; the provider carries on signed out', async () => {
  const page = await newPage(await browser.newContext());
  await page.goto(`${web.origin}/?${settings()}`);
  await page.waitForSelector('#status');
  idp.resetCounts();
  // A response no request of this tab is waiting for.
  await page.goto(`${web.origin}/#code=not-a-code&state=not-ours`);
  await page.waitForSelector('#sign-in-error');
  assert.match(await page.textContent('#sign-in-error'), /^sign-in failed: state_not_found: /);
  await page.waitForSelector('#status');
  assert.equal(await page.textContent('#progress'), 'none');
  assert.equal(page.url(), `${web.origin}/`, 'the response is gone from the address bar');
  assert.equal(idp.counts().token.authorization_code, 0, 'nothing redeemed');
  assertLocalOnly(page);
  assertNoErrors(page);
});

test('MsalAuthenticationTemplate for a named account signs in by redirect by itself and shows the page with a token', async () => {
  const page = await newPage(await browser.newContext());
  idp.resetCounts();
  const query = settings({ page: 'profile', username: 'lee@example.com' });
  // No click: the template sends the signed-out visitor to the IdP.
  await Promise.all([page.waitForURL(atIdp), page.goto(`${web.origin}/?${query}`)]);
  await idpLogin(page, 'lee');
  await page.waitForFunction(profileToken);
  assert.equal(await page.textContent('#profile-user'), 'profile of lee@example.com');
  assert.equal(await page.textContent('#profile-accounts'), 'accounts signed in: 1', 'withMsal passed the context');
  // Back on the page that asked, whose token came from the cache the sign-in filled.
  assert.equal(await page.textContent('#profile-token'), 'token for http://localhost/.default, from cache: true');
  assert.equal(page.url(), `${web.origin}/?${query}`);
  // msal-react signs in with the request as given: the username picks the account, it is no login hint.
  assert.deepEqual(authorizations(page, idp.issuer).map((u) => u.searchParams.get('login_hint')), [null]);
  assert.deepEqual(idp.counts().token, { authorization_code: 1, refresh_token: 0 });
  assertLocalOnly(page);
  assertNoErrors(page);
});

// The app makes LOGIN_SUCCESS's account the active one, which useAccount() returns and
// useMsalAuthentication gets its token for when no username is given.
test('a redirect sign-in that returns to the page it started on reports LOGIN_SUCCESS: MsalAuthenticationTemplate gets the active account\'s token', async () => {
  const page = await newPage(await browser.newContext());
  const query = settings({ page: 'profile' });
  await Promise.all([page.waitForURL(atIdp), page.goto(`${web.origin}/?${query}`)]);
  await idpLogin(page, 'lee');
  // Redeemed on the redirect URI, then handed back to ?page=profile.
  assert.ok(await eventually(page, profileToken), `no token: ${await page.textContent('main')}`);
  assert.equal(await page.textContent('#profile-user'), 'profile of lee@example.com');
  assert.equal(await page.textContent('#profile-token'), 'token for http://localhost/.default, from cache: true');
  assert.equal(page.url(), `${web.origin}/?${query}`);
  assertLocalOnly(page);
  assertNoErrors(page);
});

test('a popup sign-in shows in msal-react\'s inProgress while the popup is open, and its account becomes the active one', async () => {
  const page = await newPage(await browser.newContext());
  await page.goto(`${web.origin}/?${settings()}`);
  await page.waitForSelector('#status');
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#sign-in-popup')]);
  // msal-browser 5 reports every interactive call as ACQUIRE_TOKEN_START.
  assert.ok(await eventually(page, () => document.getElementById('progress').textContent === 'acquireToken'),
    `inProgress is "${await page.textContent('#progress')}" while the popup is open`);
  await idpLoginInPopup(popup, 'pia');
  await page.waitForSelector('#user');
  assert.equal(await page.textContent('#user'), 'signed in as pia@example.com');
  assert.equal(await page.textContent('#progress'), 'none');

  // The profile page names no account: it gets the active one's token.
  await page.goto(`${web.origin}/?page=profile`);
  assert.ok(await eventually(page, profileToken), `no token: ${await page.textContent('main')}`);
  assert.equal(await page.textContent('#profile-user'), 'profile of pia@example.com');
  assert.equal(await page.textContent('#profile-token'), 'token for http://localhost/.default, from cache: true');
  assertLocalOnly(page);
  assertNoErrors(page);
});

test('MsalAuthenticationTemplate with InteractionType.Silent signs in from the IdP\'s session in a hidden frame and keeps its result', async () => {
  const context = await browser.newContext();
  const first = await newPage(context);
  await first.goto(`${web.origin}/?${settings()}`);
  await Promise.all([first.waitForURL(atIdp), first.click('#sign-in')]);
  await idpLogin(first, 'lee');
  await first.waitForSelector('#user');

  // A new tab: an empty cache (sessionStorage), the IdP's session cookie.
  idp.resetCounts();
  const page = await newPage(context);
  const url = `${web.origin}/?${settings({ page: 'profile', interaction: 'silent' })}`;
  await page.goto(url);
  // ssoSilent's LOGIN_SUCCESS (interactionType silent) makes its account the active one, which
  // useMsalAuthentication needs to keep the result.
  assert.ok(await eventually(page, profileToken), `no token: ${await page.textContent('main')}`);
  assert.equal(await page.textContent('#profile-user'), 'profile of lee@example.com');
  assert.equal(await page.textContent('#profile-token'), 'token for http://localhost/.default, from cache: false');
  assert.equal(page.url(), url, 'the page never navigated');
  assert.deepEqual(idp.counts().token, { authorization_code: 1, refresh_token: 0 });
  assertLocalOnly(page);
  assertNoErrors(page);
});

test('MsalAuthenticationTemplate by popup: a popup the browser blocks shows the error component, whose login() signs in', async () => {
  const page = await newPage(await browser.newContext());
  const url = `${web.origin}/?${settings({ page: 'profile', interaction: 'popup' })}`;
  // The template opens the popup on mount, outside a click: Chromium blocks that in most runs
  // here, not in all. Either way the sign-in ends in the same place.
  const openedOnMount = page.waitForEvent('popup').catch(() => null);
  await page.goto(url);
  let popup = await Promise.race([openedOnMount, page.waitForSelector('#profile-error').then(() => null)]);
  if (!popup) {
    assert.match(await page.textContent('#profile-error'), /^sign-in failed: popup_window_error: .*click handler/);
    [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#retry')]);
  }
  await idpLoginInPopup(popup, 'pia');
  await page.waitForSelector('#profile-user');
  assert.equal(await page.textContent('#profile-user'), 'profile of pia@example.com');
  assert.equal(await page.textContent('#profile-token'), 'token for http://localhost/.default, from cache: false');
  assert.equal(page.url(), url, 'the page never navigated');
  assertLocalOnly(page);
  assertNoErrors(page);
});

test('MsalAuthenticationTemplate falls back to a redirect when the silent token request needs interaction', async () => {
  const page = await newPage(await browser.newContext());
  const query = settings({ page: 'profile', username: 'lee@example.com' });
  await Promise.all([page.waitForURL(atIdp), page.goto(`${web.origin}/?${query}`)]);
  await idpLogin(page, 'lee');
  await page.waitForFunction(profileToken);
  // Signed in, but no token to be had silently: none cached, no refresh token, no IdP session.
  await page.evaluate(() => {
    for (const key of Object.keys(sessionStorage)) if (/^ksa1\|[^|]+\|(at|rt)\|/.test(key)) sessionStorage.removeItem(key);
  });
  await page.context().clearCookies();
  // The app leaves for the IdP a few hundred milliseconds after the reload: wait for that, not
  // for the reloaded page's load, which the leaving interrupts.
  const leaves = page.waitForURL(atIdp, { timeout: 10_000, waitUntil: 'commit' }).then(() => true, () => false);
  await page.reload({ waitUntil: 'commit' });
  assert.ok(await leaves, `the page stayed: ${page.url()}`);
  await idpLogin(page, 'lee');
  await page.waitForFunction(profileToken);
  assertNoErrors(page);
});
