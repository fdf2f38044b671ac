// examples/react built by Vite from the packed tarball: kusto-spa-auth/react's provider and hooks
// sign in through the test IdP, get a token, run StormEvents | count against the local Kusto
// endpoint and sign out; MsalAuthenticationTemplate signs in by itself, by redirect and by popup;
// and the same app from the Vite dev server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { assertLocalOnly, assertNoErrors, authorizations, closeLikeAPerson, countStormEvents, idpLogin, idpLoginInPopup, newPage } from '../support/browser.mjs';
import { startIdp } from '../support/idp.mjs';
import { startKusto } from '../support/kusto.mjs';
import { listenLocalhost } from '../support/listen.mjs';
import { buildViteExample, ROOT } from '../support/tarball.mjs';

const EXAMPLE = path.join(ROOT, 'examples', 'react');

let app, tarball, dist, web, idp, kusto, browser;

before(async () => {
  app = await buildViteExample(EXAMPLE, ['react.js', 'kusto_spa_auth_wasm.js']);
  ({ tarball, dist, web, idp, kusto, browser } = app);
});

after(() => app?.close());

test('the app is built from the installed package: bare imports only, and the tarball\'s wasm in the bundle', () => {
  const sources = readdirSync(path.join(EXAMPLE, 'src')).map((f) => readFileSync(path.join(EXAMPLE, 'src', f), 'utf8'));
  const specifiers = new Set(sources.flatMap((s) => [...s.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1])));
  assert.deepEqual([...specifiers].filter((s) => !s.startsWith('./')).sort(),
    ['kusto-spa-auth', 'kusto-spa-auth/react', 'react', 'react-dom/client']);
  assert.doesNotMatch(readFileSync(path.join(EXAMPLE, 'vite.config.js'), 'utf8'), /alias/);

  const assets = path.join(dist, 'assets');
  const js = readdirSync(assets).filter((f) => f.endsWith('.js')).map((f) => readFileSync(path.join(assets, f), 'utf8')).join('\n');
  const wasmMark = tarball.inlinedWasmMark();
  assert.ok(js.includes(wasmMark), 'the inlined wasm of the tarball');
});

test('a Vite React app signs in, gets a token, queries and signs out with kusto-spa-auth/react', async () => {
  const page = await newPage(await browser.newContext());
  const text = (selector) => page.textContent(selector);
  const query = new URLSearchParams({ clientId: idp.clientId, authority: idp.issuer, cluster: kusto.url });
  await page.goto(`${web.origin}/?${query}`);
  await page.waitForSelector('#status');
  assert.equal(await text('#status'), 'signed out');
  assert.equal(await page.locator('#user').count(), 0, 'AuthenticatedTemplate hides the signed-in part');

  await Promise.all([page.waitForURL((u) => u.origin === idp.issuer), page.click('#sign-in')]);
  await idpLogin(page, 'lee');
  await page.waitForSelector('#user');
  assert.equal(await text('#user'), 'signed in as lee@example.com');
  assert.equal(await page.locator('#status').count(), 0, 'UnauthenticatedTemplate is gone');

  await page.waitForFunction(() => !document.getElementById('token').textContent.startsWith('getting'));
  assert.match(await text('#token'), /^token for http:\/\/localhost\/\.default, expires \d{1,2}:\d\d/);
  assert.equal(await page.isEnabled('#count'), true);
  // The sign-in's own token answers useToken and the query: one code redemption, no refresh.
  assert.deepEqual(idp.counts().token, { authorization_code: 1, refresh_token: 0 });

  await countStormEvents(page, kusto);

  await Promise.all([page.waitForURL((u) => u.origin === idp.issuer), page.click('#sign-out')]);
  await page.waitForURL((u) => u.origin === web.origin && u.pathname === '/');
  await page.waitForSelector('#status');
  assert.equal(await text('#status'), 'signed out');
  const cached = await page.evaluate(() => Object.keys(sessionStorage).concat(Object.keys(localStorage))
    .filter((k) => /^ksa1\|[^|]+\|(account|at|rt)\|/.test(k)));
  assert.deepEqual(cached, [], 'sign-out cleared the cache');
  assertLocalOnly(page);
  assertNoErrors(page);
});

