// The end-to-end fixture for the library: the test app (tests/e2e/app) on the built package
// (build/pkg), the test IdP, and a browser. Tests rewrite /config/app.json to switch settings.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { idpLogin, launch, newPage } from './browser.mjs';
import { startIdp } from './idp.mjs';
import { startKusto } from './kusto.mjs';
import { startStatic } from './static.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const PKG = path.resolve(HERE, '..', '..', 'build', 'pkg');
export const KUSTO = 'https://help.kusto.windows.net';
export const KUSTO_SCOPE = `${KUSTO}/.default`;

/**
 * Starts everything; `idpOptions` go to startIdp (TTLs, tls); `kusto: true` adds a local Kusto
 * endpoint; `headers` goes to startStatic (response headers by path), `mounts` adds directories
 * to it; `browserArgs` go to Chromium.
 */
export async function startApp(idpOptions = {}, { kusto: withKusto = false, headers, mounts = {}, browserArgs = [] } = {}) {
  const configDir = mkdtempSync(path.join(tmpdir(), 'ksa-config-'));
  const web = await startStatic({ root: path.join(HERE, '..', 'e2e'), mounts: { ...mounts, '/pkg/': PKG, '/config/': configDir }, headers });
  const idp = await startIdp({ appOrigins: [web.origin], ...idpOptions });
  const kusto = withKusto ? await startKusto({ issuer: idp.issuer, appOrigins: [web.origin] }) : null;
  const browser = await launch({ args: browserArgs });
  const fixture = {
    web,
    idp,
    kusto,
    browser,
    appUrl: `${web.origin}/app/`,
    configure(settings = {}) {
      const config = { clientId: idp.clientId, authority: idp.issuer, cacheLocation: 'localStorage', ...settings };
      writeFileSync(path.join(configDir, 'app.json'), JSON.stringify(config));
    },
    /** A fresh browser context (no cookies, no storage) with the app open and ready. */
    async open(options) {
      const context = await browser.newContext();
      const page = await newPage(context, options);
      await fixture.goto(page);
      return page;
    },
    async goto(page, url = fixture.appUrl) {
      await page.goto(url);
      await page.waitForFunction(() => window.app);
    },
    /** loginRedirect, the IdP's form, and back: returns handleRedirectPromise's outcome. */
    async signIn(page, login = 'ada', request = { scopes: [KUSTO_SCOPE] }) {
      // Not awaited inside the page: the navigation it starts may destroy the page before its
      // promise could report back.
      await Promise.all([page.waitForURL((u) => u.origin === idp.issuer), page.evaluate((r) => { window.app.login(r); }, request)]);
      await idpLogin(page, login);
      await page.waitForFunction(() => window.app);
      return page.evaluate(() => window.app.redirect);
    },
    async close() {
      await browser.close();
      await kusto?.close();
      await idp.close();
      await web.close();
      rmSync(configDir, { recursive: true, force: true });
    },
  };
  fixture.configure();
  return fixture;
}

/** Clicks the test app's popup button for `pca[method](request)` (popups need a click) and returns the popup. */
export async function openPopup(page, method, request) {
  await page.evaluate((call) => { window.app.popupCall = call; }, { method, request });
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('#popup')]);
  return popup;
}

/** Our cache entries of one kind ('account', 'at', 'rt', ...) in a storage dump. */
export function entries(area, kind) {
  return Object.keys(area).filter((k) => k.startsWith('ksa1|') && k.split('|')[2] === kind);
}
