//! Kusto errors: local refusals (bad cluster URL, untrusted host, secret in a connection string)
//! and failures the service reports through any of its three channels:
//!
//! 1. an HTTP 4xx/5xx answer, usually with a OneApi body `{"error": {...}}`;
//! 2. an HTTP 200 answer whose `DataSetCompletion` frame says `HasErrors` and lists `OneApiErrors`
//!    (or whose rows carry an inline `{"OneApiErrors": [...]}` object);
//! 3. an HTTP 200 answer whose `QueryCompletionInformation` table has rows of `Level` <= 2
//!    (Critical or Error), with `HasErrors` false.
//!
//! Also here: the `WWW-Authenticate` parser that pulls a claims challenge out of a 401.

use crate::core::error::{boxed_error, AuthError, ErrorKind};
use crate::core::json::Json;
use crate::core::text;

boxed_error!(
    /// A Kusto failure. `code` is stable and is what the JS side sees as `errorCode`:
    ///
    /// | code | meaning |
    /// |---|---|
    /// | `invalid_cluster_url`, `insecure_cluster_url` | the cluster URL is unusable / not https |
    /// | `untrusted_endpoint` | a cloud-wide token would go to a host not on the trusted Kusto list |
    /// | `invalid_trusted_host` | an app override for the trusted list is malformed or too broad |
    /// | `secret_in_connection_string` | a key, certificate or password in a connection string |
    /// | `unsupported_flow` | a connection string asks for device code, managed identity, Azure CLI, dSTS |
    /// | `unknown_keyword`, `unsupported_keyword`, `invalid_connection_string` | other connection string faults |
    /// | `invalid_auth_metadata` | the `/v1/rest/auth/metadata` answer is unusable |
    /// | `invalid_claims_challenge` | a `WWW-Authenticate` claims value that is not base64 JSON |
    /// | `invalid_response` | a response body that is not (complete) Kusto JSON |
    /// | `kusto_unauthorized`, `kusto_forbidden`, `kusto_not_found`, `kusto_throttled`, `kusto_http_error` | HTTP-level service errors |
    /// | `kusto_query_failed`, `kusto_query_cancelled` | errors reported inside a 200 answer |
    #[derive(Debug, Clone, PartialEq)]
    KustoError(KustoErrorData)
);

#[derive(Debug, Clone, PartialEq)]
pub struct KustoErrorData {
    pub code: &'static str,
    pub message: String,
    /// What the service said, for the `kusto_*` codes.
    pub service: Option<KustoServiceError>,
}

/// The service's own account of a failure, merged from whichever channel carried it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct KustoServiceError {
    /// The service's code (`LimitsExceeded`, `E_QUERY_RESULT_SET_TOO_LARGE`, ...), not stable.
    pub code: String,
    pub message: String,
    /// `@permanent`: false means retrying may succeed.
    pub permanent: Option<bool>,
    pub client_request_id: Option<String>,
    pub activity_id: Option<String>,
    pub http_status: Option<u16>,
    pub one_api: Vec<OneApiError>,
    /// The decoded claims challenge of a 401 (`WWW-Authenticate: Bearer ... claims="..."`), to be
    /// passed as `claims` to an interactive token request.
    pub claims: Option<String>,
}

/// One entry of a OneApi error list (`{"error": {code, message, @type, @message, @context, @permanent}}`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OneApiError {
    pub code: String,
    pub message: String,
    /// `@type`, the service-side exception class.
    pub type_name: Option<String>,
    /// `@message`, the detailed text.
    pub detail: Option<String>,
    pub permanent: Option<bool>,
    pub client_request_id: Option<String>,
    pub activity_id: Option<String>,
    /// `@context` as sent (machine, process, activity stack).
    pub context: Option<Json>,
}

impl KustoError {
    pub fn new(code: &'static str, message: impl Into<String>) -> KustoError {
        KustoError(Box::new(KustoErrorData { code, message: message.into(), service: None }))
    }

    pub fn service(code: &'static str, service: KustoServiceError) -> KustoError {
        let message = service.summary();
        KustoError(Box::new(KustoErrorData { code, message, service: Some(service) }))
    }

