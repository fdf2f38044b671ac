// A small, honest Kusto (Azure Data Explorer) REST endpoint for end-to-end tests.
//
//   import { startKusto } from './support/kusto.mjs';
//   const kusto = await startKusto({ issuer: idp.issuer, appOrigins: [app.origin] });
//   // scope for the IdP: `${kusto.resource}/.default`; cluster URL: kusto.url
//
// or, by hand: node support/kusto.mjs --issuer http://localhost:9400 --app-origin http://localhost:9410 --port 9420
//
// What it does, as a real cluster does it:
//   GET  /v1/rest/auth/metadata  the AzureAD/dSTS document (KustoServiceResourceId = resource,
//                                LoginEndpoint = issuer); needs no token.
//   POST /v2/rest/query          {db, csl, properties} → v2 frames (DataSetHeader, @ExtendedProperties,
//                                PrimaryResult, QueryCompletionInformation, DataSetCompletion).
//   POST /v1/rest/mgmt           `.show version` → v1 {"Tables":[...]}.
// Bearer tokens are checked against the IdP's JWKS (RS256 signature, iss, aud = resource, exp, nbf);
// anything else is a 401 with a OneApi body and a WWW-Authenticate header. CORS answers the app
// origins only. Errors are OneApi bodies shaped like real ones (see ERROR SHAPES below).
//
// The queries it computes from its data (KQL is case-sensitive, and so is this server):
//   T | count                                   one row, column Count (long)
//   T | take N            T | limit N
//   T | where Col == "v"  (also !=, =~, !~ for strings; ==, !=, <, <=, >, >= for numbers)
//   T | summarize count() by Col                columns Col, count_ (long)
//   T | summarize Name = count() by Col         columns Col, Name (long)
//   T | top N by Col [desc|asc]                 desc by default
// chained in any order (`T | where State == "TEXAS" | count`). `//` comments and whitespace are
// ignored. An unknown table or column gives the real SEM0100 error; an operator it does not
// implement gives the same error shape with a message that says so.
//
// Test hooks: requests() returns a log of every request that reached the server (preflights
// included): { method, path, db, csl, authorized, authError, principal, status, clientRequestId,
// app, clientVersion, origin }; resetRequests() clears it.
import { createPublicKey, randomUUID, verify } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { closeOnSignal, listenLocalhost } from './listen.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const STORM_EVENTS_FILE = path.join(HERE, 'stormevents.json');
export const TABLE_NAME = 'StormEvents';

// The Kusto client application id of the public Azure cloud, as a real cluster reports it.
const KUSTO_CLIENT_APP_ID = 'db662dc1-0cfe-4e1c-a843-19a68e65be58';
// Databases the SDKs name for cluster-level commands; they hold no tables.
const DEFAULT_DB = 'NetDefaultDB';

const ALLOWED_HEADERS = [
  'Authorization', 'Content-Type', 'Accept', 'x-ms-client-request-id', 'x-ms-app',
  'x-ms-client-version', 'x-ms-user-id',
];
const EXPOSED_HEADERS = ['x-ms-client-request-id', 'x-ms-activity-id', 'WWW-Authenticate'];
const MAX_BODY = 1 << 20;

// Same Visualization value as the SDKs' recorded v2 responses (node-v2.json).
const VISUALIZATION = '{"Visualization":null,"Title":null,"XColumn":null,"Series":null,"YColumns":null,'
  + '"XTitle":null,"YTitle":null,"XAxis":null,"YAxis":null,"Legend":null,"YSplit":null,'
  + '"Accumulate":false,"IsQuerySorted":false,"Kind":null}';

const QCI_COLUMNS = [
  ['Timestamp', 'datetime'], ['ClientRequestId', 'string'], ['ActivityId', 'guid'],
  ['SubActivityId', 'guid'], ['ParentActivityId', 'guid'], ['Level', 'int'], ['LevelName', 'string'],
  ['StatusCode', 'int'], ['StatusCodeName', 'string'], ['EventType', 'int'],
  ['EventTypeName', 'string'], ['Payload', 'string'],
].map(([ColumnName, ColumnType]) => ({ ColumnName, ColumnType }));

/** The committed StormEvents sample: { columns: [{ColumnName, ColumnType}], rows: [[...]] }. */
export function loadStormEvents() {
  const { columns, rows } = JSON.parse(readFileSync(STORM_EVENTS_FILE, 'utf8'));
  return { columns, rows };
}

/**
 * @param {object} options
 * @param {string} options.issuer  the IdP whose tokens are accepted (its discovery document gives the JWKS)
 * @param {number} [options.port=0]
 * @param {string[]} [options.appOrigins]  origins answered with CORS headers
 * @param {string} [options.resource='http://localhost']  KustoServiceResourceId and the required `aud`
 * @param {string} [options.database='Samples']  the one database; it holds the StormEvents table
 * @param {Array<Array|object>} [options.rows]  StormEvents rows instead of the sample (arrays in column
 *   order, or objects keyed by column name)
 * @param {number} [options.clockSkewSeconds=0]  leeway for exp/nbf
 * @param {'oneapi'|'message'} [options.unauthorizedBody='oneapi']  401 body: a OneApi error, or the
 *   `{"Message": ...}` body some real clusters send
 * @returns {Promise<{ url, port, resource, database, issuer, requests(), resetRequests(), close() }>}
 */
