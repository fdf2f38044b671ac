//! The front channel: the authorize and logout URLs the browser is sent to, and the state an
//! interactive request keeps (in sessionStorage) until its response comes back.

use super::json::Json;
use super::scopes::Scopes;
use super::secret::CodeVerifier;
use super::token::{SKU, VERSION};
use super::url::{with_params, Params};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResponseMode {
    Fragment,
    Query,
}

impl ResponseMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ResponseMode::Fragment => "fragment",
            ResponseMode::Query => "query",
        }
    }
}

/// What an interactive request remembers between leaving for the IdP and coming back.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingRequest {
    /// Random; the part of `state` we generated.
    pub state_id: String,
    /// The app's own `state`, returned to it in the result.
    pub app_state: Option<String>,
    pub verifier: CodeVerifier,
    pub nonce: String,
    pub scopes: Scopes,
    pub redirect_uri: String,
    pub authority: String,
    /// The page the flow started on, to return to afterwards.
    pub start_url: String,
    pub correlation_id: String,
    pub claims: Option<String>,
    pub started_at: i64,
}

impl PendingRequest {
    /// The `state` parameter: our random id, then the app's state after a `|`.
    pub fn state(&self) -> String {
        match &self.app_state {
            Some(app) => format!("{}|{app}", self.state_id),
            None => self.state_id.clone(),
        }
    }

    pub fn to_json(&self) -> Json {
        Json::object([
            ("stateId", Some(Json::string(&self.state_id))),
            ("appState", self.app_state.as_deref().map(Json::string)),
            ("verifier", Some(Json::string(self.verifier.expose()))),
            ("nonce", Some(Json::string(&self.nonce))),
            ("scopes", Some(Json::strings(self.scopes.as_slice()))),
            ("redirectUri", Some(Json::string(&self.redirect_uri))),
            ("authority", Some(Json::string(&self.authority))),
            ("startUrl", Some(Json::string(&self.start_url))),
            ("correlationId", Some(Json::string(&self.correlation_id))),
            ("claims", self.claims.as_deref().map(Json::string)),
            ("startedAt", Some(Json::int(self.started_at))),
        ])
    }

    pub fn from_json(json: &Json) -> Option<PendingRequest> {
        let scopes = json.get("scopes")?.as_strings()?;
        Some(PendingRequest {
            state_id: json.str_at("stateId")?.to_owned(),
            app_state: json.str_at("appState").map(str::to_owned),
            verifier: CodeVerifier::new(json.str_at("verifier")?),
            nonce: json.str_at("nonce")?.to_owned(),
            scopes: Scopes::new(scopes),
            redirect_uri: json.str_at("redirectUri")?.to_owned(),
            authority: json.str_at("authority")?.to_owned(),
            start_url: json.str_at("startUrl")?.to_owned(),
            correlation_id: json.str_at("correlationId")?.to_owned(),
            claims: json.str_at("claims").map(str::to_owned),
            started_at: json.get("startedAt")?.as_i64()?,
        })
    }
}

/// Optional parameters of an authorize request, as MSAL's request object names them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hints {
    pub prompt: Option<String>,
    pub login_hint: Option<String>,
    pub domain_hint: Option<String>,
    pub sid: Option<String>,
    pub extra_query_parameters: Vec<(String, String)>,
}

pub fn authorize_url(endpoint: &str, client_id: &str, entra: bool, mode: ResponseMode, pending: &PendingRequest, hints: &Hints) -> String {
    let mut p = Params::default();
    p.push("client_id", client_id)
        .push("response_type", "code")
        .push("response_mode", mode.as_str())
        .push("redirect_uri", &pending.redirect_uri)
        .push("scope", pending.scopes.with_oidc().joined())
        .push("state", pending.state())
        .push("nonce", &pending.nonce)
        .push("code_challenge", pending.verifier.challenge())
        .push("code_challenge_method", "S256");
    let optional = [("prompt", &hints.prompt), ("login_hint", &hints.login_hint), ("domain_hint", &hints.domain_hint), ("sid", &hints.sid), ("claims", &pending.claims)];
    for (name, value) in optional {
        if let Some(v) = value {
            p.push(name, v.as_str());
        }
    }
    if entra {
        p.push("client_info", "1").push("x-client-SKU", SKU).push("x-client-VER", VERSION).push("client-request-id", &pending.correlation_id);
    }
    // The app's extra parameters never override the protocol's own.
    for (k, v) in &hints.extra_query_parameters {
        p.push_default(k, v.as_str());
    }
    with_params(endpoint, &p)
}

