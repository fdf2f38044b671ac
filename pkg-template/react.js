// kusto-spa-auth/react: React bindings with @azure/msal-react's names and shapes, plus useToken.
// Nothing here loads the wasm: the app's own entry ("kusto-spa-auth" or "kusto-spa-auth/web") is
// the only one that does, so it is instantiated once. errors.js and enums.js are plain JS that
// both entries share, so their classes and constants are the ones the app sees.
import { createContext, createElement, Fragment, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";

import { EventMessageUtils, InteractionStatus, InteractionType } from "./enums.js";
import { InteractionRequiredAuthError } from "./errors.js";

export { InteractionStatus };

const MsalContext = createContext(null);
const STARTING = { inProgress: InteractionStatus.Startup, accounts: [], active: null };

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
    // `message`: an event of the instance, which may change what it is doing, as msal-react reads it.
    const update = (message) => {
      const accounts = ready ? instance.getAllAccounts() : [];
      const active = ready ? instance.getActiveAccount()?.homeAccountId ?? null : null;
      setState((s) => {
        const inProgress = message && EventMessageUtils.getInteractionStatusFromEvent(message, s.inProgress);
        const next = inProgress ?? (ready && s.inProgress === InteractionStatus.Startup ? InteractionStatus.None : s.inProgress);
        return next === s.inProgress && active === s.active && sameAccounts(s.accounts, accounts) ? s : { inProgress: next, accounts, active };
      });
    };
    const id = instance.addEventCallback(update);
    setState(STARTING);
    start(instance).then(() => {
      ready = true;
      update();
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

/** `Component` with the nearest MsalProvider's context as its `msalContext` prop. */
export function withMsal(Component) {
  const WithMsal = (props) => createElement(Component, { ...props, msalContext: useMsal() });
  WithMsal.displayName = `withMsal(${Component.displayName || Component.name || "Component"})`;
  return WithMsal;
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

const NO_RESULT = { result: null, error: null };

/** The active account, else the first signed-in one, else null. */
const someAccount = (instance, accounts) => (accounts.length === 0 ? null : instance.getActiveAccount() ?? accounts[0]);

// The instance call for one kind of interaction; a redirect leaves the page, so it yields null.
function interact(instance, kind, interactionType, request = {}) {
  if (interactionType === InteractionType.Popup) return kind === "login" ? instance.loginPopup(request) : instance.acquireTokenPopup(request);
  if (interactionType === InteractionType.Redirect) return (kind === "login" ? instance.loginRedirect(request) : instance.acquireTokenRedirect(request)).then(() => null);
  if (interactionType === InteractionType.Silent) return instance.ssoSilent(request);
  return Promise.reject(new TypeError(`kusto-spa-auth/react: interactionType must be InteractionType.Popup, Redirect or Silent, not ${JSON.stringify(interactionType)}`));
}

const SIGN_IN_SCOPES = ["openid", "profile"];

/**
 * Makes sure an account is signed in, as @azure/msal-react's hook of the same name: once the
 * provider is idle, signs in with `interactionType` if no such account is, else gets a token
 * silently (interactively when the silent attempt needs interaction). `login` and
 * `acquireToken` do the same on demand; their arguments default to the hook's.
 */
export function useMsalAuthentication(interactionType, authenticationRequest, accountIdentifiers) {
  const { instance, inProgress, accounts } = useMsal();
  const identified = useAccount(accountIdentifiers);
  const account = hasIdentifiers(accountIdentifiers) ? identified : someAccount(instance, accounts);
  const [outcome, setOutcome] = useState(NO_RESULT);
  const mounted = useRef(false);
  const started = useRef(false);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  // The outcome of every call, from this hook or the app, is the hook's result or error.
  const settle = useCallback((promise) => promise.then(
    (result) => {
      if (mounted.current && result) setOutcome({ result, error: null });
      return result;
    },
    (error) => {
      if (mounted.current) setOutcome({ result: null, error });
      throw error;
    },
  ), []);

  // Signing in for a named account, the IdP is told whom (unless the request names someone):
  // else it would take whichever session it has, and the page would ask again and again.
  const hint = accountIdentifiers?.username;
  const login = useCallback(
    (type = interactionType, request = authenticationRequest) =>
      settle(interact(instance, "login", type, hint && !request?.loginHint ? { ...request, loginHint: hint } : request)),
    [instance, interactionType, authenticationRequest, hint, settle],
  );

  const acquireToken = useCallback(
    (type = interactionType, request = authenticationRequest) => {
      if (!account) return login(type, request);
      const tokenRequest = { scopes: SIGN_IN_SCOPES, ...request, account };
      return settle(instance.acquireTokenSilent(tokenRequest).catch((error) => {
        if (type === InteractionType.Silent || !(error instanceof InteractionRequiredAuthError)) throw error;
        return interact(instance, "acquireToken", type, { ...tokenRequest, claims: error.claims || tokenRequest.claims });
      }));
    },
    [instance, interactionType, authenticationRequest, account, login, settle],
  );

  useEffect(() => {
    if (started.current || inProgress !== InteractionStatus.None) return;
    started.current = true;
    // Seen in `error`; the app need not catch it here.
    (account ? acquireToken() : login()).catch(() => {});
  }, [inProgress, account, acquireToken, login]);

  return { login, acquireToken, result: outcome.result, error: outcome.error };
}

/**
 * Renders its children once an account (any, or the one the props identify) is signed in,
 * signing in by `interactionType` if none is; meanwhile `loadingComponent`, on failure
 * `errorComponent` (with `error` and `login` among its props). Children may be a function of the
 * context and the hook's outcome.
 */
export function MsalAuthenticationTemplate({
  interactionType, authenticationRequest, loadingComponent, errorComponent, children, homeAccountId, localAccountId, username,
}) {
  const identifiers = useMemo(() => ({ homeAccountId, localAccountId, username }), [homeAccountId, localAccountId, username]);
  const context = useMsal();
  const authentication = useMsalAuthentication(interactionType, authenticationRequest, identifiers);
  const authenticated = useIsAuthenticated(identifiers);
  const props = { ...context, ...authentication };
  if (authentication.error && context.inProgress === InteractionStatus.None) {
    return errorComponent ? createElement(errorComponent, props) : null;
  }
  if (authenticated) return createElement(Fragment, null, typeof children === "function" ? children(props) : children);
  return loadingComponent && context.inProgress !== InteractionStatus.None ? createElement(loadingComponent, context) : null;
}

const MAX_TIMEOUT = 2 ** 31 - 1;

// When to ask again: a little after the token enters the default renewal window (300 s before
// expiry), where acquireTokenSilent renews instead of serving the cache; with a narrower window
// configured, the cache answers a few more times until it renews.
function renewIn(result) {
  return Math.min(Math.max(result.expiresOn.getTime() - Date.now() - 240_000, 30_000), MAX_TIMEOUT);
}

/**
 * A token from acquireTokenSilent for `request` (its account, else the active account, else the
 * first signed-in one), renewed before it expires. Never redirects: on an error, typically
 * InteractionRequiredAuthError, the app decides what to do.
 */
export function useToken(request) {
  const { instance, accounts, inProgress } = useMsal();
  const account = inProgress !== InteractionStatus.None ? null : request.account ?? someAccount(instance, accounts);
  // A request written inline is a new object on every render; what it asks for is the key.
  const key = account
    ? JSON.stringify([account.homeAccountId, [...request.scopes].sort(), request.claims ?? null, request.forceRefresh ?? false])
    : null;
  const [state, setState] = useState({ key: null, ...NO_RESULT });

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

  return state.key === key && key !== null ? { result: state.result, error: state.error } : NO_RESULT;
}
