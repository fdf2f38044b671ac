// KustoClient end to end: tokens from the real test IdP, queries against the local Kusto
// endpoint (which checks every token against the IdP's keys), in headless Chromium.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertLocalOnly, assertNoErrors } from '../support/browser.mjs';
import { entries, startApp } from '../support/app.mjs';
import { loadStormEvents } from '../support/kusto.mjs';
import { listenLocalhost } from '../support/listen.mjs';

const LOCAL_SCOPE = 'http://localhost/.default';
// Chromium logs every non-2xx fetch; some tests provoke them.
const HTTP_ERRORS = [/status of (400|401)/];
let f;
// A "cluster" that accepts connections and never answers, for timeouts that cannot race.
let silent;
before(async () => {
  f = await startApp({}, { kusto: true });
  silent = await listenLocalhost(() => {});
});
after(async () => {
  await silent?.close();
  await f?.close();
});

const { rows, columns } = loadStormEvents();
const STATE = columns.findIndex((c) => (c.ColumnName ?? c.name) === 'State');

async function signedIn() {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open({ allowErrors: HTTP_ERRORS });
  const signed = await f.signIn(page, 'erin', { scopes: [LOCAL_SCOPE] });
  assert.ok(signed.ok, JSON.stringify(signed.error));
  return page;
}

/** Runs `body(lib, pca, cluster)` in the page; returns { ok, value } or { ok: false, error }. */
function inPage(page, body, arg) {
  return page.evaluate(async ([source, cluster, a]) => {
    const fn = new Function('lib', 'pca', 'cluster', 'arg', `return (${source})(lib, pca, cluster, arg);`);
    try {
      return { ok: true, value: await fn(window.lib, window.pca, cluster, a) };
    } catch (e) {
      return { ok: false, error: window.describeError(e) };
    }
  }, [body.toString(), f.kusto.url, arg]);
}

test('a signed-in user queries the cluster: StormEvents | count and a top-10', async () => {
  const page = await signedIn();
  f.kusto.resetRequests();
  const out = await inPage(page, async (lib, pca, cluster) => {
    const client = new lib.KustoClient(cluster, { pca, appName: 'e2e' });
    const count = await client.query('Samples', 'StormEvents | count');
    const top = await client.query('Samples', 'StormEvents | summarize Events = count() by State | top 10 by Events');
    const version = await client.execute('Samples', '.show version');
    const primary = count.tables.find((t) => t.kind === 'PrimaryResult');
    const oneObject = count.primaryResults[0] === primary && count.tablesByKind.PrimaryResult[0] === primary;
    return { count, top, version, scopes: await client.scopes(), oneObject };
  });
  assert.ok(out.ok, JSON.stringify(out.error));
  const { count, top, version, scopes, oneObject } = out.value;
  assert.equal(oneObject, true, 'primaryResults, tables and tablesByKind share the table objects');
  assert.deepEqual(scopes, [LOCAL_SCOPE]);
  assert.deepEqual(count.primaryResults[0].columns, [{ name: 'Count', type: 'long' }]);
  assert.deepEqual(count.primaryResults[0].rows, [[rows.length]]);
  assert.equal(count.completion.hasErrors, false);
  assert.ok(count.tablesByKind.QueryCompletionInformation.length >= 1);

  const byState = new Map();
  for (const r of rows) byState.set(r[STATE], (byState.get(r[STATE]) ?? 0) + 1);
  const expected = [...byState].sort((a, b) => b[1] - a[1]).slice(0, 10);
  assert.deepEqual(top.primaryResults[0].rows, expected);
  assert.equal(version.tables[0].rows.length, 1);

  const log = f.kusto.requests().filter((r) => r.method === 'POST');
  assert.equal(log.length, 3);
  assert.ok(log.every((r) => r.authorized && r.status === 200), JSON.stringify(log));
  assert.match(log[0].clientRequestId, /^KSA\.query;[0-9a-f-]{36}$/);
  assert.match(log[2].clientRequestId, /^KSA\.execute;/);
  assert.equal(log[0].app, 'e2e');
  assert.match(log[0].clientVersion, /^Kusto\.kusto-spa-auth:/);
  assertLocalOnly(page);
  assertNoErrors(page);
  await page.context().close();
});

