// Exercises the whole public API with `strict` on; must compile. The `@ts-expect-error` lines
// must NOT compile: if the types were `any`, tsc would report the directives as unused.
import {
  AuthError,
  BrowserAuthError,
  BrowserCacheLocation,
  CacheLookupPolicy,
  ClientConfigurationError,
  createStandardPublicClientApplication,
  EventType,
  InteractionRequiredAuthError,
  InteractionStatus,
  InteractionType,
  KustoClient,
  KustoServiceError,
  Logger,
  NavigationClient,
  LogLevel,
  parsePrincipal,
  principalDescriptor,
  PromptValue,
  ProtocolMode,
  PublicClientApplication,
  ServerError,
  type AccountInfo,
  type NavigationOptions,
  type AuthenticationResult,
  type EventMessage,
  type KustoResponse,
} from "kusto-spa-auth";

const pca = new PublicClientApplication({
  auth: { clientId: "app", authority: "https://login.microsoftonline.com/organizations", redirectUri: "http://localhost:3000/", knownAuthorities: ["login.contoso.com"], onRedirectNavigate: (url) => void url },
  cache: { cacheLocation: "localStorage" },
  system: { protocolMode: "AAD", tokenRenewalOffsetSeconds: 300, iframeHashTimeout: 6000, windowHashTimeout: 60_000, loggerOptions: { logLevel: 2, loggerCallback: (level, message, pii) => console.log(level, message, pii) } },
});
const scopes = ["https://help.kusto.windows.net/.default"];

// An @azure/msal-browser configuration written with its constants.
const fromMsal = new PublicClientApplication({
  auth: { clientId: "app", authority: "https://login.contoso.com/", knownAuthorities: ["login.contoso.com"] },
  cache: { cacheLocation: BrowserCacheLocation.LocalStorage },
  system: {
    protocolMode: ProtocolMode.OIDC,
    loggerOptions: { logLevel: LogLevel.Trace, loggerCallback: (level: LogLevel, message: string) => void (level === LogLevel.Error && console.error(message)) },
  },
});
void fromMsal.loginRedirect({ scopes, prompt: PromptValue.SELECT_ACCOUNT });
// msal-browser 5's configuration names.
const fromMsal5 = new PublicClientApplication({
  auth: {
    clientId: "app",
    azureCloudOptions: { azureCloudInstance: AzureCloudInstance.AzureUsGovernment, tenant: "contoso.onmicrosoft.us" },
    authorityMetadata: "{}",
    OIDCOptions: { responseMode: ResponseMode.QUERY, defaultScopes: ["openid", "email"] },
  },
  system: { popupBridgeTimeout: 30_000, iframeBridgeTimeout: 6000 },
});
void fromMsal5.acquireTokenSilent({ scopes, authenticationScheme: AuthenticationScheme.BEARER });
void fromMsal.acquireTokenSilent({ scopes, cacheLookupPolicy: CacheLookupPolicy.AccessTokenAndRefreshToken });
const idle: boolean = (InteractionStatus.None as InteractionStatus) === "none";
console.log(idle);

// msal-browser 3+'s factories give an instance already initialized.
async function created(): Promise<void> {
  const standard: PublicClientApplication = await createStandardPublicClientApplication({ auth: { clientId: "app" } });
  const viaClass: PublicClientApplication = await PublicClientApplication.createPublicClientApplication({ auth: { clientId: "app" } });
  console.log(standard.getAllAccounts(), viaClass.getActiveAccount());
}
void created();

const callbackId: string = pca.addEventCallback((message: EventMessage) => {
  if (message.eventType === EventType.LOGIN_SUCCESS && message.interactionType === InteractionType.Popup && message.payload && "account" in message.payload) {
    console.log(message.payload.account, message.timestamp);
  }
  if (message.error) console.log(message.error.message);
}, [EventType.LOGIN_SUCCESS, EventType.ACCOUNT_REMOVED]);
pca.enableAccountStorageEvents();

// A router's navigation, as in msal-react's samples.
class RouterNavigation extends NavigationClient {
  constructor(private readonly go: (path: string, replace: boolean) => void) {
    super();
  }
  async navigateInternal(url: string, options: NavigationOptions): Promise<boolean> {
    this.go(url.replace(location.origin, ""), options.noHistory);
    return false;
  }
}
pca.setNavigationClient(new RouterNavigation((path, replace) => console.log(path, replace)));
pca.setNavigationClient(null);

