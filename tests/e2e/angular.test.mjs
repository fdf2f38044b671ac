// examples/angular built by the Angular CLI on the packed tarball: the route guard signs in,
// the interceptor adds the token to Kusto requests only, StormEvents | count, sign out.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { assertLocalOnly, assertNoErrors, idpLogin, newPage } from '../support/browser.mjs';
import { loadStormEvents } from '../support/kusto.mjs';
import { buildExample, ROOT } from '../support/tarball.mjs';

const run = promisify(execFile);
const APP = path.join(ROOT, 'examples', 'angular');
// The Angular CLI 21 pinned by the example runs on the system's Node 20.
const NODE20 = process.env.NODE20_PATH ?? '/usr/bin/node';
const ENV = { ...process.env, NG_CLI_ANALYTICS: 'false' };

let app, web, idp, kusto, browser;

before(async () => {
  const build = (out) => run(NODE20, [path.join(APP, 'node_modules', '@angular', 'cli', 'bin', 'ng.js'), 'build', '--output-path', out], {
    cwd: APP, env: ENV, timeout: 300_000, maxBuffer: 16 << 20,
  });
  const serve = (out) => ({ root: path.join(out, 'browser'), fallback: path.join(out, 'browser', 'index.html') });
  app = await buildExample(APP, ['index.js', 'kusto_spa_auth_wasm.js'], build, serve);
  ({ web, idp, kusto, browser } = app);
});

after(() => app?.close());

test('the guarded route signs in, queries Kusto with the token and signs out', async () => {
  const context = await browser.newContext();
  const page = await newPage(context);
  // Every request the app sends, with the headers it really sent.
  const sent = [];
  context.on('request', (req) => sent.push(req.allHeaders().then((headers) => ({ url: req.url(), method: req.method(), headers }))));
  const assetRequests = async () => (await Promise.all(sent)).filter((r) => r.url === `${web.origin}/query.json`);

  const settings = new URLSearchParams({ clientId: idp.clientId, authority: idp.issuer, cluster: kusto.url });
  await Promise.all([
    page.waitForURL((u) => u.origin === idp.issuer),
    page.goto(`${web.origin}/query?${settings}`),
  ]);
  assert.deepEqual(kusto.requests(), [], 'nothing reaches Kusto before the sign-in');
  assert.deepEqual(await assetRequests(), [], 'the guard keeps the query page closed');

  await idpLogin(page, 'lee');
  await page.waitForURL((u) => u.origin === web.origin && u.pathname === '/query');
  await page.waitForSelector('#count, #query-error, #error');
  assert.equal(await page.textContent('#status'), 'signed in as lee@example.com');
  assert.equal(await page.textContent('#count'), `StormEvents | count = ${loadStormEvents().rows.length}`);

  const posts = kusto.requests().filter((r) => r.method === 'POST');
  assert.equal(posts.length, 1);
  assert.deepEqual([posts[0].path, posts[0].db, posts[0].csl, posts[0].authorized], ['/v2/rest/query', 'Samples', 'StormEvents | count', true]);

  const requests = await Promise.all(sent);
  const toKusto = requests.filter((r) => r.method === 'POST' && r.url === `${kusto.url}/v2/rest/query`);
  assert.equal(toKusto.length, 1);
  assert.match(toKusto[0].headers.authorization ?? '', /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
  // The app's own request through the same HttpClient and interceptor goes out without it.
  const asset = await assetRequests();
  assert.equal(asset.length, 1);
  assert.equal(asset[0].headers.authorization, undefined);
  assert.deepEqual(requests.filter((r) => r.headers.authorization !== undefined).map((r) => r.url), [`${kusto.url}/v2/rest/query`]);

  await Promise.all([
    page.waitForURL((u) => u.origin === web.origin && u.pathname === '/'),
    page.click('#sign-out'),
  ]);
  // The home route is public: it renders for a signed-out user.
  await page.waitForSelector('app-home dl');
  assert.equal(await page.textContent('#status'), 'signed out');
  assert.equal(page.url(), `${web.origin}/`);

  // Signed out, the guarded route asks for a sign-in again.
  await Promise.all([page.waitForURL((u) => u.origin === idp.issuer), page.click('a[href="/query"]')]);
  assert.equal(kusto.requests().filter((r) => r.method === 'POST').length, 1);
  assert.equal((await assetRequests()).length, 1);
  assertLocalOnly(page);
  assertNoErrors(page);
});
