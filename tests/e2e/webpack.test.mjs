// examples/webpack built by webpack 5 from the packed tarball: the default entry, with its wasm
// inlined, signs in through the test IdP, runs StormEvents | count against the local Kusto
// endpoint and signs out, with no bundler configuration for the wasm.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { assertLocalOnly, assertNoErrors, countStormEvents, idpLogin, newPage } from '../support/browser.mjs';
import { buildExample, ROOT } from '../support/tarball.mjs';

const EXAMPLE = path.join(ROOT, 'examples', 'webpack');
// webpack runs on the system's Node 20, as an app's own build would.
const NODE = '/usr/bin/node';

let app, tarball, dist, buildLog, web, idp, kusto, browser;

before(async () => {
  assert.ok(existsSync(path.join(EXAMPLE, 'node_modules', '.bin', 'webpack')), 'examples/webpack has no node_modules: run tools/setup.sh');
  app = await buildExample(EXAMPLE, ['index.js', 'kusto_spa_auth_wasm.js'], (out) => execFileSync(NODE, [path.join('node_modules', '.bin', 'webpack'), '--output-path', out, '--stats', 'errors-warnings'], {
    cwd: EXAMPLE, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 180_000,
  }));
  ({ tarball, dist, built: buildLog, web, idp, kusto, browser } = app);
});

after(() => app?.close());

test('webpack bundles the default entry with no configuration for it: one script, the tarball\'s wasm inside', () => {
  const source = readFileSync(path.join(EXAMPLE, 'src', 'main.js'), 'utf8');
  assert.deepEqual([...source.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1]), ['kusto-spa-auth']);
  const config = readFileSync(path.join(EXAMPLE, 'webpack.config.js'), 'utf8').replace(/\/\/.*$/gm, '');
  assert.doesNotMatch(config, /resolve|alias|experiments|wasm|plugins/, 'nothing in the config is there for the package');
  assert.doesNotMatch(buildLog, /WARNING|ERROR/, buildLog);

  const files = readdirSync(dist).sort();
  assert.deepEqual(files.filter((f) => !f.endsWith('.js')), ['index.html'], 'no separate .wasm emitted');
  const main = readFileSync(path.join(dist, 'main.js'), 'utf8');
  assert.ok(main.includes(tarball.inlinedWasmMark()), 'the inlined wasm of the tarball');
  // The Kusto client and the reader of msal-browser's cache are chunks of their own, which
  // webpack made from the dynamic imports unasked.
  const chunks = files.filter((f) => f.endsWith('.js') && f !== 'main.js').map((f) => readFileSync(path.join(dist, f), 'utf8'));
  assert.equal(chunks.length, 2, files.join(', '));
  assert.ok(!main.includes(tarball.inlinedKustoWasm()), 'the main bundle does not carry the Kusto module');
  assert.equal(chunks.filter((c) => c.includes(tarball.inlinedKustoWasm())).length, 1, 'one chunk does');
  assert.ok(!main.includes('msal.cache.encryption') && chunks.some((c) => c.includes('msal.cache.encryption')), 'the msal reader is the other chunk');
});

test('a webpack app signs in, queries and signs out with the default entry', async () => {
  const page = await newPage(await browser.newContext());
  const text = (selector) => page.textContent(selector);
  const query = new URLSearchParams({ clientId: idp.clientId, authority: idp.issuer, cluster: kusto.url });
  await page.goto(`${web.origin}/?${query}`);
  await page.waitForSelector('#status');
  assert.equal(await text('#status'), 'signed out');
  assert.equal(await page.isVisible('#user'), false);

  await Promise.all([page.waitForURL((u) => u.origin === idp.issuer), page.click('#sign-in')]);
  await idpLogin(page, 'lee');
  await page.waitForSelector('#user');
  assert.equal(await text('#user'), 'signed in as lee@example.com');
  assert.equal(await page.isVisible('#status'), false);

  await countStormEvents(page, kusto);
  // The sign-in's own token served the query.
  assert.deepEqual(idp.counts().token, { authorization_code: 1, refresh_token: 0 });

  const resources = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  assert.ok(resources.includes(`${web.origin}/main.js`), 'the bundle was loaded');
  assert.deepEqual(resources.filter((n) => /\.wasm(\?|$)/.test(n)), [], 'no separate .wasm fetched');

  await Promise.all([page.waitForURL((u) => u.origin === idp.issuer), page.click('#sign-out')]);
  await page.waitForURL((u) => u.origin === web.origin && u.pathname === '/');
  await page.waitForSelector('#status');
  assert.equal(await text('#status'), 'signed out');
  const cached = await page.evaluate(() => Object.keys(sessionStorage).concat(Object.keys(localStorage))
    .filter((k) => /^ksa1\|[^|]+\|(account|at|rt)\|/.test(k)));
  assert.deepEqual(cached, [], 'sign-out cleared the cache');

  const requests = page.record.requests.map((u) => new URL(u));
  const pages = requests.filter((u) => u.origin === web.origin && u.pathname === '/').length;
  assert.ok(pages >= 3, 'the record holds every app page: before sign-in, after it and after sign-out');
  assert.equal(requests.filter((u) => u.href === `${web.origin}/main.js`).length, pages, 'the bundle on every app page');
  assert.deepEqual(requests.filter((u) => u.pathname.endsWith('.wasm')), [], 'no .wasm requested on any page');
  assertLocalOnly(page);
  assertNoErrors(page);
});
