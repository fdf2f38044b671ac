// examples/msal-react-webpack built by webpack 5 from the packed tarball: a stock
// @azure/msal-react 5 app (MsalProvider, hooks and templates, everything imported from
// @azure/msal-browser) switched by one resolve.alias in webpack.config.js that maps
// @azure/msal-browser to kusto-spa-auth. It signs in through the test IdP, gets a token, runs
// StormEvents | count against the local Kusto endpoint and signs out.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { assertLocalOnly, assertNoErrors, idpLogin, newPage } from '../support/browser.mjs';
import { signInQueryAndSignOut } from '../support/msal_react.mjs';
import { buildExample, ROOT } from '../support/tarball.mjs';

const EXAMPLE = path.join(ROOT, 'examples', 'msal-react-webpack');
// webpack runs on the system's Node 20, as an app's own build would.
const NODE = '/usr/bin/node';

let app, tarball, dist, buildLog, web, idp, kusto, browser;

before(async () => {
  assert.ok(existsSync(path.join(EXAMPLE, 'node_modules', '.bin', 'webpack')), 'examples/msal-react-webpack has no node_modules: run tools/setup.sh');
  app = await buildExample(EXAMPLE, ['index.js', 'application.js', 'kusto_spa_auth_wasm.js'], (out) => execFileSync(NODE, [path.join('node_modules', '.bin', 'webpack'), '--output-path', out, '--stats', 'errors-warnings'], {
    cwd: EXAMPLE, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 180_000,
  }));
  ({ tarball, dist, built: buildLog, web, idp, kusto, browser } = app);
});

after(() => app?.close());

const settings = () => new URLSearchParams({ clientId: idp.clientId, authority: idp.issuer, cluster: kusto.url });
const atIdp = (u) => u.origin === idp.issuer;

test('the app imports msal-browser as any msal-react app does; one resolve.alias makes it kusto-spa-auth, and none of msal-browser is bundled', () => {
  const source = readFileSync(path.join(EXAMPLE, 'src', 'main.js'), 'utf8');
  const imports = [...source.matchAll(/^import (.*) from "([^"]+)";$/gm)].map((m) => [m[2], m[1]]);
  assert.ok(imports.some(([from, what]) => from === '@azure/msal-browser' && what.includes('PublicClientApplication')));
  assert.deepEqual(imports.filter(([from]) => from === 'kusto-spa-auth').map(([, what]) => what), ['{ KustoClient }'], 'only the Kusto client is imported by its own name');
  assert.deepEqual(imports.map(([from]) => from).sort(), ['@azure/msal-browser', '@azure/msal-react', 'kusto-spa-auth', 'react', 'react-dom/client']);
  const config = readFileSync(path.join(EXAMPLE, 'webpack.config.js'), 'utf8');
  assert.match(config, /resolve: \{ alias: \{ "@azure\/msal-browser": "kusto-spa-auth" \} \}/);
  assert.doesNotMatch(buildLog, /WARNING|ERROR/, buildLog);

  const main = readFileSync(path.join(dist, 'main.js'), 'utf8');
  assert.ok(main.includes(tarball.inlinedWasmMark()), 'the inlined wasm of the tarball');
  // The maps' sources are the modules the bundle holds (webpack://<name>/./node_modules/...).
  const modules = readdirSync(dist).filter((f) => f.endsWith('.js.map'))
    .flatMap((f) => JSON.parse(readFileSync(path.join(dist, f), 'utf8')).sources)
    .map((s) => s.replace(/^.*\/node_modules\//, ''));
  assert.ok(modules.includes('kusto-spa-auth/application.js'));
  assert.ok(modules.includes('@azure/msal-react/dist/MsalProvider.js'));
  assert.deepEqual(modules.filter((m) => m.startsWith('@azure/msal-browser') || m.startsWith('@azure/msal-common')), [], 'nothing of msal-browser');
});

test('an msal-react app built by webpack signs in by redirect, gets a token, queries Kusto and signs out', () => signInQueryAndSignOut(app, settings(), /^token for http:\/\/localhost\/\.default$/));

test('the app\'s instanceof InteractionRequiredAuthError, imported from @azure/msal-browser, holds for what the instance throws', async () => {
  const page = await newPage(await browser.newContext());
  await page.goto(`${web.origin}/?${settings()}`);
  await Promise.all([page.waitForURL(atIdp), page.click('#sign-in')]);
  await idpLogin(page, 'lee');
  await page.waitForSelector('#user');
  // Signed in, but no token to be had silently: none cached, no refresh token, no IdP session.
  await page.evaluate(() => {
    for (const key of Object.keys(sessionStorage)) if (/^ksa1\|[^|]+\|(at|rt)\|/.test(key)) sessionStorage.removeItem(key);
  });
  await page.context().clearCookies();
  await page.reload();
  await page.waitForFunction(() => !document.getElementById('token').textContent.startsWith('getting'));
  assert.match(await page.textContent('#token'), /^no token: login_required: /);
  await page.waitForSelector('#sign-in-again');
  await Promise.all([page.waitForURL(atIdp), page.click('#sign-in-again')]);
  await idpLogin(page, 'lee');
  await page.waitForFunction(() => document.getElementById('token')?.textContent === 'token for http://localhost/.default');
  assertLocalOnly(page);
  assertNoErrors(page);
});
