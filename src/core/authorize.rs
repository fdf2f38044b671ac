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

/// How a popup's state starts: its redirect page, cut off from its opener by the provider's
/// Cross-Origin-Opener-Policy, tells by it that the response is for the page that opened it.
/// (Random state ids are base64url, which has no '.'.)
const POPUP_STATE_PREFIX: &str = "p.";

/// The state id of a popup's request.
pub fn popup_state(random_id: String) -> String {
    format!("{POPUP_STATE_PREFIX}{random_id}")
}

pub fn is_popup_state(state_id: &str) -> bool {
    state_id.starts_with(POPUP_STATE_PREFIX)
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
    /// The request's `account` (or, as in MSAL, the active account when the request names no
    /// account, `loginHint` or `sid`).
    pub account: Option<AccountHints>,
    pub extra_query_parameters: Vec<(String, String)>,
}

/// What an account can tell the provider about its user: MSAL's `AccountInfo.loginHint`, else
/// the ID token's `login_hint` claim (an opaque hint Entra issues for this purpose), its `sid`
/// claim, and the username.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AccountHints {
    pub login_hint: Option<String>,
    pub sid: Option<String>,
    pub username: Option<String>,
}

/// A non-empty string member (MSAL tests these for truth, so "" counts as absent).
fn text(object: Option<&Json>, key: &str) -> Option<String> {
    object?.str_at(key).filter(|s| !s.is_empty()).map(str::to_owned)
}

impl AccountHints {
    /// Reads an `AccountInfo` (the app's object: any member may be missing or of another type).
    pub fn from_json(account: &Json) -> AccountHints {
        let claims = account.get("idTokenClaims");
        AccountHints { login_hint: text(Some(account), "loginHint").or_else(|| text(claims, "login_hint")), sid: text(claims, "sid"), username: text(Some(account), "username") }
    }
}

impl Hints {
    /// Who the provider is told the user is, by msal-common's rules: no one with
    /// `prompt=select_account` (the user picks; Entra refuses a hint with it); a session id only
    /// with `prompt=none`; the request's `sid` first, then for a request with an account its
    /// `login_hint` (not beside a `domainHint`), its `sid`, the request's `loginHint`, and last
    /// its username. Without an account, the request's `loginHint`.
    pub fn identity(&self) -> Option<(&'static str, &str)> {
        fn given(v: &Option<String>) -> Option<&str> {
            v.as_deref().filter(|s| !s.is_empty())
        }
        let prompt = self.prompt.as_deref();
        if prompt == Some("select_account") {
            return None;
        }
        let silent = prompt == Some("none");
        let account = self.account.as_ref();
        // In order of precedence; the first that applies is sent.
        let candidates = [
            ("sid", given(&self.sid).filter(|_| silent)),
            ("login_hint", account.and_then(|a| given(&a.login_hint)).filter(|_| given(&self.domain_hint).is_none())),
            ("sid", account.and_then(|a| given(&a.sid)).filter(|_| silent)),
            ("login_hint", given(&self.login_hint)),
            ("login_hint", account.and_then(|a| given(&a.username))),
        ];
        candidates.into_iter().find_map(|(name, value)| Some((name, value?)))
    }
}