// What wrapper libraries (msal-angular's MsalService) call.
pca.initializeWrapperLibrary("@azure/msal-angular", "6.2.1");
const angularLogger: Logger = pca.getLogger().clone("@azure/msal-angular", "6.2.1");
angularLogger.verbose("guard activated");
angularLogger.infoPii("user", "correlation");
pca.setLogger(new Logger({ logLevel: LogLevel.Verbose, piiLoggingEnabled: false, loggerCallback: (level, message) => console.log(level, message) }, "app", "1.0.0"));
const inIframe: boolean | undefined = pca.getConfiguration().system?.allowRedirectInIframe;
console.log(inIframe, pca.getConfiguration().auth.clientId);
void pca.handleRedirectPromise("#code=captured-by-the-router");
void pca.handleRedirectPromise({ hash: "#code=captured" });

async function onSignInClick(): Promise<void> {
  const popup: AuthenticationResult = await pca.loginPopup({ scopes, prompt: "select_account" });
  const again: AuthenticationResult = await pca.acquireTokenPopup({ scopes, account: popup.account });
  console.log(again.accessToken);
  pca.removeEventCallback(callbackId);
}

async function main(): Promise<void> {
  await pca.initialize();
  await onSignInClick();
  const result: AuthenticationResult | null = await pca.handleRedirectPromise({ navigateToLoginRequestUrl: false });
  if (result) {
    pca.setActiveAccount(result.account);
    const expires: Date = result.expiresOn;
    const renewBy: Date | null = result.refreshTokenExpiresOn;
    console.log(expires.getTime(), renewBy, result.idTokenClaims.oid, result.fromCache);
  }
  const sso: AuthenticationResult = await pca.ssoSilent({ scopes, loginHint: "ada@contoso.com" });
  console.log(sso.account.username);
  const account: AccountInfo | null = pca.getActiveAccount() ?? pca.getAccount({ username: "ada@contoso.com" }) ?? pca.getAccountByHomeId("h");
  const all: AccountInfo[] = pca.getAllAccounts({ tenantId: "t" });
  if (!account) {
    await pca.loginRedirect({ scopes, prompt: "select_account", state: "s", extraQueryParameters: { mkt: "de-DE" } });
    return;
  }
  try {
    const token = await pca.acquireTokenSilent({ scopes, account, forceRefresh: false });
    console.log(token.accessToken.length, all.length);
  } catch (e) {
    if (e instanceof InteractionRequiredAuthError) await pca.acquireTokenRedirect({ scopes, account, claims: e.claims });
    else if (e instanceof BrowserAuthError || e instanceof ServerError || e instanceof ClientConfigurationError) console.log(e.errorCode, e.correlationId);
    else if (e instanceof AuthError) console.log(e.subError);
  }

  const kusto = new KustoClient("https://help.kusto.windows.net/Samples", { pca, appName: "app", trustedHosts: [".contoso.com"], resource: "cluster" });
  await KustoClient.preload();
  const response: KustoResponse = await kusto.query(null, "StormEvents | count", { signal: new AbortController().signal, timeoutMs: 30_000 });
  const cell = response.primaryResults[0]?.rows[0]?.[0];
  console.log(cell, response.tablesByKind.QueryCompletionInformation?.length, response.completion?.hasErrors);
  const withProvider = new KustoClient("Data Source=https://help.kusto.windows.net;Initial Catalog=Samples", { tokenProvider: async (s) => s.join(" ") });
  console.log((await withProvider.authMetadata()).scope, await withProvider.scopes());
  try {
    await kusto.execute(null, ".show version");
  } catch (e) {
    if (e instanceof KustoServiceError) console.log(e.code, e.permanent, e.httpStatus, e.clientRequestId);
  }
  console.log(principalDescriptor(account), parsePrincipal("aaduser=ada@contoso.com").kind);
  await pca.logoutRedirect({ account, postLogoutRedirectUri: "http://localhost:3000/" });
  await pca.logoutRedirect({ postLogoutRedirectUri: null, onRedirectNavigate: (url: string) => url.startsWith("https://") });
  await pca.logoutPopup({ account, mainWindowRedirectUri: "/signed-out" });
  await pca.clearCache({ account });
  await pca.loginRedirect({ scopes, onRedirectNavigate: () => false });
  // @ts-expect-error: a popup has no onRedirectNavigate
  await pca.loginPopup({ scopes, onRedirectNavigate: () => false });

  // @ts-expect-error: cacheLocation is one of three names
  new PublicClientApplication({ auth: { clientId: "app" }, cache: { cacheLocation: "cookies" } });
  // @ts-expect-error: scopes are required for a silent request
  await pca.acquireTokenSilent({ account });
  // @ts-expect-error: expiresOn is a Date
  const notString: string = (await pca.acquireTokenSilent({ scopes })).expiresOn;
  // @ts-expect-error: the cluster is a string
  new KustoClient(42);
  console.log(notString);
}