export async function startKusto(options = {}) {
  if (!options.issuer) throw new TypeError('startKusto needs { issuer }');
  const issuer = String(options.issuer).replace(/\/+$/, '');
  const appOrigins = (options.appOrigins ?? []).map((o) => new URL(o).origin);
  const resource = options.resource ?? 'http://localhost';
  const database = options.database ?? 'Samples';
  const skew = options.clockSkewSeconds ?? 0;
  const unauthorizedBody = options.unauthorizedBody ?? 'oneapi';
  const sample = loadStormEvents();
  const table = { columns: sample.columns, rows: options.rows ? normalizeRows(options.rows, sample.columns) : sample.rows };
  const keys = jwksCache(issuer);

  let log = [];

  async function handle(req, res) {
    const url = new URL(req.url, 'http://localhost');
    const origin = req.headers.origin;
    const entry = {
      method: req.method,
      path: url.pathname,
      db: undefined,
      csl: undefined,
      authorized: false,
      authError: undefined,
      principal: undefined,
      status: undefined,
      clientRequestId: req.headers['x-ms-client-request-id'],
      app: req.headers['x-ms-app'],
      clientVersion: req.headers['x-ms-client-version'],
      origin,
    };
    log.push(entry);
    const clientRequestId = entry.clientRequestId ?? `unspecified;${randomUUID()}`;
    const activityId = randomUUID();
    const corsOk = origin !== undefined && appOrigins.includes(origin);

    const send = (status, body, headers = {}) => {
      entry.status = status;
      const all = {
        'Cache-Control': 'no-store',
        'x-ms-client-request-id': clientRequestId,
        'x-ms-activity-id': activityId,
        ...headers,
      };
      if (corsOk) {
        all['Access-Control-Allow-Origin'] = origin;
        all['Access-Control-Expose-Headers'] = EXPOSED_HEADERS.join(', ');
      }
      if (origin !== undefined) all.Vary = 'Origin';
      if (body === undefined) {
        res.writeHead(status, all);
        res.end();
        return;
      }
      const text = JSON.stringify(body);
      res.writeHead(status, { ...all, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    };

    if (req.method === 'OPTIONS') {
      if (!corsOk) {
        send(403);
        return;
      }
      entry.status = 204;
      res.writeHead(204, {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
        'Access-Control-Allow-Headers': ALLOWED_HEADERS.join(', '),
        Vary: 'Origin',
      });
      res.end();
      return;
    }

    const route = {
      '/v1/rest/auth/metadata': 'metadata',
      '/v2/rest/query': 'query',
      '/v1/rest/mgmt': 'mgmt',
    }[url.pathname];
    if (!route) {
      send(404, { error: { code: 'NotFound', message: `No such endpoint: ${url.pathname}` } });
      return;
    }
    if (route === 'metadata') {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        send(405, undefined, { Allow: 'GET' });
        return;
      }
      entry.authorized = true;
      send(200, authMetadata(issuer, resource));
      return;
    }
    if (req.method !== 'POST') {
      send(405, undefined, { Allow: 'POST' });
      return;
    }

    // Read the request before judging the token, so that the log shows what was asked.
    let body;
    let bodyError;
    try {
      const raw = await readBody(req);
      body = JSON.parse(raw);
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('the body is not a JSON object');
      entry.db = typeof body.db === 'string' ? body.db : undefined;
      entry.csl = typeof body.csl === 'string' ? body.csl : undefined;
    } catch (err) {
      bodyError = err.message;
    }

    const activityType = route === 'query' ? 'DN.FE.ExecuteQuery' : 'DN.AdminCommand.Execute';
    const context = () => errorContext({ clientRequestId, activityId, activityType });

    const auth = await authenticate(req.headers.authorization, { issuer, resource, keys, skew });
    if (!auth.ok) {
      entry.authError = auth.error;
      const challenge = auth.missing
        ? `Bearer authorization_uri="${issuer}", resource_id="${resource}"`
        : `Bearer authorization_uri="${issuer}", resource_id="${resource}", error="invalid_token", error_description="${auth.error}"`;
      const payload = unauthorizedBody === 'message'
        ? { Message: 'Authorization has been denied for this request.' }
        : unauthorizedError(auth.error, context());
      send(401, payload, { 'WWW-Authenticate': challenge });
      return;
    }
    entry.authorized = true;
    entry.principal = auth.claims.sub;

    if (bodyError !== undefined || typeof body.csl !== 'string') {
      send(400, badRequestError(`The request body must be a JSON object {"db", "csl", "properties"}: ${bodyError ?? 'csl is missing'}.`, context()));
      return;
    }
    const db = typeof body.db === 'string' && body.db !== '' ? body.db : DEFAULT_DB;
    if (db !== database && db !== DEFAULT_DB) {
      send(404, databaseNotFoundError(db, context()));
      return;
    }
    const tables = db === database ? { [TABLE_NAME]: table } : {};

    try {
      if (route === 'query') {
        const started = process.hrtime.bigint();
        const result = runQuery(body.csl, tables);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        send(200, v2Response(result, {
          clientRequestId, activityId, seconds, scanned: result.scanned,
        }));
      } else {
        send(200, runCommand(body.csl));
      }
    } catch (err) {
      if (!(err instanceof QueryError)) throw err;
      send(400, queryError(err, { csl: body.csl, db, context: context() }));
    }
  }

  const server = await listenLocalhost((req, res) => {
    handle(req, res).catch((err) => {
      console.error('test Kusto: server error:', err);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: { code: 'InternalServiceError', message: String(err?.message ?? err) } }));
    });
  }, options.port ?? 0);

  return {
    url: `http://localhost:${server.port}`,
    port: server.port,
    resource,
    database,
    issuer,
    requests: () => structuredClone(log),
    resetRequests: () => { log = []; },
    close: server.close,
  };
}

