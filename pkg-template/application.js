// PublicClientApplication as apps see it: the wasm class, plus what MSAL has around it in JS:
// event callbacks (the same event names and message shape), the logger, getConfiguration, the
// factories and the default NavigationClient.
import { PublicClientApplication as Core } from "./kusto_spa_auth.js";
// E and I: short names for the event and interaction types emitted throughout.
import { AzureCloudInstance, EventType as E, InteractionType as I } from "./enums.js";
import { BrowserAuthError, BrowserAuthErrorCodes, BrowserConfigurationAuthError, BrowserConfigurationAuthErrorCodes, untilTrap } from "./errors.js";
import { Logger, logTo } from "./logger.js";
import { SealedStorage } from "./sealed.js";

// Its state is in plain properties (`_name`), not private fields: bundlers targeting ES2020 turn
// private fields into helpers that esbuild then puts in a chunk of their own, which the page
// loads only after the entry chunk, and every other chunk waits for.
export class PublicClientApplication extends Core {
  constructor(configuration) {
    // The wasm logs through the instance's logger, whichever setLogger made it.
    const loggerCallback = (level, message, containsPii) => logTo(this._logger, level, message, containsPii);
    const sealed = configuration?.cache?.cacheLocation === "localStorage" && globalThis.crypto?.subtle && globalThis.indexedDB ? new SealedStorage((m) => this._logger.warning(m)) : null;
    super({ ...configuration, system: { ...configuration?.system, loggerOptions: { loggerCallback } } }, sealed ?? undefined);
    // The localStorage cache, sealed at rest (sealed.js), or null: its secrets are opened once,
    // before the first call that uses one.
    this._sealed = sealed;
    this._configuration = configuration;
    this._logger = new Logger(configuration.system?.loggerOptions);
    this._callbacks = new Map();
    this._nextId = 0;
    this._redirect = null;
    this._answers = new Map();
    this._running = new Map();
    // Cache entries of this client in localStorage (see the cache layout in the docs): other tabs'
    // sign-ins and sign-outs arrive as storage events on them.
    this._prefix = super.cachePrefix();
    this._onStorage = (event) => this._storageChanged(event);
    this._accountStorageEvents = true;
    this._popupOpened = (popupWindow) => this._emit(E.POPUP_OPENED, I.Popup, { popupWindow });
    // Back from the IdP's page without finishing, the page may come from the back/forward cache
    // as it left, its redirect still under way: over, or it would block the next sign-in.
    globalThis.addEventListener?.("pageshow", (event) => {
      if (!event.persisted) return;
      super.abandonRedirect();
      this._emit(E.RESTORE_FROM_BFCACHE, I.Redirect);
    });
  }

  // msal-browser 3+'s factory: an instance, initialized.
  static async createPublicClientApplication(configuration) {
    const pca = new this(configuration);
    await pca.initialize();
    return pca;
  }

  getLogger() {
    return this._logger;
  }

  /** Replaces the logger: one of this package, or msal-browser's (anything with its methods). */
  setLogger(logger) {
    this._logger = logger;
  }

  // Wrapper libraries (msal-react, msal-angular) announce themselves for MSAL's telemetry; the
  // requests here carry this library's name and version only.
  initializeWrapperLibrary() {}

  // msal-browser's older account lookups: getAccount with a one-field filter.
  getAccountByHomeId(homeAccountId) {
    return this.getAccount({ homeAccountId });
  }

  getAccountByLocalId(localAccountId) {
    return this.getAccount({ localAccountId });
  }

  getAccountByUsername(username) {
    return this.getAccount({ username });
  }

  // The configuration as given, with the defaults of what the library reads (src/api/config.rs):
  // the authority in use, and each timeout under both MSAL generations' names.
  /** The configuration as given, with every default filled in as the wasm read it. */
  getConfiguration() {
    const { auth, cache, system } = this._configuration;
    const effective = super.effectiveConfiguration();
    return {
      ...this._configuration,
      auth: {
        knownAuthorities: [],
        authorityMetadata: "",
        azureCloudOptions: { azureCloudInstance: AzureCloudInstance.None, tenant: "" },
        ...auth,
        ...effective.auth,
      },
      cache: { ...cache, ...effective.cache },
      system: { allowRedirectInIframe: false, ...system, ...effective.system },
    };
  }