/// RP-initiated logout. OIDC providers honour `post_logout_redirect_uri` only with
/// `id_token_hint` or `client_id`, so both go along; Entra gets `logout_hint` to skip its
/// account picker.
pub fn logout_url(endpoint: &str, client_id: &str, post_logout_redirect_uri: Option<&str>, id_token_hint: Option<&str>, logout_hint: Option<&str>, correlation_id: &str, entra: bool) -> String {
    let mut p = Params::default();
    p.push("client_id", client_id);
    if let Some(uri) = post_logout_redirect_uri {
        p.push("post_logout_redirect_uri", uri);
    }
    if entra {
        if let Some(hint) = logout_hint {
            p.push("logout_hint", hint);
        }
        p.push("client-request-id", correlation_id);
    } else if let Some(hint) = id_token_hint {
        p.push("id_token_hint", hint);
    }
    with_params(endpoint, &p)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn pending() -> PendingRequest {
        PendingRequest {
            state_id: "sid1".into(),
            app_state: Some("app|state".into()),
            verifier: CodeVerifier::new("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            nonce: "n1".into(),
            scopes: Scopes::new(["https://help.kusto.windows.net/.default"]),
            redirect_uri: "http://localhost:3000/".into(),
            authority: "http://localhost:9400".into(),
            start_url: "http://localhost:3000/page?x=1".into(),
            correlation_id: "corr".into(),
            claims: None,
            started_at: 100,
        }
    }

    #[test]
    fn builds_the_authorize_url() {
        let hints = Hints {
            prompt: Some("select_account".into()),
            login_hint: Some("ada@contoso.com".into()),
            extra_query_parameters: vec![("mkt".into(), "de-DE".into()), ("client_id".into(), "evil".into())],
            ..Hints::default()
        };
        let url = authorize_url("https://idp/authorize", "app", true, ResponseMode::Fragment, &pending(), &hints);
        let (base, query) = url.split_once('?').unwrap();
        assert_eq!(base, "https://idp/authorize");
        let p = Params::parse(query).unwrap();
        assert_eq!(p.get("client_id"), Some("app"));
        assert_eq!(p.get("response_type"), Some("code"));
        assert_eq!(p.get("response_mode"), Some("fragment"));
        assert_eq!(p.get("scope"), Some("https://help.kusto.windows.net/.default openid profile offline_access"));
        assert_eq!(p.get("state"), Some("sid1|app|state"));
        assert_eq!(p.get("code_challenge"), Some("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
        assert_eq!(p.get("code_challenge_method"), Some("S256"));
        assert_eq!(p.get("prompt"), Some("select_account"));
        assert_eq!(p.get("login_hint"), Some("ada@contoso.com"));
        assert_eq!(p.get("client_info"), Some("1"));
        assert_eq!(p.get("client-request-id"), Some("corr"));
        assert_eq!(p.get("mkt"), Some("de-DE"));
        assert!(!p.contains("domain_hint"));

        let oidc = authorize_url("http://localhost:9400/auth", "app", false, ResponseMode::Query, &pending(), &Hints::default());
        let p = Params::parse(oidc.split_once('?').unwrap().1).unwrap();
        assert_eq!(p.get("response_mode"), Some("query"));
        assert!(!p.contains("client_info") && !p.contains("x-client-SKU"));
    }

    #[test]
    fn builds_logout_urls() {
        let oidc = logout_url("http://localhost:9400/session/end", "app", Some("http://localhost:3000/bye"), Some("a.b.c"), Some("hint"), "corr", false);
        assert_eq!(oidc, "http://localhost:9400/session/end?client_id=app&post_logout_redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fbye&id_token_hint=a.b.c");
        let entra = logout_url("https://login.microsoftonline.com/common/oauth2/v2.0/logout", "app", None, Some("a.b.c"), Some("hint"), "corr", true);
        assert_eq!(entra, "https://login.microsoftonline.com/common/oauth2/v2.0/logout?client_id=app&logout_hint=hint&client-request-id=corr");
    }

    #[test]
    fn pending_requests_round_trip() {
        let p = pending();
        assert_eq!(PendingRequest::from_json(&p.to_json()), Some(p));
        assert_eq!(PendingRequest::from_json(&Json::parse(r#"{"stateId":"x"}"#).unwrap()), None);
    }
}
