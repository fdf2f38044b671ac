// The Kusto client is a module of its own: a page that only signs in never downloads it, a query
// does (once), and when it cannot load, the call fails with a typed error and nothing cached is
// lost. Requests are counted at the static server that serves the package.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { startApp } from '../support/app.mjs';
import { loadStormEvents } from '../support/kusto.mjs';

const LOCAL_SCOPE = 'http://localhost/.default';
const ROWS = loadStormEvents().rows.length;
let f;
before(async () => {
  f = await startApp({}, { kusto: true });
});
after(async () => {
  await f?.close();
});

const kustoFiles = (from = 0) => f.web.served().slice(from).filter((p) => p.startsWith('/pkg/kusto_client'));

async function signedIn() {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  const signed = await f.signIn(page, 'erin', { scopes: [LOCAL_SCOPE] });
  assert.ok(signed.ok, JSON.stringify(signed.error));
  return page;
}

function query(page) {
  return page.evaluate((cluster) => {
    const client = new window.lib.KustoClient(cluster, { pca: window.pca });
    return client.query('Samples', 'StormEvents | count').then((r) => ({ ok: true, rows: r.primaryResults[0].rows }), (e) => ({ ok: false, error: window.describeError(e) }));
  }, f.kusto.url);
}

const silentFromCache = (page) =>
  page.evaluate(async (scope) => (await window.pca.acquireTokenSilent({ scopes: [scope], account: window.pca.getAllAccounts()[0] })).fromCache, LOCAL_SCOPE);

test('a page that signs in and gets tokens never fetches the Kusto module; a query fetches it once', async () => {
  const start = f.web.served().length;
  const page = await signedIn();
  assert.equal(await silentFromCache(page), true);
  await f.goto(page); // a returning user's page
  assert.equal(await silentFromCache(page), true);
  assert.ok(f.web.served().slice(start).includes('/pkg/index.js'), 'the count sees the package');
  assert.deepEqual(kustoFiles(start), [], 'no part of the Kusto module was fetched');

  const first = await query(page);
  assert.ok(first.ok, JSON.stringify(first.error));
  assert.equal(first.rows[0][0], ROWS);
  assert.deepEqual(kustoFiles(start).sort(), ['/pkg/kusto_client.js', '/pkg/kusto_client_inline.js', '/pkg/kusto_client_wasm.js']);
  const second = await query(page);
  assert.ok(second.ok);
  assert.equal(kustoFiles(start).length, 3, 'a second client reuses the loaded module');
  await page.context().close();
});

test('the /web entry fetches the Kusto module as a wasm file, only when asked', async () => {
  const page = await f.browser.newPage();
  const start = f.web.served().length;
  await page.goto(`${f.web.origin}/web_entry/`);
  await page.waitForFunction(() => window.lib);
  await page.evaluate(async (config) => {
    window.pca = new window.lib.PublicClientApplication({ auth: config });
    await window.pca.initialize();
    await window.pca.handleRedirectPromise();
  }, { clientId: f.idp.clientId, authority: f.idp.issuer });
  assert.ok(f.web.served().slice(start).includes('/pkg/kusto_spa_auth_bg.wasm'));
  assert.deepEqual(kustoFiles(start), []);
  const scopes = await page.evaluate(() => new window.lib.KustoClient('https://help.kusto.windows.net', { tokenProvider: async () => 'unused' }).scopes());
  assert.deepEqual(scopes, ['https://help.kusto.windows.net/.default']);
  assert.deepEqual(kustoFiles(start).sort(), ['/pkg/kusto_client.js', '/pkg/kusto_client_bg.wasm', '/pkg/kusto_client_web.js']);
  await page.context().close();
});

test('a Kusto module that cannot load rejects the call with a typed error; the cache is untouched and a later call loads it', async () => {
  const page = await signedIn();
  const stored = () => page.evaluate(() => JSON.stringify(Object.entries(localStorage).sort()));
  const cache = await stored();
  // Offline, for the module's first file only.
  await page.route('**/pkg/kusto_client_inline.js', (route) => route.abort('internetdisconnected'));
  const failed = await query(page);
  assert.equal(failed.ok, false);
  assert.equal(failed.error.errorCode, 'kusto_module_load_failed');
  assert.ok(failed.error.instanceOf.includes('BrowserAuthError'), JSON.stringify(failed.error));
  assert.match(failed.error.errorMessage, /Kusto module \(kusto_client\) could not be loaded: .+\. Check that the page can reach/);
  assert.equal(await stored(), cache, 'nothing cached changed');
  assert.equal(await silentFromCache(page), true, 'sign-in goes on from the cache');

  await page.unroute('**/pkg/kusto_client_inline.js');
  const retried = await query(page);
  assert.ok(retried.ok, JSON.stringify(retried.error));
  assert.equal(retried.rows[0][0], ROWS);
  await page.context().close();
});

test('on the /web entry, a Kusto wasm that answers 404 is the same typed error', async () => {
  const page = await f.browser.newPage();
  await page.route('**/pkg/kusto_client_bg.wasm', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await page.goto(`${f.web.origin}/web_entry/`);
  await page.waitForFunction(() => window.lib);
  const error = await page.evaluate(() =>
    new window.lib.KustoClient('https://help.kusto.windows.net', { tokenProvider: async () => 'unused' }).scopes().then(
      () => null,
      (e) => ({ name: e.name, errorCode: e.errorCode, errorMessage: e.errorMessage, browserAuthError: e instanceof window.lib.BrowserAuthError }),
    ),
  );
  assert.equal(error?.errorCode, 'kusto_module_load_failed');
  assert.equal(error.browserAuthError, true);
  assert.match(error.errorMessage, /404/);
  await page.context().close();
});
