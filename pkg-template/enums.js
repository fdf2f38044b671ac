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

// Trace logs what Verbose does.
export const LogLevel = Object.freeze({ Error: 0, Warning: 1, Info: 2, Verbose: 3, Trace: 4 });

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
