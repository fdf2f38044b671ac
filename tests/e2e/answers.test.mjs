// Repeated acquireTokenSilent calls are answered from memory while the cache's generation is
// unchanged: every answer is a result of its own, any write to the cache (here or in another
// tab) sends the next call back to the cache, and forceRefresh always reaches the IdP.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertNoErrors, newPage } from '../support/browser.mjs';
import { KUSTO_SCOPE, startApp } from '../support/app.mjs';

let f;
before(async () => { f = await startApp(); });
after(() => f?.close());

const cacheReads = (page) => page.evaluate(() => window.app.logs.filter((l) => /served from the cache/.test(l.message)).length);
const silent = (page, extra = {}) => page.evaluate(({ scope, extra }) => window.app.silent({ scopes: [scope], ...extra }), { scope: KUSTO_SCOPE, extra });

test('answers from memory are copies, and a cache write or forceRefresh goes past them', async () => {
  f.configure({ cacheLocation: 'localStorage', logLevel: 3 });
  const page = await f.open();
  assert.ok((await f.signIn(page, 'mia')).ok);

  const first = await silent(page);
  const again = await Promise.all([silent(page), silent(page)]);
  assert.equal(await cacheReads(page), 1, 'one cache read, then memory');
  for (const r of [first, ...again]) {
    assert.ok(r.ok, JSON.stringify(r.error));
    assert.equal(r.value.fromCache, true);
    assert.equal(r.value.accessToken, first.value.accessToken);
    assert.equal(r.value.expiresOnIsDate, true);
  }
  assert.equal(new Set([first, ...again].map((r) => r.value.correlationId)).size, 3, 'each answer has its own correlation id');

  // An app that changes a result changes no other.
  const untouched = await page.evaluate(async (scope) => {
    const account = window.pca.getAllAccounts()[0];
    const mine = await window.pca.acquireTokenSilent({ scopes: [scope], account });
    mine.scopes.push('changed');
    mine.account.username = 'changed';
    mine.idTokenClaims.name = 'changed';
    mine.expiresOn.setTime(0);
    const next = await window.pca.acquireTokenSilent({ scopes: [scope], account });
    return { scopes: next.scopes, username: next.account.username, name: next.idTokenClaims.name, expires: next.expiresOn.getTime() > Date.now() };
  }, KUSTO_SCOPE);
  assert.ok(!untouched.scopes.includes('changed') && untouched.username !== 'changed' && untouched.name !== 'changed' && untouched.expires, JSON.stringify(untouched));

  const reads = await cacheReads(page);
  await page.evaluate(() => window.pca.setActiveAccount(window.pca.getAllAccounts()[0]));
  assert.ok((await silent(page)).ok);
  assert.ok((await silent(page)).ok);
  assert.equal(await cacheReads(page), reads + 1, 'the write sent one call back to the cache');

  f.idp.resetCounts();
  const forced = await silent(page, { forceRefresh: true });
  assert.ok(forced.ok);
  assert.equal(forced.value.fromCache, false);
  assert.equal(f.idp.counts().token.refresh_token, 1);
  const after = await silent(page);
  assert.equal(after.value.accessToken, forced.value.accessToken, 'the renewed token, not the kept one');
  assertNoErrors(page);
  await page.context().close();
});

test('a sign-out in another tab ends the answers from memory', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const a = await f.open();
  assert.ok((await f.signIn(a, 'max')).ok);
  const b = await newPage(a.context());
  await f.goto(b);
  const account = (await b.evaluate(() => window.app.accounts()))[0];
  for (let i = 0; i < 3; i++) assert.ok((await silent(b, { account })).ok);

  await Promise.all([a.waitForURL((u) => u.pathname.endsWith('signed-out.html')), a.evaluate(() => { window.app.logout({}); })]);
  const out = await silent(b, { account });
  assert.equal(out.ok, false);
  assert.ok(out.error.instanceOf.includes('InteractionRequiredAuthError'), JSON.stringify(out.error));
  assertNoErrors(b);
  await a.context().close();
});