    /// The error as the library-wide [`AuthError`], so that it reaches JS like every other error:
    /// a 401 with a claims challenge is interaction-required, carrying the claims.
    pub fn to_auth_error(&self) -> AuthError {
        let kind = match self.code {
            _ if self.service.as_ref().is_some_and(|s| s.claims.is_some()) => ErrorKind::InteractionRequired,
            c if c.starts_with("kusto_") => ErrorKind::Server,
            "invalid_response" | "invalid_auth_metadata" | "invalid_claims_challenge" => ErrorKind::Client,
            _ => ErrorKind::Configuration,
        };
        let mut err = AuthError::new(kind, self.code, self.message.clone());
        if let Some(service) = &self.service {
            err.sub_error = service.code.clone();
            err.correlation_id = service.client_request_id.clone().unwrap_or_default();
            err.claims = service.claims.clone();
        }
        err
    }
}

impl std::fmt::Display for KustoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for KustoError {}

/// Untrusted text (a response, a URL), cut short and made inert before it goes into a message.
pub(crate) fn excerpt(text: &str, max_chars: usize) -> String {
    // Angle brackets become look-alikes: an app that shows the message as HTML gets no markup.
    let inert = |c| match c {
        '<' => '‹',
        '>' => '›',
        c => c,
    };
    let mut out: String = text.chars().filter(|c| !c.is_control()).map(inert).take(max_chars).collect();
    if text.chars().count() > max_chars {
        out.push('…');
    }
    out
}

impl OneApiError {
    /// Reads `{"error": {...}}` (or the inner object itself).
    pub fn from_json(value: &Json) -> Option<OneApiError> {
        let e = value.get("error").unwrap_or(value);
        let code = e.str_at("code")?;
        let context = e.get("@context").filter(|c| c.members().is_some());
        let ctx = |key: &str| context.and_then(|c| c.str_at(key)).map(str::to_owned);
        Some(OneApiError {
            code: code.to_owned(),
            message: e.str_at("message").unwrap_or("").to_owned(),
            type_name: e.str_at("@type").map(str::to_owned),
            detail: e.str_at("@message").map(str::to_owned),
            permanent: e.get("@permanent").and_then(Json::as_bool),
            client_request_id: ctx("clientRequestId"),
            activity_id: ctx("activityId"),
            context: context.cloned(),
        })
    }

    /// Reads a `OneApiErrors` array, skipping entries that are not errors.
    pub fn list(value: Option<&Json>) -> Vec<OneApiError> {
        value.and_then(Json::as_array).unwrap_or(&[]).iter().filter_map(OneApiError::from_json).collect()
    }

    fn text(&self) -> String {
        match &self.detail {
            Some(d) if !d.is_empty() && *d != self.message => format!("{} {}", self.message, d).trim().to_owned(),
            _ => self.message.clone(),
        }
    }
}

impl KustoServiceError {
    /// Merges a OneApi list into one error: the first entry gives code and ids, every entry's text
    /// is kept in the message.
    pub fn from_one_api(errors: Vec<OneApiError>) -> Option<KustoServiceError> {
        let first = errors.first()?;
        let message = text::join(&errors.iter().map(OneApiError::text).collect::<Vec<_>>(), " | ");
        Some(KustoServiceError {
            code: first.code.clone(),
            message,
            permanent: first.permanent,
            client_request_id: first.client_request_id.clone(),
            activity_id: first.activity_id.clone(),
            one_api: errors,
            ..KustoServiceError::default()
        })
    }

    /// Channel 1: an HTTP error answer. `body` may be OneApi JSON, other text, or empty;
    /// `www_authenticate` is the header of a 401, if any.
    pub fn from_http(status: u16, body: &str, www_authenticate: Option<&str>) -> KustoServiceError {
        let json = Json::parse(body).ok();
        let one_api = json.as_ref().and_then(OneApiError::from_json).into_iter().collect::<Vec<_>>();
        let mut err = KustoServiceError::from_one_api(one_api).unwrap_or_else(|| KustoServiceError {
            code: format!("HTTP {status}"),
            message: match body.trim() {
                "" => "The response had no body.".to_owned(),
                text => excerpt(text, 300),
            },
            ..KustoServiceError::default()
        });
        err.http_status = Some(status);
        err.claims = www_authenticate.and_then(|h| claims_challenge(h).ok().flatten());
        err
    }

