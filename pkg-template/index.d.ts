// Types of kusto-spa-auth: the @azure/msal-browser-shaped sign-in API and the Kusto client.

export declare const BrowserCacheLocation: { readonly LocalStorage: "localStorage"; readonly SessionStorage: "sessionStorage"; readonly MemoryStorage: "memoryStorage" };
export type CacheLocation = (typeof BrowserCacheLocation)[keyof typeof BrowserCacheLocation];
export type BrowserCacheLocation = CacheLocation;

export declare const ProtocolMode: { readonly AAD: "AAD"; readonly OIDC: "OIDC" };
export type ProtocolMode = (typeof ProtocolMode)[keyof typeof ProtocolMode];

/** MSAL's `LogLevel` numbering; Trace logs what Verbose does. */
export declare const LogLevel: { readonly Error: 0; readonly Warning: 1; readonly Info: 2; readonly Verbose: 3; readonly Trace: 4 };
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

export interface Configuration {
  auth: {
    /** The application (client) ID of the app registration. */
    clientId: string;
    /** Default `https://login.microsoftonline.com/common`; any other host is a generic OIDC provider. */
    authority?: string;
    /** Default: the current page without query and fragment. */
    redirectUri?: string;
    /** Where the IdP sends the browser after logout. Default: `redirectUri`; null: nowhere. */
    postLogoutRedirectUri?: string | null;
    /** Called with the IdP URL before a redirect leaves the page; returning false keeps the page
     * (msal-browser 5 position; a request's own comes first). */
    onRedirectNavigate?: OnRedirectNavigate;
    /** `host` or `host:port` entries. */
    knownAuthorities?: string[];
    /** msal-browser 2–4 position; msal-browser 5 reads `system.protocolMode`. */
    protocolMode?: ProtocolMode;
    /** msal-browser 2–4 position; default true. */
    navigateToLoginRequestUrl?: boolean;
    /** Where the IdP puts its response; default "fragment". */
    responseMode?: "fragment" | "query";
  };
  cache?: { cacheLocation?: CacheLocation };
  system?: {
    protocolMode?: ProtocolMode;
    /** Access tokens this close to expiry are renewed instead of served; default 300. */
    tokenRenewalOffsetSeconds?: number;
    /** How long a silent (hidden frame) sign-in may take, in ms; default 10000. */
    iframeHashTimeout?: number;
    /** How long a popup may stay open, in ms; default 60000 (a logout popup is then closed). */
    windowHashTimeout?: number;
    loggerOptions?: LoggerOptions;
    /** Read by msal-angular's guard; default false. */
    allowRedirectInIframe?: boolean;
  };
}

export interface LoggerOptions {
  loggerCallback?: (level: LogLevel, message: string, containsPii: boolean) => void;
  /** Default Info. */
  logLevel?: LogLevel;
  piiLoggingEnabled?: boolean;
  correlationId?: string;
}

/** MSAL's Logger: `loggerCallback` behind the level and PII settings; messages are prefixed `[package@version]`. */
export declare class Logger {
  constructor(loggerOptions?: LoggerOptions, packageName?: string, packageVersion?: string);
  clone(packageName: string, packageVersion: string, correlationId?: string): Logger;
  isPiiLoggingEnabled(): boolean;
  executeCallback(level: LogLevel, message: string, containsPii: boolean): void;
  error(message: string, correlationId?: string): void;
  errorPii(message: string, correlationId?: string): void;
  warning(message: string, correlationId?: string): void;
  warningPii(message: string, correlationId?: string): void;
  info(message: string, correlationId?: string): void;
  infoPii(message: string, correlationId?: string): void;
  verbose(message: string, correlationId?: string): void;
  verbosePii(message: string, correlationId?: string): void;
  trace(message: string, correlationId?: string): void;
  tracePii(message: string, correlationId?: string): void;
}

/** What getLogger gives and setLogger takes: this package's Logger, or one with the same methods (msal-browser's). */
export type ILogger = Pick<Logger, "error" | "errorPii" | "warning" | "warningPii" | "info" | "infoPii" | "verbose" | "verbosePii" | "trace" | "tracePii" | "clone">;

