// Proves the test Kusto endpoint (support/kusto.mjs) against the real test IdP: real access tokens
// from a code + PKCE sign-in in Chromium, v2 answers computed from the StormEvents sample, the
// three ways a token is refused, Kusto-shaped errors, CORS from the app origin, and the CLI.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

import { assertLocalOnly, assertNoErrors, idpLogin, launch, newPage } from '../support/browser.mjs';
import { startIdp } from '../support/idp.mjs';
import { decodeJwt, verifyJwt } from '../support/jwt.mjs';
import { startKusto } from '../support/kusto.mjs';
import { listenLocalhost } from '../support/listen.mjs';
import { startStatic } from '../support/static.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SUPPORT = path.join(HERE, '..', 'support');
// Read here, independently of the server, to compute what the answers must be.
const SAMPLE = JSON.parse(readFileSync(path.join(SUPPORT, 'stormevents.json'), 'utf8'));
const COL = Object.fromEntries(SAMPLE.columns.map((c, i) => [c.ColumnName, i]));
const HELP = 'https://help.kusto.windows.net';
const APP = 'kusto-spa-auth-tests';
const CLIENT_VERSION = 'Kusto.JavaScript.Client:0.0.0-test';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// Chromium logs failed fetches as console errors; some tests provoke them on purpose.
const EXPECTED_ERRORS = [
  /Failed to load resource: the server responded with a status of 401/,
  /has been blocked by CORS policy/,
  /Failed to load resource: net::ERR_FAILED/,
];
const QCI_COLUMNS = ['Timestamp', 'ClientRequestId', 'ActivityId', 'SubActivityId', 'ParentActivityId', 'Level',
  'LevelName', 'StatusCode', 'StatusCodeName', 'EventType', 'EventTypeName', 'Payload'];

let app;
let otherOrigin;
let idp;
let kusto;
let browser;
let main; // { page, tokens } signed in at `idp` for `${kusto.resource}/.default`
const cleanups = [];

before(async () => {
  app = await startStatic({ root: HERE });
  otherOrigin = await startStatic({ root: HERE });
  idp = await startIdp({ appOrigins: [app.origin] });
  kusto = await startKusto({ issuer: idp.issuer, appOrigins: [app.origin] });
  browser = await launch();
  main = await signIn(idp, `${kusto.resource}/.default`);
});

after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await browser?.close();
  await kusto?.close();
  await idp?.close();
  await otherOrigin?.close();
  await app?.close();
});

/** A code + PKCE sign-in at `provider` in a fresh context; returns the page (on the app origin) and the token response. */
async function signIn(provider, resourceScope, login = 'kim') {
  const context = await browser.newContext();
  const page = await newPage(context, { allowErrors: EXPECTED_ERRORS });
  const redirectUri = `${app.origin}/app/signed-out.html`;
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const scope = `openid profile ${resourceScope}`;
  const authorize = new URL(`${provider.issuer}/auth`);
  authorize.search = new URLSearchParams({
    client_id: provider.clientId, response_type: 'code', response_mode: 'fragment', redirect_uri: redirectUri,
    scope, state, code_challenge: createHash('sha256').update(verifier).digest('base64url'), code_challenge_method: 'S256',
  });
  await page.goto(authorize.href);
  await idpLogin(page, login);
  const response = new URLSearchParams(new URL(page.url()).hash.slice(1));
  assert.equal(response.get('state'), state);
  assert.ok(response.get('code'), `no code: ${page.url()}`);
  const fields = {
    client_id: provider.clientId, grant_type: 'authorization_code', code: response.get('code'),
    redirect_uri: redirectUri, code_verifier: verifier, scope,
  };
  const result = await page.evaluate(async ({ issuer, body }) => {
    const res = await fetch(`${issuer}/token`, { method: 'POST', body: new URLSearchParams(body) });
    return { status: res.status, body: await res.json() };
  }, { issuer: provider.issuer, body: fields });
  assert.equal(result.status, 200, JSON.stringify(result.body));
  cleanups.push(() => context.close());
  return { page, tokens: result.body };
}