// ---------------------------------------------------------------------------------------------
// Auth

function authMetadata(issuer, resource) {
  // Shape of a cluster's /v1/rest/auth/metadata (fixtures/kusto/responses/auth_metadata_mock.json).
  return {
    AzureAD: {
      LoginEndpoint: issuer,
      LoginMfaRequired: false,
      KustoClientAppId: KUSTO_CLIENT_APP_ID,
      KustoClientRedirectUri: 'https://microsoft/kustoclient',
      KustoServiceResourceId: resource,
      FirstPartyAuthorityUrl: issuer,
    },
    dSTS: {
      CloudEndpointSuffix: 'windows.net',
      DstsRealm: 'realm://dsts.core.windows.net',
      DstsInstance: 'prod-dsts.dsts.core.windows.net',
      KustoDnsHostName: 'kusto.windows.net',
      ServiceName: 'kusto',
    },
  };
}

// The IdP's signing keys, found through its discovery document and cached; refetched (at most
// once a second) when a token names a key id we do not know, as after a key rotation.
function jwksCache(issuer) {
  let keys = new Map();
  let fetchedAt = 0;
  let pending;

  async function refresh() {
    const discovery = await fetchJson(`${issuer}/.well-known/openid-configuration`);
    if (discovery.issuer !== issuer) throw new Error(`discovery document names issuer ${discovery.issuer}`);
    const { keys: jwks } = await fetchJson(discovery.jwks_uri);
    const next = new Map();
    for (const jwk of jwks ?? []) {
      if (jwk.kty !== 'RSA' || (jwk.use && jwk.use !== 'sig')) continue;
      next.set(jwk.kid, createPublicKey({ key: jwk, format: 'jwk' }));
    }
    keys = next;
    fetchedAt = Date.now();
  }

  return async function keyFor(kid) {
    if (!keys.has(kid) && Date.now() - fetchedAt > 1000) {
      pending ??= refresh().finally(() => { pending = undefined; });
      await pending;
    }
    if (kid === undefined && keys.size === 1) return [...keys.values()][0];
    return keys.get(kid);
  };
}

async function fetchJson(url) {
  const res = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
  return res.json();
}

/** Validates an `Authorization: Bearer` header; { ok, claims } or { ok: false, missing?, error }. */
async function authenticate(header, { issuer, resource, keys, skew }) {
  if (!header) return { ok: false, missing: true, error: 'no access token: the request has no Authorization header' };
  const match = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)\s*$/i.exec(header);
  if (!match) return { ok: false, error: 'the Authorization header is not a Bearer JWT' };
  const token = match[1];
  const [h, p, s] = token.split('.');
  let jose;
  let claims;
  try {
    jose = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, error: 'the token is not a well-formed JWT' };
  }
  if (!jose || typeof jose !== 'object' || !claims || typeof claims !== 'object') {
    return { ok: false, error: 'the token is not a well-formed JWT' };
  }
  if (jose.alg !== 'RS256') return { ok: false, error: `the token is signed with ${jose.alg}, not RS256` };
  let key;
  try {
    key = await keys(jose.kid);
  } catch (err) {
    return { ok: false, error: `the signing keys of ${issuer} are unavailable (${err.message})` };
  }
  if (!key) return { ok: false, error: `the token is signed with key ${jose.kid}, which ${issuer} does not publish` };
  if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url'))) {
    return { ok: false, error: 'the token signature is invalid' };
  }
  if (claims.iss !== issuer) return { ok: false, error: `the token issuer ${claims.iss} is not ${issuer}` };
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(resource)) {
    return { ok: false, error: `the token audience ${audiences.join(' ')} is not ${resource}` };
  }
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.exp !== 'number') return { ok: false, error: 'the token has no exp' };
  if (now >= claims.exp + skew) return { ok: false, error: `the token expired at ${new Date(claims.exp * 1000).toISOString()}` };
  if (typeof claims.nbf === 'number' && now < claims.nbf - skew) {
    return { ok: false, error: `the token is not valid before ${new Date(claims.nbf * 1000).toISOString()}` };
  }
  return { ok: true, claims };
}

