// The walk through an msal-react example (MsalProvider, hooks, templates), whichever bundler
// built it: signed out, a redirect sign-in, a token, StormEvents | count, a sign-out.
import assert from 'node:assert/strict';

import { assertLocalOnly, assertNoErrors, countStormEvents, idpLogin, newPage, recordHeaders } from './browser.mjs';

/**
 * Runs the walk on `app` (what buildExample gave: web, idp, kusto, browser) opened with the query
 * `settings`; `token` matches the text the example shows for its token.
 */
export async function signInQueryAndSignOut({ web, idp, kusto, browser }, settings, token) {
  const atIdp = (u) => u.origin === idp.issuer;
  const context = await browser.newContext();
  const page = await newPage(context);
  const headers = recordHeaders(context);
  const text = (selector) => page.textContent(selector);
  idp.resetCounts();
  await page.goto(`${web.origin}/?${settings}`);
  await page.waitForSelector('#status');
  assert.equal(await text('#status'), 'signed out');
  assert.equal(await text('#authenticated'), 'not authenticated');
  assert.equal(await page.locator('#user').count(), 0, 'AuthenticatedTemplate hides the signed-in part');

  await Promise.all([page.waitForURL(atIdp), page.click('#sign-in')]);
  await idpLogin(page, 'lee');
  await page.waitForSelector('#user');
  assert.equal(await text('#user'), 'signed in as lee@example.com');
  assert.equal(await text('#authenticated'), 'authenticated', 'useIsAuthenticated');
  assert.equal(await page.locator('#status').count(), 0, 'UnauthenticatedTemplate is gone');
  assert.equal(await text('#progress'), 'none');

  await page.waitForFunction(() => !document.getElementById('token').textContent.startsWith('getting'));
  assert.match(await text('#token'), token);
  // The sign-in's own token answers acquireTokenSilent and the query: no refresh.
  assert.deepEqual(idp.counts().token, { authorization_code: 1, refresh_token: 0 });

  await countStormEvents(page, kusto);
  // The token went to the cluster and nowhere else.
  const withToken = (await headers.sent()).filter((r) => r.headers.authorization !== undefined);
  assert.deepEqual(withToken.map((r) => `${r.method} ${r.url}`), [`POST ${kusto.url}/v2/rest/query`]);
  assert.match(withToken[0].headers.authorization, /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);

  await Promise.all([page.waitForURL(atIdp), page.click('#sign-out')]);
  await page.waitForURL((u) => u.origin === web.origin && u.pathname === '/');
  await page.waitForSelector('#status');
  assert.equal(await text('#status'), 'signed out');
  assert.equal(await text('#authenticated'), 'not authenticated');
  const cached = await page.evaluate(() => Object.keys(sessionStorage).concat(Object.keys(localStorage))
    .filter((k) => /^ksa1\|[^|]+\|(account|at|rt)\|/.test(k)));
  assert.deepEqual(cached, [], 'sign-out cleared the cache');
  assertLocalOnly(page);
  assertNoErrors(page);
}
