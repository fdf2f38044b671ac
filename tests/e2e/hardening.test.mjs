// Attacks on the built package, end to end in Chromium against the test IdP: tokens offered to
// another authority, poisoned provider metadata in storage, script and foreign navigation
// targets, oversized requests and answers. Each refusal leaves the valid cached tokens in place.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';

import { assertNoErrors } from '../support/browser.mjs';
import { KUSTO_SCOPE, startApp } from '../support/app.mjs';
import { startIdp } from '../support/idp.mjs';
import { listenLocalhost } from '../support/listen.mjs';

let f;
let other;
before(async () => {
  f = await startApp();
  other = await startIdp({ appOrigins: [f.web.origin] });
});
after(async () => {
  await other?.close();
  await f?.close();
});

const tokenKeys = (storage) => Object.keys(storage.local).filter((k) => /\|(at|rt)\|/.test(k)).sort();

test('a refresh token or access token is never offered to another authority', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  const signedIn = await f.signIn(page, 'ada');
  assert.ok(signedIn.ok, JSON.stringify(signedIn.error));
  const before = tokenKeys(await page.evaluate(() => window.app.storage()));

  // The same client id and cache, now configured with another provider.
  f.configure({ cacheLocation: 'localStorage', authority: other.issuer });
  await f.goto(page);
  other.resetCounts();
  for (const request of [{ scopes: [KUSTO_SCOPE] }, { scopes: [KUSTO_SCOPE], forceRefresh: true }]) {
    const out = await page.evaluate((r) => window.app.silent(r), request);
    assert.equal(out.ok, false, `served ${JSON.stringify(request)} from another authority's tokens`);
    assert.ok(out.error.instanceOf.includes('InteractionRequiredAuthError'), JSON.stringify(out.error));
  }
  assert.deepEqual(other.counts().posts, {}, 'nothing was posted to the other authority');
  assert.deepEqual(other.counts().paths, {}, 'no frame went to the other authority either');

  // Back to the authority that issued them: they still answer.
  f.configure({ cacheLocation: 'localStorage' });
  await f.goto(page);
  assert.deepEqual(tokenKeys(await page.evaluate(() => window.app.storage())), before, 'the refusals removed nothing');
  const again = await page.evaluate((scopes) => window.app.silent({ scopes }), [KUSTO_SCOPE]);
  assert.ok(again.ok && again.value.fromCache, JSON.stringify(again));
  await page.context().close();
});

test('provider metadata rewritten in storage is not used', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  const signedIn = await f.signIn(page, 'bea');
  assert.ok(signedIn.ok, JSON.stringify(signedIn.error));
  // Another script of the origin points the token endpoint elsewhere, for ever.
  await page.evaluate((collector) => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('ksa1|meta|'));
    const entry = JSON.parse(localStorage.getItem(key));
    entry.fetchedAt = Math.floor(Date.now() / 1000);
    entry.expiresAt = 4102444800;
    entry.endpoints.token = `${collector}/token`;
    localStorage.setItem(key, JSON.stringify(entry));
  }, other.issuer);
  await f.goto(page);
  other.resetCounts();
  f.idp.resetCounts();
  const out = await page.evaluate((scopes) => window.app.silent({ scopes, forceRefresh: true }), [KUSTO_SCOPE]);
  assert.ok(out.ok, JSON.stringify(out.error));
  assert.deepEqual(other.counts().posts, {}, 'the refresh token did not go to the rewritten endpoint');
  assert.equal(f.idp.counts().token.refresh_token, 1, 'it went to the provider, after a fresh discovery');
  assert.equal(f.idp.counts().paths['/.well-known/openid-configuration'], 1);
  await page.context().close();
});

test('script and foreign navigation targets are configuration errors, never followed', async () => {
  f.configure({ cacheLocation: 'sessionStorage' });
  const page = await f.open();
  const signedIn = await f.signIn(page, 'cai');
  assert.ok(signedIn.ok, JSON.stringify(signedIn.error));
  const here = page.url();
  const outcomes = await page.evaluate(async (foreign) => {
    window.ran = false;
    const targets = ['javascript:window.ran=true', 'JavaScript:window.ran=true', foreign, 'data:text/html,x'];
    const tried = [];
    for (const target of targets) {
      tried.push(await window.pca.loginRedirect({ scopes: ['openid'], redirectStartPage: target, onRedirectNavigate: () => false }).then(() => 'ok', window.describeError));
    }
    return { tried, ran: window.ran };
  }, 'https://evil.example/');
  assert.equal(outcomes.ran, false);
  for (const e of outcomes.tried) {
    assert.equal(e.errorCode, 'invalid_navigation_target', JSON.stringify(e));
    assert.ok(e.instanceOf.includes('ClientConfigurationError'));
    assert.doesNotMatch(e.errorMessage, /javascript|evil|data:/i, 'the message does not quote the value');
  }
  assert.equal(page.url(), here);
  assertNoErrors(page);
  await page.context().close();
});

test('logoutPopup refuses a script mainWindowRedirectUri', async () => {
  f.configure({ cacheLocation: 'sessionStorage' });
  const page = await f.open();
  await f.signIn(page, 'dia');
  await page.evaluate(() => { window.ran = false; window.app.popupCall = { method: 'logoutPopup', request: { mainWindowRedirectUri: 'javascript:window.ran=true' } }; });
  await page.click('#popup');
  await page.waitForFunction(() => window.app.popupResult, null, { timeout: 30_000 });
  const out = await page.evaluate(async () => ({ result: await window.app.popupResult, ran: window.ran }));
  assert.equal(out.ran, false);
  assert.equal(out.result.ok, false);
  assert.equal(out.result.error.errorCode, 'invalid_navigation_target');
  await page.context().close();
});