// ---------------------------------------------------------------------------------------------
// ERROR SHAPES
// HTTP-level errors are OneApi bodies { error: { code, message, @type, @message, @context,
// @permanent, ... } }, the @context carrying the request's clientRequestId.
//  - Query errors (400): the envelope of the Kusto REST docs' example (response2.md, a real error
//    from the Help cluster): code General_BadRequest, @type KustoBadRequestException, @text,
//    @database, and an innererror with the SemanticException (SEM0100) or SyntaxException.
//  - Unknown database (404): as a real cluster answered in 2023 (Azure/azure-kusto-samples-dotnet#29):
//    code NotFound, @type Kusto.Common.Svc.Exceptions.EntityNameDoesNotExistException.
//  - 401: code Unauthorized with the text real clusters send ("Authorization has been denied for
//    this request."); @message says why this token was refused.

class QueryError extends Error {
  /** kind: 'semantic' | 'syntax' | 'unsupported' */
  constructor(kind, message) {
    super(message);
    this.kind = kind;
  }
}

function errorContext({ clientRequestId, activityId, activityType }) {
  const subActivityId = randomUUID();
  const parentActivityId = randomUUID();
  return {
    timestamp: kustoTimestamp(new Date()),
    serviceAlias: 'KUSTO-SPA-AUTH-TEST',
    machineName: 'localhost',
    processName: 'kusto.mjs',
    processId: process.pid,
    threadId: 1,
    clientRequestId,
    activityId,
    subActivityId,
    activityType,
    parentActivityId,
    activityStack: `(Activity stack: CRID=${clientRequestId} ARID=${activityId} > ${activityType}/${subActivityId})`,
  };
}

function queryError(err, { csl, db, context }) {
  const [code, type, prefix] = err.kind === 'syntax'
    ? ['SYN0002', 'Kusto.Data.Exceptions.SyntaxException', 'Syntax error']
    : ['SEM0100', 'Kusto.Data.Exceptions.SemanticException', 'Semantic error'];
  const detailed = `${prefix}: ${code}: ${err.message}`;
  return badRequestError(detailed, context, {
    '@text': csl,
    '@database': db,
    '@ClientRequestLogger': '',
    innererror: {
      code,
      message: err.message,
      '@type': type,
      '@message': detailed,
      '@context': context,
      '@permanent': true,
      '@errorCode': code,
      '@errorMessage': err.message,
    },
  });
}

// The OneApi envelope of a 400; `details` adds what a query error carries.
function badRequestError(why, context, details = {}) {
  return {
    error: {
      code: 'General_BadRequest',
      message: 'Request is invalid and cannot be executed.',
      '@type': 'Kusto.Data.Exceptions.KustoBadRequestException',
      '@message': `Request is invalid and cannot be processed: ${why}`,
      '@context': context,
      '@permanent': true,
      ...details,
    },
  };
}

function databaseNotFoundError(db, context) {
  const message = `Entity name '${db}' of kind 'Database' does not exist.`;
  return {
    error: {
      code: 'NotFound',
      message,
      '@type': 'Kusto.Common.Svc.Exceptions.EntityNameDoesNotExistException',
      '@message': message,
      '@context': context,
      '@permanent': true,
    },
  };
}

function unauthorizedError(why, context) {
  return {
    error: {
      code: 'Unauthorized',
      message: 'Authorization has been denied for this request.',
      '@type': 'Kusto.Data.Exceptions.KustoRequestException',
      '@message': `Authorization has been denied for this request: ${why}.`,
      '@context': context,
      '@permanent': true,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Queries: tokenizer, parser, evaluator

const SUPPORTED = 'count, take, limit, where, summarize count() by, top';
// Tabular operators and query-starting keywords of KQL that this server does not compute.
const OTHER_OPERATORS = new Set([
  'as', 'consume', 'distinct', 'evaluate', 'extend', 'facet', 'find', 'fork', 'getschema', 'invoke',
  'join', 'lookup', 'make', 'mv', 'order', 'parse', 'partition', 'project', 'range', 'reduce', 'render',
  'sample', 'scan', 'search', 'serialize', 'sort', 'union', 'filter', 'print', 'datatable', 'let',
  'set', 'declare', 'externaldata', 'materialize', 'top-nested', 'top-hitters',
]);

export function tokenize(text) {
  const tokens = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const at = () => ({ line, column: i - lineStart + 1 });
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      i += 1;
      line += 1;
      lineStart = i;
    } else if (/\s/.test(c)) {
      i += 1;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i += 1;
    } else if (/[A-Za-z_]/.test(c)) {
      const start = at();
      const m = /^[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z]+)*/.exec(text.slice(i));
      tokens.push({ type: 'ident', value: m[0], ...start });
      i += m[0].length;
    } else if (/[0-9]/.test(c)) {
      const start = at();
      const m = /^[0-9]+(?:\.[0-9]+)?/.exec(text.slice(i));
      tokens.push({ type: 'number', value: Number(m[0]), text: m[0], ...start });
      i += m[0].length;
    } else if (c === '"' || c === "'") {
      const start = at();
      let value = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== c; j += 1) {
        if (text[j] === '\n') break;
        if (text[j] === '\\' && j + 1 < text.length) {
          j += 1;
          value += { n: '\n', t: '\t', r: '\r' }[text[j]] ?? text[j];
        } else {
          value += text[j];
        }
      }
      if (text[j] !== c) throw new QueryError('syntax', `Query could not be parsed: unterminated string literal at line ${start.line}, column ${start.column}`);
      tokens.push({ type: 'string', value, ...start });
      i = j + 1;
    } else {
      const start = at();
      const two = text.slice(i, i + 2);
      const op = ['==', '!=', '=~', '!~', '<=', '>='].includes(two) ? two : c;
      tokens.push({ type: 'punct', value: op, ...start });
      i += op.length;
    }
  }
  return tokens;
}

