//! The token endpoint: request bodies for the code and refresh-token grants, and reading what
//! comes back.

use super::error::{AuthError, ErrorKind, Result};
use super::json::Json;
use super::scopes::Scopes;
use super::secret::{AccessToken, AuthCode, CodeVerifier, IdToken, RefreshToken};
use super::url::{with_params, Params};

pub const SKU: &str = "kusto-spa-auth";
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// A form POST to the token endpoint. Telemetry rides in the URL, not in headers: a custom
/// header would force a CORS preflight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenRequest {
    pub url: String,
    pub body: Params,
}

pub struct Client<'a> {
    pub token_endpoint: &'a str,
    pub client_id: &'a str,
    /// Entra takes `client_info=1` and MSAL's telemetry parameters; other providers get neither.
    pub entra: bool,
    pub correlation_id: &'a str,
    /// Added to every request's scopes (see `scopes::default_scopes`).
    pub default_scopes: &'a Scopes,
}

impl Client<'_> {
    fn request(&self, grant_type: &str, scopes: &Scopes, claims: Option<&str>) -> TokenRequest {
        let url = if self.entra {
            let mut telemetry = Params::default();
            telemetry.push("x-client-SKU", SKU).push("x-client-VER", VERSION).push("client-request-id", self.correlation_id);
            with_params(self.token_endpoint, &telemetry)
        } else {
            self.token_endpoint.to_owned()
        };
        let mut body = Params::default();
        body.push("client_id", self.client_id).push("grant_type", grant_type).push("scope", scopes.with_defaults(self.default_scopes).joined());
        if self.entra {
            body.push("client_info", "1");
        }
        if let Some(claims) = claims {
            body.push("claims", claims);
        }
        TokenRequest { url, body }
    }

    pub fn code_request(&self, code: &AuthCode, verifier: &CodeVerifier, redirect_uri: &str, scopes: &Scopes, claims: Option<&str>) -> TokenRequest {
        let mut req = self.request("authorization_code", scopes, claims);
        req.body.push("code", code.expose()).push("code_verifier", verifier.expose()).push("redirect_uri", redirect_uri);
        req
    }

    pub fn refresh_request(&self, refresh_token: &RefreshToken, scopes: &Scopes, claims: Option<&str>) -> TokenRequest {
        let mut req = self.request("refresh_token", scopes, claims);
        req.body.push("refresh_token", refresh_token.expose());
        req
    }
}

/// A successful token response (RFC 6749 §5.1 plus Entra's extra fields).
#[derive(Debug, Clone, PartialEq)]
pub struct TokenResponse {
    pub access_token: AccessToken,
    pub token_type: String,
    pub expires_in: i64,
    pub refresh_token: Option<RefreshToken>,
    /// Entra's SPA refresh tokens die 24 h after sign-in; this says when.
    pub refresh_token_expires_in: Option<i64>,
    pub id_token: Option<IdToken>,
    /// The granted scopes, when the server names them.
    pub scope: Option<Scopes>,
    pub client_info: Option<String>,
}

/// The longest lifetimes taken from a response. A server that answers `expires_in` of years (or
/// `i64::MAX`) would otherwise leave a token in the cache that looks valid forever; cutting a
/// lifetime short only means renewing sooner. Entra's access tokens live at most about 28 hours
/// and its SPA refresh tokens 24 hours; other providers' refresh tokens can live for months.
pub const MAX_ACCESS_TOKEN_SECS: i64 = 2 * 24 * 3600;
pub const MAX_REFRESH_TOKEN_SECS: i64 = 365 * 24 * 3600;

fn malformed(what: &str) -> AuthError {
    AuthError::client("failed_to_parse_response", format!("The token endpoint's response could not be used: {what}."))
}

