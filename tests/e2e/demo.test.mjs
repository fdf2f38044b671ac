// `make demo` end to end: the command starts (IdP, Kusto endpoint, static server), a person
// signs in, runs both queries and signs out, and Ctrl-C leaves nothing behind. Screenshots land
// in test-results/ at the repository root.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { assertLocalOnly, assertNoErrors, idpLogin, launch, newPage } from '../support/browser.mjs';
import { loadStormEvents } from '../support/kusto.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const ARTIFACTS = path.join(ROOT, 'test-results');
const PORTS = { DEMO_PORT: '18080', IDP_PORT: '18400', KUSTO_PORT: '18420' };

let demo;
let output = '';
let browser;

function listening(port) {
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  // Its own process group, so that Ctrl-C reaches make and everything it started.
  demo = spawn('make', ['--no-print-directory', 'demo'], { cwd: ROOT, env: { ...process.env, ...PORTS }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  demo.stdout.on('data', (d) => { output += d; });
  demo.stderr.on('data', (d) => { output += d; });
  const deadline = Date.now() + 300_000;
  while (!/kusto-spa-auth demo:\s+http/.test(output)) {
    if (demo.exitCode !== null || Date.now() > deadline) throw new Error(`make demo did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (demo && demo.exitCode === null && demo.signalCode === null) process.kill(-demo.pid, 'SIGKILL');
});

test('sign in, count, chart, sign out', async () => {
  const url = /kusto-spa-auth demo:\s+(\S+)/.exec(output)[1];
  // The bad query below makes the cluster answer 400, which Chromium logs.
  const page = await newPage(await browser.newContext({ viewport: { width: 1100, height: 900 } }), { allowErrors: [/status of 400/] });
  await page.goto(url);
  await page.waitForSelector('body[data-ready=true]');
  await Promise.all([page.waitForURL((u) => u.port === PORTS.IDP_PORT), page.click('#sign-in')]);
  await idpLogin(page, 'grace', { waitFor: (u) => u.port === PORTS.DEMO_PORT && u.pathname === '/' });
  await page.waitForSelector('body[data-ready=true]');
  assert.equal(await page.textContent('#account-username'), 'grace@example.com');
  assert.match(await page.textContent('#account-principal'), /^aaduser=[0-9a-f-]{36};[0-9a-f-]{36}$/);
  assert.equal(await page.textContent('#token-scopes'), 'http://localhost/.default');
  assert.equal(new URL(page.url()).hash, '');

  const { rows, columns } = loadStormEvents();
  await page.click('#run');
  await page.waitForSelector('#results td');
  assert.equal(await page.textContent('#results td'), String(rows.length));
  await page.screenshot({ path: path.join(ARTIFACTS, 'demo-signed-in.png'), fullPage: true });

  await page.click('#run-chart');
  await page.waitForSelector('#chart rect');
  const bars = await page.$$eval('#chart rect', (rects) => rects.map((r) => [r.dataset.label, Number(r.dataset.value)]));
  const state = columns.findIndex((c) => c.ColumnName === 'State');
  const counts = new Map();
  for (const r of rows) counts.set(r[state], (counts.get(r[state]) ?? 0) + 1);
  assert.deepEqual(bars, [...counts].sort((a, b) => b[1] - a[1]).slice(0, 10));
  await page.locator('#query-card').screenshot({ path: path.join(ARTIFACTS, 'demo-chart.png') });

  // Readable errors: a Kusto error shows its service code and message.
  await page.fill('#query', 'NoSuchTable | count');
  await page.click('#run');
  await page.waitForSelector('#error:not([hidden])');
  assert.match(await page.textContent('#error strong'), /^General_BadRequest \(kusto_http_error\)$/);
  assert.match(await page.textContent('#error'), /NoSuchTable/);
  // Interaction required (no refresh token, no IdP session) offers to sign in again.
  await page.context().clearCookies();
  await page.evaluate(() => { for (const k of Object.keys(localStorage)) if (k.split('|')[2] === 'rt') localStorage.removeItem(k); });
  await page.click('#renew');
  await page.waitForSelector('#error button');
  assert.equal(await page.textContent('#error strong'), 'login_required');
  assert.equal(await page.textContent('#error button'), 'Sign in again');

  await Promise.all([page.waitForURL((u) => u.port === PORTS.DEMO_PORT && u.pathname === '/'), page.click('#sign-out')]);
  await page.waitForSelector('body[data-ready=true]');
  assert.ok(await page.isVisible('#sign-in'));
  assert.ok(!(await page.isVisible('#account')));
  assertLocalOnly(page);
  assertNoErrors(page);
});

test('a link cannot point the demo at another provider or cluster', async () => {
  const url = new URL(/kusto-spa-auth demo:\s+(\S+)/.exec(output)[1]);
  const page = await newPage(await browser.newContext());
  await page.goto(url.href);
  await page.waitForSelector('body[data-ready=true]');
  const configured = await page.textContent('#config');
  const cluster = await page.inputValue('#cluster');
  for (const [k, v] of Object.entries({ authority: 'http://127.0.0.1:1/evil', clientId: 'other-app', cluster: 'http://127.0.0.1:1' })) url.searchParams.set(k, v);
  await page.goto(url.href);
  await page.waitForSelector('body[data-ready=true]');
  assert.equal(await page.textContent('#config'), configured);
  assert.equal(await page.inputValue('#cluster'), cluster);
  assert.doesNotMatch(configured, /evil|other-app/);
  await page.close();
});

test('Ctrl-C stops every server', async () => {
  for (const port of Object.values(PORTS)) assert.ok(await listening(port), `port ${port} was serving`);
  process.kill(-demo.pid, 'SIGINT');
  const code = await new Promise((resolve) => demo.once('exit', (c, signal) => resolve(c ?? signal)));
  assert.ok([0, 2, 130, 'SIGINT'].includes(code), `make demo ended with ${code}\n${output}`);
  for (const port of Object.values(PORTS)) assert.equal(await listening(port), false, `port ${port} still listening`);
});
