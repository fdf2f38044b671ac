// An access token that really expires (2 s TTL at the IdP) is renewed with exactly one
// refresh-token request, and the renewed token is then served from the cache.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';

import { assertLocalOnly, assertNoErrors } from '../support/browser.mjs';
import { KUSTO, startApp } from '../support/app.mjs';
import { decodeJwt } from '../support/jwt.mjs';

const TTL = 2;
let f;
before(async () => { f = await startApp({ accessTokenTtl: TTL }, { kusto: true }); });
after(() => f?.close());

test('an expired access token is refreshed once, then served from the cache', async () => {
  f.configure({ cacheLocation: 'localStorage', tokenRenewalOffsetSeconds: 0 });
  const page = await f.open();
  const signedIn = await f.signIn(page, 'dave');
  assert.ok(signedIn.ok, JSON.stringify(signedIn.error));
  const first = decodeJwt(signedIn.value.accessToken).payload;
  assert.equal(first.exp - first.iat, TTL);

  await sleep((TTL + 1) * 1000);
  f.idp.resetCounts();
  const renewed = await page.evaluate(() => window.app.silent({ scopes: ['https://help.kusto.windows.net/.default'] }));
  assert.ok(renewed.ok, JSON.stringify(renewed.error));
  assert.equal(renewed.value.fromCache, false);
  assert.notEqual(renewed.value.accessToken, signedIn.value.accessToken);
  assert.equal(decodeJwt(renewed.value.accessToken).payload.aud, KUSTO);
  assert.deepEqual(f.idp.counts().token, { authorization_code: 0, refresh_token: 1 });

  const cached = await page.evaluate(() => window.app.silent({ scopes: ['https://help.kusto.windows.net/.default'] }));
  assert.equal(cached.value.fromCache, true);
  assert.equal(cached.value.accessToken, renewed.value.accessToken);
  assert.deepEqual(f.idp.counts().token, { authorization_code: 0, refresh_token: 1 });
  assertLocalOnly(page);
  assertNoErrors(page);
  await page.context().close();
});

test('a Kusto query after the access token expired refreshes it and succeeds', async () => {
  f.configure({ cacheLocation: 'localStorage', tokenRenewalOffsetSeconds: 0 });
  const page = await f.open();
  const signedIn = await f.signIn(page, 'fay', { scopes: ['http://localhost/.default'] });
  assert.ok(signedIn.ok, JSON.stringify(signedIn.error));
  await sleep((TTL + 1) * 1000);
  f.idp.resetCounts();
  f.kusto.resetRequests();
  const count = await page.evaluate(async (cluster) => {
    const client = new window.lib.KustoClient(cluster, { pca: window.pca });
    return (await client.query('Samples', 'StormEvents | count')).primaryResults[0].rows[0][0];
  }, f.kusto.url);
  assert.ok(count > 0);
  assert.equal(f.idp.counts().token.refresh_token, 1);
  assert.deepEqual(f.kusto.requests().filter((r) => r.method === 'POST').map((r) => r.status), [200], 'the expired token was never sent');
  assertNoErrors(page);
  await page.context().close();
});

test('100 concurrent silent calls on an expired token make exactly one token request', async () => {
  f.configure({ cacheLocation: 'localStorage', tokenRenewalOffsetSeconds: 0 });
  const page = await f.open();
  const signedIn = await f.signIn(page, 'gus');
  assert.ok(signedIn.ok, JSON.stringify(signedIn.error));
  await sleep((TTL + 1) * 1000);
  f.idp.resetCounts();
  const results = await page.evaluate(async () => {
    const account = window.pca.getAllAccounts()[0];
    const scopes = ['https://help.kusto.windows.net/.default'];
    // Half identical (they share one promise), half distinct (they take turns and find the
    // first refresh's token in the cache).
    const calls = Array.from({ length: 100 }, (_, i) => window.pca.acquireTokenSilent(i % 2 ? { scopes, account } : { scopes, account, correlationId: `call-${i}` }));
    const settled = await Promise.allSettled(calls);
    return settled.map((s) => (s.status === 'fulfilled' ? s.value.accessToken : `failed: ${s.reason?.errorCode}`));
  });
  assert.equal(results.length, 100);
  assert.equal(new Set(results).size, 1, `every call got the same token: ${[...new Set(results)].slice(0, 3)}`);
  assert.notEqual(results[0], signedIn.value.accessToken);
  assert.deepEqual(f.idp.counts().token, { authorization_code: 0, refresh_token: 1 });
  assertNoErrors(page);
  await page.context().close();
});

test('an expired refresh token is never presented: the hidden frame recovers, or interaction is required', async () => {
  const short = await startApp({ refreshTokenTtl: 3 });
  try {
    short.configure({ cacheLocation: 'localStorage', tokenRenewalOffsetSeconds: 0 });
    const page = await short.open();
    const signedIn = await short.signIn(page, 'max');
    assert.ok(signedIn.ok, JSON.stringify(signedIn.error));
    const dies = Date.parse(signedIn.value.refreshTokenExpiresOn);
    assert.ok(Math.abs(dies - (Date.now() + 3000)) < 2500, `refreshTokenExpiresOn ${signedIn.value.refreshTokenExpiresOn}`);
    await sleep(4000);
    short.idp.resetCounts();
    const recovered = await page.evaluate(() => window.app.silent({ scopes: ['https://help.kusto.windows.net/.default'], forceRefresh: true }));
    assert.ok(recovered.ok, JSON.stringify(recovered.error));
    assert.deepEqual(short.idp.counts().token, { authorization_code: 1, refresh_token: 0 }, 'straight to the frame, no doomed refresh');

    await sleep(4000);
    // Now the IdP session is gone too (as after 24 h with Entra): the frame cannot help.
    await page.context().clearCookies();
    short.idp.resetCounts();
    const outcome = await page.evaluate(() => window.app.silent({ scopes: ['https://help.kusto.windows.net/.default'], forceRefresh: true }));
    assert.equal(outcome.ok, false);
    assert.equal(outcome.error.errorCode, 'login_required');
    assert.ok(outcome.error.instanceOf.includes('InteractionRequiredAuthError'));
    assert.deepEqual(short.idp.counts().token, { authorization_code: 0, refresh_token: 0 }, 'the expired refresh token was never sent');
    assert.equal(short.idp.counts().paths['/auth'], 1, 'one prompt=none attempt');
    assertNoErrors(page);
    await page.context().close();
  } finally {
    await short.close();
  }
});