test('a sign-in that fails is the app\'s to show; the provider carries on signed out', async () => {
  const page = await newPage(await browser.newContext());
  const query = new URLSearchParams({ clientId: idp.clientId, authority: idp.issuer, cluster: kusto.url });
  await page.goto(`${web.origin}/?${query}`);
  await page.waitForSelector('#status');
  idp.resetCounts();
  // A response no request of this tab is waiting for, as after going back to a used one.
  await page.goto(`${web.origin}/#code=not-a-code&state=not-ours`);
  await page.waitForSelector('#sign-in-error');
  assert.match(await page.textContent('#sign-in-error'), /^sign-in failed: state_not_found: /);
  await page.waitForSelector('#status');
  assert.equal(await page.textContent('#status'), 'signed out');
  assert.equal(page.url(), `${web.origin}/`, 'the response is gone from the address bar');
  assert.equal(idp.counts().token.authorization_code, 0, 'nothing redeemed');
  assertLocalOnly(page);
  assertNoErrors(page);
});

test('a popup sign-in and sign-out show in the provider as they happen, with no navigation', async () => {
  const page = await newPage(await browser.newContext());
  const query = new URLSearchParams({ clientId: idp.clientId, authority: idp.issuer, cluster: kusto.url });
  await page.goto(`${web.origin}/?${query}`);
  await page.waitForSelector('#status');
  const url = page.url();
  assert.equal(await page.textContent('#progress'), 'none');

  const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#sign-in-popup')]);
  // msal-browser 5 reports every interactive call as ACQUIRE_TOKEN_START.
  await page.waitForFunction(() => document.getElementById('progress').textContent === 'acquireToken');
  await idpLoginInPopup(popup, 'pia');

  await page.waitForSelector('#user');
  assert.equal(await page.textContent('#user'), 'signed in as pia@example.com');
  assert.equal(await page.textContent('#progress'), 'none');

  idp.resetCounts();
  const [logout] = await Promise.all([page.waitForEvent('popup'), page.click('#sign-out-popup')]);
  // Listening before anything else is awaited: the popup may be gone by the time 'logout' is seen.
  const closed = logout.isClosed() ? Promise.resolve() : logout.waitForEvent('close');
  await page.waitForFunction(() => document.getElementById('progress').textContent === 'logout');
  await closed;
  await page.waitForSelector('#status');
  assert.equal(await page.textContent('#progress'), 'none');
  assert.equal(idp.counts().posts['/session/end/confirm'], 1, 'the IdP ended its session');
  assert.equal(page.url(), url, 'the app page never navigated');
  assertLocalOnly(page);
  assertNoErrors(page);
});

test('a page the browser restores from its back/forward cache mid-redirect is idle again in the provider', async () => {
  const page = await newPage(await browser.newContext());
  const query = new URLSearchParams({ clientId: idp.clientId, authority: idp.issuer, cluster: kusto.url });
  await page.goto(`${web.origin}/?${query}`);
  await page.waitForSelector('#status');
  // The IdP's page answers 204, so the tab stays on the app with its redirect under way, as a
  // page that left for the IdP and came back from the cache would be.
  const authorize = (u) => u.origin === idp.issuer && u.pathname === '/auth';
  await page.route(authorize, (route) => route.fulfill({ status: 204 }));
  await Promise.all([page.waitForResponse((r) => authorize(new URL(r.url()))), page.click('#sign-in')]);
  await page.waitForFunction(() => document.getElementById('progress').textContent === 'acquireToken');
  await page.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true })));
  await page.waitForFunction(() => document.getElementById('progress').textContent === 'none');
  await page.unroute(authorize);

  await Promise.all([page.waitForURL((u) => u.origin === idp.issuer), page.click('#sign-in')]);
  await idpLogin(page, 'bea');
  await page.waitForSelector('#user');
  assert.equal(await page.textContent('#user'), 'signed in as bea@example.com');
  assertNoErrors(page);
});

