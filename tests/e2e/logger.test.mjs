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

test('getLogger: the app\'s and wrapper libraries\' messages pass the same filter; setLogger takes over the library\'s own', async () => {
  f.configure({ cacheLocation: 'sessionStorage' });
  const page = await f.open();
  const seen = await page.evaluate(async ({ clientId, authority }) => {
    const { PublicClientApplication, Logger, LogLevel } = window.lib;
    const first = [];
    const second = [];
    const pca = new PublicClientApplication({
      auth: { clientId, authority },
      cache: { cacheLocation: 'memoryStorage' },
      system: { loggerOptions: { logLevel: LogLevel.Info, loggerCallback: (level, message, containsPii) => first.push({ level, message, containsPii }) } },
    });
    const logger = pca.getLogger();
    logger.info('app info');
    logger.verbose('app verbose');
    logger.infoPii('app pii');
    logger.warning('with correlation', 'c-1');
    // msal-angular's MsalService does this.
    pca.getLogger().clone('@azure/msal-angular', '6.2.1').error('guard failed');
    const firstBefore = first.length;
    const redirect = (p) => p.loginRedirect({ scopes: ['openid'], onRedirectNavigate: () => false });
    await redirect(pca);
    const libraryToFirst = first.slice(firstBefore).map((l) => l.message);
    pca.setLogger(new Logger({ logLevel: LogLevel.Verbose, piiLoggingEnabled: true, loggerCallback: (level, message, containsPii) => second.push({ level, message, containsPii }) }, 'my-app', '1.0.0'));
    // A page load without a response ends the redirect under way, so another can start.
    await pca.handleRedirectPromise();
    const firstAfter = first.length;
    await redirect(pca);
    return { first: first.slice(0, firstBefore), libraryToFirst, second, firstAfterSet: first.slice(firstAfter), replaced: pca.getLogger() !== logger };
  }, { clientId: f.idp.clientId, authority: f.idp.issuer });
  assert.deepEqual(seen.first, [
    { level: 2, message: '[kusto-spa-auth] app info', containsPii: false },
    { level: 1, message: '[kusto-spa-auth] [c-1] with correlation', containsPii: false },
    { level: 0, message: '[@azure/msal-angular@6.2.1] guard failed', containsPii: false },
  ]);
  assert.ok(seen.libraryToFirst.includes('[kusto-spa-auth] redirecting to the authorize endpoint'), JSON.stringify(seen.libraryToFirst));
  assert.ok(seen.second.some((l) => l.level === 2 && l.message === '[my-app@1.0.0] redirecting to the authorize endpoint'), JSON.stringify(seen.second));
  assert.deepEqual(seen.firstAfterSet, [], 'the replaced logger hears nothing more');
  assert.ok(seen.replaced, 'getLogger gives the logger set');
  assertNoErrors(page);
  await page.context().close();
});