export type IdTokenClaims = { [claim: string]: unknown } & {
  aud?: string | string[];
  iss?: string;
  iat?: number;
  exp?: number;
  nbf?: number;
  sub?: string;
  oid?: string;
  tid?: string;
  name?: string;
  preferred_username?: string;
  login_hint?: string;
  sid?: string;
  nonce?: string;
};

export interface AccountInfo {
  homeAccountId: string;
  environment: string;
  tenantId: string;
  username: string;
  localAccountId: string;
  name?: string;
  idTokenClaims?: IdTokenClaims;
}

export interface AccountFilter {
  homeAccountId?: string;
  localAccountId?: string;
  environment?: string;
  tenantId?: string;
  username?: string;
  loginHint?: string;
  sid?: string;
}

export interface AuthenticationResult {
  authority: string;
  uniqueId: string;
  tenantId: string;
  scopes: string[];
  account: AccountInfo;
  idToken: string;
  idTokenClaims: IdTokenClaims;
  accessToken: string;
  fromCache: boolean;
  expiresOn: Date;
  /** When a silent renewal stops being possible; null when the provider did not say. */
  refreshTokenExpiresOn: Date | null;
  tokenType: string;
  correlationId: string;
  state: string;
}

/** Returns false to keep the page: the app navigates by itself, or not at all. */
export type OnRedirectNavigate = (url: string) => boolean | void;

export declare const PromptValue: {
  readonly LOGIN: "login";
  readonly SELECT_ACCOUNT: "select_account";
  readonly CONSENT: "consent";
  readonly NONE: "none";
  readonly CREATE: "create";
  readonly NO_SESSION: "no_session";
};
export type Prompt = (typeof PromptValue)[keyof typeof PromptValue];

export interface RedirectRequest {
  scopes?: string[];
  account?: AccountInfo;
  state?: string;
  prompt?: Prompt;
  loginHint?: string;
  domainHint?: string;
  sid?: string;
  claims?: string;
  extraQueryParameters?: { [name: string]: string };
  redirectUri?: string;
  redirectStartPage?: string;
  correlationId?: string;
  /** msal-browser 2–4 position; see `Configuration.auth.onRedirectNavigate`. */
  onRedirectNavigate?: OnRedirectNavigate;
}

/** Which answers acquireTokenSilent may use: the cached access token, the refresh token, a hidden frame. */
export declare const CacheLookupPolicy: {
  readonly Default: 0;
  readonly AccessToken: 1;
  readonly AccessTokenAndRefreshToken: 2;
  readonly RefreshToken: 3;
  readonly RefreshTokenAndNetwork: 4;
  readonly Skip: 5;
};
export type CacheLookupPolicy = (typeof CacheLookupPolicy)[keyof typeof CacheLookupPolicy];

export interface SilentRequest {
  scopes: string[];
  account?: AccountInfo;
  forceRefresh?: boolean;
  claims?: string;
  correlationId?: string;
  /** Default: the cached token, then the refresh token, then a hidden frame. */
  cacheLookupPolicy?: CacheLookupPolicy;
}

/** Without an account, every account of the app is signed out. */
export interface EndSessionRequest {
  account?: AccountInfo | null;
  /** Default: the configuration's; null: the IdP keeps the browser. */
  postLogoutRedirectUri?: string | null;
  correlationId?: string;
  onRedirectNavigate?: OnRedirectNavigate;
}

export interface EndSessionPopupRequest extends Omit<EndSessionRequest, "onRedirectNavigate"> {
  /** Where this page goes once the popup closed. */
  mainWindowRedirectUri?: string;
}

export interface ClearCacheRequest {
  account?: AccountInfo | null;
  correlationId?: string;
}

export interface HandleRedirectOptions {
  navigateToLoginRequestUrl?: boolean;
  /** The response fragment as the app captured it, if a router may have replaced the page's. */
  hash?: string;
}

/** A popup sign-in takes what a redirect does, except where to return to afterwards. */
export type PopupRequest = Omit<RedirectRequest, "redirectStartPage" | "onRedirectNavigate">;

