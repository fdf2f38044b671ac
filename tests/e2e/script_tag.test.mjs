// The packed tarball's browser entries without a bundler: examples/script-tag on the global
// build (sign in, get a token, run StormEvents | count, sign out), and the ./web entry.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { assertLocalOnly, assertNoErrors, countStormEvents, idpLogin, newPage } from '../support/browser.mjs';
import { copyTarball, ROOT, startSite } from '../support/tarball.mjs';

let tarball, site, web, idp, kusto, browser;

before(async () => {
  tarball = copyTarball('ksa-tarball-');
  site = await startSite({
    root: path.join(ROOT, 'examples', 'script-tag'),
    mounts: { '/pkg/': path.join(tarball.dir, 'package'), '/web-entry/': path.join(ROOT, 'tests', 'e2e', 'web_entry') },
  });
  ({ web, idp, kusto, browser } = site);
});

after(async () => {
  await site?.close();
  tarball?.dispose();
});

test('a static page signs in, queries and signs out with the KustoSpaAuth global', async () => {
  const page = await newPage(await browser.newContext());
  const query = new URLSearchParams({ clientId: idp.clientId, authority: idp.issuer, cluster: kusto.url });
  await page.goto(`${web.origin}/?${query}`);
  await page.waitForFunction(() => document.getElementById('out').textContent === 'signed out');
  assert.equal(await page.evaluate(() => typeof window.KustoSpaAuth.PublicClientApplication), 'function');
  // The global build is minified: the error classes keep their names all the same.
  const errors = await page.evaluate(() => {
    const lib = window.KustoSpaAuth;
    const classes = ['AuthError', 'BrowserAuthError', 'ServerError', 'InteractionRequiredAuthError', 'ClientConfigurationError', 'KustoServiceError'];
    let thrown;
    try {
      new lib.PublicClientApplication({ auth: {} });
    } catch (e) {
      thrown = String(e);
    }
    return { names: classes.map((c) => new lib[c]('code', 'message').name), thrown };
  });
  assert.deepEqual(errors.names, ['AuthError', 'BrowserAuthError', 'ServerError', 'InteractionRequiredAuthError', 'ClientConfigurationError', 'KustoServiceError']);
  assert.match(errors.thrown, /^ClientConfigurationError: invalid_client_id: /);

  await Promise.all([page.waitForURL((u) => u.origin === idp.issuer), page.click('#sign-in')]);
  await idpLogin(page, 'lee');
  await page.waitForFunction(() => document.getElementById('out').textContent.startsWith('signed in as'));
  assert.equal(await page.textContent('#out'), 'signed in as lee@example.com');

  await countStormEvents(page, kusto, '#out');

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