  /** Calls `callback` with every event (or those of `eventTypes`); returns an id for removal. */
  addEventCallback(callback, eventTypes) {
    const id = `cb-${++this._nextId}`;
    if (this._callbacks.size === 0) globalThis.addEventListener?.("storage", this._onStorage);
    this._callbacks.set(id, { callback, eventTypes });
    return id;
  }

  removeEventCallback(id) {
    if (this._callbacks.delete(id) && this._callbacks.size === 0) globalThis.removeEventListener?.("storage", this._onStorage);
  }

  // Other tabs' account changes as events: on by default (msal-browser 2–3 apps turn them on).
  enableAccountStorageEvents() {
    this._accountStorageEvents = true;
  }

  disableAccountStorageEvents() {
    this._accountStorageEvents = false;
  }

  _emit(eventType, interactionType, payload = null, error = null) {
    const correlationId = payload?.correlationId ?? error?.correlationId ?? null;
    const message = { eventType, interactionType, payload, error, timestamp: Date.now(), correlationId };
    for (const { callback, eventTypes } of [...this._callbacks.values()]) {
      if (eventTypes && !eventTypes.includes(eventType)) continue;
      // An app's callback that throws must not break the sign-in that reported to it.
      try {
        callback(message);
      } catch (e) {
        console.error(e);
      }
    }
  }

  // Start, then success or failure, around one call (see CALLS); `run` starts synchronously, so
  // a popup still opens inside the caller's click.
  _track(interactionType, { start, success = [], failure, login }, request, run) {
    const emitAll = (names, payload, error) => names.forEach((name) => this._emit(name, interactionType, payload, error));
    const accountsBefore = login === "new" && this.getAllAccounts().length;
    emitAll(start, request ?? null);
    return untilTrap(run).then((result) => this._stored(result)).then(
      (result) => {
        emitAll(success, result ?? null);
        if (login === "always" || (login === "new" && this.getAllAccounts().length > accountsBefore)) {
          this._emit(E.LOGIN_SUCCESS, interactionType, signInPayload(result));
        }
        return result;
      },
      (error) => {
        emitAll(failure, null, error);
        throw error;
      },
    );
  }

  // The sealed cache's secrets are opened meanwhile (sealed.js): accounts are readable at once,
  // and the calls that use a secret wait for them.
  initialize() {
    this._emit(E.INITIALIZE_START, null);
    this._sealed?.load();
    return this._takeOverMsalCache().then(() => this._emit(E.INITIALIZE_END, null));
  }

  // Runs `run` once the cache's secrets can be read: at once when they can (a popup must still
  // open inside the caller's click, so popups never wait), else once the sealed cache is loaded.
  _ready(run = () => undefined) {
    return this._sealed && !this._sealed.loaded ? this._sealed.load().then(run) : Promise.resolve(run());
  }

  // `value` once what the call wrote to the sealed cache is in localStorage: an app that leaves
  // the page as soon as a call answers must not lose the tokens it just got.
  _stored(value) {
    return this._sealed ? this._sealed.written().then(() => value) : value;
  }

  // An app that moved from msal-browser keeps its users signed in: msal's cache in the
  // cacheLocation's storage is taken over once (the wasm keeps a mark). msal-cache.js, which
  // reads and decrypts it, is loaded only when msal's index keys are there. Whatever fails here,
  // the app just starts with the users it had before.
  async _takeOverMsalCache() {
    const clientId = String(this._configuration?.auth?.clientId ?? "").trim();
    try {
      const area = { localStorage: globalThis.localStorage, sessionStorage: globalThis.sessionStorage }[super.effectiveConfiguration().cache.cacheLocation];
      if (!area || super.msalCacheTaken()) return;
      const indexKeys = Object.keys(area).filter((k) => {
        const rest = k.replace(/^msal\.(\d+\.)?/, "");
        return rest !== k && (rest === "account.keys" || rest === `token.keys.${clientId}`);
      });
      if (!indexKeys.length) return;
      const { takeOver } = await import("./msal-cache.js");
      await takeOver(this, area, clientId, indexKeys, (records) => super.importMsalCache(records));
    } catch (e) {
      this._logger.info(`msal-browser's cache was not taken over: ${e?.message ?? e}`);
    }
  }

