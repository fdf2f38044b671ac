// loginPopup / acquireTokenPopup: the popup opens inside the click, the IdP signs the user in
// there, the opener reads the response and closes it; a popup the user closes, or one the
// browser blocks, fails fast with MSAL's codes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertLocalOnly, assertNoErrors, closeLikeAPerson, idpLoginInPopup } from '../support/browser.mjs';
import { KUSTO, KUSTO_SCOPE, openPopup, startApp } from '../support/app.mjs';
import { decodeJwt } from '../support/jwt.mjs';

let f;
before(async () => { f = await startApp(); });
after(() => f?.close());

test('loginPopup signs in in a popup and acquireTokenPopup gets a token there', async () => {
  f.configure({ cacheLocation: 'sessionStorage' });
  const page = await f.open();
  const urlBefore = page.url();
  // What the popup was opened with: empty, MSAL's size, centred on the page's window.
  await page.evaluate(() => {
    const open = window.open;
    window.opened = [];
    window.open = (...args) => {
      window.opened.push({ args, expected: { left: screenX + Math.floor((outerWidth - 483) / 2), top: screenY + Math.floor((outerHeight - 600) / 2) } });
      return open.apply(window, args);
    };
  });
  const popup = await openPopup(page, 'loginPopup', { scopes: [KUSTO_SCOPE], state: 'from-popup' });
  const [{ args, expected }] = await page.evaluate(() => window.opened);
  assert.deepEqual(args, ['about:blank', '_blank', `popup=yes,width=483,height=600,left=${expected.left},top=${expected.top}`]);
  await idpLoginInPopup(popup, 'pat');
  const login = await page.evaluate(() => window.app.popupResult);
  assert.ok(login.ok, JSON.stringify(login.error));
  assert.equal(login.value.account.username, 'pat@example.com');
  assert.equal(login.value.state, 'from-popup');
  assert.equal(decodeJwt(login.value.accessToken).payload.aud, KUSTO);
  assert.equal(page.url(), urlBefore, 'the app page never navigated');
  assert.deepEqual((await page.evaluate(() => window.app.accounts())).map((a) => a.username), ['pat@example.com']);
  assert.deepEqual(f.idp.counts().token.authorization_code, 1);

  // The IdP session from the popup signs the next popup in without the form.
  const again = await openPopup(page, 'acquireTokenPopup', { scopes: [KUSTO_SCOPE], account: login.value.account });
  await again.waitForEvent('close');
  const token = await page.evaluate(() => window.app.popupResult);
  assert.ok(token.ok, JSON.stringify(token.error));
  assert.equal(token.value.account.homeAccountId, login.value.account.homeAccountId);
  assert.notEqual(token.value.accessToken, login.value.accessToken);
  assertLocalOnly(page);
  assertNoErrors(page);
  await page.context().close();
});

test('a popup closed by the user fails with user_cancelled within 2 s', async () => {
  const page = await f.open();
  const popup = await openPopup(page, 'loginPopup', { scopes: [KUSTO_SCOPE] });
  await closeLikeAPerson(popup);
  const closedAt = Date.now();
  await page.waitForFunction(() => window.app.popupResult);
  const outcome = await page.evaluate(() => window.app.popupResult);
  const elapsed = Date.now() - closedAt;
  assert.equal(outcome.ok, false);
  assert.equal(outcome.error.errorCode, 'user_cancelled');
  assert.ok(outcome.error.instanceOf.includes('BrowserAuthError'), JSON.stringify(outcome.error));
  assert.ok(elapsed <= 2000, `noticed after ${elapsed} ms`);
  assert.deepEqual(await page.evaluate(() => window.app.accounts()), []);
  assertNoErrors(page);
  await page.context().close();
});

test('a popup left on the IdP past system.windowHashTimeout fails with monitor_window_timeout, is closed, and releases the interaction', async () => {
  f.configure({ cacheLocation: 'sessionStorage', windowHashTimeout: 1500 });
  const page = await f.open();
  f.idp.resetCounts();
  const clickedAt = Date.now();
  const popup = await openPopup(page, 'loginPopup', { scopes: [KUSTO_SCOPE] });
  const closed = popup.waitForEvent('close');
  const outcome = await page.evaluate(() => window.app.popupResult);
  const elapsed = Date.now() - clickedAt;
  await closed;
  assert.equal(outcome.ok, false);
  assert.equal(outcome.error.errorCode, 'monitor_window_timeout');
  assert.ok(outcome.error.instanceOf.includes('BrowserAuthError'), JSON.stringify(outcome.error));
  assert.ok(elapsed >= 1500 && elapsed < 6000, `failed after ${elapsed} ms`);
  assert.deepEqual(await page.evaluate(() => window.app.accounts()), []);
  assert.equal(f.idp.counts().token.authorization_code ?? 0, 0, 'nothing redeemed');
  // Nothing is left under way: the next interaction starts.
  const next = await page.evaluate((scopes) => window.app.login({ scopes, onRedirectNavigate: () => false }), [KUSTO_SCOPE]);
  assert.ok(next.ok, JSON.stringify(next.error));
  assertNoErrors(page);
  await page.context().close();
});

test('a popup the browser blocks (no click) fails with popup_window_error at once', async () => {
  const page = await f.open();
  const opened = [];
  page.on('popup', (p) => opened.push(p));
  // Playwright runs evaluate() as a user gesture; opening a first window uses that activation up,
  // as a popup opened after an await would find it gone.
  const outcome = await page.evaluate((scope) => {
    window.open('about:blank', '_blank', 'popup')?.close();
    return window.pca.loginPopup({ scopes: [scope] }).then(() => ({ ok: true }), (e) => window.describeError(e));
  }, KUSTO_SCOPE);
  assert.equal(outcome.errorCode, 'popup_window_error');
  assert.ok(outcome.instanceOf.includes('BrowserAuthError'));
  assert.equal(opened.length, 1, 'only the window that used the activation up opened');
  assertNoErrors(page);
  await page.context().close();
});
