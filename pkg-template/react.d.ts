// Types of kusto-spa-auth/react: React bindings shaped like @azure/msal-react, plus useToken.
import type { ComponentType, ReactElement, ReactNode } from "react";

import type {
  AccountInfo,
  AuthError,
  AuthenticationResult,
  InteractionStatus,
  InteractionType,
  PopupRequest,
  PublicClientApplication,
  RedirectRequest,
  SilentRequest,
} from "./index.js";

export { InteractionStatus } from "./index.js";

/** Picks one signed-in account; every identifier given must match (usernames ignoring case). */
export type AccountIdentifiers = Partial<Pick<AccountInfo, "homeAccountId" | "localAccountId" | "username">>;

export interface IMsalContext {
  instance: PublicClientApplication;
  inProgress: InteractionStatus;
  /** The signed-in accounts, kept current by the instance's events; empty until it started. */
  accounts: AccountInfo[];
  /** The active account's homeAccountId. */
  active: string | null;
}

export interface MsalProviderProps {
  /** Create it once, outside any component. */
  instance: PublicClientApplication;
  children?: ReactNode;
}

/**
 * Calls `instance.initialize()` and `handleRedirectPromise()` once, makes a returning sign-in's
 * account the active one, and gives the instance and its accounts to the hooks. A failed redirect
 * is reported by the app's own `handleRedirectPromise()` call (the same promise).
 */
export function MsalProvider(props: MsalProviderProps): ReactElement;

export function useMsal(): IMsalContext;

export interface WithMsalProps {
  msalContext: IMsalContext;
}

/** `Component` with the nearest provider's context as its `msalContext` prop. */
export function withMsal<P extends WithMsalProps>(Component: ComponentType<P>): ComponentType<Omit<P, "msalContext">>;

/** The signed-in account matching the identifiers; without any, the active account. */
export function useAccount(identifiers?: AccountIdentifiers): AccountInfo | null;

/** Whether any account (with identifiers: that account) is signed in. */
export function useIsAuthenticated(identifiers?: AccountIdentifiers): boolean;

export type AuthenticatedTemplateProps = AccountIdentifiers & { children?: ReactNode };
export type UnauthenticatedTemplateProps = AccountIdentifiers & { children?: ReactNode };

export function AuthenticatedTemplate(props: AuthenticatedTemplateProps): ReactElement | null;
/** Renders nothing until the provider has started, so a returning sign-in does not flash it. */
export function UnauthenticatedTemplate(props: UnauthenticatedTemplateProps): ReactElement | null;

/** Both null while the token is on its way, or when no account is signed in. */
export type TokenState =
  | { result: AuthenticationResult; error: null }
  | { result: null; error: AuthError }
  | { result: null; error: null };

/**
 * A token from `acquireTokenSilent(request)`, for `request.account`, else the active account,
 * else the first signed-in one; asked again shortly before it expires and whenever the scopes,
 * account, claims or forceRefresh change. Never redirects: on an error (typically
 * `InteractionRequiredAuthError`) the app decides what to do.
 */
export function useToken(request: SilentRequest): TokenState;

/** What an interactive sign-in or token request takes (scopes optional for a sign-in). */
export type AuthenticationRequest = RedirectRequest | PopupRequest;

export interface MsalAuthenticationResult {
  /** Signs in by `interactionType` (default: the hook's); a redirect leaves the page. */
  login(interactionType?: InteractionType, request?: AuthenticationRequest): Promise<AuthenticationResult | null>;
  /**
   * A token for the account, silently, else by `interactionType` when the silent attempt needs
   * interaction; signs in first when no account is. Defaults: the hook's arguments.
   */
  acquireToken(interactionType?: InteractionType, request?: AuthenticationRequest): Promise<AuthenticationResult | null>;
  /** The outcome of the latest call, the hook's own or the app's through the two above. */
  result: AuthenticationResult | null;
  error: AuthError | null;
}

/**
 * Once the provider is idle: signs in by `interactionType` if no account (or none matching
 * `accountIdentifiers`) is signed in, else gets a token silently, interactively if it must. Once
 * per mount; `login` and `acquireToken` repeat it on demand.
 */
export function useMsalAuthentication(
  interactionType: InteractionType,
  authenticationRequest?: AuthenticationRequest,
  accountIdentifiers?: AccountIdentifiers,
): MsalAuthenticationResult;

export type MsalAuthenticationTemplateProps = AccountIdentifiers & {
  interactionType: InteractionType;
  authenticationRequest?: AuthenticationRequest;
  /** Shown while the instance is busy and no account is signed in yet. */
  loadingComponent?: ComponentType<IMsalContext>;
  /** Shown when signing in or getting the token failed; `login` tries again. */
  errorComponent?: ComponentType<IMsalContext & MsalAuthenticationResult>;
  children?: ReactNode | ((props: IMsalContext & MsalAuthenticationResult) => ReactNode);
};

/** Renders its children once the account is signed in, signing in first if it is not. */
export function MsalAuthenticationTemplate(props: MsalAuthenticationTemplateProps): ReactElement | null;