    /// The stable code for an HTTP status.
    pub fn http_code(status: u16) -> &'static str {
        match status {
            401 => "kusto_unauthorized",
            403 => "kusto_forbidden",
            404 => "kusto_not_found",
            429 => "kusto_throttled",
            _ => "kusto_http_error",
        }
    }

    /// Fills in the request id the client sent when the service did not echo one.
    pub fn with_client_request_id(mut self, id: &str) -> KustoServiceError {
        if self.client_request_id.is_none() {
            self.client_request_id = Some(id.to_owned());
        }
        self
    }

    fn summary(&self) -> String {
        let mut out = String::from("Kusto reported an error");
        if let Some(status) = self.http_status {
            out.push_str(&format!(" (HTTP {status})"));
        }
        out.push_str(&format!(": {}: {}", self.code, self.message));
        if let Some(id) = &self.client_request_id {
            out.push_str(&format!(" [client request id {id}]"));
        }
        if self.claims.is_some() {
            out.push_str(" The service asks for a new token that satisfies a claims challenge: sign in again interactively with the challenge's claims.");
        }
        out
    }
}

/// One challenge of a `WWW-Authenticate` header: the scheme and its parameters (names lower-cased).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Challenge {
    pub scheme: String,
    pub params: Vec<(String, String)>,
}

impl Challenge {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// Splits a `WWW-Authenticate` value into challenges (RFC 9110 §11.6.1): `scheme` followed by
/// comma-separated `name=value` or `name="quoted \"value\""` parameters; a further scheme starts
/// the next challenge. Token68 forms are kept as a parameter with an empty name.
pub fn parse_www_authenticate(header: &str) -> Vec<Challenge> {
    let mut challenges: Vec<Challenge> = Vec::new();
    let mut rest = header;
    loop {
        rest = rest.trim_start_matches(|c: char| c == ',' || c.is_whitespace());
        if rest.is_empty() {
            return challenges;
        }
        let (word, after) = take_token(rest);
        if word.is_empty() {
            // Not a token character: skip it rather than loop on it.
            let mut chars = rest.chars();
            chars.next();
            rest = chars.as_str();
            continue;
        }
        let after_ws = after.trim_start();
        match (after_ws.strip_prefix('='), challenges.last_mut()) {
            (Some(value_part), Some(current)) if !value_part.starts_with('=') => {
                let (value, tail) = take_value(value_part.trim_start());
                current.params.push((word.to_ascii_lowercase(), value));
                rest = tail;
            }
            _ => {
                challenges.push(Challenge { scheme: word.to_owned(), params: Vec::new() });
                // A token68 (`Negotiate abc==`) stands alone after its scheme.
                let (t68, tail) = take_token68(after.trim_start());
                let body = t68.trim_end_matches('=');
                let alone = matches!(tail.trim_start().chars().next(), None | Some(','));
                if !body.is_empty() && !body.as_bytes().contains(&b'=') && alone {
                    if let Some(current) = challenges.last_mut() {
                        current.params.push((String::new(), t68.to_owned()));
                    }
                    rest = tail;
                } else {
                    rest = after;
                }
            }
        }
    }
}

fn is_tchar(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '!' | '#' | '$' | '%' | '&' | '\'' | '*' | '+' | '-' | '.' | '^' | '_' | '`' | '|' | '~')
}

fn take_token(s: &str) -> (&str, &str) {
    let end = s.find(|c: char| !is_tchar(c)).unwrap_or(s.len());
    text::split_at(s, end)
}

fn take_token68(s: &str) -> (&str, &str) {
    let end = s.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '+' | '/' | '='))).unwrap_or(s.len());
    text::split_at(s, end)
}

fn take_value(s: &str) -> (String, &str) {
    let Some(inner) = s.strip_prefix('"') else {
        let (v, tail) = take_token(s);
        return (v.to_owned(), tail);
    };
    let mut out = String::new();
    let mut chars = inner.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return (out, text::split_at(inner, i + 1).1),
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    out.push(escaped);
                }
            }
            c => out.push(c),
        }
    }
    // Unterminated: take what there is.
    (out, "")
}