  /**
   * One promise per page load, however often it is called. `options` may carry the response's
   * `hash` as the app captured it; msal-browser 2–4 and msal-angular pass that hash alone.
   */
  handleRedirectPromise(options) {
    if (this._redirect) return this._redirect;
    if (typeof options === "string") options = { hash: options };
    this._emit(E.HANDLE_REDIRECT_START, I.Redirect);
    // msal-browser 2–4 report a redirect that comes back to an app without accounts as a sign-in.
    const failure = this.getAllAccounts().length > 0 ? [E.ACQUIRE_TOKEN_FAILURE] : [E.ACQUIRE_TOKEN_FAILURE, E.LOGIN_FAILURE];
    // The wasm waits for the cache's secrets only when there is a response to redeem or a result
    // handed over (a page load without one resolves at once), and for what it wrote before it
    // leaves for the page the sign-in started on.
    this._redirect = untilTrap(() => super.handleRedirectPromise(options, () => this._ready(() => this._sealed?.written()))).then((outcome) => this._stored(outcome)).then(
      (outcome) => {
        const result = outcome?.result ?? null;
        if (result) {
          this._emit(E.ACQUIRE_TOKEN_SUCCESS, I.Redirect, result);
          // The wasm knows whether the sign-in added the account, even when it was redeemed on
          // the redirect page and handed over to this one.
          if (outcome.signedIn) this._emit(E.LOGIN_SUCCESS, I.Redirect, signInPayload(result));
        }
        this._emit(E.HANDLE_REDIRECT_END, I.Redirect);
        return result;
      },
      (error) => {
        failure.forEach((name) => this._emit(name, I.Redirect, null, error));
        this._emit(E.HANDLE_REDIRECT_END, I.Redirect);
        throw error;
      },
    );
    return this._redirect;
  }

  loginRedirect(request) {
    return this._track(I.Redirect, CALLS.loginRedirect, request, () => this._ready(() => super.loginRedirect(request)));
  }

  acquireTokenRedirect(request) {
    return this._track(I.Redirect, CALLS.acquireTokenRedirect, request, () => this._ready(() => super.acquireTokenRedirect(request)));
  }

  loginPopup(request) {
    return this._track(I.Popup, CALLS.loginPopup, request, () => super.loginPopup(request, this._popupOpened));
  }

  acquireTokenPopup(request) {
    return this._track(I.Popup, CALLS.acquireTokenPopup, request, () => super.acquireTokenPopup(request, this._popupOpened));
  }

  acquireTokenSilent(request) {
    return this._track(I.Silent, CALLS.acquireTokenSilent, request, () => this._ready(() => this._silent(request)));
  }

  // An answer is kept per request and given again (a copy, with its own correlation id) while
  // the cache's generation is unchanged and no renewal is due: a repeated call then costs no
  // cache read at all. It is kept only if nothing was written while it was computed.
  // Identical concurrent calls share one promise, so a burst of them costs one request.
  _silent(request) {
    const key = requestKey(request);
    const keep = key !== null && keepable(request);
    const kept = keep && this._answers.get(key);
    if (kept && super.isAnswerCurrent(kept.generation, kept.result.expiresOn.getTime())) {
      return Promise.resolve(copyAnswer(kept.result));
    }
    const running = key !== null && this._running.get(key);
    if (running) return running;
    const generation = keep && super.cacheGeneration();
    const call = super.acquireTokenSilent(request, () => this._emit(E.ACQUIRE_TOKEN_NETWORK_START, I.Silent, request)).then((result) => {
      if (keep && super.cacheGeneration() === generation) {
        if (this._answers.size >= MAX_KEPT_ANSWERS) this._answers.clear();
        this._answers.set(key, { generation, result });
      }
      return result;
    });
    if (key !== null) {
      this._running.set(key, call);
      const done = () => this._running.get(key) === call && this._running.delete(key);
      call.then(done, done);
    }
    return call;
  }

  ssoSilent(request) {
    return this._track(I.Silent, CALLS.ssoSilent, request, () => this._ready(() => super.ssoSilent(request)));
  }

  logoutRedirect(request) {
    return this._logout(I.Redirect, request, () => this._ready(() => super.logoutRedirect(request)));
  }

  logoutPopup(request) {
    return this._logout(I.Popup, request, () => super.logoutPopup(request, this._popupOpened));
  }

