// kusto-spa-auth/react: React bindings with @azure/msal-react's names and shapes, plus useToken.
// Nothing here is imported from the package itself: the app's own entry ("kusto-spa-auth" or
// "kusto-spa-auth/web") is the only one loaded, and the wasm is instantiated once.
import { createContext, createElement, Fragment, useContext, useEffect, useMemo, useState } from "react";

/** What the instance is doing; `inProgress` in useMsal(). */
export const InteractionStatus = Object.freeze({
  Startup: "startup",
  HandleRedirect: "handleRedirect",
  Login: "login",
  AcquireToken: "acquireToken",
  SsoSilent: "ssoSilent",
  Logout: "logout",
  None: "none",
});

const MsalContext = createContext(null);
const STARTING = { inProgress: InteractionStatus.Startup, accounts: [], active: null };

// The instance's events (the package's EventType values; not imported, so that this module
// never loads a second copy of the wasm) and what each says the instance is doing now.
const interactive = (message) => message.interactionType === "redirect" || message.interactionType === "popup";
const STATUS = {
  "msal:handleRedirectStart": () => InteractionStatus.HandleRedirect,
  "msal:loginStart": () => InteractionStatus.Login,
  "msal:ssoSilentStart": () => InteractionStatus.SsoSilent,
  "msal:logoutStart": () => InteractionStatus.Logout,
  "msal:acquireTokenStart": (m) => (interactive(m) ? InteractionStatus.AcquireToken : undefined),
  "msal:handleRedirectEnd": () => InteractionStatus.None,
  "msal:loginSuccess": () => InteractionStatus.None,
  "msal:loginFailure": () => InteractionStatus.None,
  "msal:ssoSilentSuccess": () => InteractionStatus.None,
  "msal:ssoSilentFailure": () => InteractionStatus.None,
  "msal:logoutEnd": () => InteractionStatus.None,
  "msal:acquireTokenSuccess": (m) => (interactive(m) ? InteractionStatus.None : undefined),
  "msal:acquireTokenFailure": (m) => (interactive(m) ? InteractionStatus.None : undefined),
};

// One start per instance, however often providers mount (StrictMode mounts twice).
const starts = new WeakMap();

function start(instance) {
  let started = starts.get(instance);
  if (!started) {
    started = Promise.resolve(instance.initialize())
      .then(() => instance.handleRedirectPromise())
      .then((result) => {
        // What MSAL apps do on LOGIN_SUCCESS: the account that just signed in is the active one.
        if (result) instance.setActiveAccount(result.account);
      })
      // The app reads a failed sign-in from its own handleRedirectPromise() call, which returns
      // this same promise; the provider carries on with the accounts in the cache.
      .catch(() => {});
    starts.set(instance, started);
  }
  return started;
}

const sameAccounts = (a, b) => a.length === b.length && JSON.stringify(a) === JSON.stringify(b);

/**
 * Starts `instance` (initialize, handleRedirectPromise) and gives it, its accounts and what it
 * is doing to the hooks below; kept current by the instance's events, other tabs' included.
 */
export function MsalProvider({ instance, children }) {
  const [state, setState] = useState(STARTING);

  useEffect(() => {
    let ready = false;
    const update = (inProgress) => {
      const accounts = ready ? instance.getAllAccounts() : [];
      const active = ready ? instance.getActiveAccount()?.homeAccountId ?? null : null;
      setState((s) => {
        const next = inProgress ?? (ready && s.inProgress === InteractionStatus.Startup ? InteractionStatus.None : s.inProgress);
        return next === s.inProgress && active === s.active && sameAccounts(s.accounts, accounts) ? s : { inProgress: next, accounts, active };
      });
    };
    const id = instance.addEventCallback((message) => update(STATUS[message.eventType]?.(message)));
    setState(STARTING);
    start(instance).then(() => {
      ready = true;
      update(InteractionStatus.None);
    });
    return () => {
      ready = false;
      instance.removeEventCallback(id);
    };
  }, [instance]);

  const value = useMemo(() => ({ instance, inProgress: state.inProgress, accounts: state.accounts, active: state.active }), [instance, state]);
  return createElement(MsalContext.Provider, { value }, children);
}

