// Headless Debian Chromium driven by playwright-core, with a record of what each page did.
import assert from 'node:assert/strict';

import { chromium } from 'playwright-core';

import { loadStormEvents } from './kusto.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

// Host names other than localhost do not resolve, so nothing can leave the machine even by
// mistake; such requests still show up in page.record.requests.
const NO_REMOTE_HOSTS = '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1';

/**
 * Starts a browser; playwright gives it a fresh temporary profile and deletes it on close.
 * `args` are added to the standard flags (a later --host-resolver-rules replaces ours).
 */
export function launch({ args = [] } = {}) {
  // Playwright turns the popup blocker off by default; users have it on.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...ARGS, NO_REMOTE_HOSTS, ...args], ignoreDefaultArgs: ['--disable-popup-blocking'] });
}

/**
 * Opens a page in `context` (a BrowserContext, or a Browser for a page in a context of its own)
 * and returns it with `page.record`, which records the whole context, popups included:
 * `errors` (console errors and uncaught page errors, as strings), `console` (every console
 * message as `type: text`) and `requests` (every URL asked for, frames and popups included).
 * `allowErrors` regexps excuse matching console errors (e.g. an expected failed fetch).
 */
export async function newPage(context, { allowErrors = [] } = {}) {
  const page = await context.newPage();
  page.record = recordContext(page.context(), { allowErrors });
  return page;
}

const records = new WeakMap();

/** The record of a context (see newPage), started on first call. */
export function recordContext(context, { allowErrors = [] } = {}) {
  if (records.has(context)) return records.get(context);
  const record = { errors: [], console: [], requests: [] };
  records.set(context, record);
  context.on('console', (msg) => {
    const where = msg.location()?.url;
    const text = where ? `${msg.text()} (${where})` : msg.text();
    record.console.push(`${msg.type()}: ${text}`);
    if (msg.type() === 'error' && !allowErrors.some((re) => re.test(text))) record.errors.push(text);
  });
  // A page that closes while it fetches (a popup its opener closes the moment the response is
  // there) rejects those fetches as it goes: a "Failed to fetch" around its close (reported up
  // to 3 s before it, or after it) is the close, not a fault.
  const fetchFailures = [];
  context.on('weberror', (err) => {
    const text = `uncaught: ${err.error().message}`;
    const fetching = err.error().message === 'Failed to fetch' ? err.page() : null;
    if (fetching?.isClosed()) return;
    record.errors.push(text);
    if (fetching) fetchFailures.push({ page: fetching, at: Date.now(), text });
  });
  context.on('page', (page) => page.once('close', () => {
    for (const failure of fetchFailures.filter((f) => f.page === page && Date.now() - f.at < 3000)) {
      record.errors.splice(record.errors.lastIndexOf(failure.text), 1);
    }
  }));
  context.on('request', (req) => record.requests.push(req.url()));
  return record;
}

/** URLs among `urls` that point off this machine (data:, blob: and about: stay local). */
export function offMachine(urls) {
  return urls.filter((u) => {
    const url = URL.parse(u);
    if (!url) return true;
    if (['data:', 'blob:', 'about:'].includes(url.protocol)) return false;
    return !LOCAL_HOSTS.has(url.hostname);
  });
}

/** Throws unless every request the page made stayed on localhost. */
export function assertLocalOnly(page) {
  const off = offMachine(page.record.requests);
  if (off.length) throw new Error(`requests left the machine:\n${off.join('\n')}`);
}

/** Throws if the page logged a console error or threw. */
export function assertNoErrors(page) {
  if (page.record.errors.length) throw new Error(`page errors:\n${page.record.errors.join('\n')}`);
}

/**
 * Clicks the example's #count and waits for `selector` to show the StormEvents count; checks that
 * the page sent `kusto` one query, StormEvents | count on Samples with a token, and returns it.
 */
export async function countStormEvents(page, kusto, selector = '#output') {
  await page.click('#count');
  await page.waitForFunction((s) => document.querySelector(s)?.textContent.startsWith('StormEvents'), selector);
  assert.equal(await page.textContent(selector), `StormEvents | count = ${loadStormEvents().rows.length}`);
  const posts = kusto.requests().filter((r) => r.method === 'POST');
  assert.equal(posts.length, 1);
  assert.deepEqual([posts[0].path, posts[0].db, posts[0].csl, posts[0].authorized], ['/v2/rest/query', 'Samples', 'StormEvents | count', true]);
  return posts[0];
}

/**
 * Signs in on the IdP's login form (any login and password are accepted) and waits until
 * the browser has left the IdP, i.e. is back on the app (or at `waitFor`, a URL glob/regexp/predicate).
 */
export async function idpLogin(page, login, { password = 'password', waitFor } = {}) {
  await submitIdpForm(page, login, password, () => {
    const idpOrigin = new URL(page.url()).origin;
    return page.waitForURL(waitFor ?? ((url) => url.origin !== idpOrigin));
  });
}

/** idpLogin in a sign-in popup, which the page that opened it closes once it is back. */
/**
 * Closes a sign-in popup as a person would: once the provider's page has been up a moment. A
 * popup that reads closed as that page arrives may instead have been cut off from its opener by
 * the provider's Cross-Origin-Opener-Policy, which no browser signal tells apart, so the library
 * waits for its response then (popup_coop.test.mjs).
 */
export async function closeLikeAPerson(popup) {
  await popup.waitForSelector('input[name=login]');
  await popup.waitForTimeout(300);
  await popup.close();
}

export async function idpLoginInPopup(popup, login, { password = 'password' } = {}) {
  await submitIdpForm(popup, login, password, () => popup.waitForEvent('close'));
}

async function submitIdpForm(page, login, password, done) {
  await page.waitForSelector('input[name=login]');
  await page.fill('input[name=login]', login);
  await page.fill('input[name=password]', password);
  await Promise.all([done(), page.click('form:has(input[name=login]) button[type=submit]')]);
}

/** The authorization requests (with a PKCE challenge) that `page`'s context sent to `issuer`, from its `from`-th request on. */
export function authorizations(page, issuer, from = 0) {
  return page.record.requests.slice(from).map((u) => new URL(u)).filter((u) => u.origin === issuer && u.searchParams.has('code_challenge'));
}

/** Records every request of `context` with the headers it really sent; `sent()` resolves to them all. */
export function recordHeaders(context) {
  const requests = [];
  context.on('request', (req) => requests.push(req.allHeaders().then((headers) => ({ url: req.url(), method: req.method(), headers }))));
  return { sent: () => Promise.all(requests) };
}