  _logout(interactionType, request, run) {
    const end = (outcome) => {
      this._emit(E.LOGOUT_END, interactionType);
      return outcome;
    };
    return this._track(interactionType, CALLS.logout, request, run).then(end, (error) => {
      throw end(error);
    });
  }

  setActiveAccount(account) {
    if (account && typeof account.homeAccountId !== "string") {
      this._logger.warning("setActiveAccount was given something that is not an AccountInfo (no homeAccountId): the active account is cleared.");
    }
    const before = this.getActiveAccount()?.homeAccountId;
    super.setActiveAccount(account);
    if (this.getActiveAccount()?.homeAccountId !== before) this._emit(E.ACTIVE_ACCOUNT_CHANGED, null);
  }

  _storageChanged({ key, oldValue, newValue, storageArea }) {
    if (!this._accountStorageEvents || storageArea !== globalThis.localStorage || !key?.startsWith(this._prefix)) return;
    const kind = key.slice(this._prefix.length).split("|")[0];
    if (kind === "active") {
      this._emit(E.ACTIVE_ACCOUNT_CHANGED, null);
    } else if (kind === "account" && !oldValue !== !newValue) {
      const account = accountOf(newValue ?? oldValue);
      if (account) this._emit(newValue ? E.ACCOUNT_ADDED : E.ACCOUNT_REMOVED, null, account);
    }
  }
}

// The events of each call, for apps and wrapper libraries of both MSAL generations: msal-browser
// 2–4 name a sign-in LOGIN_* and ssoSilent SSO_SILENT_*; 5 reports every call as ACQUIRE_TOKEN_*,
// then LOGIN_SUCCESS if the call added an account. Both are sent, ACQUIRE_TOKEN_* first, so that
// either generation's interaction status (msal-react's inProgress) ends where MSAL's would.
// `login`: when LOGIN_SUCCESS follows ("always": msal-browser 2–4's loginPopup; "new": if the
// call added an account). A redirect that leaves the page reports its success on the way back.
const CALLS = {
  loginRedirect: { start: [E.ACQUIRE_TOKEN_START, E.LOGIN_START], failure: [E.ACQUIRE_TOKEN_FAILURE, E.LOGIN_FAILURE] },
  acquireTokenRedirect: { start: [E.ACQUIRE_TOKEN_START], failure: [E.ACQUIRE_TOKEN_FAILURE] },
  loginPopup: { start: [E.ACQUIRE_TOKEN_START, E.LOGIN_START], success: [E.ACQUIRE_TOKEN_SUCCESS], failure: [E.ACQUIRE_TOKEN_FAILURE, E.LOGIN_FAILURE], login: "always" },
  acquireTokenPopup: { start: [E.ACQUIRE_TOKEN_START], success: [E.ACQUIRE_TOKEN_SUCCESS], failure: [E.ACQUIRE_TOKEN_FAILURE], login: "new" },
  acquireTokenSilent: { start: [E.ACQUIRE_TOKEN_START], success: [E.ACQUIRE_TOKEN_SUCCESS], failure: [E.ACQUIRE_TOKEN_FAILURE] },
  ssoSilent: { start: [E.ACQUIRE_TOKEN_START, E.SSO_SILENT_START], success: [E.ACQUIRE_TOKEN_SUCCESS, E.SSO_SILENT_SUCCESS], failure: [E.ACQUIRE_TOKEN_FAILURE, E.SSO_SILENT_FAILURE], login: "new" },
  logout: { start: [E.LOGOUT_START], success: [E.LOGOUT_SUCCESS], failure: [E.LOGOUT_FAILURE] },
};

// LOGIN_SUCCESS's payload: the result for msal-browser 2–4 (`payload.account`), the account for 5
// (`setActiveAccount(payload)`), so both: the fields they share (tenantId, idTokenClaims) agree.
const signInPayload = (result) => ({ ...result, ...result.account });

const MAX_KEPT_ANSWERS = 32;

// A kept answer as a new result of its own, so that an app changing one changes no other.
function copyAnswer(result) {
  const claims = JSON.parse(JSON.stringify(result.idTokenClaims));
  return {
    ...result,
    fromCache: true,
    correlationId: crypto.randomUUID(),
    scopes: [...result.scopes],
    expiresOn: new Date(result.expiresOn),
    refreshTokenExpiresOn: result.refreshTokenExpiresOn && new Date(result.refreshTokenExpiresOn),
    idTokenClaims: claims,
    account: { ...result.account, idTokenClaims: claims },
  };
}

