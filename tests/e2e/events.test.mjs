// addEventCallback / removeEventCallback: MSAL's event names and message shape for the calls of
// this tab, and ACCOUNT_ADDED / ACCOUNT_REMOVED for sign-ins and sign-outs in other tabs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertNoErrors, idpLoginInPopup, newPage } from '../support/browser.mjs';
import { KUSTO_SCOPE, openPopup, startApp } from '../support/app.mjs';

let f;
before(async () => { f = await startApp(); });
after(() => f?.close());

const events = (page) => page.evaluate(() => window.app.events.map(({ eventType, interactionType, username, errorCode }) => [eventType, interactionType, username, errorCode]));
const since = async (page, count) => (await events(page)).slice(count);

test('the calls of a tab report start, success and failure; removed callbacks hear nothing', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  await page.evaluate(() => window.app.redirect);
  assert.deepEqual(await events(page), [
    ['msal:initializeStart', null, null, null],
    ['msal:initializeEnd', null, null, null],
    ['msal:handleRedirectStart', 'redirect', null, null],
    ['msal:handleRedirectEnd', 'redirect', null, null],
  ]);
  assert.ok(await page.evaluate(() => window.app.events.every((e) => Math.abs(e.timestamp - Date.now()) < 60_000)));

  let seen = (await events(page)).length;
  await idpLoginInPopup(await openPopup(page, 'loginPopup', { scopes: [KUSTO_SCOPE] }), 'eve');
  assert.ok((await page.evaluate(() => window.app.popupResult)).ok);
  assert.deepEqual(await since(page, seen), [
    ['msal:loginStart', 'popup', null, null],
    ['msal:loginSuccess', 'popup', 'eve@example.com', null],
  ]);

  seen = (await events(page)).length;
  assert.ok((await page.evaluate((scope) => window.app.silent({ scopes: [scope] }), KUSTO_SCOPE)).ok);
  const failed = await page.evaluate(() => window.app.silent({ scopes: [] }));
  assert.equal(failed.ok, false);
  // A start event carries the request (here with its account), a success the result.
  assert.deepEqual(await since(page, seen), [
    ['msal:acquireTokenStart', 'silent', 'eve@example.com', null],
    ['msal:acquireTokenSuccess', 'silent', 'eve@example.com', null],
    ['msal:acquireTokenStart', 'silent', 'eve@example.com', null],
    ['msal:acquireTokenFailure', 'silent', null, failed.error.errorCode],
  ]);

  seen = (await events(page)).length;
  await page.evaluate(() => { window.pca.setActiveAccount(window.pca.getAllAccounts()[0]); window.pca.setActiveAccount(window.pca.getAllAccounts()[0]); });
  assert.deepEqual(await since(page, seen), [['msal:activeAccountChanged', null, null, null]], 'one change, not two');

  seen = (await events(page)).length;
  await page.evaluate(() => window.app.stopEvents());
  assert.ok((await page.evaluate((scope) => window.app.silent({ scopes: [scope] }), KUSTO_SCOPE)).ok);
  assert.deepEqual(await since(page, seen), []);
  assertNoErrors(page);
  await page.context().close();
});

test('a redirect sign-in reports its success on return, and other tabs hear of sign-in and sign-out', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const a = await f.open();
  const b = await newPage(a.context());
  await f.goto(b);

  const signedIn = await f.signIn(a, 'tabby');
  assert.ok(signedIn.ok, JSON.stringify(signedIn.error));
  assert.deepEqual((await events(a)).slice(2), [
    ['msal:handleRedirectStart', 'redirect', null, null],
    ['msal:loginSuccess', 'redirect', 'tabby@example.com', null],
    ['msal:handleRedirectEnd', 'redirect', null, null],
  ]);
  await b.waitForFunction(() => window.app.events.some((e) => e.eventType === 'msal:accountAdded'));
  assert.deepEqual((await events(b)).filter(([type]) => type.startsWith('msal:account')), [['msal:accountAdded', null, 'tabby@example.com', null]]);

  await Promise.all([a.waitForURL((u) => u.pathname.endsWith('signed-out.html')), a.evaluate(() => { window.app.logout({}); })]);
  await b.waitForFunction(() => window.app.events.some((e) => e.eventType === 'msal:accountRemoved'));
  assert.deepEqual((await events(b)).filter(([type]) => type.startsWith('msal:account')), [
    ['msal:accountAdded', null, 'tabby@example.com', null],
    ['msal:accountRemoved', null, 'tabby@example.com', null],
  ]);
  assertNoErrors(b);
  await a.context().close();
});

test('disableAccountStorageEvents silences other tabs\' account changes until enableAccountStorageEvents', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const a = await f.open();
  const b = await newPage(a.context());
  await f.goto(b);
  await b.evaluate(() => {
    window.pca.disableAccountStorageEvents();
    // Dispatched after the library's own listener: once this one has a key, the library had it.
    window.storageKeys = [];
    addEventListener('storage', (e) => window.storageKeys.push(e.key));
  });
  assert.ok((await f.signIn(a, 'quin')).ok);
  await a.evaluate(() => window.pca.setActiveAccount(window.pca.getAllAccounts()[0]));
  await b.waitForFunction(() => window.storageKeys.some((k) => k?.split('|')[2] === 'active'));
  await b.evaluate(() => window.pca.enableAccountStorageEvents());
  await Promise.all([a.waitForURL((u) => u.pathname.endsWith('signed-out.html')), a.evaluate(() => { window.app.logout({}); })]);
  await b.waitForFunction(() => window.app.events.some((e) => e.eventType === 'msal:accountRemoved'));
  // Storage events reach a tab in the order of the writes: the sign-in's and the active account's
  // came first, unheard; the sign-out's, after enabling, are heard.
  assert.deepEqual((await events(b)).filter(([type]) => type.startsWith('msal:account') || type === 'msal:activeAccountChanged'), [
    ['msal:accountRemoved', null, 'quin@example.com', null],
    ['msal:activeAccountChanged', null, null, null],
  ]);
  assertNoErrors(b);
  await a.context().close();
});

