// Types of kusto-spa-auth: the @azure/msal-browser-shaped sign-in API and the Kusto client.

export declare const BrowserCacheLocation: { readonly LocalStorage: "localStorage"; readonly SessionStorage: "sessionStorage"; readonly MemoryStorage: "memoryStorage" };
export type CacheLocation = (typeof BrowserCacheLocation)[keyof typeof BrowserCacheLocation];
export type BrowserCacheLocation = CacheLocation;

export declare const ProtocolMode: { readonly AAD: "AAD"; readonly OIDC: "OIDC" };
export type ProtocolMode = (typeof ProtocolMode)[keyof typeof ProtocolMode];

/** MSAL's `LogLevel` numbering, both ways as a TypeScript enum; Trace logs what Verbose does. */
export declare const LogLevel: {
  readonly Error: 0;
  readonly Warning: 1;
  readonly Info: 2;
  readonly Verbose: 3;
  readonly Trace: 4;
  readonly 0: "Error";
  readonly 1: "Warning";
  readonly 2: "Info";
  readonly 3: "Verbose";
  readonly 4: "Trace";
};
export type LogLevel = (typeof LogLevel)["Error" | "Warning" | "Info" | "Verbose" | "Trace"];

export interface Configuration {
  auth: {
    /** The application (client) ID of the app registration. */
    clientId: string;
    /** Default `https://login.microsoftonline.com/common`; any other host is a generic OIDC provider. */
    authority?: string;
    /** Builds the authority (`{azureCloudInstance}/{tenant}`, tenant default "common") instead of `authority`, unless the instance is `AzureCloudInstance.None`. */
    azureCloudOptions?: { azureCloudInstance: AzureCloudInstance; tenant?: string };
    /** The provider's discovery document as JSON text, used instead of a discovery request and checked as its answer (not read for Entra ID, whose endpoints are known). */
    authorityMetadata?: string;
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
    /** Where the IdP puts its response; default "fragment". `OIDCOptions.responseMode` wins. */
    responseMode?: "fragment" | "query";
    OIDCOptions?: {
      /** Where the IdP puts its response; default "fragment". */
      responseMode?: "fragment" | "query";
      /** Added to every request's scopes instead of `OIDC_DEFAULT_SCOPES`; "openid" is always added. */
      defaultScopes?: string[];
    };
  };
  cache?: { cacheLocation?: CacheLocation };
  system?: {
    protocolMode?: ProtocolMode;
    /** Access tokens this close to expiry are renewed instead of served; default 300. */
    tokenRenewalOffsetSeconds?: number;
    /** How long a silent (hidden frame) sign-in may take, in ms; default 10000. */
    iframeBridgeTimeout?: number;
    /** msal-browser 2–4's name for `iframeBridgeTimeout`, which wins when both are set. */
    iframeHashTimeout?: number;
    /** How long a popup may stay open, in ms; default 60000 (a logout popup is then closed). */
    popupBridgeTimeout?: number;
    /** msal-browser 2–4's name for `popupBridgeTimeout`, which wins when both are set. */
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
  /** Only Bearer tokens are issued: any other scheme fails with `unsupported_authentication_scheme`. */
  authenticationScheme?: AuthenticationScheme;
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
  /** Only Bearer tokens are issued: any other scheme fails with `unsupported_authentication_scheme`. */
  authenticationScheme?: AuthenticationScheme;
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

export interface HandleRedirectPromiseOptions {
  navigateToLoginRequestUrl?: boolean;
  /** The response fragment as the app captured it, if a router may have replaced the page's. */
  hash?: string;
}

/** msal-browser 2–4's name. */
export type HandleRedirectOptions = HandleRedirectPromiseOptions;

export interface PopupWindowAttributes {
  popupSize?: { height: number; width: number };
  popupPosition?: { top: number; left: number };
}

/** A popup sign-in takes what a redirect does, except where to return to afterwards. */
export type PopupRequest = Omit<RedirectRequest, "redirectStartPage" | "onRedirectNavigate"> & {
  /** Accepted for msal-browser code; the popup keeps its 483×600 size, centred on the page. */
  popupWindowAttributes?: PopupWindowAttributes;
};

/** Signs in from the identity provider's session with no UI: there is no prompt to choose. */
export type SsoSilentRequest = Omit<PopupRequest, "prompt" | "popupWindowAttributes">;

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
  error: EventError;
  timestamp: number;
  /** The call's correlation id where known: from its result, its error, or the request. */
  correlationId: string | null;
}

export type EventError = AuthError | Error | null;

export type EventCallbackFunction = (message: EventMessage) => void;

/** msal-browser's, and msal-react's inProgress, reading the events of both MSAL generations. */
export declare class EventMessageUtils {
  /** The interaction status after `message`, or null if it leaves `currentStatus` as it is. */
  static getInteractionStatusFromEvent(message: Pick<EventMessage, "eventType" | "interactionType">, currentStatus?: InteractionStatus): InteractionStatus | null;
}

export class PublicClientApplication {
  constructor(configuration: Configuration);
  /** An instance, initialized (msal-browser 3+). */
  static createPublicClientApplication(configuration: Configuration): Promise<PublicClientApplication>;
  initialize(): Promise<void>;
  /** A string is the response `hash`, as msal-browser 2–4 and msal-angular pass it. */
  handleRedirectPromise(options?: HandleRedirectPromiseOptions | string): Promise<AuthenticationResult | null>;
  loginRedirect(request?: RedirectRequest): Promise<void>;
  acquireTokenRedirect(request: RedirectRequest & { scopes: string[] }): Promise<void>;
  acquireTokenSilent(request: SilentRequest): Promise<AuthenticationResult>;
  /** Signs in from the identity provider's session with no UI (hidden frame, prompt=none). */
  ssoSilent(request: SsoSilentRequest): Promise<AuthenticationResult>;
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

/** msal-browser's factory for apps a host (Teams, Outlook) may sign in; no host is spoken to here, so a standard instance, initialized. */
export declare function createNestablePublicClientApplication(configuration: Configuration): Promise<PublicClientApplication>;

/** What msal-browser 5's IPublicClientApplication has of PublicClientApplication. */
export interface IPublicClientApplication
  extends Pick<
    PublicClientApplication,
    | "initialize"
    | "handleRedirectPromise"
    | "loginRedirect"
    | "loginPopup"
    | "acquireTokenRedirect"
    | "acquireTokenPopup"
    | "acquireTokenSilent"
    | "ssoSilent"
    | "logoutRedirect"
    | "logoutPopup"
    | "clearCache"
    | "addEventCallback"
    | "removeEventCallback"
    | "getAllAccounts"
    | "getAccount"
    | "setActiveAccount"
    | "getActiveAccount"
    | "getLogger"
    | "setLogger"
    | "getConfiguration"
    | "initializeWrapperLibrary"
    | "setNavigationClient"
  > {}

/** msal-react's and msal-angular's default before the app gives its instance: calls reject or throw BrowserConfigurationAuthError. */
export declare const stubbedPublicClientApplication: IPublicClientApplication;

/** What apps and wrapper libraries call of msal-browser's BrowserUtils. */
export declare const BrowserUtils: {
  /** Removes a sign-in response from the window's address, leaving no history entry. */
  clearHash(contentWindow: Window): void;
  isInIframe(): boolean;
  isInPopup(): boolean;
  /** This page's address without query and fragment. */
  getCurrentUri(): string;
  /** This page's origin and "/". */
  getHomepage(): string;
  /** A random UUID. */
  createGuid(): string;
  /** Throws BrowserAuthError block_iframe_reload in a frame whose address carries a sign-in response. */
  blockReloadInHiddenIframes(): void;
};

/** Names wrapper libraries pass to initializeWrapperLibrary. */
export declare const WrapperSKU: { readonly React: "@azure/msal-react"; readonly Angular: "@azure/msal-angular" };
export type WrapperSKU = (typeof WrapperSKU)[keyof typeof WrapperSKU];

export declare const OIDC_DEFAULT_SCOPES: readonly ["openid", "profile", "offline_access"];

export declare const AzureCloudInstance: {
  readonly None: "none";
  readonly AzurePublic: "https://login.microsoftonline.com";
  readonly AzureChina: "https://login.chinacloudapi.cn";
  readonly AzureGermany: "https://login.microsoftonline.de";
  readonly AzureUsGovernment: "https://login.microsoftonline.us";
};
export type AzureCloudInstance = (typeof AzureCloudInstance)[keyof typeof AzureCloudInstance];

export declare const ResponseMode: { readonly QUERY: "query"; readonly FRAGMENT: "fragment"; readonly FORM_POST: "form_post" };
export type ResponseMode = (typeof ResponseMode)[keyof typeof ResponseMode];

export declare const AuthenticationScheme: { readonly BEARER: "Bearer"; readonly POP: "pop"; readonly DPOP: "DPoP"; readonly SSH: "ssh-cert" };
export type AuthenticationScheme = (typeof AuthenticationScheme)[keyof typeof AuthenticationScheme];

/** The package's version. */
export declare const version: string;

/** msal-browser 5's constructor parameters and fields. */
export class AuthError extends Error {
  constructor(errorCode?: string, correlationId?: string, errorMessage?: string, subError?: string);
  errorCode: string;
  errorMessage: string;
  subError: string;
  correlationId: string;
}
export class BrowserAuthError extends AuthError {
  /** No message: the code says it. */
  constructor(errorCode: string, correlationId?: string, subError?: string);
}
export class ClientAuthError extends AuthError {}
export class ServerError extends AuthError {}
export class ClientConfigurationError extends AuthError {}
export class BrowserConfigurationAuthError extends AuthError {}
export class InteractionRequiredAuthError extends AuthError {
  constructor(errorCode?: string, correlationId?: string, errorMessage?: string, subError?: string, timestamp?: string, traceId?: string, claims?: string);
  /** A claims challenge to pass to the interactive request, when the server sent one. */
  claims: string;
}

// The codes of each error class, by msal-browser's names: those this library raises, which
// include msal-browser's that apps test for.
export declare const AuthErrorCodes: {
  readonly unexpectedError: "unexpected_error";
  readonly postRequestFailed: "post_request_failed";
};
export declare const BrowserAuthErrorCodes: {
  readonly interactionInProgress: "interaction_in_progress";
  readonly userCancelled: "user_cancelled";
  readonly popupWindowError: "popup_window_error";
  readonly emptyWindowError: "empty_window_error";
  readonly monitorWindowTimeout: "monitor_window_timeout";
  readonly noAccountError: "no_account_error";
  readonly noNetworkConnectivity: "no_network_connectivity";
  readonly cryptoNonExistent: "crypto_nonexistent";
  readonly blockIframeReload: "block_iframe_reload";
  readonly navigationFailed: "navigation_failed";
  readonly noWindow: "no_window";
  readonly noHistory: "no_history";
  readonly cacheWriteFailed: "cache_write_failed";
  readonly requestCancelled: "request_cancelled";
  readonly requestTimeout: "request_timeout";
};
export declare const ClientAuthErrorCodes: {
  readonly tokenParsingError: "token_parsing_error";
  readonly nullOrEmptyToken: "null_or_empty_token";
  readonly stateMismatch: "state_mismatch";
  readonly stateNotFound: "state_not_found";
  readonly nonceMismatch: "nonce_mismatch";
  readonly noStateInHash: "no_state_in_hash";
  readonly tokenRefreshRequired: "token_refresh_required";
  readonly failedToParseResponse: "failed_to_parse_response";
  readonly redirectResponseMalformed: "redirect_response_malformed";
  readonly accountMismatch: "account_mismatch";
  readonly audienceMismatch: "audience_mismatch";
  readonly issuerMismatch: "issuer_mismatch";
  readonly idTokenExpired: "id_token_expired";
  readonly idTokenNotYetValid: "id_token_not_yet_valid";
};
export declare const ClientConfigurationErrorCodes: {
  readonly authorityUriInsecure: "authority_uri_insecure";
  readonly urlParseError: "url_parse_error";
  readonly emptyInputScopesError: "empty_input_scopes_error";
  readonly endpointsResolutionError: "endpoints_resolution_error";
  readonly openIdConfigError: "openid_config_error";
  readonly invalidKnownAuthorities: "invalid_known_authorities";
  readonly invalidRequestParameter: "invalid_request_parameter";
  readonly invalidPromptValue: "invalid_prompt_value";
  readonly invalidTokenSource: "invalid_token_source";
  readonly unsupportedAuthenticationScheme: "unsupported_authentication_scheme";
  readonly invalidAuthorityMetadata: "invalid_authority_metadata";
  readonly invalidResponseMode: "invalid_response_mode";
};
export declare const InteractionRequiredAuthErrorCodes: {
  readonly noTokensFound: "no_tokens_found";
  readonly refreshTokenExpired: "refresh_token_expired";
  readonly interactionRequired: "interaction_required";
  readonly consentRequired: "consent_required";
  readonly loginRequired: "login_required";
  readonly badToken: "bad_token";
};
export declare const BrowserConfigurationAuthErrorCodes: {
  readonly stubbedPublicClientApplicationCalled: "stubbed_public_client_application_called";
};

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
  /** The largest answer read, in bytes; past it a call fails with `response_too_large`. Default 64 MiB. */
  maxResponseBytes?: number;
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

/**
 * The Kusto client lives in a module of its own, loaded the first time an app uses one (an app
 * that only signs in never downloads it). If it cannot load, each call rejects with a
 * `BrowserAuthError` `kusto_module_load_failed`, and a later call tries again.
 */
export class KustoClient {
  /**
   * `cluster`: a cluster URL (`https://help.kusto.windows.net[/Samples]`) or a Kusto connection
   * string. Checked once the Kusto module has loaded: a mistake rejects every call.
   */
  constructor(cluster: string, options?: KustoClientOptions);
  /** Loads the Kusto module now (when the page is idle, say), so that the first query need not wait for it. */
  static preload(): Promise<void>;
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