test('an untrusted cluster host gets no request and no token', async () => {
  const page = await signedIn();
  // The Kusto module is the package's own file; loaded first, it is not a request of this query.
  await inPage(page, (lib) => lib.KustoClient.preload());
  f.kusto.resetRequests();
  f.idp.resetCounts();
  const before = page.record.requests.length;
  const out = await inPage(page, async (lib, pca) => {
    const client = new lib.KustoClient('https://kusto.attacker.example', { pca });
    return client.query('Samples', 'StormEvents | count');
  });
  assert.equal(out.ok, false);
  assert.equal(out.error.errorCode, 'untrusted_endpoint');
  assert.ok(out.error.instanceOf.includes('ClientConfigurationError'));
  assert.match(out.error.errorMessage, /trusted Kusto hosts/);
  assert.deepEqual(page.record.requests.slice(before), [], 'the browser sent nothing');
  assert.equal(f.kusto.requests().length, 0);
  assert.deepEqual(f.idp.counts().token, { authorization_code: 0, refresh_token: 0 }, 'no token was even asked for');
  await page.context().close();
});

test('a rejected token gets one refresh and one retry', async () => {
  const page = await signedIn();
  // Corrupt the cached access token but keep it "fresh": the cluster answers 401.
  await page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.split('|')[2] === 'at');
    const entry = JSON.parse(localStorage.getItem(key));
    entry.secret = 'not-a-valid-token';
    localStorage.setItem(key, JSON.stringify(entry));
  });
  f.kusto.resetRequests();
  f.idp.resetCounts();
  const out = await inPage(page, (lib, pca, cluster) => new lib.KustoClient(cluster, { pca }).query('Samples', 'StormEvents | count'));
  assert.ok(out.ok, JSON.stringify(out.error));
  assert.deepEqual(out.value.primaryResults[0].rows, [[rows.length]]);
  const statuses = f.kusto.requests().filter((r) => r.method === 'POST').map((r) => r.status);
  assert.deepEqual(statuses, [401, 200]);
  assert.equal(f.idp.counts().token.refresh_token, 1);
  await page.context().close();
});

test('auth metadata, cancellation and timeouts', async () => {
  const page = await signedIn();
  f.kusto.resetRequests();
  const out = await inPage(page, async (lib, pca, cluster, arg) => {
    const client = new lib.KustoClient(cluster, { pca });
    const metadata = await client.authMetadata();
    const viaMetadata = await new lib.KustoClient(cluster, { pca, resource: 'metadata' }).scopes();
    const aborted = new AbortController();
    aborted.abort();
    const cancelled = await client.query('Samples', 'StormEvents | count', { signal: aborted.signal }).catch(window.describeError);
    const started = performance.now();
    const timedOut = await new lib.KustoClient(arg, { pca }).query('Samples', 'StormEvents | count', { timeoutMs: 300 }).catch(window.describeError);
    return { metadata, viaMetadata, cancelled, timedOut, waited: performance.now() - started };
  }, `http://localhost:${silent.port}`);
  assert.ok(out.ok, JSON.stringify(out.error));
  const { metadata, viaMetadata, cancelled, timedOut, waited } = out.value;
  assert.equal(metadata.kustoServiceResourceId, 'http://localhost');
  assert.equal(metadata.loginEndpoint, f.idp.issuer);
  assert.deepEqual(viaMetadata, [LOCAL_SCOPE]);
  assert.equal(cancelled.errorCode, 'request_cancelled');
  assert.ok(cancelled.instanceOf.includes('BrowserAuthError'));
  assert.equal(timedOut.errorCode, 'request_timeout');
  assert.ok(waited >= 300 && waited < 5000, `gave up after ${waited} ms`);
  assert.equal(f.kusto.requests().filter((r) => r.method === 'POST' && r.status === 200).length, 0, 'no query completed');
  assert.equal(f.kusto.requests().filter((r) => r.path === '/v1/rest/auth/metadata').length, 1, 'metadata is fetched once per cluster, shared by clients');
  await page.context().close();
});