export declare const EventType: {
  readonly INITIALIZE_START: "msal:initializeStart";
  readonly INITIALIZE_END: "msal:initializeEnd";
  readonly ACCOUNT_ADDED: "msal:accountAdded";
  readonly ACCOUNT_REMOVED: "msal:accountRemoved";
  readonly ACTIVE_ACCOUNT_CHANGED: "msal:activeAccountChanged";
  readonly LOGIN_START: "msal:loginStart";
  readonly LOGIN_SUCCESS: "msal:loginSuccess";
  readonly LOGIN_FAILURE: "msal:loginFailure";
  readonly ACQUIRE_TOKEN_START: "msal:acquireTokenStart";
  readonly ACQUIRE_TOKEN_SUCCESS: "msal:acquireTokenSuccess";
  readonly ACQUIRE_TOKEN_FAILURE: "msal:acquireTokenFailure";
  readonly ACQUIRE_TOKEN_NETWORK_START: "msal:acquireTokenFromNetworkStart";
  readonly SSO_SILENT_START: "msal:ssoSilentStart";
  readonly SSO_SILENT_SUCCESS: "msal:ssoSilentSuccess";
  readonly SSO_SILENT_FAILURE: "msal:ssoSilentFailure";
  readonly HANDLE_REDIRECT_START: "msal:handleRedirectStart";
  readonly HANDLE_REDIRECT_END: "msal:handleRedirectEnd";
  readonly POPUP_OPENED: "msal:popupOpened";
  readonly LOGOUT_START: "msal:logoutStart";
  readonly LOGOUT_SUCCESS: "msal:logoutSuccess";
  readonly LOGOUT_FAILURE: "msal:logoutFailure";
  readonly LOGOUT_END: "msal:logoutEnd";
  readonly RESTORE_FROM_BFCACHE: "msal:restoreFromBFCache";
};
export type EventType = (typeof EventType)[keyof typeof EventType];

export declare const InteractionType: { readonly Redirect: "redirect"; readonly Popup: "popup"; readonly Silent: "silent"; readonly None: "none" };
export type InteractionType = (typeof InteractionType)[keyof typeof InteractionType];

/** What an instance is doing: `inProgress` of kusto-spa-auth/react's useMsal(). */
export declare const InteractionStatus: {
  readonly Startup: "startup";
  readonly HandleRedirect: "handleRedirect";
  readonly Login: "login";
  readonly AcquireToken: "acquireToken";
  readonly SsoSilent: "ssoSilent";
  readonly Logout: "logout";
  readonly None: "none";
};
export type InteractionStatus = (typeof InteractionStatus)[keyof typeof InteractionStatus];

/** LOGIN_SUCCESS's payload: the result (msal-browser 2–4) and its account's fields (msal-browser 5). */
export type SignInPayload = AuthenticationResult & AccountInfo;

export type EventPayload = RedirectRequest | PopupRequest | SilentRequest | EndSessionRequest | EndSessionPopupRequest | AuthenticationResult | SignInPayload | AccountInfo | { popupWindow: Window } | null;

export interface EventMessage {
  eventType: EventType;
  interactionType: InteractionType | null;
  /**
   * The request for *_START events and ACQUIRE_TOKEN_NETWORK_START, the result for *_SUCCESS
   * (LOGIN_SUCCESS: a SignInPayload), the account for ACCOUNT_ADDED/REMOVED, `{ popupWindow }`
   * for POPUP_OPENED.
   */
  payload: EventPayload;
  error: AuthError | Error | null;
  timestamp: number;
  /** The call's correlation id where known: from its result, its error, or the request. */
  correlationId: string | null;
}

export type EventCallbackFunction = (message: EventMessage) => void;

