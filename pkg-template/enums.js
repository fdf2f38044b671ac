// MSAL's constants, names and values, for code written against @azure/msal-browser. Plain JS
// that both entries and kusto-spa-auth/react share.

export const EventType = Object.freeze({
  INITIALIZE_START: "msal:initializeStart",
  INITIALIZE_END: "msal:initializeEnd",
  ACCOUNT_ADDED: "msal:accountAdded",
  ACCOUNT_REMOVED: "msal:accountRemoved",
  ACTIVE_ACCOUNT_CHANGED: "msal:activeAccountChanged",
  LOGIN_START: "msal:loginStart",
  LOGIN_SUCCESS: "msal:loginSuccess",
  LOGIN_FAILURE: "msal:loginFailure",
  ACQUIRE_TOKEN_START: "msal:acquireTokenStart",
  ACQUIRE_TOKEN_SUCCESS: "msal:acquireTokenSuccess",
  ACQUIRE_TOKEN_FAILURE: "msal:acquireTokenFailure",
  ACQUIRE_TOKEN_NETWORK_START: "msal:acquireTokenFromNetworkStart",
  SSO_SILENT_START: "msal:ssoSilentStart",
  SSO_SILENT_SUCCESS: "msal:ssoSilentSuccess",
  SSO_SILENT_FAILURE: "msal:ssoSilentFailure",
  HANDLE_REDIRECT_START: "msal:handleRedirectStart",
  HANDLE_REDIRECT_END: "msal:handleRedirectEnd",
  POPUP_OPENED: "msal:popupOpened",
  LOGOUT_START: "msal:logoutStart",
  LOGOUT_SUCCESS: "msal:logoutSuccess",
  LOGOUT_FAILURE: "msal:logoutFailure",
  LOGOUT_END: "msal:logoutEnd",
  RESTORE_FROM_BFCACHE: "msal:restoreFromBFCache",
});

export const InteractionType = Object.freeze({ Redirect: "redirect", Popup: "popup", Silent: "silent", None: "none" });

export const InteractionStatus = Object.freeze({
  Startup: "startup",
  HandleRedirect: "handleRedirect",
  Login: "login",
  AcquireToken: "acquireToken",
  SsoSilent: "ssoSilent",
  Logout: "logout",
  None: "none",
});

// MSAL's levels in order; Trace logs what Verbose does.
export const LEVEL_NAMES = ["Error", "Warning", "Info", "Verbose", "Trace"];

// Both ways, as a TypeScript numeric enum: LogLevel.Error is 0 and LogLevel[0] is "Error".
export const LogLevel = Object.freeze(Object.fromEntries(LEVEL_NAMES.flatMap((name, level) => [[name, level], [level, name]])));

export const BrowserCacheLocation = Object.freeze({ LocalStorage: "localStorage", SessionStorage: "sessionStorage", MemoryStorage: "memoryStorage" });

export const ProtocolMode = Object.freeze({ AAD: "AAD", OIDC: "OIDC" });

export const PromptValue = Object.freeze({
  LOGIN: "login",
  SELECT_ACCOUNT: "select_account",
  CONSENT: "consent",
  NONE: "none",
  CREATE: "create",
  NO_SESSION: "no_session",
});

// Which answers acquireTokenSilent may use: the cached access token, the refresh token, a hidden frame.
export const CacheLookupPolicy = Object.freeze({ Default: 0, AccessToken: 1, AccessTokenAndRefreshToken: 2, RefreshToken: 3, RefreshTokenAndNetwork: 4, Skip: 5 });

// Wrapper libraries' names for initializeWrapperLibrary.
export const WrapperSKU = Object.freeze({ React: "@azure/msal-react", Angular: "@azure/msal-angular" });

// The scopes every sign-in asks for.
export const OIDC_DEFAULT_SCOPES = Object.freeze(["openid", "profile", "offline_access"]);

export const AzureCloudInstance = Object.freeze({
  None: "none",
  AzurePublic: "https://login.microsoftonline.com",
  AzureChina: "https://login.chinacloudapi.cn",
  AzureGermany: "https://login.microsoftonline.de",
  AzureUsGovernment: "https://login.microsoftonline.us",
});

export const ResponseMode = Object.freeze({ QUERY: "query", FRAGMENT: "fragment", FORM_POST: "form_post" });

export const AuthenticationScheme = Object.freeze({ BEARER: "Bearer", POP: "pop", DPOP: "DPoP", SSH: "ssh-cert" });

// What an instance is doing after each event, given what it was doing, as msal-browser 5 has it:
// [the status, whether only a popup or redirect sets it, the statuses it may end]. The instance
// also sends msal-browser 2–4's names (LOGIN_START, SSO_SILENT_*; see CALLS in application.js)
// for apps on those generations' EventMessageUtils; here, as in 5, they change nothing.
const S = InteractionStatus;
const STATUS_AFTER = {
  [EventType.HANDLE_REDIRECT_START]: [S.HandleRedirect],
  [EventType.LOGOUT_START]: [S.Logout],
  [EventType.ACQUIRE_TOKEN_START]: [S.AcquireToken, true],
  [EventType.LOGOUT_END]: [S.None, false, [S.Logout]],
  [EventType.HANDLE_REDIRECT_END]: [S.None, false, [S.HandleRedirect]],
};
for (const name of ["ACQUIRE_TOKEN_SUCCESS", "ACQUIRE_TOKEN_FAILURE", "RESTORE_FROM_BFCACHE"]) {
  STATUS_AFTER[EventType[name]] = [S.None, true, [S.AcquireToken]];
}

export class EventMessageUtils {
  /** The interaction status after `message`, or null if it leaves `currentStatus` as it is. */
  static getInteractionStatusFromEvent(message, currentStatus) {
    const [status, interactiveOnly, ends] = STATUS_AFTER[message.eventType] ?? [];
    const interactive = message.interactionType === InteractionType.Redirect || message.interactionType === InteractionType.Popup;
    return status && (interactive || !interactiveOnly) && (!ends || !currentStatus || ends.includes(currentStatus)) ? status : null;
  }
}
