// The Angular examples, each built by the Angular CLI on the packed tarball, through the same
// steps: the route guard signs in, the interceptor adds the token to Kusto requests only,
// StormEvents | count, sign out. examples/angular has a guard and an interceptor of its own;
// examples/msal-angular is an @azure/msal-angular app (MsalGuard, MsalInterceptor,
// MsalBroadcastService) whose PublicClientApplication is kusto-spa-auth's.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import { assertLocalOnly, assertNoErrors, idpLogin, newPage, recordHeaders } from '../support/browser.mjs';
import { loadStormEvents } from '../support/kusto.mjs';
import { buildExample, ROOT } from '../support/tarball.mjs';

const run = promisify(execFile);
// The Angular CLI 21 pinned by the examples runs on the system's Node 20.
const NODE20 = process.env.NODE20_PATH ?? '/usr/bin/node';
const ENV = { ...process.env, NG_CLI_ANALYTICS: 'false' };

for (const name of ['angular', 'msal-angular']) describe(`examples/${name}`, () => {
  const APP = path.join(ROOT, 'examples', name);
  let app, web, idp, kusto, browser;

  before(async () => {
    const ng = path.join(APP, 'node_modules', '@angular', 'cli', 'bin', 'ng.js');
    assert.ok(existsSync(ng), `examples/${name} has no node_modules: run tools/setup.sh`);
    // --stats-json: the build's list of the modules in each output file, next to browser/.
    const build = (out) => run(NODE20, [ng, 'build', '--output-path', out, '--stats-json'], {
      cwd: APP, env: ENV, timeout: 300_000, maxBuffer: 16 << 20,
    });
    const serve = (out) => ({ root: path.join(out, 'browser'), fallback: path.join(out, 'browser', 'index.html') });
    app = await buildExample(APP, ['index.js', 'kusto_spa_auth_wasm.js'], build, serve);
    ({ web, idp, kusto, browser } = app);
  });

  after(() => app?.close());

  test('the bundle signs in with the tarball\'s PublicClientApplication, not msal-browser\'s', () => {
    const browserDir = path.join(app.dist, 'browser');
    const js = readdirSync(browserDir).filter((f) => f.endsWith('.js')).map((f) => readFileSync(path.join(browserDir, f), 'utf8')).join('\n');
    assert.ok(js.includes(app.tarball.inlinedWasmMark()), 'the inlined wasm of the tarball');
    const { outputs } = JSON.parse(readFileSync(path.join(app.dist, 'stats.json'), 'utf8'));
    const modules = Object.values(outputs).flatMap((output) => Object.keys(output.inputs));
    assert.ok(modules.includes('node_modules/kusto-spa-auth/application.js'));
    // msal-angular takes constants and helpers from msal-browser; its client stays out.
    assert.deepEqual(modules.filter((m) => /@azure\/msal-browser\/dist\/(app|controllers|interaction_client)\//.test(m)), []);
  });

  test('the guarded route signs in, queries Kusto with the token and signs out', async () => {
    const context = await browser.newContext();
    const page = await newPage(context);
    const headers = recordHeaders(context);
    const assetRequests = async () => (await headers.sent()).filter((r) => r.url === `${web.origin}/query.json`);

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

    const requests = await headers.sent();
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
});