test('MsalAuthenticationTemplate signs in by redirect by itself, comes back to its page and shows it with a token', async () => {
  const page = await newPage(await browser.newContext());
  idp.resetCounts();
  const query = new URLSearchParams({ clientId: idp.clientId, authority: idp.issuer, cluster: kusto.url, page: 'profile' });
  // No click: the template sends the signed-out visitor to the IdP.
  await Promise.all([page.waitForURL((u) => u.origin === idp.issuer), page.goto(`${web.origin}/?${query}`)]);
  await idpLogin(page, 'lee');
  await page.waitForFunction(() => document.getElementById('profile-token')?.textContent.startsWith('token for'));
  assert.equal(await page.textContent('#profile-user'), 'profile of lee@example.com');
  assert.equal(await page.textContent('#profile-accounts'), 'accounts signed in: 1', 'withMsal passed the context');
  // Back on the page that needed the sign-in, whose token came from the cache the sign-in filled.
  assert.equal(await page.textContent('#profile-token'), 'token for http://localhost/.default, from cache: true');
  const url = new URL(page.url());
  assert.equal(url.searchParams.get('page'), 'profile');
  assert.equal(url.hash, '');
  assert.deepEqual(idp.counts().token, { authorization_code: 1, refresh_token: 0 });

  // Signed in, but no token to be had silently (none cached, no refresh token, no IdP session):
  // the template's silent attempt needs interaction, so it gets the token by redirect.
  await page.evaluate(() => {
    for (const key of Object.keys(sessionStorage)) if (/^ksa1\|[^|]+\|(at|rt)\|/.test(key)) sessionStorage.removeItem(key);
  });
  await page.context().clearCookies();
  await Promise.all([page.waitForURL((u) => u.origin === idp.issuer), page.reload()]);
  await idpLogin(page, 'lee');
  await page.waitForFunction(() => document.getElementById('profile-token')?.textContent.startsWith('token for'));
  assert.equal(await page.textContent('#profile-user'), 'profile of lee@example.com');
  assert.equal(new URL(page.url()).searchParams.get('page'), 'profile');
  assert.deepEqual(idp.counts().token, { authorization_code: 2, refresh_token: 0 });
  // The sign-in (nobody to hint at); then, for the signed-in account, the silent attempt in a
  // hidden frame (prompt=none), which had no session, and the redirect that followed it.
  assert.deepEqual(authorizations(page, idp.issuer).map((u) => [u.searchParams.get('login_hint'), u.searchParams.get('prompt')]),
    [[null, null], ['lee@example.com', 'none'], ['lee@example.com', null]]);
  assertLocalOnly(page);
  assertNoErrors(page);
});

test('MsalAuthenticationTemplate by popup: a blocked or closed popup shows its error component, whose login() signs in', async () => {
  const page = await newPage(await browser.newContext());
  const query = new URLSearchParams({ clientId: idp.clientId, authority: idp.issuer, cluster: kusto.url, page: 'profile', interaction: 'popup' });
  const url = `${web.origin}/?${query}`;
  // The template opens the popup on mount, not in a click handler. Chromium blocks that in most
  // runs here but not in all, as browsers may: blocked, the app is told how to fix it, and the
  // error component's button opens it.
  const openedOnMount = page.waitForEvent('popup').catch(() => null);
  await page.goto(url);
  const blocked = page.waitForSelector('#profile-error').then(() => null);
  let first = await Promise.race([openedOnMount, blocked]);
  if (!first) {
    assert.match(await page.textContent('#profile-error'), /^sign-in failed: popup_window_error: .*click handler/);
    [first] = await Promise.all([page.waitForEvent('popup'), page.click('#retry')]);
  }
  await page.waitForSelector('#signing-in');
  assert.equal(await page.textContent('#signing-in'), 'signing in (acquireToken)…');
  await closeLikeAPerson(first);
  await page.waitForFunction(() => document.getElementById('profile-error')?.textContent.includes('user_cancelled'));
  assert.match(await page.textContent('#profile-error'), /^sign-in failed: user_cancelled: /);
  assert.equal(await page.locator('#profile-user').count(), 0);

  const [second] = await Promise.all([page.waitForEvent('popup'), page.click('#retry')]);
  await idpLoginInPopup(second, 'pia');
  await page.waitForSelector('#profile-user');
  assert.equal(await page.textContent('#profile-user'), 'profile of pia@example.com');
  assert.equal(await page.textContent('#profile-token'), 'token for http://localhost/.default, from cache: false');
  assert.equal(await page.locator('#profile-error').count(), 0);
  assert.equal(page.url(), url, 'the page never navigated');
  assertLocalOnly(page);
  assertNoErrors(page);
});