/// Reads a token endpoint answer: an error body becomes a typed error, anything unusable a
/// `failed_to_parse_response`.
pub fn parse_response(status: u16, body: &str) -> Result<TokenResponse> {
    let json = Json::parse(body);
    if let Some(err) = json.as_ref().ok().and_then(AuthError::from_oauth_json) {
        return Err(err);
    }
    if !(200..300).contains(&status) {
        let (kind, code) = match status {
            429 | 500..=599 => (ErrorKind::Server, "server_unavailable"),
            _ => (ErrorKind::Server, "post_request_failed"),
        };
        return Err(AuthError::new(kind, code, format!("The token endpoint answered HTTP {status} without an OAuth error. Try again later.")));
    }
    let json = json.map_err(|_| malformed("it is not JSON"))?;
    let access_token = json.str_at("access_token").filter(|t| !t.is_empty());
    let access_token = access_token.ok_or_else(|| AuthError::client("null_or_empty_token", "The token endpoint's response has no access token."))?;
    let expires_in = json.get("expires_in").and_then(Json::as_i64).ok_or_else(|| malformed("'expires_in' is missing or not a number"))?;
    if expires_in <= 0 {
        return Err(malformed("'expires_in' is not positive"));
    }
    let text = |name: &str| json.str_at(name).filter(|s| !s.is_empty()).map(str::to_owned);
    Ok(TokenResponse {
        access_token: AccessToken::new(access_token),
        token_type: text("token_type").unwrap_or_else(|| "Bearer".to_owned()),
        expires_in: expires_in.min(MAX_ACCESS_TOKEN_SECS),
        refresh_token: text("refresh_token").map(RefreshToken::new),
        // Zero or negative says the refresh token is already spent: it is kept as expired, not
        // as one without an expiry.
        refresh_token_expires_in: json.get("refresh_token_expires_in").and_then(Json::as_i64).map(|n| n.clamp(0, MAX_REFRESH_TOKEN_SECS)),
        id_token: text("id_token").map(IdToken::new),
        scope: text("scope").map(|s| Scopes::new([s])),
        client_info: text("client_info"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn client(entra: bool) -> Client<'static> {
        let default_scopes = Box::leak(Box::new(crate::core::scopes::default_scopes(None)));
        Client { token_endpoint: "https://idp/token", client_id: "app", entra, correlation_id: "corr", default_scopes }
    }

    #[test]
    fn builds_grant_bodies() {
        let scopes = Scopes::new(["https://help.kusto.windows.net/.default"]);
        let req = client(false).code_request(&AuthCode::new("c"), &CodeVerifier::new("v"), "http://localhost/", &scopes, None);
        assert_eq!(req.url, "https://idp/token");
        assert_eq!(
            req.body.encode(),
            "client_id=app&grant_type=authorization_code&scope=https%3A%2F%2Fhelp.kusto.windows.net%2F.default%20openid%20profile%20offline_access&code=c&code_verifier=v&redirect_uri=http%3A%2F%2Flocalhost%2F"
        );
        let req = client(true).refresh_request(&RefreshToken::new("r"), &scopes, Some(r#"{"access_token":{}}"#));
        assert_eq!(req.url, format!("https://idp/token?x-client-SKU=kusto-spa-auth&x-client-VER={VERSION}&client-request-id=corr"));
        assert_eq!(req.body.get("client_info"), Some("1"));
        assert_eq!(req.body.get("refresh_token"), Some("r"));
        assert_eq!(req.body.get("claims"), Some(r#"{"access_token":{}}"#));
    }

    #[test]
    fn reads_success_responses() {
        let r = parse_response(200, r#"{"access_token":"at","token_type":"Bearer","expires_in":"3599","refresh_token":"rt","refresh_token_expires_in":86399,"id_token":"a.b.c","scope":"https://help.kusto.windows.net/user_impersonation"}"#).unwrap();
        assert_eq!(r.access_token.expose(), "at");
        assert_eq!(r.expires_in, 3599);
        assert_eq!(r.refresh_token_expires_in, Some(86399));
        assert_eq!(r.scope.unwrap().joined(), "https://help.kusto.windows.net/user_impersonation");
        let r = parse_response(200, r#"{"access_token":"at","expires_in":60,"refresh_token":""}"#).unwrap();
        assert_eq!((r.token_type.as_str(), r.refresh_token), ("Bearer", None));
    }

    #[test]
    fn types_every_failure() {
        for (status, body, code) in [
            (400, r#"{"error":"invalid_grant","error_description":"grant request is invalid"}"#, "invalid_grant"),
            (200, "<html>", "failed_to_parse_response"),
            (200, r#"{"token_type":"Bearer","expires_in":3600}"#, "null_or_empty_token"),
            (200, r#"{"access_token":"at"}"#, "failed_to_parse_response"),
            (200, r#"{"access_token":"at","expires_in":-5}"#, "failed_to_parse_response"),
            (200, r#"{"access_token":"at","access_token":"other","expires_in":60}"#, "failed_to_parse_response"),
            (503, "Service Unavailable", "server_unavailable"),
            (429, "", "server_unavailable"),
            (404, "nope", "post_request_failed"),
        ] {
            assert_eq!(parse_response(status, body).unwrap_err().code, code, "{status} {body}");
        }
        assert_eq!(parse_response(400, r#"{"error":"invalid_grant"}"#).unwrap_err().kind, ErrorKind::InteractionRequired);
    }

    #[test]
    fn bounds_lifetimes() {
        let body = |at: &str, rt: &str| format!(r#"{{"access_token":"at","expires_in":{at},"refresh_token":"rt","refresh_token_expires_in":{rt}}}"#);
        let r = parse_response(200, &body(&i64::MAX.to_string(), &i64::MAX.to_string())).unwrap();
        assert_eq!((r.expires_in, r.refresh_token_expires_in), (MAX_ACCESS_TOKEN_SECS, Some(MAX_REFRESH_TOKEN_SECS)));
        let r = parse_response(200, &body("3600", &i64::MIN.to_string())).unwrap();
        assert_eq!((r.expires_in, r.refresh_token_expires_in), (3600, Some(0)));
        assert_eq!(parse_response(200, &body(&i64::MIN.to_string(), "1")).unwrap_err().code, "failed_to_parse_response");
        assert_eq!(parse_response(200, &body("9223372036854775808", "1")).unwrap_err().code, "failed_to_parse_response");
    }

    proptest! {
        #[test]
        fn never_panics(status in 0u16..600, body in ".*") {
            let _ = parse_response(status, &body);
        }
    }
}