export class PublicClientApplication {
  constructor(configuration: Configuration);
  /** An instance, initialized (msal-browser 3+). */
  static createPublicClientApplication(configuration: Configuration): Promise<PublicClientApplication>;
  initialize(): Promise<void>;
  /** A string is the response `hash`, as msal-browser 2–4 and msal-angular pass it. */
  handleRedirectPromise(options?: HandleRedirectOptions | string): Promise<AuthenticationResult | null>;
  loginRedirect(request?: RedirectRequest): Promise<void>;
  acquireTokenRedirect(request: RedirectRequest & { scopes: string[] }): Promise<void>;
  acquireTokenSilent(request: SilentRequest): Promise<AuthenticationResult>;
  /** Signs in from the identity provider's session with no UI (hidden frame, prompt=none). */
  ssoSilent(request: Omit<RedirectRequest, "prompt">): Promise<AuthenticationResult>;
  logoutRedirect(request?: EndSessionRequest): Promise<void>;
  /** Call directly in a click handler. Resolves once the popup is back on this origin and closed. */
  logoutPopup(request?: EndSessionPopupRequest): Promise<void>;
  /** Signs out of this app's cache only; the IdP session stays. */
  clearCache(request?: ClearCacheRequest): Promise<void>;
  /** Call directly in a click handler: the popup opens before anything is awaited. */
  loginPopup(request?: PopupRequest): Promise<AuthenticationResult>;
  acquireTokenPopup(request: PopupRequest & { scopes: string[] }): Promise<AuthenticationResult>;
  /** Returns an id for removeEventCallback. Other tabs' sign-ins and sign-outs arrive as ACCOUNT_ADDED/REMOVED. */
  addEventCallback(callback: EventCallbackFunction, eventTypes?: EventType[]): string;
  /** Other tabs' sign-ins, sign-outs and active-account changes as events: on by default. */
  enableAccountStorageEvents(): void;
  disableAccountStorageEvents(): void;
  removeEventCallback(callbackId: string): void;
  /** Navigation by the app (a router) instead of `location`; null to go back to `location`. */
  setNavigationClient(navigationClient: INavigationClient | null): void;
  getAllAccounts(filter?: AccountFilter): AccountInfo[];
  getAccount(filter: AccountFilter): AccountInfo | null;
  getAccountByHomeId(homeAccountId: string): AccountInfo | null;
  getAccountByLocalId(localAccountId: string): AccountInfo | null;
  getAccountByUsername(username: string): AccountInfo | null;
  setActiveAccount(account: AccountInfo | null): void;
  getActiveAccount(): AccountInfo | null;
  /** The instance's logger, from `system.loggerOptions`; the library logs through it. */
  getLogger(): ILogger;
  /** The library logs through `logger` from now on. */
  setLogger(logger: ILogger): void;
  /** The configuration, with the defaults of what the library reads. */
  getConfiguration(): Configuration;
  /** Called by wrapper libraries (msal-react, msal-angular) for telemetry; it changes nothing here. */
  initializeWrapperLibrary(sku: string, version: string): void;
}

export interface NavigationOptions {
  /** True for the return to the page where sign-in started: replace the history entry. */
  noHistory: boolean;
}

/**
 * How the library navigates: `navigateExternal` to the identity provider, `navigateInternal` back
 * to the page where sign-in started. Resolve false when the app routed in place without leaving
 * the page: the sign-in result is then given on this page load.
 */
export interface INavigationClient {
  navigateInternal(url: string, options: NavigationOptions): Promise<boolean>;
  navigateExternal(url: string, options: NavigationOptions): Promise<boolean>;
}

/** The default: `location.assign`, or `location.replace` with `noHistory`. */
export declare class NavigationClient implements INavigationClient {
  navigateInternal(url: string, options: NavigationOptions): Promise<boolean>;
  navigateExternal(url: string, options: NavigationOptions): Promise<boolean>;
}

/** msal-browser 3+'s factory for a single-page app: an instance, initialized. */
export declare function createStandardPublicClientApplication(configuration: Configuration): Promise<PublicClientApplication>;