test('MsalAuthenticationTemplate with InteractionType.Silent signs in from the IdP\'s session in a hidden frame, or shows login_required', async () => {
  const context = await browser.newContext();
  const settings = { clientId: idp.clientId, authority: idp.issuer, cluster: kusto.url };
  const first = await newPage(context);
  await first.goto(`${web.origin}/?${new URLSearchParams(settings)}`);
  await Promise.all([first.waitForURL((u) => u.origin === idp.issuer), first.click('#sign-in')]);
  await idpLogin(first, 'lee');
  await first.waitForSelector('#user');

  // A new tab: the cache (sessionStorage) is empty, the IdP's session cookie is there.
  idp.resetCounts();
  const seen = first.record.requests.length;
  const page = await newPage(context);
  const url = `${web.origin}/?${new URLSearchParams({ ...settings, page: 'profile', interaction: 'silent' })}`;
  await page.goto(url);
  await page.waitForFunction(() => document.getElementById('profile-token')?.textContent.startsWith('token for'));
  assert.equal(await page.textContent('#profile-user'), 'profile of lee@example.com');
  assert.equal(await page.textContent('#profile-token'), 'token for http://localhost/.default, from cache: false');
  assert.equal(page.url(), url, 'the page never navigated');
  // The record is the context's, both tabs.
  assert.deepEqual(authorizations(page, idp.issuer, seen).map((u) => u.searchParams.get('prompt')), ['none'], 'one silent authorization');
  assert.deepEqual(idp.counts().token, { authorization_code: 1, refresh_token: 0 });
  assertLocalOnly(page);
  assertNoErrors(page);

  // No session at the IdP: the silent sign-in cannot happen, and Silent never falls back to an
  // interactive one.
  await context.clearCookies();
  idp.resetCounts();
  const signedOut = await newPage(context);
  await signedOut.goto(url);
  await signedOut.waitForSelector('#profile-error');
  assert.match(await signedOut.textContent('#profile-error'), /^sign-in failed: login_required: /);
  assert.equal(signedOut.url(), url);
  assert.equal(await signedOut.locator('#profile-user').count(), 0);
  assert.deepEqual(idp.counts().token, { authorization_code: 0, refresh_token: 0 });
  assertLocalOnly(signedOut);
  assertNoErrors(signedOut);
});

test('MsalAuthenticationTemplate for a named account signs that one in, and uses it when several are', async () => {
  const page = await newPage(await browser.newContext());
  const settings = { clientId: idp.clientId, authority: idp.issuer, cluster: kusto.url, page: 'profile' };
  const profileOf = async (username) => {
    await page.waitForFunction(() => document.getElementById('profile-token')?.textContent.startsWith('token for'));
    assert.equal(await page.textContent('#profile-user'), `profile of ${username}`);
    assert.equal(new URL(page.url()).searchParams.get('username'), username, 'back on the page that asked');
  };
  const signIn = async (username) => {
    // Another user at the same browser: no session at the IdP.
    await page.context().clearCookies();
    await Promise.all([
      page.waitForURL((u) => u.origin === idp.issuer),
      page.goto(`${web.origin}/?${new URLSearchParams({ ...settings, username })}`),
    ]);
    await idpLogin(page, username.split('@')[0]);
    await profileOf(username);
  };

  await signIn('pia@example.com');
  assert.equal(await page.textContent('#profile-accounts'), 'accounts signed in: 1');
  // pia is signed in, but the page asks for lee: lee is signed in too.
  await signIn('lee@example.com');
  assert.equal(await page.textContent('#profile-accounts'), 'accounts signed in: 2');
  // The hook gave the IdP each page's account as the login hint.
  assert.deepEqual(authorizations(page, idp.issuer).map((u) => u.searchParams.get('login_hint')), ['pia@example.com', 'lee@example.com']);

  // Both are signed in: each page gets its own account's token, from the cache (whichever account
  // the app would pick by itself, one of the two pages shows that the hook did not).
  idp.resetCounts();
  for (const username of ['pia@example.com', 'lee@example.com']) {
    await page.goto(`${web.origin}/?${new URLSearchParams({ ...settings, username })}`);
    await profileOf(username);
    assert.equal(await page.textContent('#profile-token'), 'token for http://localhost/.default, from cache: true');
    assert.equal(await page.textContent('#profile-accounts'), 'accounts signed in: 2');
  }
  assert.deepEqual(idp.counts().token, { authorization_code: 0, refresh_token: 0 });
  assertLocalOnly(page);
  assertNoErrors(page);
});