// A request's identity: its JSON text (null if it has none; the wasm then reports why).
function requestKey(request) {
  try {
    return JSON.stringify(request) ?? null;
  } catch {
    return null;
  }
}

// Requests that must reach the cache or the network every time are never answered from memory.
// (A cacheLookupPolicy that skips the cached token needs no exception: its answers always write
// the cache, and an answer is kept only if the cache did not move while it was computed.)
function keepable(request) {
  return Boolean(request) && !request.forceRefresh && !request.claims && !request.correlationId && typeof globalThis.crypto?.randomUUID === "function";
}

// The AccountInfo inside an account entry written by another tab, or null if it is not one.
function accountOf(entry) {
  try {
    const account = JSON.parse(entry)?.account;
    return typeof account?.homeAccountId === "string" ? account : null;
  } catch {
    return null;
  }
}

// MSAL's default navigation, for apps to extend: a router's navigateInternal that routes in
// place answers false, and the sign-in result is then given on the page it routed to.
export class NavigationClient {
  navigateInternal(url, options) {
    return go(url, options);
  }

  navigateExternal(url, options) {
    return go(url, options);
  }
}

// Answers once the navigation has had its time, as MSAL's: code awaiting it does not run on a
// page that is going away.
function go(url, options) {
  if (options?.noHistory) location.replace(url);
  else location.assign(url);
  return new Promise((resolve) => setTimeout(() => resolve(true), options?.timeout ?? 0));
}

// msal-browser 3+'s factory for a single-page app.
export const createStandardPublicClientApplication = (configuration) => PublicClientApplication.createPublicClientApplication(configuration);

// msal-browser's factory for apps that may run inside a host (Teams, Outlook) that signs them in.
// No host is spoken to here, so it is the standard one, as MSAL's is outside a host.
export const createNestablePublicClientApplication = createStandardPublicClientApplication;

// msal-react's and msal-angular's default instance before the app gives its own: it signs
// nobody in, and says so.
const stubbed = () => new BrowserConfigurationAuthError(BrowserConfigurationAuthErrorCodes.stubbedPublicClientApplicationCalled);
const methods = (names, method) => Object.fromEntries(names.split(" ").map((name) => [name, method]));
export const stubbedPublicClientApplication = Object.freeze({
  ...methods("initialize handleRedirectPromise loginRedirect loginPopup acquireTokenRedirect acquireTokenPopup acquireTokenSilent ssoSilent logoutRedirect logoutPopup clearCache", () => Promise.reject(stubbed())),
  ...methods("getLogger getConfiguration", () => {
    throw stubbed();
  }),
  ...methods("getAccount getActiveAccount addEventCallback", () => null),
  ...methods("removeEventCallback setLogger setActiveAccount initializeWrapperLibrary setNavigationClient", () => {}),
  getAllAccounts: () => [],
});

// A sign-in response in a fragment (its state is the library's).
const isResponse = (hash) => /[#&]state=/.test(hash);

// What apps and wrapper libraries call of MSAL's BrowserUtils.
export const BrowserUtils = Object.freeze({
  /** Removes a sign-in response from `contentWindow`'s address, leaving no history entry. */
  clearHash({ location, history }) {
    if (isResponse(location.hash)) history.replaceState(null, "", location.href.split("#")[0]);
  },
  isInIframe: () => window.parent !== window,
  isInPopup: () => !BrowserUtils.isInIframe() && Boolean(window.opener) && window.opener !== window,
  /** This page's address without query and fragment. */
  getCurrentUri: () => location.href.split(/[?#]/)[0],
  getHomepage: () => `${location.origin}/`,
  /** A random UUID, as correlation ids are (msal-react makes its requests' with this). */
  createGuid: () => crypto.randomUUID(),
  /** Throws in a frame whose address carries a sign-in response: the frame is the library's own. */
  blockReloadInHiddenIframes() {
    if (isResponse(location.hash) && BrowserUtils.isInIframe()) throw new BrowserAuthError(BrowserAuthErrorCodes.blockIframeReload);
  },
});
