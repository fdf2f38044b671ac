// ssoSilent: a hidden frame with prompt=none, against the test IdP's session.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertLocalOnly, assertNoErrors } from '../support/browser.mjs';
import { KUSTO, KUSTO_SCOPE, startApp } from '../support/app.mjs';
import { decodeJwt } from '../support/jwt.mjs';

let f;
before(async () => { f = await startApp(); });
after(() => f?.close());

test('with an IdP session: a token, and no visible navigation', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  assert.ok((await f.signIn(page, 'pia')).ok);
  // A new app on the same browser: nothing cached, but the IdP still knows the user.
  await page.evaluate(() => { for (const k of Object.keys(localStorage)) if (k.startsWith('ksa1|')) localStorage.removeItem(k); });
  await f.goto(page);
  assert.deepEqual(await page.evaluate(() => window.app.accounts()), []);

  f.idp.resetCounts();
  let topNavigations = 0;
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) topNavigations += 1; });
  const before = page.url();
  // The frame as it was added to the page.
  await page.evaluate(() => {
    window.framesAdded = [];
    new MutationObserver((changes) => {
      for (const node of changes.flatMap((c) => [...c.addedNodes])) {
        if (node.tagName === 'IFRAME') window.framesAdded.push({ style: node.getAttribute('style'), ariaHidden: node.getAttribute('aria-hidden'), box: [node.offsetWidth, node.offsetHeight] });
      }
    }).observe(document.body, { childList: true });
  });
  const outcome = await page.evaluate((scope) => window.app.sso({ scopes: [scope], loginHint: 'pia@example.com' }), KUSTO_SCOPE);
  assert.ok(outcome.ok, JSON.stringify(outcome.error));
  assert.equal(outcome.value.account.username, 'pia@example.com');
  assert.equal(decodeJwt(outcome.value.accessToken).payload.aud, KUSTO);
  assert.equal(topNavigations, 0, 'the page never navigated');
  assert.equal(page.url(), before);
  assert.equal(await page.locator('iframe').count(), 0, 'the frame is gone');
  assert.deepEqual(await page.evaluate(() => window.framesAdded), [
    { style: 'visibility: hidden; position: absolute; width: 0px; height: 0px; border: 0px;', ariaHidden: 'true', box: [0, 0] },
  ]);
  assert.equal(f.idp.counts().token.authorization_code, 1);
  assert.equal((await page.evaluate(() => window.app.accounts())).length, 1, 'the account is cached');
  const dump = await page.evaluate(() => window.app.storage());
  assert.deepEqual(Object.keys(dump.session).filter((k) => /\|(request\||interaction|handover)/.test(k)), [], 'no interaction state was touched');
  assertLocalOnly(page);
  assertNoErrors(page);
  await page.context().close();
});

test('without an IdP session: InteractionRequiredAuthError, well before the timeout', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  const started = Date.now();
  const outcome = await page.evaluate((scope) => window.app.sso({ scopes: [scope] }), KUSTO_SCOPE);
  const elapsed = Date.now() - started;
  assert.equal(outcome.ok, false);
  assert.equal(outcome.error.errorCode, 'login_required');
  assert.deepEqual(outcome.error.instanceOf, ['AuthError', 'InteractionRequiredAuthError']);
  assert.ok(elapsed < 3000, `took ${elapsed} ms (timeout is 10000)`);
  assertNoErrors(page);
  await page.context().close();
});