function syntaxError(token, what) {
  if (!token) return new QueryError('syntax', `Query could not be parsed: unexpected end of query, expected ${what}`);
  return new QueryError('syntax', `Query could not be parsed at '${token.value}' on line [${token.line},${token.column}], expected ${what}`);
}

/** Parses the supported subset; returns { table, ops: [...] }. */
export function parseQuery(csl) {
  const tokens = tokenize(csl);
  let pos = 0;
  const peek = () => tokens[pos];
  const next = () => tokens[pos++];
  const isPunct = (t, v) => t?.type === 'punct' && t.value === v;
  const isWord = (t, v) => t?.type === 'ident' && t.value === v;
  const expectIdent = (what) => {
    const t = next();
    if (t?.type !== 'ident') throw syntaxError(t, what);
    return t.value;
  };
  const expectWord = (word) => {
    const t = next();
    if (!isWord(t, word)) throw syntaxError(t, `'${word}'`);
  };
  const expectPunct = (p) => {
    const t = next();
    if (!isPunct(t, p)) throw syntaxError(t, `'${p}'`);
  };
  const expectCount = () => {
    const t = next();
    if (t?.type !== 'number' || !Number.isInteger(t.value)) throw syntaxError(t, 'a row count');
    return t.value;
  };

  const first = next();
  if (!first) throw new QueryError('syntax', 'Query could not be parsed: the query is empty');
  if (isPunct(first, '.')) {
    throw new QueryError('unsupported', 'management commands are not queries: send them to /v1/rest/mgmt');
  }
  if (first.type !== 'ident') throw syntaxError(first, 'a table name');
  if (OTHER_OPERATORS.has(first.value)) {
    throw new QueryError('unsupported', `'${first.value}' is not implemented by the test Kusto server, which computes only T | ${SUPPORTED.split(', ').join(' / ')}`);
  }
  const query = { table: first.value, ops: [] };

  while (pos < tokens.length) {
    if (isPunct(peek(), ';') && pos === tokens.length - 1) break;
    expectPunct('|');
    const word = next();
    if (word?.type !== 'ident') throw syntaxError(word, 'a query operator');
    switch (word.value) {
      case 'count':
        query.ops.push({ op: 'count' });
        break;
      case 'take':
      case 'limit':
        query.ops.push({ op: 'take', n: expectCount() });
        break;
      case 'where': {
        const column = expectIdent('a column name');
        const cmp = next();
        if (cmp?.type !== 'punct' || !['==', '!=', '=~', '!~', '<', '<=', '>', '>='].includes(cmp.value)) {
          throw syntaxError(cmp, 'a comparison (==, !=, =~, !~, <, <=, >, >=)');
        }
        const literal = next();
        if (literal?.type !== 'string' && literal?.type !== 'number') throw syntaxError(literal, 'a string or number literal');
        query.ops.push({ op: 'where', column, cmp: cmp.value, value: literal.value, literal: literal.type });
        break;
      }
      case 'summarize': {
        let name = 'count_';
        if (peek()?.type === 'ident' && isPunct(tokens[pos + 1], '=')) {
          name = next().value;
          next();
        }
        const fn = expectIdent("an aggregation ('count()')");
        if (fn !== 'count') {
          throw new QueryError('unsupported', `'summarize' operator: the aggregation '${fn}()' is not implemented by the test Kusto server (only count())`);
        }
        expectPunct('(');
        expectPunct(')');
        expectWord('by');
        const by = expectIdent('a column name');
        if (isPunct(peek(), ',')) {
          throw new QueryError('unsupported', "'summarize' operator: grouping by more than one column is not implemented by the test Kusto server");
        }
        query.ops.push({ op: 'summarize', name, by });
        break;
      }
      case 'top': {
        const n = expectCount();
        expectWord('by');
        const by = expectIdent('a column name');
        let descending = true;
        if (isWord(peek(), 'desc') || isWord(peek(), 'asc')) descending = next().value === 'desc';
        query.ops.push({ op: 'top', n, by, descending });
        break;
      }
      default:
        if (OTHER_OPERATORS.has(word.value) || OTHER_OPERATORS.has(word.value.split('-')[0])) {
          throw new QueryError('unsupported', `'${word.value}' operator: not implemented by the test Kusto server, which computes only ${SUPPORTED}`);
        }
        throw syntaxError(word, 'a query operator');
    }
  }
  return query;
}

