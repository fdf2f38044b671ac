// Tabs of one browser sharing a localStorage cache, against an IdP that rotates refresh tokens
// and revokes the whole grant when a used one comes back: renewals at the same moment must be
// single-flight across tabs, and a sign-out in one tab is seen by the others.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';

import { newPage, assertLocalOnly, assertNoErrors } from '../support/browser.mjs';
import { KUSTO_SCOPE, entries, startApp } from '../support/app.mjs';

const TTL = 2;
let f;
before(async () => { f = await startApp({ accessTokenTtl: TTL }); });
after(() => f?.close());

/** Signs in in a first tab and opens `count - 1` more tabs of the same context on the app. */
async function tabs(count, login) {
  f.configure({ cacheLocation: 'localStorage', tokenRenewalOffsetSeconds: 0 });
  const first = await f.open();
  const signedIn = await f.signIn(first, login);
  assert.ok(signedIn.ok, JSON.stringify(signedIn.error));
  const pages = [first];
  while (pages.length < count) {
    const page = await newPage(first.context());
    await f.goto(page);
    pages.push(page);
  }
  return pages;
}

/** acquireTokenSilent in every tab at once. */
const silentEverywhere = (pages) => Promise.all(pages.map((p) => p.evaluate((scope) => window.app.silent({ scopes: [scope] }), KUSTO_SCOPE)));

for (const count of [2, 3]) {
  test(`${count} tabs renewing at the same moment make one refresh and keep the grant`, async () => {
    const pages = await tabs(count, `tabs${count}`);
    for (let round = 1; round <= 2; round++) {
      await sleep((TTL + 1) * 1000);
      f.idp.resetCounts();
      const results = await silentEverywhere(pages);
      for (const r of results) assert.ok(r.ok, `round ${round}: ${JSON.stringify(r.error)}`);
      assert.equal(f.idp.counts().token.refresh_token, 1, `round ${round}: one refresh for ${count} tabs`);
      assert.equal(results.filter((r) => !r.value.fromCache).length, 1, `round ${round}: one tab renewed, the others read its token`);
      assert.equal(new Set(results.map((r) => r.value.accessToken)).size, 1, `round ${round}: every tab has the renewed token`);
    }
    for (const page of pages) {
      assertLocalOnly(page);
      assertNoErrors(page);
    }
    await pages[0].context().close();
  });
}

test('a sign-out in one tab is seen by the others', async () => {
  const [a, b] = await tabs(2, 'tabsout');
  const account = (await b.evaluate(() => window.app.accounts()))[0];
  assert.equal(account.username, 'tabsout@example.com');
  await Promise.all([a.waitForURL((u) => u.origin === f.idp.issuer || u.pathname.endsWith('signed-out.html')), a.evaluate(() => { window.app.logout({}); })]);

  assert.deepEqual(await b.evaluate(() => window.app.accounts()), []);
  const silent = await b.evaluate(({ account, scope }) => window.app.silent({ account, scopes: [scope] }), { account, scope: KUSTO_SCOPE });
  assert.equal(silent.ok, false);
  assert.ok(silent.error.instanceOf.includes('InteractionRequiredAuthError'), JSON.stringify(silent.error));
  const local = (await b.evaluate(() => window.app.storage())).local;
  assert.deepEqual([...entries(local, 'at'), ...entries(local, 'rt'), ...entries(local, 'account')], []);
  await a.context().close();
});

test('without Web Locks the renewals of one tab still take turns', async () => {
  f.configure({ cacheLocation: 'localStorage', tokenRenewalOffsetSeconds: 0 });
  const context = await f.browser.newContext();
  await context.addInitScript(() => { Object.defineProperty(Navigator.prototype, 'locks', { value: undefined }); });
  const page = await newPage(context);
  await f.goto(page);
  assert.equal(await page.evaluate(() => navigator.locks), undefined);
  const signedIn = await f.signIn(page, 'nolocks');
  assert.ok(signedIn.ok, JSON.stringify(signedIn.error));
  await sleep((TTL + 1) * 1000);
  f.idp.resetCounts();
  // Two different requests (so not merged as one call) that both need the renewed token.
  const results = await page.evaluate((scope) => Promise.all(['a', 'b'].map((id) => window.app.silent({ scopes: [scope], correlationId: id }))), KUSTO_SCOPE);
  for (const r of results) assert.ok(r.ok, JSON.stringify(r.error));
  assert.equal(f.idp.counts().token.refresh_token, 1);
  assert.deepEqual(results.map((r) => r.value.fromCache), [false, true]);
  assertNoErrors(page);
  await context.close();
});
