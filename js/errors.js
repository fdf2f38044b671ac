// Error classes thrown by kusto-spa-auth. Same names, fields, constructor parameters and
// hierarchy as @azure/msal-browser 5's, so `e instanceof InteractionRequiredAuthError` and
// `e.errorCode === BrowserAuthErrorCodes.userCancelled` work unchanged in apps written for MSAL.

export class AuthError extends Error {
  constructor(errorCode = "", correlationId = "", errorMessage = "", subError = "") {
    super(errorCode && errorMessage ? `${errorCode}: ${errorMessage}` : errorCode || errorMessage);
    this.name = new.target.errorName;
    this.errorCode = errorCode;
    this.errorMessage = errorMessage;
    this.subError = subError;
    this.correlationId = correlationId;
  }
}

// MSAL's BrowserAuthError takes no message: the code says it.
export class BrowserAuthError extends AuthError {
  constructor(errorCode, correlationId, subError) {
    super(errorCode, correlationId, "", subError);
  }
}

export class ClientAuthError extends AuthError {}

export class ServerError extends AuthError {}

export class InteractionRequiredAuthError extends AuthError {
  constructor(errorCode, correlationId, errorMessage, subError, timestamp, traceId, claims = "") {
    super(errorCode, correlationId, errorMessage, subError);
    // A claims challenge to pass to the interactive request, when the server sent one.
    this.claims = claims;
  }
}

export class ClientConfigurationError extends AuthError {}

export class BrowserConfigurationAuthError extends AuthError {}

// An error reported by a Kusto cluster, through any of its three channels (an HTTP error, errors
// in a 200 response's completion frame, or error rows of its query completion information).
export class KustoServiceError extends AuthError {
  constructor(errorCode, errorMessage, code, permanent, clientRequestId, httpStatus, claims) {
    super(errorCode, clientRequestId, errorMessage, code);
    this.code = code; // the service's own code, e.g. "General_BadRequest" or "LimitsExceeded"
    this.permanent = permanent ?? null; // true: retrying the same request fails again; null: not said
    this.clientRequestId = clientRequestId;
    this.httpStatus = httpStatus ?? null; // null for errors reported inside a 200 response
    this.claims = claims ?? null; // a claims challenge from WWW-Authenticate, for acquireTokenRedirect
  }
}

const classes = { AuthError, BrowserAuthError, ClientAuthError, ServerError, InteractionRequiredAuthError, ClientConfigurationError, BrowserConfigurationAuthError };

// `name` from strings: bundlers' minifiers rename the classes themselves.
for (const [name, Class] of Object.entries({ ...classes, KustoServiceError })) Class.errorName = name;

// Called from the wasm module to raise a typed error: built as an AuthError (the library's
// errors all carry a message, which MSAL's BrowserAuthError constructor does not take).
export function createAuthError(className, errorCode, errorMessage, subError, correlationId, claims) {
  const error = Reflect.construct(AuthError, [errorCode, correlationId, errorMessage, subError], classes[className] ?? AuthError);
  if (className === "InteractionRequiredAuthError") error.claims = claims;
  return error;
}

// Called from the wasm module for errors a Kusto cluster reported.
export function createKustoServiceError(errorCode, errorMessage, code, permanent, clientRequestId, httpStatus, claims) {
  return new KustoServiceError(errorCode, errorMessage, code, permanent, clientRequestId, httpStatus, claims);
}

// The codes of each class, MSAL's names for its values ("interaction_in_progress" is
// interactionInProgress): those this library raises, which include MSAL's that apps test for.
// `key:value` where MSAL's name is not the value's camel case.
const codes = (list) =>
  Object.freeze(
    Object.fromEntries(
      list.split(" ").map((entry) => {
        const [value, key = value.replace(/_(.)/g, (_, c) => c.toUpperCase())] = entry.split(":").reverse();
        return [key, value];
      }),
    ),
  );

export const AuthErrorCodes = codes("unexpected_error post_request_failed");

export const BrowserAuthErrorCodes = codes(
  "interaction_in_progress user_cancelled popup_window_error empty_window_error monitor_window_timeout no_account_error no_network_connectivity cryptoNonExistent:crypto_nonexistent block_iframe_reload navigation_failed no_window no_history cache_write_failed request_cancelled request_timeout kusto_module_load_failed response_too_large timed_out",
);

export const ClientAuthErrorCodes = codes(
  "token_parsing_error null_or_empty_token state_mismatch state_not_found nonce_mismatch no_state_in_hash token_refresh_required failed_to_parse_response redirect_response_malformed account_mismatch audience_mismatch issuer_mismatch id_token_expired id_token_not_yet_valid",
);

export const ClientConfigurationErrorCodes = codes(
  "authority_uri_insecure url_parse_error empty_input_scopes_error endpoints_resolution_error openIdConfigError:openid_config_error invalid_known_authorities invalid_request_parameter invalid_prompt_value invalid_token_source unsupported_authentication_scheme invalid_authority_metadata invalid_response_mode untrustedAuthority:untrusted_authority",
);

export const InteractionRequiredAuthErrorCodes = codes("no_tokens_found refresh_token_expired interaction_required consent_required login_required bad_token");

export const BrowserConfigurationAuthErrorCodes = codes("stubbed_public_client_application_called");

// A trap in a wasm module (a WebAssembly.RuntimeError: a bug, or memory exhausted) ends the task it
// happened in, so the call it belonged to would never settle, and the browser reports it as an
// uncaught error instead. Which call that was cannot be told, and the module's state may be
// torn: every call still running rejects with a typed error. The instance stays usable as far as
// its state allows.
const trapped = new Set();
const trapError = (error) => new AuthError("unexpected_error", "", `The library's wasm module stopped on an internal error (${error.message}). Reload the page; if it happens again, report it with the steps that led to it.`);
function onTrap(error) {
  if (!(error instanceof WebAssembly.RuntimeError)) return;
  for (const reject of trapped) reject(trapError(error));
  trapped.clear();
}
globalThis.addEventListener?.("error", (event) => onTrap(event.error));
globalThis.addEventListener?.("unhandledrejection", (event) => onTrap(event.reason));

// `run()`'s promise, or a rejection if the module traps first (in `run` itself or later).
export function untilTrap(run) {
  let reject;
  const trap = new Promise((_, r) => { reject = r; });
  trapped.add(reject);
  let call;
  try {
    call = run();
  } catch (error) {
    call = Promise.reject(error instanceof WebAssembly.RuntimeError ? trapError(error) : error);
  }
  return Promise.race([call, trap]).finally(() => trapped.delete(reject));
}