/** Runs a query against { name: { columns, rows } }; returns { columns, rows, scanned }. */
export function runQuery(csl, tables) {
  const query = parseQuery(csl);
  const source = Object.hasOwn(tables, query.table) ? tables[query.table] : undefined;
  if (!source) {
    const text = query.ops.length
      ? `'${query.ops[0].op}' operator: Failed to resolve table or column expression named '${query.table}'`
      : `'table' operator: Failed to resolve table expression named '${query.table}'`;
    throw new QueryError('semantic', text);
  }
  let current = { columns: source.columns, rows: source.rows };
  const columnIndex = (op, name, kind) => {
    const i = current.columns.findIndex((c) => c.ColumnName === name);
    if (i < 0) throw new QueryError('semantic', `'${op}' operator: Failed to resolve ${kind} named '${name}'`);
    return i;
  };
  for (const step of query.ops) {
    switch (step.op) {
      case 'count':
        current = { columns: [{ ColumnName: 'Count', ColumnType: 'long' }], rows: [[current.rows.length]] };
        break;
      case 'take':
        current = { columns: current.columns, rows: current.rows.slice(0, step.n) };
        break;
      case 'where': {
        const i = columnIndex('where', step.column, 'column or scalar expression');
        const type = current.columns[i].ColumnType;
        const test = predicate(step, type);
        current = { columns: current.columns, rows: current.rows.filter((row) => test(row[i])) };
        break;
      }
      case 'summarize': {
        const i = columnIndex('summarize', step.by, 'scalar expression');
        const groups = new Map();
        for (const row of current.rows) groups.set(row[i], (groups.get(row[i]) ?? 0) + 1);
        current = {
          columns: [current.columns[i], { ColumnName: step.name, ColumnType: 'long' }],
          rows: [...groups].map(([key, n]) => [key, n]),
        };
        break;
      }
      case 'top': {
        const i = columnIndex('top', step.by, 'scalar expression');
        const sign = step.descending ? -1 : 1;
        // Kusto puts nulls last when descending and first when ascending.
        const sorted = current.rows.map((row, k) => [row, k]).sort(([a, ka], [b, kb]) => {
          const [x, y] = [a[i], b[i]];
          if (x === y) return ka - kb;
          if (x === null) return sign;
          if (y === null) return -sign;
          return (x < y ? -1 : 1) * sign || ka - kb;
        });
        current = { columns: current.columns, rows: sorted.slice(0, step.n).map(([row]) => row) };
        break;
      }
      default:
        throw new Error(`unknown step ${step.op}`);
    }
  }
  return { ...current, scanned: source.rows.length };
}

function predicate({ column, cmp, value, literal }, type) {
  const numeric = ['int', 'long', 'real', 'decimal'].includes(type);
  if (type === 'string' && literal === 'string') {
    const lower = String(value).toLowerCase();
    const tests = {
      '==': (v) => v === value,
      '!=': (v) => v !== value,
      '=~': (v) => typeof v === 'string' && v.toLowerCase() === lower,
      '!~': (v) => !(typeof v === 'string' && v.toLowerCase() === lower),
    };
    if (tests[cmp]) return tests[cmp];
  } else if (numeric && literal === 'number') {
    const tests = {
      '==': (v) => v === value, '!=': (v) => v !== null && v !== value,
      '<': (v) => v !== null && v < value, '<=': (v) => v !== null && v <= value,
      '>': (v) => v !== null && v > value, '>=': (v) => v !== null && v >= value,
    };
    if (tests[cmp]) return tests[cmp];
  }
  throw new QueryError('unsupported', `'where' operator: comparing the ${type} column '${column}' with ${cmp} and a ${literal} literal is not implemented by the test Kusto server`);
}

// ---------------------------------------------------------------------------------------------
// Responses

function v2Response(result, { clientRequestId, activityId, seconds, scanned }) {
  const timestamp = kustoTimestamp(new Date());
  const ids = [clientRequestId, activityId, randomUUID(), randomUUID()];
  const tableSize = Buffer.byteLength(JSON.stringify(result.rows));
  const consumption = {
    ExecutionTime: Number(seconds.toFixed(7)),
    resource_usage: {
      cache: { memory: { hits: 0, misses: 0, total: 0 }, disk: { hits: 0, misses: 0, total: 0 } },
      cpu: { user: '00:00:00', kernel: '00:00:00', 'total cpu': '00:00:00' },
      memory: { peak_per_node: 0 },
    },
    input_dataset_statistics: { extents: { total: 1, scanned: 1 }, rows: { total: scanned, scanned } },
    dataset_statistics: [{ table_row_count: result.rows.length, table_size: tableSize }],
  };
  return [
    { FrameType: 'DataSetHeader', IsProgressive: false, Version: 'v2.0' },
    {
      FrameType: 'DataTable',
      TableId: 0,
      TableName: '@ExtendedProperties',
      TableKind: 'QueryProperties',
      Columns: [
        { ColumnName: 'TableId', ColumnType: 'int' },
        { ColumnName: 'Key', ColumnType: 'string' },
        { ColumnName: 'Value', ColumnType: 'dynamic' },
      ],
      Rows: [[1, 'Visualization', VISUALIZATION]],
    },
    {
      FrameType: 'DataTable',
      TableId: 1,
      TableName: 'PrimaryResult',
      TableKind: 'PrimaryResult',
      Columns: result.columns.map(({ ColumnName, ColumnType }) => ({ ColumnName, ColumnType })),
      Rows: result.rows,
    },
    {
      FrameType: 'DataTable',
      TableId: 2,
      TableName: 'QueryCompletionInformation',
      TableKind: 'QueryCompletionInformation',
      Columns: QCI_COLUMNS,
      Rows: [
        [timestamp, ...ids, 4, 'Info', 0, 'S_OK (0)', 4, 'QueryInfo', '{"Count":1,"Text":"Query completed successfully"}'],
        [timestamp, ...ids, 4, 'Info', 0, 'S_OK (0)', 5, 'WorkloadGroup', '{"Count":1,"Text":"default"}'],
        [timestamp, ...ids, 6, 'Stats', 0, 'S_OK (0)', 0, 'QueryResourceConsumption', JSON.stringify(consumption)],
      ],
    },
    { FrameType: 'DataSetCompletion', HasErrors: false, Cancelled: false },
  ];
}

