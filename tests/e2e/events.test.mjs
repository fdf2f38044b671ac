// addEventCallback / removeEventCallback: MSAL's event names and message shape for the calls of
// this tab, and ACCOUNT_ADDED / ACCOUNT_REMOVED for sign-ins and sign-outs in other tabs. The
// events of a call are those of both MSAL generations, checked against the interaction status
// that msal-browser 4's and 5's own EventMessageUtils (behind msal-react's inProgress and
// msal-angular's inProgress$) derive from them.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { EventMessageUtils as Msal5Events } from '@azure/msal-browser';
import { EventMessageUtils as Msal4Events } from 'msal-browser-4';

import { assertNoErrors, closeLikeAPerson, idpLogin, idpLoginInPopup, newPage } from '../support/browser.mjs';
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
    ['msal:acquireTokenStart', 'popup', null, null],
    ['msal:loginStart', 'popup', null, null],
    ['msal:popupOpened', 'popup', null, null],
    ['msal:acquireTokenSuccess', 'popup', 'eve@example.com', null],
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
    ['msal:acquireTokenSuccess', 'redirect', 'tabby@example.com', null],
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


/** The interaction status after each event, as an MSAL generation's own logic derives it. */
function statuses(msalEvents, events, status = 'none') {
  return events.map(([eventType, interactionType]) => {
    status = msalEvents.getInteractionStatusFromEvent({ eventType, interactionType }, status) ?? status;
    return status;
  });
}

const raw = (page) => page.evaluate(() => window.app.events);

test('every call reports what msal-browser 4 and 5 do: both generations\' status logic is busy during it and idle after', async () => {
  f.configure({ cacheLocation: 'sessionStorage' });
  const page = await f.open();
  await page.evaluate(() => window.app.redirect);
  const busyThenIdle = (label, events, starts) => {
    for (const [name, msalEvents] of [['msal-browser 4', Msal4Events], ['msal-browser 5', Msal5Events]]) {
      const seen = statuses(msalEvents, events.map((e) => [e.eventType, e.interactionType]));
      assert.notEqual(seen[starts - 1], 'none', `${label}, ${name}: busy once started (${seen})`);
      assert.equal(seen.at(-1), 'none', `${label}, ${name}: idle after (${seen})`);
    }
  };
  // msal-browser 5's usual handler: the payload is the account.
  await page.evaluate(() => window.pca.addEventCallback((m) => window.pca.setActiveAccount(m.payload), ['msal:loginSuccess']));

  let seen = (await raw(page)).length;
  await idpLoginInPopup(await openPopup(page, 'loginPopup', { scopes: [KUSTO_SCOPE] }), 'gen');
  const result = (await page.evaluate(() => window.app.popupResult)).value;
  const login = (await raw(page)).slice(seen);
  busyThenIdle('loginPopup', login, 2);
  assert.equal(login.find((e) => e.eventType === 'msal:popupOpened').popupWindow, 'function', 'POPUP_OPENED carries the popup window');
  const success = login.find((e) => e.eventType === 'msal:loginSuccess');
  assert.equal(success.payloadHomeAccountId, result.account.homeAccountId, 'msal-browser 5: the payload is the account');
  assert.equal(success.username, 'gen@example.com', 'msal-browser 2-4: payload.account');
  assert.equal(success.correlationId, result.correlationId);
  assert.equal((await page.evaluate(() => window.pca.getActiveAccount()))?.username, 'gen@example.com', 'setActiveAccount(payload) worked');

  // A silent call that has to reach the IdP says so; one the cache answers does not.
  seen = (await raw(page)).length;
  const forced = await page.evaluate((scope) => window.app.silent({ scopes: [scope], forceRefresh: true }), KUSTO_SCOPE);
  assert.ok(forced.ok, JSON.stringify(forced.error));
  assert.ok((await page.evaluate((scope) => window.app.silent({ scopes: [scope] }), KUSTO_SCOPE)).ok);
  const silent = (await raw(page)).slice(seen);
  assert.deepEqual(silent.map((e) => e.eventType), [
    'msal:acquireTokenStart', 'msal:acquireTokenFromNetworkStart', 'msal:acquireTokenSuccess',
    'msal:acquireTokenStart', 'msal:acquireTokenSuccess',
  ]);
  assert.equal(silent[2].correlationId, forced.value.correlationId);

  // A popup the user closes: busy, then idle with the failure.
  seen = (await raw(page)).length;
  const closing = await openPopup(page, 'acquireTokenPopup', { scopes: [KUSTO_SCOPE], prompt: 'login' });
  await closeLikeAPerson(closing);
  const cancelled = await page.evaluate(() => window.app.popupResult);
  assert.equal(cancelled.error?.errorCode, 'user_cancelled');
  const failure = (await raw(page)).slice(seen);
  assert.deepEqual(failure.map((e) => [e.eventType, e.errorCode]), [['msal:acquireTokenStart', null], ['msal:popupOpened', null], ['msal:acquireTokenFailure', 'user_cancelled']]);
  assert.equal(failure[2].correlationId, cancelled.error.correlationId);
  busyThenIdle('acquireTokenPopup, closed', failure, 1);
  assertNoErrors(page);
  await page.context().close();
});

test('a sign-in redeemed on the redirect page and handed over reports LOGIN_SUCCESS on the page it started from', async () => {
  f.configure({ cacheLocation: 'sessionStorage' });
  const page = await f.open();
  const start = `${f.web.origin}/app/?from=reports`;
  await f.goto(page, start);
  // The redirect page redeems the code and sends the browser on: the result is read once there.
  await Promise.all([page.waitForURL((u) => u.origin === f.idp.issuer), page.evaluate((scopes) => { window.app.login({ scopes }); }, [KUSTO_SCOPE])]);
  await idpLogin(page, 'hana');
  await page.waitForURL(start);
  await page.waitForFunction(() => window.app);
  const back = await page.evaluate(() => window.app.redirect);
  assert.ok(back.ok && back.value, JSON.stringify(back));
  assert.deepEqual((await events(page)).slice(2), [
    ['msal:handleRedirectStart', 'redirect', null, null],
    ['msal:acquireTokenSuccess', 'redirect', 'hana@example.com', null],
    ['msal:loginSuccess', 'redirect', 'hana@example.com', null],
    ['msal:handleRedirectEnd', 'redirect', null, null],
  ]);
  assertNoErrors(page);
  await page.context().close();
});
