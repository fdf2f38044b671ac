// Switching from @azure/msal-browser keeps users signed in: a page on the real msal-browser 5
// (the tests' dependency) signs in with a localStorage or sessionStorage cache, then the same
// origin switches to the package with the same clientId and authority. Its initialize() takes
// over msal's account, refresh token and active account once, leaving msal's entries as they
// were; without msal's session cookie the encrypted entries cannot be read and the user signs
// in again, with no error.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';

import { assertNoErrors, idpLogin, newPage } from '../support/browser.mjs';
import { entries, KUSTO_SCOPE, startApp } from '../support/app.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MSAL_LIB = path.join(HERE, '..', 'node_modules', '@azure', 'msal-browser', 'lib');

// msal-browser refuses an http authority: the IdP serves https with a throwaway certificate that
// Chromium trusts by its key alone.
function selfSignedCert() {
  const dir = mkdtempSync(path.join(tmpdir(), 'ksa-cert-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    const cert = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    const spki = createHash('sha256').update(new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
    return { key: readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert, spki };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let f;
before(async () => {
  const { key, cert, spki } = selfSignedCert();
  f = await startApp({ tls: { key, cert } }, { mounts: { '/msal/': MSAL_LIB }, browserArgs: [`--ignore-certificate-errors-spki-list=${spki}`] });
});
after(() => f?.close());

const msalKeys = (area) => Object.fromEntries(Object.entries(area).filter(([k]) => k.startsWith('msal.')));
const loadsOfTheReader = () => f.web.served().filter((p) => p.endsWith('/msal-cache.js')).length;

/** Signs `login` in on the msal-browser page, in a fresh context; returns the page. */
async function signInWithMsal(login, cacheLocation) {
  f.configure({ cacheLocation });
  const page = await newPage(await f.browser.newContext());
  await page.goto(`${f.web.origin}/msal_app/`);
  await page.waitForFunction(() => window.msalApp);
  assert.deepEqual(await page.evaluate(() => window.msalApp.ready), { ok: true, value: null });
  await Promise.all([page.waitForURL((u) => u.origin === f.idp.issuer), page.evaluate((scope) => { window.msalApp.login({ scopes: [scope] }); }, KUSTO_SCOPE)]);
  await idpLogin(page, login);
  await page.waitForURL((u) => u.pathname === '/msal_app/' && !u.hash);
  await page.waitForFunction(() => window.msalApp);
  const ready = await page.evaluate(() => window.msalApp.ready);
  assert.ok(ready.ok && ready.value?.username === `${login}@example.com`, JSON.stringify(ready));
  return page;
}

for (const cacheLocation of ['localStorage', 'sessionStorage']) {
  test(`${cacheLocation}: msal-browser 5's signed-in user is still signed in after the switch, and renews with msal's refresh token`, async () => {
    const page = await signInWithMsal('ada', cacheLocation);
    const area = (dump) => (cacheLocation === 'localStorage' ? dump.local : dump.session);
    const before = msalKeys(area(await page.evaluate(() => ({ local: { ...localStorage }, session: { ...sessionStorage } }))));
    assert.ok(Object.keys(before).some((k) => /refreshtoken/.test(k)), `msal cached a refresh token: ${Object.keys(before)}`);
    if (cacheLocation === 'localStorage') {
      assert.ok(Object.values(before).some((v) => v.includes('"nonce"')), 'msal-browser 5 encrypts its localStorage entries');
    }

    // The switch: same origin, clientId, authority and cacheLocation, now on the package.
    f.idp.resetCounts();
    const loadsBefore = loadsOfTheReader();
    await f.goto(page);
    assert.deepEqual(await page.evaluate(() => window.app.redirect), { ok: true, value: null });
    const accounts = await page.evaluate(() => window.app.accounts());
    assert.deepEqual(accounts.map((a) => a.username), ['ada@example.com'], 'msal\'s user is signed in');
    assert.equal(accounts[0].homeAccountId, 'ada');
    assert.equal(await page.evaluate(() => window.pca.getActiveAccount()?.username), 'ada@example.com', 'msal\'s active account is still the active one');
    assert.equal(loadsOfTheReader(), loadsBefore + 1, 'the reader was loaded');

    const renewed = await page.evaluate((scope) => window.app.silent({ scopes: [scope], forceRefresh: true }), KUSTO_SCOPE);
    assert.ok(renewed.ok, JSON.stringify(renewed.error));
    assert.equal(renewed.value.account.username, 'ada@example.com');
    assert.deepEqual(f.idp.counts().token, { authorization_code: 0, refresh_token: 1 }, 'msal\'s refresh token was redeemed');

    const dump = await page.evaluate(() => window.app.storage());
    assert.deepEqual(msalKeys(area(dump)), before, 'msal\'s entries are left as they were');
    assert.equal(entries(area(dump), 'account').length, 1);
    assert.ok(area(dump)[`ksa1|${f.idp.clientId}|msal|`], 'the import is recorded');

    // The next page load does not import again: the reader is not even loaded.
    await f.goto(page);
    assert.deepEqual(await page.evaluate(() => window.app.redirect), { ok: true, value: null });
    assert.equal(loadsOfTheReader(), loadsBefore + 1, 'no second import');
    const silent = await page.evaluate((scope) => window.app.silent({ scopes: [scope] }), KUSTO_SCOPE);
    assert.ok(silent.ok && silent.value.fromCache, JSON.stringify(silent));
    assertNoErrors(page);
    await page.context().close();
  });
}

test('entries that are not what msal writes are passed over, and the rest is still taken', async () => {
  const page = await signInWithMsal('cy', 'localStorage');
  // Any script of the origin can write storage: a listed entry that is no object, one whose
  // encrypted data was altered, a forged account of another provider, and a listed key with no entry.
  await page.evaluate(() => {
    const index = Object.keys(localStorage).find((k) => /^msal\.\d+\.account\.keys$/.test(k));
    const listed = JSON.parse(localStorage.getItem(index));
    const altered = JSON.parse(localStorage.getItem(listed[0]));
    altered.data = `${altered.data.slice(0, -4)}AAAA`;
    localStorage.setItem('msal.3|forged|number', '5');
    localStorage.setItem('msal.3|forged|altered', JSON.stringify(altered));
    localStorage.setItem('msal.3|forged|evil', JSON.stringify({ homeAccountId: 'mallory', environment: 'evil.example', realm: 'x' }));
    localStorage.setItem(index, JSON.stringify([...listed, 'msal.3|forged|number', 'msal.3|forged|altered', 'msal.3|forged|evil', 'msal.3|forged|absent']));
  });
  const before = msalKeys(await page.evaluate(() => ({ ...localStorage })));
  await f.goto(page);
  assert.deepEqual(await page.evaluate(() => window.app.redirect), { ok: true, value: null });
  assert.deepEqual((await page.evaluate(() => window.app.accounts())).map((a) => a.username), ['cy@example.com']);
  const logs = await page.evaluate(() => window.app.logs.map((l) => l.message));
  assert.ok(logs.some((m) => /3 entries could not be read/.test(m)), logs.join('\n'));
  assert.ok(logs.some((m) => /took over 1 account\(s\) and 1 refresh token\(s\), passed over 1/.test(m)), logs.join('\n'));
  assert.deepEqual(msalKeys(await page.evaluate(() => ({ ...localStorage }))), before, 'msal\'s entries, forged ones too, are left as they were');
  assertNoErrors(page);
  await page.context().close();
});

test('without msal\'s session cookie its encrypted cache cannot be read: no import, no error, the user signs in', async () => {
  const page = await signInWithMsal('bob', 'localStorage');
  // A browser restart ends the session cookie that holds msal's key (and the IdP's session).
  await page.context().clearCookies();
  assert.ok(Object.keys(await page.evaluate(() => ({ ...localStorage }))).some((k) => k.startsWith('msal.3|')), 'msal\'s entries are still there');
  f.idp.resetCounts();
  await f.goto(page);
  assert.deepEqual(await page.evaluate(() => window.app.redirect), { ok: true, value: null });
  assert.deepEqual(await page.evaluate(() => window.app.accounts()), []);
  const logs = await page.evaluate(() => window.app.logs.map((l) => l.message));
  assert.ok(logs.some((m) => /could not be read/.test(m)), logs.join('\n'));
  assert.ok(logs.some((m) => /0 account\(s\)/.test(m)), logs.join('\n'));
  assert.deepEqual(f.idp.counts().token, { authorization_code: 0, refresh_token: 0 });

  const signedIn = await f.signIn(page, 'bob');
  assert.ok(signedIn.ok, JSON.stringify(signedIn.error));
  assert.deepEqual((await page.evaluate(() => window.app.accounts())).map((a) => a.username), ['bob@example.com']);
  assertNoErrors(page);
  await page.context().close();
});