/// The claims challenge of a `Bearer` challenge, decoded from base64 to its JSON text (Entra's
/// Continuous Access Evaluation and Conditional Access send `claims="eyJ..."` on a 401).
/// `Ok(None)` when there is none; an error when the value is not base64-encoded JSON.
pub fn claims_challenge(header: &str) -> Result<Option<String>, KustoError> {
    let Some(encoded) = parse_www_authenticate(header).into_iter().filter(|c| c.scheme.eq_ignore_ascii_case("bearer")).find_map(|c| c.param("claims").map(str::to_owned)) else {
        return Ok(None);
    };
    let bad = || KustoError::new("invalid_claims_challenge", "The WWW-Authenticate header carries a claims challenge that is not base64-encoded JSON.");
    // Entra sends standard base64 with padding; the URL-safe alphabet and no padding pass too.
    let bytes = crate::core::base64::decode(encoded.trim()).ok_or_else(bad)?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    match Json::parse(&text) {
        Ok(Json::Obj(_)) => Ok(Some(text)),
        _ => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn excerpts_are_short_and_inert() {
        assert_eq!(excerpt("<img src=x onerror=alert(1)>\n", 100), "‹img src=x onerror=alert(1)›");
        assert_eq!(excerpt("abcdef", 3), "abc…");
    }

    use super::*;
    use proptest::prelude::*;

    const HTTP_401: &str = include_str!("../../../tests/fixtures/kusto/responses/java-http_error_oneapi_401.json");
    const TWO_ERRORS: &str = include_str!("../../../tests/fixtures/kusto/responses/java-dataset_completion_OneApiErrors.json");
    /// The example of Microsoft's "Claims challenges" page.
    const CAE: &str = r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnsiYWNycyI6eyJlc3NlbnRpYWwiOnRydWUsInZhbHVlIjoiY3AxIn19fQ==""#;

    #[test]
    fn reads_an_http_error_with_a_one_api_body() {
        let err = KustoServiceError::from_http(401, HTTP_401, None);
        assert_eq!(err.http_status, Some(401));
        assert_eq!(err.code, "LimitsExceeded");
        assert_eq!(err.permanent, Some(true));
        assert_eq!(err.activity_id.as_deref(), Some("a57ec272-8846-49e6-b458-460b841ed47d"));
        // The fixture's context spells the key `clientRequestd`, so the id comes from the request.
        assert_eq!(err.client_request_id, None);
        let err = err.with_client_request_id("KPC.execute;1");
        assert_eq!(err.client_request_id.as_deref(), Some("KPC.execute;1"));
        let one = &err.one_api[0];
        assert_eq!(one.type_name.as_deref(), Some("Kusto.Data.Exceptions.KustoServicePartialQueryFailureLimitsExceededException"));
        assert_eq!(one.detail.as_deref(), Some("Query execution has exceeded the allowed limits (80DA0003): ."));
        assert_eq!(one.context.as_ref().and_then(|c| c.get("processId")), Some(&Json::Num("4328".into())));
        assert_eq!(err.message, "Request is invalid and cannot be executed. Query execution has exceeded the allowed limits (80DA0003): .");

        let e = KustoError::service(KustoServiceError::http_code(401), err);
        assert_eq!(e.code, "kusto_unauthorized");
        assert!(e.message.contains("HTTP 401") && e.message.contains("LimitsExceeded") && e.message.contains("KPC.execute;1"));
        let auth = e.to_auth_error();
        assert_eq!((auth.kind, auth.code.as_str(), auth.sub_error.as_str(), auth.correlation_id.as_str()), (ErrorKind::Server, "kusto_unauthorized", "LimitsExceeded", "KPC.execute;1"));
    }

    #[test]
    fn reads_http_errors_without_json() {
        let err = KustoServiceError::from_http(502, "<html>Bad gateway\n</html>", None);
        assert_eq!((err.code.as_str(), err.message.as_str()), ("HTTP 502", "‹html›Bad gateway‹/html›"));
        assert_eq!(KustoServiceError::from_http(503, "  ", None).message, "The response had no body.");
        assert_eq!(KustoServiceError::from_http(500, &"x".repeat(1000), None).message.chars().count(), 301);
        assert_eq!(KustoServiceError::http_code(429), "kusto_throttled");
        assert_eq!(KustoServiceError::http_code(500), "kusto_http_error");
    }

    #[test]
    fn merges_a_list_of_one_api_errors() {
        let doc = Json::parse(TWO_ERRORS).unwrap();
        let list = OneApiError::list(doc.get("OneApiErrors"));
        assert_eq!(list.len(), 2);
        assert_eq!(list[1].code, "Some other error");
        let err = KustoServiceError::from_one_api(list).unwrap();
        assert_eq!(err.code, "Internal service error");
        assert_eq!(err.permanent, Some(false));
        assert_eq!(err.client_request_id.as_deref(), Some("KJC.execute;bfdd8642-513b-41f0-99c1-8dbf1a91340e"));
        assert_eq!(
            err.message,
            "Request aborted due to an internal service error. Query execution has resulted in error (0x80DA0006): Query is expired. | Some other error Query execution has resulted in error (0x80DA0006): Query is expired."
        );
        assert!(KustoServiceError::from_one_api(Vec::new()).is_none());
    }

    #[test]
    fn decodes_a_claims_challenge() {
        let claims = claims_challenge(CAE).unwrap().unwrap();
        assert_eq!(claims, r#"{"access_token":{"acrs":{"essential":true,"value":"cp1"}}}"#);
        let challenges = parse_www_authenticate(CAE);
        assert_eq!(challenges.len(), 1);
        assert_eq!(challenges[0].param("error"), Some("insufficient_claims"));
        assert_eq!(challenges[0].param("realm"), Some(""));

        // Unpadded, URL-safe, after another challenge, with an escaped quote elsewhere.
        let header = r#"Basic realm="a \"b\"", Bearer error="insufficient_claims", claims=eyJhIjoxfQ"#;
        assert_eq!(claims_challenge(header).unwrap().as_deref(), Some(r#"{"a":1}"#));
        assert_eq!(parse_www_authenticate(header)[0].param("realm"), Some("a \"b\""));

        let mixed = parse_www_authenticate(r#"Negotiate abc==, Bearer realm="x", Basic"#);
        let schemes: Vec<&str> = mixed.iter().map(|c| c.scheme.as_str()).collect();
        assert_eq!(schemes, ["Negotiate", "Bearer", "Basic"]);
        assert_eq!(mixed[0].param(""), Some("abc=="));
        assert_eq!(mixed[1].param("realm"), Some("x"));

        assert_eq!(claims_challenge(r#"Bearer realm="", error="invalid_token""#).unwrap(), None);
        assert_eq!(claims_challenge(r#"Basic claims="eyJhIjoxfQ==""#).unwrap(), None);
        assert_eq!(claims_challenge(r#"Bearer claims="!!!""#).unwrap_err().code, "invalid_claims_challenge");
        assert_eq!(claims_challenge(r#"Bearer claims="bm90IGpzb24=""#).unwrap_err().code, "invalid_claims_challenge");
    }

    #[test]
    fn a_claims_challenge_makes_the_error_interaction_required() {
        let err = KustoServiceError::from_http(401, "", Some(CAE));
        assert!(err.claims.is_some());
        let e = KustoError::service("kusto_unauthorized", err);
        assert!(e.message.contains("claims challenge"));
        let auth = e.to_auth_error();
        assert_eq!(auth.kind, ErrorKind::InteractionRequired);
        assert_eq!(auth.claims.as_deref(), Some(r#"{"access_token":{"acrs":{"essential":true,"value":"cp1"}}}"#));
        assert_eq!(KustoError::new("untrusted_endpoint", "x").to_auth_error().kind, ErrorKind::Configuration);
        assert_eq!(KustoError::new("invalid_response", "x").to_auth_error().kind, ErrorKind::Client);
    }

    proptest! {
        #[test]
        fn never_panics(s in ".*", status in 0u16..1000) {
            let _ = parse_www_authenticate(&s);
            let _ = claims_challenge(&s);
            let _ = KustoServiceError::from_http(status, &s, Some(&s));
        }

        #[test]
        fn never_panics_on_header_like_input(s in r#"(Bearer|Basic|,| |=|"|\\|claims|[a-zA-Z0-9+/]{0,8})*"#) {
            let _ = claims_challenge(&s);
        }
    }
}
