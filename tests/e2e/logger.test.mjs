// loggerOptions: levels as in MSAL, personal data only with piiLoggingEnabled, and never a
// token, code or verifier in any message.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertNoErrors } from '../support/browser.mjs';
import { KUSTO_SCOPE, startApp } from '../support/app.mjs';

let f;
before(async () => { f = await startApp(); });
after(() => f?.close());

/** Signs in with the logger settings, asks for a cached token, and returns the logs and secrets. */
async function signInAndLog(settings, login) {
  f.configure({ cacheLocation: 'sessionStorage', ...settings });
  const page = await f.open();
  const signedIn = await f.signIn(page, login);
  assert.ok(signedIn.ok, JSON.stringify(signedIn.error));
  assert.ok((await page.evaluate((scope) => window.app.silent({ scopes: [scope] }), KUSTO_SCOPE)).ok);
  const logs = await page.evaluate(() => window.app.logs);
  const storage = (await page.evaluate(() => window.app.storage())).session;
  assertNoErrors(page);
  await page.context().close();
  // The refresh token exists only in the cache.
  const refreshTokens = Object.entries(storage).filter(([k]) => k.split('|')[2] === 'rt').map(([, v]) => JSON.parse(v).secret);
  assert.equal(refreshTokens.length, 1);
  return { logs, secrets: [signedIn.value.accessToken, signedIn.value.idToken, ...refreshTokens] };
}

const leaks = (logs, secrets) => logs.filter(({ message }) => secrets.some((s) => message.includes(s.slice(-16))));

test('by default (Info, no PII): no verbose messages, no personal data, no secrets', async () => {
  const { logs, secrets } = await signInAndLog({}, 'lou');
  assert.ok(logs.some((l) => l.level === 2 && /redeeming the authorization code/.test(l.message)), JSON.stringify(logs));
  assert.deepEqual(logs.filter((l) => l.level > 2), []);
  assert.deepEqual(logs.filter((l) => l.containsPii || /lou/.test(l.message)), []);
  assert.deepEqual(leaks(logs, secrets), []);
  assert.ok(logs.every((l) => l.message.startsWith('[kusto-spa-auth] ')));
});

test('Verbose with PII: the cache hit shows, and the user name only in a message marked as PII', async () => {
  const { logs, secrets } = await signInAndLog({ logLevel: 3, piiLoggingEnabled: true }, 'liv');
  assert.ok(logs.some((l) => l.level === 3 && /served from the cache/.test(l.message)), JSON.stringify(logs));
  const personal = logs.filter((l) => /liv@example\.com/.test(l.message));
  assert.ok(personal.length > 0);
  assert.ok(personal.every((l) => l.containsPii));
  assert.deepEqual(leaks(logs, secrets), []);
});

test('Error level: nothing for a sign-in that works', async () => {
  const { logs } = await signInAndLog({ logLevel: 0 }, 'lex');
  assert.deepEqual(logs, []);
});

test('Trace (4), MSAL\'s most detailed level, logs what Verbose does', async () => {
  const { logs } = await signInAndLog({ logLevel: 4 }, 'lia');
  assert.ok(logs.some((l) => l.level === 3 && /served from the cache/.test(l.message)), JSON.stringify(logs));
});