test('a semantic error surfaces as KustoServiceError with its code', async () => {
  const page = await signedIn();
  const out = await inPage(page, (lib, pca, cluster) => new lib.KustoClient(cluster, { pca }).query('Samples', 'NoSuchTable | count'));
  assert.equal(out.ok, false);
  assert.deepEqual(out.error.instanceOf, ['AuthError', 'KustoServiceError']);
  assert.equal(out.error.code, 'General_BadRequest');
  assert.equal(out.error.httpStatus, 400);
  assert.equal(out.error.permanent, true);
  assert.match(out.error.clientRequestId, /^KSA\.query;/);
  assert.match(out.error.errorMessage, /NoSuchTable/);
  await page.context().close();
});

test('a connection string with an application key is refused before any request', async () => {
  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  await inPage(page, (lib) => lib.KustoClient.preload());
  const before = page.record.requests.length;
  const out = await inPage(page, (lib, pca, cluster) => {
    const cs = `Data Source=${cluster};Initial Catalog=Samples;Application Client Id=11111111-1111-1111-1111-111111111111;Application Key=TopSecretValue42;Authority Id=contoso.com`;
    // Checked when the client's module has loaded: the first call rejects, as every later one.
    const client = new lib.KustoClient(cs, { pca });
    return client.query('Samples', 'StormEvents | count').catch((first) => client.scopes().then(() => 'the second call ran', () => { throw first; }));
  });
  assert.equal(out.ok, false);
  assert.equal(out.error.errorCode, 'secret_in_connection_string');
  assert.match(out.error.errorMessage, /public client/);
  assert.ok(!JSON.stringify(out.error).includes('TopSecretValue42'), 'the secret is never echoed');
  assert.deepEqual(page.record.requests.slice(before), []);
  await page.context().close();
});

test('a custom token provider, or a User Token in the connection string, works without sign-in', async () => {
  // A token some backend obtained: here, from another browser session that signed in.
  const backend = await signedIn();
  const token = await backend.evaluate(async () => (await window.pca.acquireTokenSilent({ scopes: ['http://localhost/.default'], account: window.pca.getAllAccounts()[0] })).accessToken);
  await backend.context().close();

  f.configure({ cacheLocation: 'localStorage' });
  const page = await f.open();
  const out = await inPage(page, async (lib, pca, cluster, t) => {
    const asked = [];
    const viaProvider = await new lib.KustoClient(cluster, { tokenProvider: async (scopes) => { asked.push(scopes); return t; } })
      .query('Samples', 'StormEvents | take 3');
    const viaConnectionString = await new lib.KustoClient(`Data Source=${cluster};Initial Catalog=Samples;User Token=${t}`, {})
      .query(null, 'StormEvents | count');
    return { asked, take: viaProvider.primaryResults[0].rows.length, count: viaConnectionString.primaryResults[0].rows[0][0], accounts: pca.getAllAccounts().length };
  }, token);
  assert.ok(out.ok, JSON.stringify(out.error));
  assert.deepEqual(out.value, { asked: [['http://localhost/.default']], take: 3, count: rows.length, accounts: 0 });
  await page.context().close();
});

test('the account exposes its principal descriptor', async () => {
  const page = await signedIn();
  const out = await inPage(page, (lib, pca) => ({ mine: lib.principalDescriptor(pca.getAllAccounts()[0]), parsed: lib.parsePrincipal('aadapp=11111111-1111-1111-1111-111111111111;contoso.com') }));
  assert.ok(out.ok, JSON.stringify(out.error));
  const claims = (await page.evaluate(() => window.pca.getAllAccounts()[0])).idTokenClaims;
  assert.equal(out.value.mine, `aaduser=${claims.oid};${claims.tid}`);
  assert.deepEqual(out.value.parsed, { kind: 'aadapp', identity: '11111111-1111-1111-1111-111111111111', tenant: 'contoso.com', descriptor: 'aadapp=11111111-1111-1111-1111-111111111111;contoso.com' });
  const bad = await inPage(page, (lib) => lib.parsePrincipal('aaduser='));
  assert.equal(bad.error.errorCode, 'invalid_principal');
  await page.context().close();
});