pub fn authorize_url(endpoint: &str, client_id: &str, entra: bool, mode: ResponseMode, default_scopes: &Scopes, pending: &PendingRequest, hints: &Hints) -> String {
    let mut p = Params::default();
    p.push("client_id", client_id)
        .push("response_type", "code")
        .push("response_mode", mode.as_str())
        .push("redirect_uri", &pending.redirect_uri)
        .push("scope", pending.scopes.with_defaults(default_scopes).joined())
        .push("state", pending.state())
        .push("nonce", &pending.nonce)
        .push("code_challenge", pending.verifier.challenge())
        .push("code_challenge_method", "S256");
    let optional = [("prompt", &hints.prompt), ("domain_hint", &hints.domain_hint), ("claims", &pending.claims)];
    for (name, value) in optional {
        if let Some(v) = value {
            p.push(name, v.as_str());
        }
    }
    if let Some((name, value)) = hints.identity() {
        p.push(name, value);
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
    use crate::core::scopes::default_scopes;

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
            prompt: Some("login".into()),
            login_hint: Some("ada@contoso.com".into()),
            extra_query_parameters: vec![("mkt".into(), "de-DE".into()), ("client_id".into(), "evil".into())],
            ..Hints::default()
        };
        let url = authorize_url("https://idp/authorize", "app", true, ResponseMode::Fragment, &default_scopes(None), &pending(), &hints);
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
        assert_eq!(p.get("prompt"), Some("login"));
        assert_eq!(p.get("login_hint"), Some("ada@contoso.com"));
        assert!(!p.contains("sid"));
        assert_eq!(p.get("client_info"), Some("1"));
        assert_eq!(p.get("client-request-id"), Some("corr"));
        assert_eq!(p.get("mkt"), Some("de-DE"));
        assert!(!p.contains("domain_hint"));

        let oidc = authorize_url("http://localhost:9400/auth", "app", false, ResponseMode::Query, &default_scopes(Some(vec!["email"])), &pending(), &Hints::default());
        let p = Params::parse(oidc.split_once('?').unwrap().1).unwrap();
        assert_eq!(p.get("response_mode"), Some("query"));
        assert_eq!(p.get("scope"), Some("https://help.kusto.windows.net/.default email openid"), "the app's default scopes replace the OIDC ones");
        assert!(!p.contains("client_info") && !p.contains("x-client-SKU"));
    }

    fn account(json: &str) -> Option<AccountHints> {
        Some(AccountHints::from_json(&Json::parse(json).unwrap()))
    }

    #[test]
    fn reads_the_hints_of_an_account() {
        let full = account(r#"{"username":"ada@contoso.com","idTokenClaims":{"login_hint":"O.opaque","sid":"s-1"}}"#).unwrap();
        assert_eq!(full, AccountHints { login_hint: Some("O.opaque".into()), sid: Some("s-1".into()), username: Some("ada@contoso.com".into()) });
        // msal-browser 5's AccountInfo carries the hint itself.
        assert_eq!(account(r#"{"loginHint":"O.own","idTokenClaims":{"login_hint":"O.claim"}}"#).unwrap().login_hint.as_deref(), Some("O.own"));
        // An app's object of any shape: empty or mistyped members are absent.
        assert_eq!(account(r#"{"loginHint":"","username":7,"idTokenClaims":"x"}"#).unwrap(), AccountHints::default());
        assert_eq!(account("null").unwrap(), AccountHints::default());
    }

    #[test]
    fn picks_the_hint_as_msal_does() {
        let ada = account(r#"{"username":"ada@contoso.com","idTokenClaims":{"login_hint":"O.opaque","sid":"s-1"}}"#);
        let no_claim = account(r#"{"username":"ada@contoso.com","idTokenClaims":{"sid":"s-1"}}"#);
        let name_only = account(r#"{"username":"ada@contoso.com"}"#);
        let hints = |prompt: Option<&str>, login_hint: Option<&str>, sid: Option<&str>, domain_hint: Option<&str>, account: &Option<AccountHints>| Hints {
            prompt: prompt.map(str::to_owned),
            login_hint: login_hint.map(str::to_owned),
            sid: sid.map(str::to_owned),
            domain_hint: domain_hint.map(str::to_owned),
            account: account.clone(),
            extra_query_parameters: Vec::new(),
        };
        let cases: [(Hints, Option<(&str, &str)>); 16] = [
            // select_account: the user picks, whatever the request or account says.
            (hints(Some("select_account"), Some("bob@contoso.com"), Some("s-9"), None, &ada), None),
            (hints(Some("select_account"), None, None, None, &name_only), None),
            // Without an account: the request's own hint; its sid only with prompt=none.
            (hints(None, Some("bob@contoso.com"), None, None, &None), Some(("login_hint", "bob@contoso.com"))),
            (hints(None, Some("bob@contoso.com"), Some("s-9"), None, &None), Some(("login_hint", "bob@contoso.com"))),
            (hints(Some("login"), None, Some("s-9"), None, &None), None),
            (hints(Some("none"), Some("bob@contoso.com"), Some("s-9"), None, &None), Some(("sid", "s-9"))),
            (hints(None, Some(""), None, None, &None), None),
            // With an account: its login_hint claim wins over the request's loginHint ...
            (hints(None, Some("bob@contoso.com"), None, None, &ada), Some(("login_hint", "O.opaque"))),
            (hints(Some("none"), Some("bob@contoso.com"), None, None, &ada), Some(("login_hint", "O.opaque"))),
            // ... but not over the request's sid with prompt=none, nor beside a domain hint.
            (hints(Some("none"), None, Some("s-9"), None, &ada), Some(("sid", "s-9"))),
            (hints(None, Some("bob@contoso.com"), None, Some("contoso.com"), &ada), Some(("login_hint", "bob@contoso.com"))),
            // Then its sid, with prompt=none only; then the request's loginHint; then its username.
            (hints(Some("none"), Some("bob@contoso.com"), None, None, &no_claim), Some(("sid", "s-1"))),
            (hints(None, Some("bob@contoso.com"), None, None, &no_claim), Some(("login_hint", "bob@contoso.com"))),
            (hints(None, None, None, None, &no_claim), Some(("login_hint", "ada@contoso.com"))),
            (hints(Some("login"), None, None, Some("contoso.com"), &ada), Some(("login_hint", "ada@contoso.com"))),
            (hints(None, None, None, None, &Some(AccountHints::default())), None),
        ];
        for (i, (hints, expected)) in cases.iter().enumerate() {
            assert_eq!(hints.identity(), *expected, "case {i}: {hints:?}");
            let url = authorize_url("https://idp/authorize", "app", false, ResponseMode::Fragment, &default_scopes(None), &pending(), hints);
            let p = Params::parse(url.split_once('?').unwrap().1).unwrap();
            let sent: Vec<(&str, &str)> = ["login_hint", "sid"].into_iter().filter_map(|k| Some((k, p.get(k)?))).collect();
            assert_eq!(sent, expected.iter().copied().collect::<Vec<_>>(), "case {i}: one hint at most, and the one picked");
        }
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