/** POSTs a query (or command) from node as the SDKs do; resolves whatever the status. */
async function kql(csl, { target = kusto, token, db = 'Samples', endpoint = '/v2/rest/query' } = {}) {
  const clientRequestId = `KSA.test;${randomUUID()}`;
  const headers = {
    Accept: 'application/json',
    'Content-Type': 'application/json; charset=utf-8',
    'x-ms-client-request-id': clientRequestId,
    'x-ms-app': APP,
    'x-ms-client-version': CLIENT_VERSION,
  };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${target.url}${endpoint}`, {
    method: 'POST', headers, body: JSON.stringify({ db, csl, properties: { Options: {} } }),
  });
  return { status: res.status, headers: res.headers, body: await res.json(), clientRequestId };
}

const primary = (frames) => frames.find((f) => f.FrameType === 'DataTable' && f.TableKind === 'PrimaryResult');
const lastRequest = (target = kusto) => target.requests().at(-1);

/** State → number of events, computed from the JSON, sorted by count descending. */
function stateCounts() {
  const counts = new Map();
  for (const row of SAMPLE.rows) counts.set(row[COL.State], (counts.get(row[COL.State]) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]);
}

function assertSemanticError(result, { csl, code = 'SEM0100', type = 'SemanticException', message }) {
  assert.equal(result.status, 400, JSON.stringify(result.body));
  const { error } = result.body;
  assert.equal(error.code, 'General_BadRequest');
  assert.equal(error.message, 'Request is invalid and cannot be executed.');
  assert.equal(error['@type'], 'Kusto.Data.Exceptions.KustoBadRequestException');
  assert.equal(error['@permanent'], true);
  assert.equal(error['@text'], csl);
  assert.equal(error['@database'], 'Samples');
  assert.equal(error['@context'].clientRequestId, result.clientRequestId);
  assert.equal(error.innererror.code, code);
  assert.equal(error.innererror['@errorCode'], code);
  assert.equal(error.innererror['@type'], `Kusto.Data.Exceptions.${type}`);
  assert.equal(error.innererror['@permanent'], true);
  assert.equal(error.innererror['@context'].clientRequestId, result.clientRequestId);
  if (message instanceof RegExp) assert.match(error.innererror.message, message);
  else if (message) assert.equal(error.innererror.message, message);
  assert.ok(error['@message'].endsWith(`${code}: ${error.innererror.message}`), error['@message']);
  assert.equal(result.headers.get('x-ms-client-request-id'), result.clientRequestId);
}

test('auth metadata names the resource and the IdP; the IdP issues tokens for that resource', async () => {
  const res = await fetch(`${kusto.url}/v1/rest/auth/metadata`);
  assert.equal(res.status, 200);
  const metadata = await res.json();
  assert.deepEqual(Object.keys(metadata), ['AzureAD', 'dSTS']);
  assert.deepEqual(Object.keys(metadata.AzureAD).sort(), ['FirstPartyAuthorityUrl', 'KustoClientAppId',
    'KustoClientRedirectUri', 'KustoServiceResourceId', 'LoginEndpoint', 'LoginMfaRequired']);
  assert.equal(metadata.AzureAD.KustoServiceResourceId, 'http://localhost');
  assert.equal(metadata.AzureAD.KustoServiceResourceId, kusto.resource);
  assert.equal(metadata.AzureAD.LoginEndpoint, idp.issuer);
  assert.equal(metadata.AzureAD.LoginMfaRequired, false);
  assert.match(metadata.AzureAD.KustoClientAppId, UUID);
  assert.equal(typeof metadata.dSTS.DstsRealm, 'string');

  const { payload } = await verifyJwt(main.tokens.access_token, idp.issuer);
  assert.equal(payload.aud, metadata.AzureAD.KustoServiceResourceId, 'the token is for the advertised resource');
  assert.equal(payload.iss, metadata.AzureAD.LoginEndpoint);

  const custom = await startKusto({ issuer: idp.issuer, resource: HELP, database: 'Other' });
  try {
    const other = await (await fetch(`${custom.url}/v1/rest/auth/metadata`)).json();
    assert.equal(other.AzureAD.KustoServiceResourceId, HELP);
    assert.equal(custom.resource, HELP);
  } finally {
    await custom.close();
  }

  // Readable cross-origin from the app, with no token.
  const fromPage = await main.page.evaluate(async (url) => (await fetch(url)).json(), `${kusto.url}/v1/rest/auth/metadata`);
  assert.equal(fromPage.AzureAD.KustoServiceResourceId, kusto.resource);
});

test('StormEvents | count: v2 frames, the row count of the data, the request id echoed', async () => {
  kusto.resetRequests();
  assert.deepEqual(kusto.requests(), []);
  const csl = 'StormEvents | count';
  const result = await kql(csl, { token: main.tokens.access_token });
  assert.equal(result.status, 200, JSON.stringify(result.body));
  assert.match(result.headers.get('content-type'), /^application\/json/);
  assert.equal(result.headers.get('x-ms-client-request-id'), result.clientRequestId);
  assert.match(result.headers.get('x-ms-activity-id'), UUID);

  const frames = result.body;
  assert.deepEqual(frames.map((f) => f.FrameType), ['DataSetHeader', 'DataTable', 'DataTable', 'DataTable', 'DataSetCompletion']);
  assert.deepEqual(frames[0], { FrameType: 'DataSetHeader', IsProgressive: false, Version: 'v2.0' });
  assert.deepEqual(frames.slice(1, 4).map((f) => [f.TableId, f.TableKind, f.TableName]), [
    [0, 'QueryProperties', '@ExtendedProperties'],
    [1, 'PrimaryResult', 'PrimaryResult'],
    [2, 'QueryCompletionInformation', 'QueryCompletionInformation'],
  ]);
  assert.deepEqual(frames.at(-1), { FrameType: 'DataSetCompletion', HasErrors: false, Cancelled: false });

  assert.ok(SAMPLE.rows.length >= 200 && SAMPLE.rows.length <= 1000, `a few hundred rows, not ${SAMPLE.rows.length}`);
  assert.deepEqual(primary(frames).Columns, [{ ColumnName: 'Count', ColumnType: 'long' }]);
  assert.deepEqual(primary(frames).Rows, [[SAMPLE.rows.length]]);

  const qci = frames[3];
  assert.deepEqual(qci.Columns.map((c) => c.ColumnName), QCI_COLUMNS);
  assert.ok(qci.Rows.length >= 2);
  for (const row of qci.Rows) {
    assert.equal(row.length, QCI_COLUMNS.length);
    assert.equal(row[1], result.clientRequestId);
    assert.match(row[0], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
    assert.ok(row[5] > 2, 'no error-level rows');
  }
  assert.deepEqual(qci.Rows.map((r) => r[10]), ['QueryInfo', 'WorkloadGroup', 'QueryResourceConsumption']);
  const stats = JSON.parse(qci.Rows.at(-1)[11]);
  assert.equal(stats.dataset_statistics[0].table_row_count, 1);
  assert.equal(stats.input_dataset_statistics.rows.total, SAMPLE.rows.length);

  assert.deepEqual(kusto.requests(), [{
    method: 'POST', path: '/v2/rest/query', db: 'Samples', csl, authorized: true, authError: undefined,
    principal: 'kim', status: 200, clientRequestId: result.clientRequestId, app: APP,
    clientVersion: CLIENT_VERSION, origin: undefined,
  }]);
});

test('summarize count() by State | top 10 equals the counts computed from the JSON', async () => {
  const sorted = stateCounts();
  const expected = sorted.slice(0, 10);
  assert.ok(sorted[9][1] > sorted[10][1], 'the sample has no tie at the top-10 boundary');
  assert.ok(new Set(expected.map(([, n]) => n)).size === 10, 'the top 10 counts are distinct');

  const unnamed = await kql('StormEvents | summarize count() by State | top 10 by count_ desc', { token: main.tokens.access_token });
  assert.equal(unnamed.status, 200, JSON.stringify(unnamed.body));
  assert.deepEqual(primary(unnamed.body).Columns, [
    { ColumnName: 'State', ColumnType: 'string' }, { ColumnName: 'count_', ColumnType: 'long' }]);
  assert.deepEqual(primary(unnamed.body).Rows, expected);

  const named = await kql(`
    // events per state
    StormEvents
    |   summarize Events=count()  by State   // named aggregate
    | top 10 by Events`, { token: main.tokens.access_token });
  assert.equal(named.status, 200, JSON.stringify(named.body));
  assert.deepEqual(primary(named.body).Columns.map((c) => c.ColumnName), ['State', 'Events']);
  assert.deepEqual(primary(named.body).Rows, expected);

  const fewest = await kql('StormEvents | summarize Events = count() by State | top 3 by Events asc', { token: main.tokens.access_token });
  assert.deepEqual(primary(fewest.body).Rows.map(([, n]) => n), sorted.map(([, n]) => n).reverse().slice(0, 3));

  const [topState, topCount] = expected[0];
  const where = await kql(`StormEvents | where State == "${topState}" | count`, { token: main.tokens.access_token });
  assert.deepEqual(primary(where.body).Rows, [[topCount]]);
  const injured = SAMPLE.rows.filter((r) => r[COL.InjuriesDirect] > 0).length;
  const hurt = await kql('StormEvents | where InjuriesDirect > 0 | count', { token: main.tokens.access_token });
  assert.deepEqual(primary(hurt.body).Rows, [[injured]]);
});

test('take and limit return rows of the table with its schema', async () => {
  const taken = await kql('StormEvents | take 5', { token: main.tokens.access_token });
  assert.equal(taken.status, 200, JSON.stringify(taken.body));
  assert.deepEqual(primary(taken.body).Columns, SAMPLE.columns);
  assert.equal(primary(taken.body).Rows.length, 5);
  const known = new Set(SAMPLE.rows.map((r) => JSON.stringify(r)));
  for (const row of primary(taken.body).Rows) assert.ok(known.has(JSON.stringify(row)), JSON.stringify(row));
  assert.equal(typeof primary(taken.body).Rows[0][COL.DamageProperty], 'number', 'long values are JSON numbers');

  const limited = await kql('StormEvents | limit 3', { token: main.tokens.access_token });
  assert.equal(primary(limited.body).Rows.length, 3);
});

test('rows given to startKusto replace the sample', async () => {
  const rows = [
    { State: 'TEXAS', EventType: 'Hail' }, { State: 'OHIO', EventType: 'Hail' }, { State: 'TEXAS', EventType: 'Flood' },
  ];
  const small = await startKusto({ issuer: idp.issuer, rows });
  try {
    const count = await kql('StormEvents | count', { target: small, token: main.tokens.access_token });
    assert.deepEqual(primary(count.body).Rows, [[3]]);
    const top = await kql('StormEvents | summarize n = count() by State | top 1 by n', { target: small, token: main.tokens.access_token });
    assert.deepEqual(primary(top.body).Rows, [['TEXAS', 2]]);
    assert.deepEqual(small.requests().map((r) => r.status), [200, 200]);
    assert.deepEqual(kusto.requests().filter((r) => r.csl === 'StormEvents | summarize n = count() by State | top 1 by n'), [],
      'each server keeps its own log');
  } finally {
    await small.close();
  }
});

test('a query from the app page: preflight, then the query; exposed headers readable', async () => {
  kusto.resetRequests();
  const clientRequestId = `KSA.browser;${randomUUID()}`;
  const result = await main.page.evaluate(async ({ url, token, id, app, version }) => {
    const res = await fetch(`${url}/v2/rest/query`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json; charset=utf-8',
        'x-ms-client-request-id': id,
        'x-ms-app': app,
        'x-ms-client-version': version,
      },
      body: JSON.stringify({ db: 'Samples', csl: 'StormEvents | count' }),
    });
    return {
      status: res.status,
      requestId: res.headers.get('x-ms-client-request-id'),
      activityId: res.headers.get('x-ms-activity-id'),
      frames: await res.json(),
    };
  }, { url: kusto.url, token: main.tokens.access_token, id: clientRequestId, app: APP, version: CLIENT_VERSION });
  assert.equal(result.status, 200);
  assert.equal(result.requestId, clientRequestId);
  assert.match(result.activityId, UUID);
  assert.deepEqual(primary(result.frames).Rows, [[SAMPLE.rows.length]]);

  const log = kusto.requests();
  assert.deepEqual(log.map((r) => [r.method, r.path, r.status, r.origin]), [
    ['OPTIONS', '/v2/rest/query', 204, app.origin],
    ['POST', '/v2/rest/query', 200, app.origin],
  ]);
  assert.equal(log[1].clientRequestId, clientRequestId);
  assert.equal(log[1].authorized, true);

  // Without a token the 401 and its challenge are readable by the app.
  const denied = await main.page.evaluate(async (url) => {
    const res = await fetch(`${url}/v2/rest/query`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ db: 'Samples', csl: 'StormEvents | count' }),
    });
    return { status: res.status, challenge: res.headers.get('www-authenticate'), body: await res.json() };
  }, kusto.url);
  assert.equal(denied.status, 401);
  assert.match(denied.challenge, /^Bearer authorization_uri="/);
  assert.equal(denied.body.error.code, 'Unauthorized');
  assertLocalOnly(main.page);
  assertNoErrors(main.page);
});

test('another origin is refused at the preflight; the query never reaches the server', async () => {
  const context = await browser.newContext();
  cleanups.push(() => context.close());
  const page = await newPage(context, { allowErrors: EXPECTED_ERRORS });
  await page.goto(`${otherOrigin.origin}/app/signed-out.html`);
  kusto.resetRequests();
  const outcome = await page.evaluate(async ({ url, token }) => {
    try {
      const res = await fetch(`${url}/v2/rest/query`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ db: 'Samples', csl: 'StormEvents | count' }),
      });
      return { status: res.status };
    } catch (err) {
      return { error: err.name };
    }
  }, { url: kusto.url, token: main.tokens.access_token });
  assert.deepEqual(outcome, { error: 'TypeError' });
  assert.deepEqual(kusto.requests().map((r) => [r.method, r.status, r.origin]), [['OPTIONS', 403, otherOrigin.origin]]);
  assertLocalOnly(page);
});

test('no token: 401 with a OneApi body and a WWW-Authenticate challenge', async () => {
  kusto.resetRequests();
  const csl = 'StormEvents | count';
  const result = await kql(csl);
  assert.equal(result.status, 401);
  const { error } = result.body;
  assert.equal(error.code, 'Unauthorized');
  assert.equal(error.message, 'Authorization has been denied for this request.');
  assert.equal(error['@type'], 'Kusto.Data.Exceptions.KustoRequestException');
  assert.equal(error['@permanent'], true);
  assert.equal(error['@context'].clientRequestId, result.clientRequestId);
  assert.match(error['@context'].activityId, UUID);
  assert.equal(result.headers.get('x-ms-client-request-id'), result.clientRequestId);
  const challenge = result.headers.get('www-authenticate');
  assert.equal(challenge, `Bearer authorization_uri="${idp.issuer}", resource_id="${kusto.resource}"`);
  assert.deepEqual(kusto.requests().map((r) => [r.method, r.csl, r.authorized, r.status, r.principal]),
    [['POST', csl, false, 401, undefined]]);
  assert.match(kusto.requests()[0].authError, /no Authorization header/);

  const mgmt = await kql('.show version', { endpoint: '/v1/rest/mgmt' });
  assert.equal(mgmt.status, 401);
  const garbage = await fetch(`${kusto.url}/v2/rest/query`, { method: 'POST', headers: { Authorization: 'Bearer not-a-jwt' }, body: '{}' });
  assert.equal(garbage.status, 401);
  assert.match(garbage.headers.get('www-authenticate'), /error="invalid_token"/);

  const plain = await startKusto({ issuer: idp.issuer, unauthorizedBody: 'message' });
  try {
    const old = await kql(csl, { target: plain });
    assert.equal(old.status, 401);
    assert.deepEqual(old.body, { Message: 'Authorization has been denied for this request.' });
  } finally {
    await plain.close();
  }
});

test('a real token for another audience is refused (and accepted where it belongs)', async () => {
  const help = await signIn(idp, `${HELP}/.default`, 'lee');
  const { payload } = await verifyJwt(help.tokens.access_token, idp.issuer);
  assert.equal(payload.aud, HELP);

  kusto.resetRequests();
  const refused = await kql('StormEvents | count', { token: help.tokens.access_token });
  assert.equal(refused.status, 401);
  assert.equal(refused.body.error.code, 'Unauthorized');
  assert.match(refused.headers.get('www-authenticate'), /^Bearer authorization_uri="[^"]+", resource_id="http:\/\/localhost", error="invalid_token", error_description="[^"]*audience/);
  assert.equal(lastRequest().authorized, false);
  assert.match(lastRequest().authError, /audience https:\/\/help\.kusto\.windows\.net is not http:\/\/localhost/);

  // The same token works at a cluster whose resource it names: the 401 above is the audience.
  const helpCluster = await startKusto({ issuer: idp.issuer, resource: HELP });
  try {
    const ok = await kql('StormEvents | count', { target: helpCluster, token: help.tokens.access_token });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const wrong = await kql('StormEvents | count', { target: helpCluster, token: main.tokens.access_token });
    assert.equal(wrong.status, 401);
  } finally {
    await helpCluster.close();
  }

  // An ID token is not an access token for the cluster (its audience is the client).
  const idToken = await kql('StormEvents | count', { token: main.tokens.id_token });
  assert.equal(idToken.status, 401);
  assert.match(lastRequest().authError, /audience/);
});

test('a tampered token and a token from another issuer are refused', async () => {
  const [h, p, s] = main.tokens.access_token.split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url'));
  const forged = [h, Buffer.from(JSON.stringify({ ...claims, sub: 'mallory' })).toString('base64url'), s].join('.');
  kusto.resetRequests();
  const tampered = await kql('StormEvents | count', { token: forged });
  assert.equal(tampered.status, 401);
  assert.match(lastRequest().authError, /signature/);
  const untouched = await kql('StormEvents | count', { token: main.tokens.access_token });
  assert.equal(untouched.status, 200, 'the genuine token still works');

  // A cluster trusting another issuer name that publishes the very same keys: the genuine token's
  // signature verifies there, and only its `iss` is wrong.
  const alias = await listenLocalhost(async (req, res) => {
    const discovery = await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json();
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ ...discovery, issuer: `http://localhost:${alias.port}` }));
  });
  const aliasKusto = await startKusto({ issuer: `http://localhost:${alias.port}` });
  try {
    const wrongIssuer = await kql('StormEvents | count', { target: aliasKusto, token: main.tokens.access_token });
    assert.equal(wrongIssuer.status, 401);
    assert.match(aliasKusto.requests()[0].authError, new RegExp(`issuer ${idp.issuer} is not http://localhost:${alias.port}`));
  } finally {
    await aliasKusto.close();
    await alias.close();
  }
});