// Management commands: `.show version` only, answered in the v1 format of
// fixtures/kusto/responses/versionshowcommandresult.json.
function runCommand(csl) {
  const tokens = tokenize(csl).filter((t) => !(t.type === 'punct' && t.value === ';'));
  const words = tokens.map((t) => t.value);
  if (words.length === 3 && words[0] === '.' && words[1] === 'show' && words[2] === 'version') {
    return {
      Tables: [{
        TableName: 'Table_0',
        Columns: [
          { ColumnName: 'BuildVersion', DataType: 'String' },
          { ColumnName: 'BuildTime', DataType: 'DateTime' },
          { ColumnName: 'ServiceType', DataType: 'String' },
          { ColumnName: 'ProductVersion', DataType: 'String' },
        ],
        Rows: [['1.0.6693.14577', '2018-04-29T08:05:54Z', 'Engine', 'KustoMain_2018.04.29.5']],
      }],
    };
  }
  if (words[0] !== '.') {
    throw new QueryError('unsupported', 'queries on /v1/rest/mgmt are not implemented by the test Kusto server: send them to /v2/rest/query');
  }
  const name = `.${words.slice(1, 3).join(' ')}`;
  throw new QueryError('unsupported', `'${name}' command: not implemented by the test Kusto server, which answers only '.show version'`);
}

// ---------------------------------------------------------------------------------------------
// Helpers

function normalizeRows(rows, columns) {
  if (!Array.isArray(rows)) throw new TypeError('rows must be an array');
  return rows.map((row, n) => {
    if (Array.isArray(row)) {
      if (row.length !== columns.length) throw new TypeError(`row ${n} has ${row.length} values, not ${columns.length}`);
      return [...row];
    }
    if (row && typeof row === 'object') {
      for (const key of Object.keys(row)) {
        if (!columns.some((c) => c.ColumnName === key)) throw new TypeError(`row ${n} has unknown column ${key}`);
      }
      return columns.map((c) => row[c.ColumnName] ?? null);
    }
    throw new TypeError(`row ${n} is neither an array nor an object`);
  });
}

// Kusto's datetime text: ISO 8601 with seven fractional digits.
function kustoTimestamp(date) {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) throw new Error('the body is larger than 1 MiB');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

// ---------------------------------------------------------------------------------------------
// The committed sample (stormevents.json) was made once with
//   node support/kusto.mjs --write-sample
// Synthetic rows with a subset of the real StormEvents schema; the state counts are fixed (and
// distinct down to the eleventh place, so that a top 10 is well defined); everything else comes
// from a seeded PRNG, so the file is reproducible.