test('the Vite dev server pre-bundles the installed package and the app works, with no configuration for it', { timeout: 180_000 }, async () => {
  // Vite takes a port, not 0: one free on both loopback addresses, as Chromium tries both.
  const probe = await listenLocalhost(() => {}, 0);
  await probe.close();
  const origin = `http://localhost:${probe.port}`;
  // The IdP and Kusto endpoint answer only the origins they are given, so this origin gets its own.
  const devIdp = await startIdp({ appOrigins: [origin] });
  const devKusto = await startKusto({ issuer: devIdp.issuer, appOrigins: [origin] });
  let output = '';
  // Vite on the system's Node 20, as an app's own dev server. No --force: npm's
  // node_modules/.package-lock.json records the tarball installed, so Vite notices a new one and
  // pre-bundles it again by itself.
  const vite = spawn('/usr/bin/node', [path.join('node_modules', '.bin', 'vite'), '--port', String(probe.port), '--strictPort', '--clearScreen', 'false'], {
    cwd: EXAMPLE, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
  });
  vite.stdout.on('data', (d) => { output += d; });
  vite.stderr.on('data', (d) => { output += d; });
  const exited = new Promise((resolve) => vite.once('exit', resolve));
  let context;
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      assert.equal(vite.exitCode, null, `vite exited:\n${output}`);
      const ok = await fetch(`${origin}/`).then((r) => r.ok, () => false);
      if (ok) break;
      assert.ok(Date.now() < deadline, `vite did not serve within 60 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    context = await browser.newContext();
    const page = await newPage(context);
    const query = new URLSearchParams({ clientId: devIdp.clientId, authority: devIdp.issuer, cluster: devKusto.url });
    await page.goto(`${origin}/?${query}`);
    await page.waitForSelector('#status', { timeout: 60_000 });
    assert.equal(await page.textContent('#status'), 'signed out');

    await Promise.all([page.waitForURL((u) => u.origin === devIdp.issuer), page.click('#sign-in')]);
    await idpLogin(page, 'lee');
    await page.waitForSelector('#user');
    assert.equal(await page.textContent('#user'), 'signed in as lee@example.com');
    await page.waitForFunction(() => !document.getElementById('token').textContent.startsWith('getting'));
    assert.match(await page.textContent('#token'), /^token for http:\/\/localhost\/\.default, expires \d{1,2}:\d\d/);

    await countStormEvents(page, devKusto);

    const paths = page.record.requests.map((u) => new URL(u)).filter((u) => u.origin === origin).map((u) => u.pathname);
    assert.ok(paths.includes('/node_modules/.vite/deps/kusto-spa-auth.js'), `served from Vite's pre-bundled deps:\n${paths.join('\n')}`);
    assert.ok(paths.includes('/node_modules/.vite/deps/kusto-spa-auth_react.js'), 'kusto-spa-auth/react too');
    assert.deepEqual(paths.filter((p) => p.endsWith('.wasm')), [], 'no separate .wasm');
    const deps = path.join(EXAMPLE, 'node_modules', '.vite', 'deps');
    const prebundled = readdirSync(deps).filter((f) => f.endsWith('.js')).map((f) => readFileSync(path.join(deps, f), 'utf8')).join('\n');
    const wasmMark = tarball.inlinedWasmMark();
    assert.ok(prebundled.includes(wasmMark), 'the pre-bundled package is this tarball\'s');
    assertLocalOnly(page);
    assertNoErrors(page);
  } finally {
    await context?.close();
    if (vite.exitCode === null && vite.signalCode === null) process.kill(-vite.pid, 'SIGKILL');
    await exited;
    await devKusto.close();
    await devIdp.close();
  }
});
