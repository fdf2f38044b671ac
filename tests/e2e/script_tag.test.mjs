// The packed tarball's browser entries without a bundler: examples/script-tag on the global
// build (sign in, get a token, run StormEvents | count, sign out), and the ./web entry.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { assertLocalOnly, assertNoErrors, idpLogin, launch, newPage } from '../support/browser.mjs';
import { startIdp } from '../support/idp.mjs';
import { loadStormEvents, startKusto } from '../support/kusto.mjs';
import { startStatic } from '../support/static.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const VERSION = /^version\s*=\s*"([^"]+)"/m.exec(execFileSync('cat', [path.join(ROOT, 'Cargo.toml')], { encoding: 'utf8' }))[1];
let unpacked, web, idp, kusto, browser;

before(async () => {
  unpacked = mkdtempSync(path.join(tmpdir(), 'ksa-tarball-'));
  execFileSync('tar', ['-xzf', path.join(ROOT, 'build', `kusto-spa-auth-${VERSION}.tgz`), '-C', unpacked]);
  web = await startStatic({
    root: path.join(ROOT, 'examples', 'script-tag'),
    mounts: { '/pkg/': path.join(unpacked, 'package'), '/web-entry/': path.join(ROOT, 'tests', 'e2e', 'web_entry') },
  });
  idp = await startIdp({ appOrigins: [web.origin] });
  kusto = await startKusto({ issuer: idp.issuer, appOrigins: [web.origin] });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await kusto?.close();
  await idp?.close();
  await web?.close();
  rmSync(unpacked, { recursive: true, force: true });
});

test('a static page signs in, queries and signs out with the KustoSpaAuth global', async () => {
  const page = await newPage(await browser.newContext());
  const query = new URLSearchParams({ clientId: idp.clientId, authority: idp.issuer, cluster: kusto.url });
  await page.goto(`${web.origin}/?${query}`);
  await page.waitForFunction(() => document.getElementById('out').textContent === 'signed out');
  assert.equal(await page.evaluate(() => typeof window.KustoSpaAuth.PublicClientApplication), 'function');

  await Promise.all([page.waitForURL((u) => u.origin === idp.issuer), page.click('#sign-in')]);
  await idpLogin(page, 'lee');
  await page.waitForFunction(() => document.getElementById('out').textContent.startsWith('signed in as'));
  assert.equal(await page.textContent('#out'), 'signed in as lee@example.com');

  await page.click('#count');
  await page.waitForFunction(() => document.getElementById('out').textContent.startsWith('StormEvents'));
  assert.equal(await page.textContent('#out'), `StormEvents | count = ${loadStormEvents().rows.length}`);
  assert.equal(kusto.requests().filter((r) => r.method === 'POST' && r.authorized).length, 1);

  await Promise.all([page.waitForURL((u) => u.origin === web.origin && u.pathname === '/'), page.click('#sign-out')]);
  await page.waitForFunction(() => document.getElementById('out').textContent === 'signed out');
  assertLocalOnly(page);
  assertNoErrors(page);
});

test('the ./web entry fetches the separate wasm and works', async () => {
  const page = await newPage(await browser.newContext());
  await page.goto(`${web.origin}/web-entry/`);
  await page.waitForFunction(() => window.lib);
  const out = await page.evaluate((config) => {
    const pca = new window.lib.PublicClientApplication({ auth: config });
    return {
      accounts: pca.getAllAccounts(),
      principal: window.lib.parsePrincipal('aadgroup=team@contoso.com').descriptor,
      wasm: performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.wasm')),
    };
  }, { clientId: idp.clientId, authority: idp.issuer });
  assert.deepEqual(out.accounts, []);
  assert.equal(out.principal, 'aadgroup=team@contoso.com');
  assert.deepEqual(out.wasm, [`${web.origin}/pkg/kusto_spa_auth_bg.wasm`]);
  assertLocalOnly(page);
  assertNoErrors(page);
});
