// The public names of kusto-spa-auth, shared by both module entries (index.js, web.js), which
// differ only in how they instantiate the wasm (and so each adds its own KustoClient).
export {
  PublicClientApplication,
  NavigationClient,
  createStandardPublicClientApplication,
  createNestablePublicClientApplication,
  stubbedPublicClientApplication,
  BrowserUtils,
} from "./application.js";
export { Logger } from "./logger.js";
export {
  EventType,
  EventMessageUtils,
  InteractionType,
  InteractionStatus,
  LogLevel,
  BrowserCacheLocation,
  ProtocolMode,
  PromptValue,
  CacheLookupPolicy,
  WrapperSKU,
  OIDC_DEFAULT_SCOPES,
  AzureCloudInstance,
  ResponseMode,
  AuthenticationScheme,
} from "./enums.js";
export { principalDescriptor, parsePrincipal } from "./principal.js";
export {
  AuthError,
  AuthErrorCodes,
  BrowserAuthError,
  BrowserAuthErrorCodes,
  BrowserConfigurationAuthError,
  BrowserConfigurationAuthErrorCodes,
  ClientAuthError,
  ClientAuthErrorCodes,
  ClientConfigurationError,
  ClientConfigurationErrorCodes,
  ServerError,
  InteractionRequiredAuthError,
  InteractionRequiredAuthErrorCodes,
  KustoServiceError,
} from "./errors.js";

// The package's version (tools/build-pkg.mjs writes it in).
export const version = "unbuilt";