test('an oversized request is refused with a typed error, and the instance goes on', async () => {
  f.configure({ cacheLocation: 'sessionStorage' });
  const page = await f.open();
  await f.signIn(page, 'eve');
  const out = await page.evaluate(async (scopes) => {
    const huge = 'x'.repeat(4 << 20);
    const refused = await window.pca.loginRedirect({ scopes, extraQueryParameters: { huge }, onRedirectNavigate: () => false }).then(() => null, window.describeError);
    const after = await window.app.silent({ scopes });
    return { refused, after };
  }, [KUSTO_SCOPE]);
  assert.equal(out.refused?.errorCode, 'invalid_request_parameter', JSON.stringify(out.refused));
  assert.ok(out.refused.instanceOf.includes('ClientConfigurationError'));
  assert.ok(out.after.ok && out.after.value.fromCache, JSON.stringify(out.after));
  await page.context().close();
});

test('a trap in the wasm rejects the calls still running with a typed error instead of leaving them pending', async () => {
  f.configure({ cacheLocation: 'sessionStorage' });
  const page = await f.open();
  await f.signIn(page, 'tia');
  // The refresh is held at the network, so the call is still running when the module traps.
  let held;
  const arrived = new Promise((resolve) => page.route(`${f.idp.issuer}/token`, (route) => { held = route; resolve(); }));
  await page.evaluate((scopes) => { window.pending = window.app.silent({ scopes, forceRefresh: true }); }, [KUSTO_SCOPE]);
  await arrived;
  // What the browser reports when a wasm task traps: an uncaught WebAssembly.RuntimeError.
  await page.evaluate(() => setTimeout(() => { throw new WebAssembly.RuntimeError('unreachable'); }));
  const out = await page.evaluate(() => window.pending);
  assert.equal(out.ok, false);
  assert.equal(out.error.errorCode, 'unexpected_error');
  assert.ok(out.error.instanceOf.includes('AuthError'));
  assert.match(out.error.errorMessage, /Reload the page/);
  await held.continue();
  await page.unroute(`${f.idp.issuer}/token`);
  const after = await page.evaluate((scopes) => window.app.silent({ scopes }), [KUSTO_SCOPE]);
  assert.ok(after.ok, JSON.stringify(after));
  await page.context().close();
});

test('an identity provider\'s answer past 1 MiB is refused with a typed error, and the cached tokens stay', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  assert.ok((await f.signIn(page, 'ivy')).ok);
  const before = await page.evaluate(() => window.app.storage());
  f.idp.resetCounts();
  await f.idp.setFault({ path: '/token', status: 200, body: { access_token: 'x'.repeat(2 << 20), token_type: 'Bearer', expires_in: 3600 } });
  const out = await page.evaluate((scopes) => window.app.silent({ scopes, forceRefresh: true }), [KUSTO_SCOPE]);
  await f.idp.setFault(null);
  assert.equal(out.ok, false);
  assert.equal(f.idp.counts().token.refresh_token, 1, 'an answer too large is not asked for again');
  assert.equal(out.error.errorCode, 'response_too_large', JSON.stringify(out.error));
  assert.ok(out.error.instanceOf.includes('BrowserAuthError'));
  assert.match(out.error.errorMessage, /larger than 1048576 bytes/);
  assert.deepEqual(tokenKeys(await page.evaluate(() => window.app.storage())), tokenKeys(before));
  const again = await page.evaluate((scopes) => window.app.silent({ scopes, forceRefresh: true }), [KUSTO_SCOPE]);
  assert.ok(again.ok, 'the refresh token still works');
  await page.context().close();
});

test('a Kusto answer past maxResponseBytes (64 MiB by default) is refused as it arrives, compressed or not', async () => {
  // A local "cluster" (trusted for its own resource) that answers every query with `next`.
  let next;
  const cluster = await listenLocalhost((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', f.web.origin);
    res.setHeader('Access-Control-Allow-Headers', '*');
    if (req.method === 'OPTIONS') return res.end();
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json', ...next.headers });
      res.end(next.body);
    });
  });
  try {
    const page = await f.open();
    const query = (options) => page.evaluate(([url, o]) => new window.lib.KustoClient(url, { tokenProvider: async () => 't', ...o })
      .query('Samples', 'StormEvents').then(() => null, window.describeError), [`http://localhost:${cluster.port}`, options]);
    next = { body: `[${' '.repeat(3 << 20)}]` };
    const plain = await query({ maxResponseBytes: 1 << 20 });
    assert.equal(plain?.errorCode, 'response_too_large', JSON.stringify(plain));
    assert.match(plain.errorMessage, /maxResponseBytes/);
    // 70 MB that travel as 70 KB of gzip: counted after decoding, so past the default bound.
    next = { body: gzipSync(`[${' '.repeat(70 << 20)}]`), headers: { 'Content-Encoding': 'gzip' } };
    const bomb = await query({});
    assert.equal(bomb?.errorCode, 'response_too_large', JSON.stringify(bomb));
    assert.match(bomb.errorMessage, /larger than 67108864 bytes/);
    // Within the bound the same server's answer is read and judged as usual.
    next = { body: '[]' };
    const small = await query({ maxResponseBytes: 1 << 20 });
    assert.notEqual(small?.errorCode, 'response_too_large');
    const wrong = await query({ maxResponseBytes: -1 });
    assert.equal(wrong?.errorCode, 'invalid_request_parameter');
    assert.match(wrong.errorMessage, /maxResponseBytes/);
    await page.context().close();
  } finally {
    await cluster.close();
  }
});
