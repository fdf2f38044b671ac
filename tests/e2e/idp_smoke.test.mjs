// Proves the test harness end to end: a plain-JS code + PKCE page against the real test IdP.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { assertLocalOnly, assertNoErrors, idpLogin, launch, newPage } from '../support/browser.mjs';
import { oidFor, startIdp, TENANT_ID } from '../support/idp.mjs';
import { startStatic } from '../support/static.mjs';
import { decodeJwt, verifyJwt } from '../support/jwt.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const KUSTO = 'https://help.kusto.windows.net';
// Chromium logs every non-2xx fetch; these tests provoke 400 and 503 on purpose.
const EXPECTED_HTTP_ERRORS = [/Failed to load resource: the server responded with a status of (400|503)/];

let app;
let idp;
let browser;

before(async () => {
  app = await startStatic({ root: HERE });
  idp = await startIdp({ appOrigins: [app.origin] });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await idp?.close();
  await app?.close();
});

async function signIn(login) {
  const context = await browser.newContext();
  const page = await newPage(context, { allowErrors: EXPECTED_HTTP_ERRORS });
  await page.goto(`${app.origin}/smoke/?${new URLSearchParams({ idp: idp.issuer, client_id: idp.clientId })}`);
  await page.evaluate(() => window.smoke.signIn());
  await idpLogin(page, login);
  const result = await page.evaluate(() => window.smoke.signInResult);
  assert.equal(result.status, 200, JSON.stringify(result.body));
  return { context, page, tokens: result.body };
}

test('code + PKCE sign-in, refresh with rotation, reuse revokes', async () => {
  idp.resetCounts();
  const { context, page, tokens } = await signIn('alice');

  const { payload: at } = await verifyJwt(tokens.access_token, idp.issuer);
  assert.equal(at.aud, KUSTO);
  assert.equal(at.iss, idp.issuer);
  assert.equal(at.sub, 'alice');
  assert.equal(tokens.token_type, 'Bearer');
  assert.ok(tokens.refresh_token, 'a refresh token came back');
  const { payload: id } = await verifyJwt(tokens.id_token, idp.issuer);
  assert.deepEqual([id.aud, id.preferred_username, id.oid, id.tid],
    [idp.clientId, 'alice@example.com', oidFor('alice'), TENANT_ID]);
  assert.equal(idp.counts().token.authorization_code, 1);
  assert.equal(idp.counts().token.refresh_token, 0);

  const renewed = await page.evaluate((rt) => window.smoke.refresh(rt), tokens.refresh_token);
  assert.equal(renewed.status, 200, JSON.stringify(renewed.body));
  assert.equal(decodeJwt(renewed.body.access_token).payload.aud, KUSTO);
  assert.notEqual(renewed.body.refresh_token, tokens.refresh_token, 'refresh tokens rotate');
  assert.equal(idp.counts().token.refresh_token, 1);

  const reused = await page.evaluate((rt) => window.smoke.refresh(rt), tokens.refresh_token);
  assert.equal(reused.status, 400);
  assert.equal(reused.body.error, 'invalid_grant');
  const afterRevoke = await page.evaluate((rt) => window.smoke.refresh(rt), renewed.body.refresh_token);
  assert.equal(afterRevoke.body.error, 'invalid_grant', 'reuse revoked the whole grant');

  const counts = idp.counts();
  assert.deepEqual(counts.token, { authorization_code: 1, refresh_token: 3 });
  assert.deepEqual(counts.preflights, {}, 'token requests need no CORS preflight');
  assertLocalOnly(page);
  assertNoErrors(page);
  await context.close();
});

test('an injected token-endpoint fault answers once, readable cross-origin', async () => {
  const { context, page, tokens } = await signIn('bob@contoso.test');
  idp.resetCounts();
  idp.setFault({ path: '/token', status: 503, times: 1, retryAfter: 1 });

  const failed = await page.evaluate((rt) => window.smoke.refresh(rt), tokens.refresh_token);
  assert.deepEqual([failed.status, failed.retryAfter, failed.body.error], [503, '1', 'temporarily_unavailable']);
  const ok = await page.evaluate((rt) => window.smoke.refresh(rt), tokens.refresh_token);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(decodeJwt(ok.body.id_token).payload.preferred_username, 'bob@contoso.test');
  assert.equal(idp.counts().token.refresh_token, 2, 'the faulted request is counted too');

  const overHttp = await (await fetch(`${idp.issuer}/__test/counts`)).json();
  assert.deepEqual(overHttp.token, idp.counts().token);
  assertLocalOnly(page);
  assertNoErrors(page);
  await context.close();
});
