//! The one error type of the library. Its `kind` picks the JS class the error becomes
//! (`InteractionRequiredAuthError`, `ServerError`, ...); its `code` is stable and follows
//! @azure/msal-browser's `errorCode` where MSAL has one.

use super::json::Json;
use crate::core::text;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A client-side failure: a response or token that fails its checks (`ClientAuthError`).
    Client,
    /// Browser or network failure (`BrowserAuthError`).
    Browser,
    /// The identity provider answered with an error (`ServerError`).
    Server,
    /// The user must act: sign in, consent, or complete a challenge (`InteractionRequiredAuthError`).
    InteractionRequired,
    /// The app's configuration or a request's parameters are wrong (`ClientConfigurationError`).
    Configuration,
}

impl ErrorKind {
    pub fn class_name(self) -> &'static str {
        match self {
            ErrorKind::Client => "ClientAuthError",
            ErrorKind::Browser => "BrowserAuthError",
            ErrorKind::Server => "ServerError",
            ErrorKind::InteractionRequired => "InteractionRequiredAuthError",
            ErrorKind::Configuration => "ClientConfigurationError",
        }
    }
}

/// An error type as a box around its fields, reached through `Deref`: a `Result` carrying it
/// stays one word wide, so every `?` moves a pointer and every drop frees one box.
macro_rules! boxed_error {
    ($(#[$attr:meta])* $name:ident($data:ident)) => {
        $(#[$attr])*
        pub struct $name(Box<$data>);

        impl std::ops::Deref for $name {
            type Target = $data;
            fn deref(&self) -> &$data {
                &self.0
            }
        }

        impl std::ops::DerefMut for $name {
            fn deref_mut(&mut self) -> &mut $data {
                &mut self.0
            }
        }
    };
}
pub(crate) use boxed_error;

boxed_error!(
    /// The library's error: its fields are [`AuthErrorData`]'s.
    #[derive(Debug, Clone, PartialEq, Eq)]
    AuthError(AuthErrorData)
);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthErrorData {
    pub kind: ErrorKind,
    pub code: String,
    pub message: String,
    pub sub_error: String,
    pub correlation_id: String,
    /// A claims challenge the server sent with an interaction-required error.
    pub claims: Option<String>,
}

pub type Result<T, E = AuthError> = std::result::Result<T, E>;

impl AuthError {
    pub fn new(kind: ErrorKind, code: &str, message: impl Into<String>) -> AuthError {
        AuthError(Box::new(AuthErrorData { kind, code: code.to_owned(), message: message.into(), sub_error: String::new(), correlation_id: String::new(), claims: None }))
    }

    pub fn client(code: &str, message: impl Into<String>) -> AuthError {
        AuthError::new(ErrorKind::Client, code, message)
    }

    pub fn browser(code: &str, message: impl Into<String>) -> AuthError {
        AuthError::new(ErrorKind::Browser, code, message)
    }

    pub fn config(code: &str, message: impl Into<String>) -> AuthError {
        AuthError::new(ErrorKind::Configuration, code, message)
    }

    pub fn interaction_required(code: &str, message: impl Into<String>) -> AuthError {
        AuthError::new(ErrorKind::InteractionRequired, code, message)
    }

    pub fn with_correlation_id(mut self, id: &str) -> AuthError {
        if self.correlation_id.is_empty() {
            self.correlation_id = id.to_owned();
        }
        self
    }

    /// Maps an OAuth error (`error`, `error_description`, and Entra's `suberror`, `error_codes`,
    /// `claims`) to a typed error, explaining the Entra misconfigurations users hit most.
    pub fn from_oauth(error: &str, description: Option<&str>, sub_error: Option<&str>, aadsts: Option<u32>) -> AuthError {
        let description = description.unwrap_or("").trim();
        let aadsts = aadsts.or_else(|| find_aadsts(description));
        let interaction = is_interaction_required(error, sub_error, aadsts);
        let mut message = String::new();
        if let Some(hint) = aadsts.and_then(explain_aadsts) {
            message.push_str(hint);
            message.push(' ');
        }
        if description.is_empty() {
            message.push_str("The identity provider answered '");
            message.push_str(error);
            message.push('\'');
        } else {
            message.push_str(description);
        }
        AuthError(Box::new(AuthErrorData {
            kind: if interaction { ErrorKind::InteractionRequired } else { ErrorKind::Server },
            code: error.to_owned(),
            message,
            sub_error: sub_error.unwrap_or("").to_owned(),
            correlation_id: String::new(),
            claims: None,
        }))
    }

    /// The error body of a token endpoint response (RFC 6749 §5.2, plus Entra's extra fields).
    pub fn from_oauth_json(body: &Json) -> Option<AuthError> {
        let error = body.str_at("error")?;
        let aadsts = body.get("error_codes").and_then(Json::as_array).and_then(|codes| codes.first()).and_then(Json::as_i64).and_then(|n| u32::try_from(n).ok());
        let mut err = AuthError::from_oauth(error, body.str_at("error_description"), body.str_at("suberror"), aadsts);
        err.claims = body.str_at("claims").map(str::to_owned);
        if let Some(id) = body.str_at("correlation_id") {
            err.correlation_id = id.to_owned();
        }
        Some(err)
    }
}

impl std::fmt::Display for AuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

fn is_interaction_required(error: &str, sub_error: Option<&str>, aadsts: Option<u32>) -> bool {
    matches!(error, "interaction_required" | "login_required" | "consent_required" | "invalid_grant")
        || matches!(sub_error, Some("basic_action" | "additional_action" | "message_only" | "consent_required" | "user_password_expired" | "bad_token"))
        || matches!(aadsts, Some(50058 | 65001 | 700084 | 50076 | 50079 | 50173 | 70043 | 700082))
}

/// The `AADSTSnnnn` code at the start of an Entra error description.
fn find_aadsts(description: &str) -> Option<u32> {
    let rest = text::split_once(description, "AADSTS")?.1;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

fn explain_aadsts(code: u32) -> Option<&'static str> {
    Some(match code {
        50011 => "The redirect URI sent by this app is not registered for it. In the Entra app registration, add it (exactly, including the trailing slash and port) under Authentication > Single-page application.",
        9002326 => "The redirect URI is registered as type 'Web'. A browser app must register it as 'Single-page application' (Authentication > Add a platform > Single-page application) so that the token endpoint answers cross-origin requests.",
        9002327 => "The token was requested without an Origin header. Single-page-application tokens can only be redeemed by a browser page making a cross-origin request; do not redeem the code from a server, proxy or browser extension.",
        700084 => "The refresh token has expired: Entra ID issues single-page apps refresh tokens that last 24 hours from sign-in. Sign the user in again with an interactive request.",
        65001 => "The user or an administrator has not consented to the requested scopes. Sign in interactively (prompt: 'consent') or have an administrator grant consent for the app.",
        50058 => "There is no signed-in session at the identity provider for a silent request. Sign in interactively.",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explains_entra_misconfigurations() {
        let body = Json::parse(r#"{"error":"invalid_request","error_description":"AADSTS9002326: Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type.","error_codes":[9002326],"correlation_id":"c-1"}"#).unwrap();
        let err = AuthError::from_oauth_json(&body).unwrap();
        assert_eq!(err.kind, ErrorKind::Server);
        assert_eq!(err.code, "invalid_request");
        assert!(err.message.starts_with("The redirect URI is registered as type 'Web'"));
        assert!(err.message.contains("AADSTS9002326"));
        assert_eq!(err.correlation_id, "c-1");

        let err = AuthError::from_oauth("invalid_request", Some("AADSTS50011: The redirect URI 'x' does not match"), None, None);
        assert!(err.message.contains("not registered"));
        let err =
            AuthError::from_oauth("invalid_request", Some("AADSTS9002327: Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests."), None, None);
        assert!(err.message.contains("without an Origin header"));
    }

    #[test]
    fn sorts_interaction_required_errors() {
        for (error, desc) in [
            ("invalid_grant", "AADSTS700084: The refresh token was issued to a single page app"),
            ("invalid_grant", "AADSTS65001: The user or administrator has not consented"),
            ("login_required", "AADSTS50058: A silent sign-in request was sent but no user is signed in."),
            ("interaction_required", ""),
            ("consent_required", ""),
        ] {
            let err = AuthError::from_oauth(error, Some(desc), None, None);
            assert_eq!(err.kind, ErrorKind::InteractionRequired, "{error} {desc}");
            assert_eq!(err.code, error);
        }
        assert!(AuthError::from_oauth("invalid_grant", Some("AADSTS700084: x"), None, None).message.contains("24 hours"));
        assert_eq!(AuthError::from_oauth("access_denied", None, None, None).kind, ErrorKind::Server);
        assert_eq!(AuthError::from_oauth("access_denied", None, None, None).message, "The identity provider answered 'access_denied'");
    }

    #[test]
    fn ignores_bodies_without_an_error() {
        assert!(AuthError::from_oauth_json(&Json::parse(r#"{"access_token":"x"}"#).unwrap()).is_none());
        assert!(AuthError::from_oauth_json(&Json::parse(r#"{"error":7}"#).unwrap()).is_none());
    }
}