/** `{ instance, accounts, inProgress }` from the nearest MsalProvider. */
export function useMsal() {
  const context = useContext(MsalContext);
  if (!context) throw new Error("kusto-spa-auth/react: hooks and templates must be used inside <MsalProvider>");
  return context;
}

const hasIdentifiers = (ids) => Boolean(ids && (ids.homeAccountId || ids.localAccountId || ids.username));

function findAccount(accounts, { homeAccountId, localAccountId, username }) {
  const user = username?.toLowerCase();
  return (
    accounts.find(
      (a) =>
        (!homeAccountId || a.homeAccountId === homeAccountId) &&
        (!localAccountId || a.localAccountId === localAccountId) &&
        (!user || a.username.toLowerCase() === user),
    ) ?? null
  );
}

/** The signed-in account matching every identifier given; with none, the active account. */
export function useAccount(identifiers) {
  const { accounts, active } = useMsal();
  const byIds = hasIdentifiers(identifiers);
  const activeId = byIds ? null : active;
  const { homeAccountId, localAccountId, username } = identifiers ?? {};
  return useMemo(() => {
    if (byIds) return findAccount(accounts, { homeAccountId, localAccountId, username });
    return activeId === null ? null : findAccount(accounts, { homeAccountId: activeId });
  }, [accounts, byIds, activeId, homeAccountId, localAccountId, username]);
}

/** Whether an account (with identifiers: that account) is signed in. */
export function useIsAuthenticated(identifiers) {
  const { accounts } = useMsal();
  return hasIdentifiers(identifiers) ? findAccount(accounts, identifiers) !== null : accounts.length > 0;
}

/** Renders its children only while the account (any, or the one the props identify) is signed in. */
export function AuthenticatedTemplate({ children, ...identifiers }) {
  return useIsAuthenticated(identifiers) ? createElement(Fragment, null, children) : null;
}

/** Renders its children only once the provider has started and no such account is signed in. */
export function UnauthenticatedTemplate({ children, ...identifiers }) {
  const { inProgress } = useMsal();
  const authenticated = useIsAuthenticated(identifiers);
  return !authenticated && inProgress === InteractionStatus.None ? createElement(Fragment, null, children) : null;
}

const MAX_TIMEOUT = 2 ** 31 - 1;

// When to ask again: a little after the token enters the default renewal window (300 s before
// expiry), where acquireTokenSilent renews instead of serving the cache; with a narrower window
// configured, the cache answers a few more times until it renews.
function renewIn(result) {
  return Math.min(Math.max(result.expiresOn.getTime() - Date.now() - 240_000, 30_000), MAX_TIMEOUT);
}

const NO_TOKEN = { result: null, error: null };

/**
 * A token from acquireTokenSilent for `request` (its account, else the active account, else the
 * first signed-in one), renewed before it expires. Never redirects: on an error, typically
 * InteractionRequiredAuthError, the app decides what to do.
 */
export function useToken(request) {
  const { instance, accounts, inProgress } = useMsal();
  const account =
    inProgress !== InteractionStatus.None
      ? null
      : request.account ?? (accounts.length === 0 ? null : instance.getActiveAccount() ?? accounts[0]);
  // A request written inline is a new object on every render; what it asks for is the key.
  const key = account
    ? JSON.stringify([account.homeAccountId, [...request.scopes].sort(), request.claims ?? null, request.forceRefresh ?? false])
    : null;
  const [state, setState] = useState({ key: null, ...NO_TOKEN });

  useEffect(() => {
    if (key === null) return undefined;
    let live = true;
    let timer;
    const acquire = () => {
      instance.acquireTokenSilent({ ...request, account }).then(
        (result) => {
          if (!live) return;
          setState({ key, result, error: null });
          timer = setTimeout(acquire, renewIn(result));
        },
        (error) => live && setState({ key, result: null, error }),
      );
    };
    acquire();
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // `request` and `account` are what `key` describes; they change with it.
  }, [instance, key]);

  return state.key === key && key !== null ? { result: state.result, error: state.error } : NO_TOKEN;
}
