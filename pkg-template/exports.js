// The public names of kusto-spa-auth, shared by both module entries (index.js, web.js), which
// differ only in how they instantiate the wasm.
export { PublicClientApplication, NavigationClient, createStandardPublicClientApplication } from "./application.js";
export { Logger } from "./logger.js";
export { EventType, InteractionType, InteractionStatus, LogLevel, BrowserCacheLocation, ProtocolMode, PromptValue, CacheLookupPolicy } from "./enums.js";
export { KustoClient, principalDescriptor, parsePrincipal } from "./kusto_spa_auth.js";
export {
  AuthError,
  BrowserAuthError,
  ServerError,
  InteractionRequiredAuthError,
  ClientConfigurationError,
  KustoServiceError,
} from "./errors.js";
