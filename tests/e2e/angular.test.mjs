// The Angular examples, each built by the Angular CLI on the packed tarball, through the same
// steps: the route guard signs in, the interceptor adds the token to Kusto requests only,
// StormEvents | count, sign out. examples/angular has a guard and an interceptor of its own;
// examples/msal-angular is a stock @azure/msal-angular app (MsalGuard, MsalInterceptor,
// MsalBroadcastService, everything else from @azure/msal-browser) that gets kusto-spa-auth by
// installing it under the name @azure/msal-browser, as an npm alias does
// ("@azure/msal-browser": "npm:kusto-spa-auth@..."): the test installs the tarball so.
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

// Where each example has the package: under its own name, or under the name msal-angular imports.
const INSTALLED_AS = { angular: 'kusto-spa-auth', 'msal-angular': '@azure/msal-browser' };

for (const [name, installedAs] of Object.entries(INSTALLED_AS)) describe(`examples/${name}`, () => {
  const APP = path.join(ROOT, 'examples', name);
  let app, web, idp, kusto, browser;

  before(async () => {
    const ng = path.join(APP, 'node_modules', '@angular', 'cli', 'bin', 'ng.js');
    assert.ok(existsSync(ng), `examples/${name} has no node_modules: run tools/setup.sh`);
    // --source-map: the maps' sources are the modules the bundle holds.
    const build = (out) => run(NODE20, [ng, 'build', '--output-path', out, '--source-map'], {
      cwd: APP, env: ENV, timeout: 300_000, maxBuffer: 16 << 20,
    });
    const serve = (out) => ({ root: path.join(out, 'browser'), fallback: path.join(out, 'browser', 'index.html') });
    const as = installedAs === 'kusto-spa-auth' ? undefined : installedAs;
    app = await buildExample(APP, ['index.js', 'application.js', 'kusto_spa_auth_wasm.js'], build, serve, { as });
    ({ web, idp, kusto, browser } = app);
  });

  after(() => app?.close());

  /** The modules of the bundle (node_modules/..., src/...), from its source maps. */
  const bundled = () => {
    const browserDir = path.join(app.dist, 'browser');
    return readdirSync(browserDir).filter((f) => f.endsWith('.js.map'))
      .flatMap((f) => JSON.parse(readFileSync(path.join(browserDir, f), 'utf8')).sources);
  };

  test('the bundle signs in with the tarball\'s PublicClientApplication', () => {
    const browserDir = path.join(app.dist, 'browser');
    const js = readdirSync(browserDir).filter((f) => f.endsWith('.js')).map((f) => readFileSync(path.join(browserDir, f), 'utf8')).join('\n');
    assert.ok(js.includes(app.tarball.inlinedWasmMark()), 'the inlined wasm of the tarball');
    const dir = `node_modules/${installedAs}/`;
    const modules = bundled();
    assert.ok(modules.includes(`${dir}application.js`));
    // Every module bundled from that directory is a file of the tarball, as packed.
    for (const module of modules.filter((m) => m.startsWith(dir))) {
      assert.ok(readFileSync(path.join(APP, module)).equals(app.tarball.read(module.slice(dir.length))), `${module} is the tarball's`);
    }
  });

  if (name === 'msal-angular') test('the app imports msal-browser as any msal-angular app does, and none of msal-browser is bundled', () => {
    const sources = readdirSync(path.join(APP, 'src'), { recursive: true }).filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(path.join(APP, 'src', f), 'utf8')).join('\n');
    const imports = [...sources.matchAll(/^import (?:[^;]*?) from '([^']+)';$/gms)].map((m) => [m[1], m[0]]);
    assert.ok(imports.some(([from, text]) => from === '@azure/msal-browser' && /\bPublicClientApplication\b/.test(text)));
    assert.deepEqual(imports.filter(([from]) => from === 'kusto-spa-auth'), [], 'nothing is imported by the name kusto-spa-auth');
    // The override makes msal-angular's peer dependency the app's own @azure/msal-browser.
    const { overrides } = JSON.parse(readFileSync(path.join(APP, 'package.json'), 'utf8'));
    assert.equal(overrides['@azure/msal-browser'], '$@azure/msal-browser');
    const modules = bundled();
    assert.ok(modules.includes('node_modules/@azure/msal-angular/fesm2022/azure-msal-angular.mjs'));
    assert.deepEqual(modules.filter((m) => m.startsWith('node_modules/@azure/msal-common/') || m.startsWith('node_modules/@azure/msal-browser/dist/')), [], 'nothing of msal-browser');
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