void main();

// What msal-browser code imports besides the calls.
import {
  AuthErrorCodes,
  AuthenticationScheme,
  AzureCloudInstance,
  BrowserAuthErrorCodes,
  BrowserConfigurationAuthError,
  BrowserConfigurationAuthErrorCodes,
  BrowserUtils,
  ClientAuthError,
  ClientAuthErrorCodes,
  ClientConfigurationErrorCodes,
  createNestablePublicClientApplication,
  EventMessageUtils,
  InteractionRequiredAuthErrorCodes,
  OIDC_DEFAULT_SCOPES,
  ResponseMode,
  stubbedPublicClientApplication,
  version,
  WrapperSKU,
  type EventError,
  type HandleRedirectPromiseOptions,
  type IPublicClientApplication,
  type PopupWindowAttributes,
  type SsoSilentRequest,
} from "kusto-spa-auth";

async function msalNames(error: unknown): Promise<void> {
  const nested: IPublicClientApplication = await createNestablePublicClientApplication({ auth: { clientId: "app" } });
  const instance: IPublicClientApplication = Math.random() > 0.5 ? nested : stubbedPublicClientApplication;
  const options: HandleRedirectPromiseOptions = { navigateToLoginRequestUrl: false };
  await instance.handleRedirectPromise(options);
  const sso: SsoSilentRequest = { scopes, loginHint: "ada@contoso.com" };
  await pca.ssoSilent(sso);
  const popupWindowAttributes: PopupWindowAttributes = { popupSize: { height: 600, width: 500 } };
  await pca.loginPopup({ scopes, popupWindowAttributes });
  if (error instanceof AuthError && error.errorCode === BrowserAuthErrorCodes.interactionInProgress) return;
  if (error instanceof InteractionRequiredAuthError && error.errorCode === InteractionRequiredAuthErrorCodes.noTokensFound) return;
  const codes: string[] = [AuthErrorCodes.postRequestFailed, ClientAuthErrorCodes.stateMismatch, ClientConfigurationErrorCodes.urlParseError, BrowserConfigurationAuthErrorCodes.stubbedPublicClientApplicationCalled];
  const made: AuthError[] = [new BrowserAuthError("user_cancelled", "corr"), new ClientAuthError("state_mismatch", "corr", "m"), new BrowserConfigurationAuthError("c", "corr"), new InteractionRequiredAuthError("login_required", "corr", "m", "sub", "", "", "claims")];
  const eventError: EventError = made[0] ?? null;
  const status: InteractionStatus | null = EventMessageUtils.getInteractionStatusFromEvent({ eventType: EventType.LOGIN_START, interactionType: InteractionType.Popup }, InteractionStatus.None);
  const name: "Error" = LogLevel[0];
  const level: LogLevel = LogLevel.Trace;
  BrowserUtils.blockReloadInHiddenIframes();
  BrowserUtils.clearHash(window);
  const where: string[] = [BrowserUtils.getCurrentUri(), BrowserUtils.getHomepage(), version, WrapperSKU.React, AzureCloudInstance.AzurePublic, ResponseMode.FRAGMENT, AuthenticationScheme.BEARER, ...OIDC_DEFAULT_SCOPES];
  console.log(codes, eventError, status, name, level, where, BrowserUtils.isInIframe() || BrowserUtils.isInPopup());
}
void msalNames(null);
