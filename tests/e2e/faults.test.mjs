// Passing faults at the token endpoint: bounded retries, Retry-After honoured, and no failure
// ever loses a refresh token that still works.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertLocalOnly, assertNoErrors } from '../support/browser.mjs';
import { entries, startApp } from '../support/app.mjs';

// Chromium logs each failed fetch; these tests provoke them.
const EXPECTED = [/status of (429|503)/, /ERR_INTERNET_DISCONNECTED/];
let f;
before(async () => { f = await startApp(); });
after(() => f?.close());

async function signedIn(login) {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open({ allowErrors: EXPECTED });
  const signed = await f.signIn(page, login);
  assert.ok(signed.ok, JSON.stringify(signed.error));
  f.idp.resetCounts();
  return page;
}

const renew = (page) => page.evaluate(async () => {
  const started = performance.now();
  const outcome = await window.app.silent({ scopes: ['https://help.kusto.windows.net/.default'], forceRefresh: true });
  return { ...outcome, ms: performance.now() - started };
});
const refreshTokens = async (page) => entries((await page.evaluate(() => window.app.storage())).local, 'rt').length;

test('503 twice, then 200: the renewal succeeds', async () => {
  const page = await signedIn('hal');
  f.idp.setFault({ path: '/token', status: 503, times: 2 });
  const outcome = await renew(page);
  assert.ok(outcome.ok, JSON.stringify(outcome.error));
  assert.equal(f.idp.counts().token.refresh_token, 3);
  assertLocalOnly(page);
  assertNoErrors(page);
  await page.context().close();
});

test('429 with Retry-After waits as told', async () => {
  const page = await signedIn('ida');
  f.idp.setFault({ path: '/token', status: 429, times: 1, retryAfter: 1 });
  const outcome = await renew(page);
  assert.ok(outcome.ok, JSON.stringify(outcome.error));
  assert.ok(outcome.ms >= 1000, `waited ${outcome.ms} ms`);
  assert.equal(f.idp.counts().token.refresh_token, 2);
  await page.context().close();
});

test('a fault that does not pass is a typed error and keeps the refresh token', async () => {
  const page = await signedIn('jan');
  f.idp.setFault({ path: '/token', status: 503, times: 5 });
  const outcome = await renew(page);
  assert.equal(outcome.ok, false);
  assert.equal(outcome.error.errorCode, 'temporarily_unavailable');
  assert.ok(outcome.error.instanceOf.includes('ServerError'));
  assert.equal(f.idp.counts().token.refresh_token, 3, 'one try and two retries');
  assert.equal(await refreshTokens(page), 1);
  f.idp.setFault(null);
  await page.context().close();
});

test('network down: typed error, refresh token kept and used once the network is back', async () => {
  const page = await signedIn('kim');
  await page.context().setOffline(true);
  const offline = await renew(page);
  assert.equal(offline.ok, false);
  assert.equal(offline.error.errorCode, 'no_network_connectivity');
  assert.ok(offline.error.instanceOf.includes('BrowserAuthError'));
  assert.equal(await refreshTokens(page), 1, 'the refresh token survived');
  assert.equal(f.idp.counts().token.refresh_token, 0);

  await page.context().setOffline(false);
  const online = await renew(page);
  assert.ok(online.ok, JSON.stringify(online.error));
  assert.equal(online.value.fromCache, false);
  assert.equal(f.idp.counts().token.refresh_token, 1);
  await page.context().close();
});