const SAMPLE_SEED = 20070101;
const STATE_COUNTS = [
  ['TEXAS', 47], ['KANSAS', 32], ['IOWA', 24], ['ILLINOIS', 21], ['MISSOURI', 19], ['GEORGIA', 18],
  ['MINNESOTA', 17], ['WISCONSIN', 15], ['NEBRASKA', 14], ['NEW YORK', 13], ['NORTH CAROLINA', 12],
  ['OKLAHOMA', 11], ['PENNSYLVANIA', 11], ['OHIO', 10], ['COLORADO', 10], ['SOUTH DAKOTA', 10],
  ['VIRGINIA', 9], ['KENTUCKY', 9], ['MICHIGAN', 9], ['ALABAMA', 9], ['TENNESSEE', 8], ['INDIANA', 8],
  ['NORTH DAKOTA', 8], ['MISSISSIPPI', 8], ['ARKANSAS', 7], ['CALIFORNIA', 7], ['FLORIDA', 7],
  ['LOUISIANA', 7], ['SOUTH CAROLINA', 6], ['MONTANA', 6], ['NEW MEXICO', 6], ['ARIZONA', 5],
  ['WEST VIRGINIA', 5], ['MARYLAND', 5], ['WYOMING', 4], ['NEW JERSEY', 4], ['IDAHO', 4],
  ['OREGON', 4], ['WASHINGTON', 4], ['UTAH', 3], ['NEVADA', 3], ['MAINE', 3], ['VERMONT', 3],
  ['MASSACHUSETTS', 3], ['NEW HAMPSHIRE', 2], ['CONNECTICUT', 2], ['ALASKA', 2], ['HAWAII', 2],
  ['DELAWARE', 1], ['RHODE ISLAND', 1],
];
const EVENT_TYPES = [
  ['Thunderstorm Wind', 26], ['Hail', 22], ['Flash Flood', 8], ['Drought', 6], ['Winter Weather', 6],
  ['Winter Storm', 5], ['Heavy Snow', 5], ['High Wind', 5], ['Flood', 4], ['Frost/Freeze', 3],
  ['Tornado', 3], ['Heavy Rain', 3], ['Strong Wind', 2], ['Lightning', 2], ['Excessive Heat', 1],
  ['Dense Fog', 1], ['Blizzard', 1], ['Wildfire', 1], ['Ice Storm', 1],
];
const SOURCES = [
  ['Trained Spotter', 20], ['Public', 14], ['Emergency Manager', 12], ['Law Enforcement', 12],
  ['COOP Observer', 6], ['NWS Storm Survey', 4], ['Broadcast Media', 4], ['Mesonet', 3], ['ASOS', 3],
  ['Newspaper', 3], ['Storm Chaser', 2], ['Amateur Radio', 2], ['Social Media', 1], ['Fire Department/Rescue', 1],
];

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateStormEvents(seed = SAMPLE_SEED) {
  const random = mulberry32(seed);
  const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
  const weighted = (table) => {
    const total = table.reduce((s, [, w]) => s + w, 0);
    let r = random() * total;
    for (const [value, w] of table) {
      r -= w;
      if (r < 0) return value;
    }
    return table.at(-1)[0];
  };
  const states = STATE_COUNTS.flatMap(([state, n]) => Array(n).fill(state));
  for (let i = states.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [states[i], states[j]] = [states[j], states[i]];
  }
  const yearStart = Date.UTC(2007, 0, 1);
  const yearMinutes = 365 * 24 * 60;
  const starts = states.map(() => yearStart + int(0, yearMinutes - 1) * 60000).sort((a, b) => a - b);
  const text = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const eventIds = new Set();
  let episode = 1000;
  const rows = states.map((state, i) => {
    const type = weighted(EVENT_TYPES);
    const long = ['Drought', 'Winter Storm', 'Winter Weather', 'Heavy Snow', 'Frost/Freeze', 'Excessive Heat', 'Flood'].includes(type);
    const end = starts[i] + (long ? int(6 * 60, 72 * 60) : int(0, 90)) * 60000;
    episode += int(1, 40);
    let eventId;
    do eventId = int(5000, 99999); while (eventIds.has(eventId));
    eventIds.add(eventId);
    const hurtful = type === 'Tornado' ? 0.5 : ['Lightning', 'Thunderstorm Wind', 'Excessive Heat'].includes(type) ? 0.06 : 0.02;
    const injuries = random() < hurtful ? int(1, type === 'Tornado' ? 25 : 4) : 0;
    const damaged = random() < (['Drought', 'Dense Fog', 'Excessive Heat'].includes(type) ? 0.05 : 0.45);
    const damage = damaged ? int(1, 500) * (random() < 0.1 ? 100000 : 1000) : 0;
    return [text(starts[i]), text(end), episode, eventId, state, type, injuries, damage, weighted(SOURCES)];
  });
  const columns = [
    ['StartTime', 'datetime'], ['EndTime', 'datetime'], ['EpisodeId', 'int'], ['EventId', 'int'],
    ['State', 'string'], ['EventType', 'string'], ['InjuriesDirect', 'int'], ['DamageProperty', 'long'],
    ['Source', 'string'],
  ].map(([ColumnName, ColumnType]) => ({ ColumnName, ColumnType }));
  return { columns, rows };
}

function writeSample() {
  const { columns, rows } = generateStormEvents();
  const about = 'Synthetic StormEvents sample for the test Kusto server (tests/support/kusto.mjs): a subset of '
    + 'the real table\'s schema, made by `node support/kusto.mjs --write-sample` (seeded PRNG, seed '
    + `${SAMPLE_SEED}). Not real NOAA data.`;
  const lines = [
    '{',
    `  "about": ${JSON.stringify(about)},`,
    `  "table": ${JSON.stringify(TABLE_NAME)},`,
    `  "columns": ${JSON.stringify(columns)},`,
    '  "rows": [',
    rows.map((row) => `    ${JSON.stringify(row)}`).join(',\n'),
    '  ]',
    '}',
    '',
  ];
  writeFileSync(STORM_EVENTS_FILE, lines.join('\n'));
  console.log(`wrote ${rows.length} rows to ${STORM_EVENTS_FILE}`);
}

function parseArgs(argv) {
  const opts = { appOrigins: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--write-sample') {
      opts.writeSample = true;
      continue;
    }
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--issuer') opts.issuer = value;
    else if (flag === '--port') opts.port = Number(value);
    else if (flag === '--app-origin') opts.appOrigins.push(value);
    else if (flag === '--resource') opts.resource = value;
    else if (flag === '--database') opts.database = value;
    else throw new Error(`unknown argument ${flag}`);
    i += 1;
  }
  return opts;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.writeSample) {
    writeSample();
  } else {
    const kusto = await startKusto(opts);
    console.log(kusto.url);
    closeOnSignal(kusto.close);
  }
}