test('an expired token is refused', async () => {
  const TTL = 3;
  const shortIdp = await startIdp({ appOrigins: [app.origin], accessTokenTtl: TTL });
  cleanups.push(() => shortIdp.close());
  const shortKusto = await startKusto({ issuer: shortIdp.issuer, appOrigins: [app.origin] });
  cleanups.push(() => shortKusto.close());
  const { tokens } = await signIn(shortIdp, `${shortKusto.resource}/.default`, 'ivy');
  const { payload } = decodeJwt(tokens.access_token);
  assert.equal(payload.exp - payload.iat, TTL);

  const fresh = await kql('StormEvents | count', { target: shortKusto, token: tokens.access_token });
  assert.equal(fresh.status, 200, JSON.stringify(fresh.body));

  // A token from one IdP means nothing to a cluster that trusts another.
  const foreign = await kql('StormEvents | count', { target: kusto, token: tokens.access_token });
  assert.equal(foreign.status, 401);
  assert.match(lastRequest(kusto).authError, /signature|issuer/);

  await sleep(Math.max(0, payload.exp * 1000 - Date.now()) + 100);
  const expired = await kql('StormEvents | count', { target: shortKusto, token: tokens.access_token });
  assert.equal(expired.status, 401);
  assert.equal(expired.body.error.code, 'Unauthorized');
  assert.match(expired.headers.get('www-authenticate'), /error="invalid_token", error_description="the token expired/);
  assert.deepEqual(shortKusto.requests().map((r) => [r.status, r.authorized]), [[200, true], [401, false]]);
  assert.match(shortKusto.requests()[1].authError, /expired/);
});

test('queries it cannot compute, unknown tables and columns: Kusto semantic and syntax errors', async () => {
  const token = main.tokens.access_token;
  let csl = 'StormEvents | project State';
  assertSemanticError(await kql(csl, { token }), { csl, message: /^'project' operator: not implemented by the test Kusto server/ });

  csl = 'StormEventz | count';
  assertSemanticError(await kql(csl, { token }), { csl, message: "'count' operator: Failed to resolve table or column expression named 'StormEventz'" });
  csl = 'stormevents';
  assertSemanticError(await kql(csl, { token }), { csl, message: "'table' operator: Failed to resolve table expression named 'stormevents'" });
  csl = 'StormEvents | summarize count() by Sate';
  assertSemanticError(await kql(csl, { token }), { csl, message: "'summarize' operator: Failed to resolve scalar expression named 'Sate'" });
  csl = 'StormEvents | where state == "TEXAS" | count';
  assertSemanticError(await kql(csl, { token }), { csl, message: "'where' operator: Failed to resolve column or scalar expression named 'state'" });
  csl = 'StormEvents | take';
  assertSemanticError(await kql(csl, { token }), { csl, code: 'SYN0002', type: 'SyntaxException', message: /^Query could not be parsed/ });
  csl = '.show version';
  assertSemanticError(await kql(csl, { token }), { csl, message: /send them to \/v1\/rest\/mgmt/ });

  const [last] = kusto.requests().slice(-1);
  assert.deepEqual([last.csl, last.authorized, last.status], [csl, true, 400]);
});

test('an unknown database: 404 NotFound, as a real cluster answers', async () => {
  const result = await kql('StormEvents | count', { token: main.tokens.access_token, db: 'Nope' });
  assert.equal(result.status, 404);
  assert.deepEqual(Object.keys(result.body.error), ['code', 'message', '@type', '@message', '@context', '@permanent']);
  assert.equal(result.body.error.code, 'NotFound');
  assert.equal(result.body.error.message, "Entity name 'Nope' of kind 'Database' does not exist.");
  assert.equal(result.body.error['@type'], 'Kusto.Common.Svc.Exceptions.EntityNameDoesNotExistException');
  assert.equal(result.body.error['@context'].clientRequestId, result.clientRequestId);
  assert.deepEqual([lastRequest().db, lastRequest().status], ['Nope', 404]);
});

test('management: .show version in the v1 format; other commands are errors', async () => {
  const version = await kql('.show version', { token: main.tokens.access_token, endpoint: '/v1/rest/mgmt', db: 'NetDefaultDB' });
  assert.equal(version.status, 200, JSON.stringify(version.body));
  assert.deepEqual(Object.keys(version.body), ['Tables']);
  const [table] = version.body.Tables;
  assert.equal(table.TableName, 'Table_0');
  assert.deepEqual(table.Columns, [
    { ColumnName: 'BuildVersion', DataType: 'String' }, { ColumnName: 'BuildTime', DataType: 'DateTime' },
    { ColumnName: 'ServiceType', DataType: 'String' }, { ColumnName: 'ProductVersion', DataType: 'String' }]);
  assert.equal(table.Rows.length, 1);
  assert.equal(table.Rows[0].length, 4);
  assert.equal(version.headers.get('x-ms-client-request-id'), version.clientRequestId);

  const other = await kql('.show tables', { token: main.tokens.access_token, endpoint: '/v1/rest/mgmt' });
  assert.equal(other.status, 400);
  assert.equal(other.body.error.code, 'General_BadRequest');
  assert.match(other.body.error.innererror.message, /'\.show tables' command: not implemented/);
  assert.equal(other.body.error['@context'].clientRequestId, other.clientRequestId);
});

test('run as a script: prints its URL, serves, and stops on SIGINT and SIGTERM', async () => {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    const child = spawn(process.execPath, [path.join(SUPPORT, 'kusto.mjs'), '--issuer', idp.issuer,
      '--app-origin', app.origin, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = once(child, 'exit');
    cleanups.push(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
    const [line] = await once(createInterface({ input: child.stdout }), 'line');
    assert.match(line, /^http:\/\/localhost:\d+$/);
    const metadata = await (await fetch(`${line}/v1/rest/auth/metadata`)).json();
    assert.equal(metadata.AzureAD.LoginEndpoint, idp.issuer);
    const counted = await kql('StormEvents | count', { target: { url: line }, token: main.tokens.access_token });
    assert.deepEqual(primary(counted.body).Rows, [[SAMPLE.rows.length]]);
    child.kill(signal);
    const [code, killedBy] = await exited;
    assert.deepEqual([code, killedBy], [0, null], `${signal} stops it cleanly`);
    await assert.rejects(fetch(`${line}/v1/rest/auth/metadata`), 'the port is closed');
  }
});
