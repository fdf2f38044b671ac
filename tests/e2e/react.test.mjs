// examples/react built by Vite from the packed tarball: kusto-spa-auth/react's provider and hooks
// sign in through the test IdP, get a token, run StormEvents | count against the local Kusto
// endpoint and sign out.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { assertLocalOnly, assertNoErrors, idpLogin, launch, newPage } from '../support/browser.mjs';
import { startIdp } from '../support/idp.mjs';
import { loadStormEvents, startKusto } from '../support/kusto.mjs';
import { startStatic } from '../support/static.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXAMPLE = path.join(ROOT, 'examples', 'react');
const VERSION = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8'))[1];
const TARBALL = path.join(ROOT, 'build', `kusto-spa-auth-${VERSION}.tgz`);
// Vite 8 runs on the system's Node 20, as an app's own build would.
const NODE = '/usr/bin/node';

let work, dist, tarball, web, idp, kusto, browser;

const fromTarball = (file) => execFileSync('tar', ['-xzOf', tarball, `package/${file}`]);

before(async () => {
  assert.ok(existsSync(path.join(EXAMPLE, 'node_modules', '.bin', 'vite')), 'examples/react has no node_modules: run tools/setup.sh');
  work = mkdtempSync(path.join(tmpdir(), 'ksa-react-'));
  dist = path.join(work, 'dist');
  // A copy: what is installed and what it is compared with are the same bytes, even if a build
  // rewrites the tarball meanwhile.
  tarball = path.join(work, path.basename(TARBALL));
  copyFileSync(TARBALL, tarball);
  const manifests = ['package.json', 'package-lock.json'];
  const committed = manifests.map((f) => readFileSync(path.join(EXAMPLE, f)));
  // The tarball is rebuilt with every build, so it stays out of package.json and the lockfile.
  execFileSync('npm', ['install', '--no-save', '--offline', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: EXAMPLE, stdio: ['ignore', 'ignore', 'inherit'] });
  assert.deepEqual(manifests.map((f) => readFileSync(path.join(EXAMPLE, f))), committed, 'the install left package.json and the lockfile alone');
  const installed = path.join(EXAMPLE, 'node_modules', 'kusto-spa-auth');
  for (const file of ['react.js', 'kusto_spa_auth_wasm.js']) {
    assert.ok(readFileSync(path.join(installed, file)).equals(fromTarball(file)), `${file} is the tarball's`);
  }

  execFileSync(NODE, [path.join('node_modules', '.bin', 'vite'), 'build', '--outDir', dist, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: EXAMPLE, stdio: ['ignore', 'inherit', 'inherit'], timeout: 180_000,
  });
  web = await startStatic({ root: dist });
  idp = await startIdp({ appOrigins: [web.origin] });
  kusto = await startKusto({ issuer: idp.issuer, appOrigins: [web.origin] });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await kusto?.close();
  await idp?.close();
  await web?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the app is built from the installed package: bare imports only, and the tarball\'s wasm in the bundle', () => {
  const sources = readdirSync(path.join(EXAMPLE, 'src')).map((f) => readFileSync(path.join(EXAMPLE, 'src', f), 'utf8'));
  const specifiers = new Set(sources.flatMap((s) => [...s.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1])));
  assert.deepEqual([...specifiers].filter((s) => !s.startsWith('./')).sort(),
    ['kusto-spa-auth', 'kusto-spa-auth/react', 'react', 'react-dom/client']);
  assert.doesNotMatch(readFileSync(path.join(EXAMPLE, 'vite.config.js'), 'utf8'), /alias/);

  const assets = path.join(dist, 'assets');
  const js = readdirSync(assets).filter((f) => f.endsWith('.js')).map((f) => readFileSync(path.join(assets, f), 'utf8')).join('\n');
  const wasmBase64 = /"([A-Za-z0-9+/=]+)"/.exec(fromTarball('kusto_spa_auth_wasm.js').toString())[1];
  assert.ok(js.includes(wasmBase64), 'the inlined wasm of the tarball');
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

  await page.click('#count');
  await page.waitForFunction(() => document.getElementById('output')?.textContent.startsWith('StormEvents'));
  assert.equal(await text('#output'), `StormEvents | count = ${loadStormEvents().rows.length}`);
  const posts = kusto.requests().filter((r) => r.method === 'POST');
  assert.equal(posts.length, 1);
  assert.equal(posts[0].authorized, true);
  assert.equal(posts[0].db, 'Samples');

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

test('a popup sign-in shows in the provider as it happens, with no navigation', async () => {
  const page = await newPage(await browser.newContext());
  const query = new URLSearchParams({ clientId: idp.clientId, authority: idp.issuer, cluster: kusto.url });
  await page.goto(`${web.origin}/?${query}`);
  await page.waitForSelector('#status');
  const url = page.url();
  assert.equal(await page.textContent('#progress'), 'none');

  const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#sign-in-popup')]);
  await page.waitForFunction(() => document.getElementById('progress').textContent === 'login');
  await popup.waitForSelector('input[name=login]');
  await popup.fill('input[name=login]', 'pia');
  await popup.fill('input[name=password]', 'password');
  await Promise.all([popup.waitForEvent('close'), popup.click('form:has(input[name=login]) button[type=submit]')]);

  await page.waitForSelector('#user');
  assert.equal(await page.textContent('#user'), 'signed in as pia@example.com');
  assert.equal(await page.textContent('#progress'), 'none');
  assert.equal(page.url(), url, 'the app page never navigated');
  assertLocalOnly(page);
  assertNoErrors(page);
});
