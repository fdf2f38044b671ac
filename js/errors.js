// Error classes thrown by kusto-spa-auth. Same names, fields and hierarchy as
// @azure/msal-browser's, so `e instanceof InteractionRequiredAuthError` and `e.errorCode`
// work unchanged in apps written for MSAL.

export class AuthError extends Error {
  constructor(errorCode = "", errorMessage = "", subError = "", correlationId = "") {
    super(errorCode ? `${errorCode}: ${errorMessage}` : errorMessage);
    this.name = new.target.name;
    this.errorCode = errorCode;
    this.errorMessage = errorMessage;
    this.subError = subError;
    this.correlationId = correlationId;
  }
}

export class BrowserAuthError extends AuthError {}

export class ServerError extends AuthError {}

export class InteractionRequiredAuthError extends AuthError {
  constructor(errorCode, errorMessage, subError, correlationId, claims = "") {
    super(errorCode, errorMessage, subError, correlationId);
    // A claims challenge to pass to the interactive request, when the server sent one.
    this.claims = claims;
  }
}

export class ClientConfigurationError extends AuthError {}

const classes = { AuthError, BrowserAuthError, ServerError, InteractionRequiredAuthError, ClientConfigurationError };

// Called from the wasm module to raise a typed error.
export function createAuthError(className, errorCode, errorMessage, subError, correlationId, claims) {
  const Class = classes[className] ?? AuthError;
  return new Class(errorCode, errorMessage, subError, correlationId, claims);
}