export class AuthError extends Error {
  constructor(errorCode?: string, errorMessage?: string, subError?: string, correlationId?: string);
  errorCode: string;
  errorMessage: string;
  subError: string;
  correlationId: string;
}
export class BrowserAuthError extends AuthError {}
export class ServerError extends AuthError {}
export class ClientConfigurationError extends AuthError {}
export class InteractionRequiredAuthError extends AuthError {
  /** A claims challenge to pass to the interactive request, when the server sent one. */
  claims: string;
}
export class KustoServiceError extends AuthError {
  /** The service's own code, e.g. "General_BadRequest" or "LimitsExceeded". */
  code: string;
  /** true: retrying the same request fails again; null: the service did not say. */
  permanent: boolean | null;
  clientRequestId: string;
  /** null for errors reported inside a 200 response. */
  httpStatus: number | null;
  claims: string | null;
}

/** Something that gives tokens: ours, or an @azure/msal-browser instance. */
export interface TokenApplication {
  acquireTokenSilent(request: SilentRequest): Promise<{ accessToken: string }>;
  getActiveAccount(): AccountInfo | null;
  getAllAccounts(): AccountInfo[];
}

export interface KustoClientOptions {
  pca?: TokenApplication;
  account?: AccountInfo;
  tokenProvider?: (scopes: string[], options: { forceRefresh: boolean; claims?: string }) => Promise<string> | string;
  /** Hosts (exact, or a suffix starting with ".") trusted besides the official list. */
  trustedHosts?: string[];
  /** Trust only `trustedHosts` (and localhost). */
  replaceTrustedHosts?: boolean;
  /** The login endpoint whose trusted Kusto hosts apply; default https://login.microsoftonline.com. */
  loginEndpoint?: string;
  /** "cluster" (default): a token for this cluster only; "metadata": what the cluster's auth metadata names. */
  resource?: "cluster" | "metadata";
  appName?: string;
  userName?: string;
  timeoutMs?: number;
}

export interface QueryOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Client request properties, e.g. `{ Options: { servertimeout: "00:10:00" } }`. */
  properties?: { [name: string]: unknown };
  clientRequestId?: string;
}

export type KustoTableKind =
  | "PrimaryResult"
  | "QueryCompletionInformation"
  | "QueryTraceLog"
  | "QueryPerfLog"
  | "TableOfContents"
  | "QueryProperties"
  | "QueryPlan"
  | "Unknown";

/**
 * A cell: `long` is a number within ±(2^53−1) and a string of the exact digits beyond;
 * `decimal` a string; `real` a number (NaN/Infinity as strings); `datetime`, `timespan`,
 * `guid`, `string` strings; `bool` a boolean; `dynamic` any JSON value; null for every type.
 */
export type KustoValue = string | number | boolean | null | KustoValue[] | { [key: string]: KustoValue };

export interface KustoTable {
  name: string;
  kind: KustoTableKind;
  columns: { name: string; type: string }[];
  rows: KustoValue[][];
}

export interface KustoResponse {
  clientRequestId: string;
  primaryResults: KustoTable[];
  tables: KustoTable[];
  tablesByKind: Partial<Record<KustoTableKind, KustoTable[]>>;
  completion: { hasErrors: boolean; cancelled: boolean } | null;
}

export interface KustoAuthMetadata {
  kustoServiceResourceId: string;
  loginEndpoint: string;
  loginMfaRequired: boolean;
  scope: string;
}

export class KustoClient {
  /** `cluster`: a cluster URL (`https://help.kusto.windows.net[/Samples]`) or a Kusto connection string. */
  constructor(cluster: string, options?: KustoClientOptions);
  readonly cluster: string;
  readonly database: string | undefined;
  query(database: string | null | undefined, query: string, options?: QueryOptions): Promise<KustoResponse>;
  execute(database: string | null | undefined, command: string, options?: QueryOptions): Promise<KustoResponse>;
  authMetadata(): Promise<KustoAuthMetadata>;
  scopes(): Promise<string[]>;
}

export interface KustoPrincipal {
  kind: "aaduser" | "aadgroup" | "aadapp" | "msauser";
  identity: string;
  tenant?: string;
  descriptor: string;
}

/** `aaduser=<oid>;<tid>`, or `msauser=<e-mail>` for a personal Microsoft account. */
export function principalDescriptor(account: AccountInfo): string;
export function parsePrincipal(descriptor: string): KustoPrincipal;
