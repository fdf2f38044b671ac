// Error classes thrown by kusto-spa-auth. Same names, fields and hierarchy as
// @azure/msal-browser's, so `e instanceof InteractionRequiredAuthError` and `e.errorCode`
// work unchanged in apps written for MSAL.

export class AuthError extends Error {
  constructor(errorCode = "", errorMessage = "", subError = "", correlationId = "") {
    super(errorCode ? `${errorCode}: ${errorMessage}` : errorMessage);
    this.name = new.target.errorName;
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

// An error reported by a Kusto cluster, through any of its three channels (an HTTP error, errors
// in a 200 response's completion frame, or error rows of its query completion information).
export class KustoServiceError extends AuthError {
  constructor(errorCode, errorMessage, code, permanent, clientRequestId, httpStatus, claims) {
    super(errorCode, errorMessage, code, clientRequestId);
    this.code = code; // the service's own code, e.g. "General_BadRequest" or "LimitsExceeded"
    this.permanent = permanent ?? null; // true: retrying the same request fails again; null: not said
    this.clientRequestId = clientRequestId;
    this.httpStatus = httpStatus ?? null; // null for errors reported inside a 200 response
    this.claims = claims ?? null; // a claims challenge from WWW-Authenticate, for acquireTokenRedirect
  }
}

const classes = { AuthError, BrowserAuthError, ServerError, InteractionRequiredAuthError, ClientConfigurationError };

// `name` from strings: bundlers' minifiers rename the classes themselves.
for (const [name, Class] of Object.entries({ ...classes, KustoServiceError })) Class.errorName = name;

// Called from the wasm module to raise a typed error.
export function createAuthError(className, errorCode, errorMessage, subError, correlationId, claims) {
  const Class = classes[className] ?? AuthError;
  return new Class(errorCode, errorMessage, subError, correlationId, claims);
}

// Called from the wasm module for errors a Kusto cluster reported.
export function createKustoServiceError(errorCode, errorMessage, code, permanent, clientRequestId, httpStatus, claims) {
  return new KustoServiceError(errorCode, errorMessage, code, permanent, clientRequestId, httpStatus, claims);
}
