//! The sign-in and token flows as pure steps: each takes what the browser shell read (storage,
//! a response, the time, random bytes) and returns what to do next (a URL to visit, a request to
//! send, a result). The shell performs the I/O in between; every branch is testable here.

use super::account::Account;
use std::borrow::Cow;

use super::authority::{Authority, Endpoints, ProtocolMode};
use super::authorize::{authorize_url, logout_url, popup_state, Hints, PendingRequest, ResponseMode};
use super::base64::encode_url as b64url;
use super::cache::{is_fresh, AccessTokenEntry, AccountEntry, Cache, RefreshTokenEntry};
use super::error::{AuthError, ErrorKind, Result};
use super::id_token::{decode_jwt_payload, validate, Expected};
use super::interaction::Interaction;
use super::json::Json;
use super::scopes::Scopes;
use super::secret::{AccessToken, AuthCode, CodeVerifier, IdToken};
use super::token::{parse_response, Client, TokenRequest};
use super::url::HttpUrl;

/// The application's settings, checked.
#[derive(Debug, Clone)]
pub struct Settings {
    pub client_id: String,
    pub authority: Authority,
    pub protocol_mode: ProtocolMode,
    pub redirect_uri: String,
    pub post_logout_redirect_uri: Option<String>,
    /// Access tokens this close to expiry are renewed instead of served.
    pub renewal_offset: i64,
    pub response_mode: ResponseMode,
    /// `auth.knownAuthorities`: hosts besides the authority's own that its endpoints may be on.
    pub known_hosts: Vec<String>,
    /// Added to every request's scopes (`auth.OIDCOptions.defaultScopes`).
    pub default_scopes: Scopes,
    /// The endpoints of `auth.authorityMetadata`, checked as a discovery answer: no discovery.
    pub configured_endpoints: Option<Endpoints>,
}

/// What a token request gives the app: MSAL's `AuthenticationResult`.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthResult {
    pub access_token: AccessToken,
    pub token_type: String,
    pub expires_on: i64,
    pub scopes: Scopes,
    pub account: Account,
    pub id_token: IdToken,
    pub from_cache: bool,
    pub state: Option<String>,
    pub correlation_id: String,
    /// When a silent renewal will no longer be possible and the user must sign in again.
    pub refresh_token_expires_on: Option<i64>,
}

/// An interactive request (`loginRedirect`, `acquireTokenRedirect`).
#[derive(Debug, Clone, Default)]
pub struct InteractiveRequest {
    pub scopes: Scopes,
    pub state: Option<String>,
    pub claims: Option<String>,
    pub redirect_uri: Option<String>,
    pub hints: Hints,
}

/// Random bytes for one interactive request.
pub struct Entropy {
    pub verifier: [u8; 32],
    pub state: [u8; 16],
    pub nonce: [u8; 16],
}

/// A version 4 UUID, the form correlation ids take.
pub fn uuid_v4(mut b: [u8; 16]) -> String {
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut id = String::with_capacity(36);
    for (i, x) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            id.push('-');
        }
        id.push(HEX[usize::from(x >> 4)] as char);
        id.push(HEX[usize::from(x & 15)] as char);
    }
    id
}

/// Which grant produced a token response, with what the checks need.
pub enum Grant<'a> {
    Code { pending: &'a PendingRequest, client_info: Option<&'a str> },
    Refresh { account: &'a AccountEntry, refresh_token: &'a RefreshTokenEntry, scopes: &'a Scopes, correlation_id: &'a str },
}

/// Which of the cached access token, the refresh token and the hidden frame may answer a silent
/// request: MSAL's `CacheLookupPolicy` (0 Default, 1 AccessToken, 2 AccessTokenAndRefreshToken,
/// 3 RefreshToken, 4 RefreshTokenAndNetwork, 5 Skip).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lookup {
    pub from_cache: bool,
    pub by_refresh: bool,
    pub by_frame: bool,
}

impl Lookup {
    pub fn from_policy(policy: Option<u8>) -> Lookup {
        let (from_cache, by_refresh, by_frame) = match policy {
            Some(1) => (true, false, false),
            Some(2) => (true, true, false),
            Some(3) => (false, true, false),
            Some(4) => (false, true, true),
            Some(5) => (false, false, true),
            _ => (true, true, true),
        };
        Lookup { from_cache, by_refresh, by_frame }
    }
}

/// The next step of a silent request.
#[derive(Debug)]
pub enum SilentStep {
    Cached(AuthResult),
    Refresh(AccountEntry, RefreshTokenEntry),
}

impl Settings {
    /// The settings of a request that names its own `authority` (a B2C user flow, a guest
    /// tenant): the same, at that authority, which must be one the app may be sent to (see
    /// `Authority::admits`). `auth.authorityMetadata` describes the configured authority only.
    pub fn at(&self, authority: Option<&str>) -> Result<Cow<'_, Settings>> {
        let Some(raw) = authority.filter(|a| !a.is_empty()) else { return Ok(Cow::Borrowed(self)) };
        let authority = Authority::parse(raw, self.protocol_mode)?;
        if authority.url == self.authority.url {
            return Ok(Cow::Borrowed(self));
        }
        if !self.authority.admits(&authority, &self.known_hosts) {
            let message = format!(
                "The request's authority is on {}, which is neither auth.authority's host nor listed in auth.knownAuthorities. List the host there if the app may sign in at it.",
                authority.environment
            );
            return Err(AuthError::config("untrusted_authority", message));
        }
        Ok(Cow::Owned(Settings { authority, configured_endpoints: None, ..self.clone() }))
    }

    /// The provider's endpoints without a request: Entra's fixed ones, the app's
    /// `authorityMetadata`, or a discovery answer cached less than a day ago that still
    /// describes this authority (storage is writable by any script of the origin, so what it
    /// holds is checked as a fresh answer would be).
    pub fn cached_endpoints(&self, cache: &Cache, now: i64) -> Option<Endpoints> {
        self.authority
            .known_endpoints()
            .or_else(|| self.configured_endpoints.clone())
            .or_else(|| cache.metadata(&self.authority.url, now).filter(|e| self.authority.check_endpoints(e, &self.known_hosts).is_ok()))
    }

    /// Reads the provider's discovery document and caches its endpoints.
    pub fn accept_discovery(&self, cache: &Cache, doc: &Json, now: i64) -> Result<Endpoints> {
        let endpoints = self.authority.endpoints_from_discovery(doc, &self.known_hosts)?;
        // Best effort: without it the next page load only pays one more request.
        let _ = cache.save_metadata(&self.authority.url, &endpoints, now);
        Ok(endpoints)
    }

    fn client<'a>(&'a self, endpoints: &'a Endpoints, correlation_id: &'a str) -> Client<'a> {
        Client { token_endpoint: &endpoints.token, client_id: &self.client_id, entra: self.authority.is_entra(), correlation_id, default_scopes: &self.default_scopes }
    }

    /// Prepares a redirect to the authorize endpoint and records the request for the way back.
    #[allow(clippy::too_many_arguments)]
    pub fn begin_redirect(&self, endpoints: &Endpoints, interaction: &Interaction, request: &InteractiveRequest, entropy: &Entropy, correlation_id: &str, start_url: &str, now: i64) -> Result<String> {
        let (pending, url) = self.prepare(endpoints, request, entropy, correlation_id, start_url, now, false);
        interaction.begin(&pending, now)?;
        Ok(url)
    }

    /// The pending request and authorize URL of a request whose response a child window brings
    /// back (a popup, or a silent `prompt=none` frame): the pending request stays in memory and
    /// never marks the tab's interaction. A popup's state says it is one (see `popup_state`).
    #[allow(clippy::too_many_arguments)]
    pub fn prepare(&self, endpoints: &Endpoints, request: &InteractiveRequest, entropy: &Entropy, correlation_id: &str, start_url: &str, now: i64, popup: bool) -> (PendingRequest, String) {
        let state_id = b64url(&entropy.state);
        let pending = PendingRequest {
            state_id: if popup { popup_state(state_id) } else { state_id },
            app_state: request.state.clone(),
            verifier: CodeVerifier::from_random(&entropy.verifier),
            nonce: b64url(&entropy.nonce),
            scopes: request.scopes.clone(),
            redirect_uri: request.redirect_uri.clone().unwrap_or_else(|| self.redirect_uri.clone()),
            authority: self.authority.url.clone(),
            start_url: start_url.to_owned(),
            correlation_id: correlation_id.to_owned(),
            claims: request.claims.clone(),
            started_at: now,
        };
        let url = authorize_url(&endpoints.authorization, &self.client_id, self.authority.is_entra(), self.response_mode, &self.default_scopes, &pending, &request.hints);
        (pending, url)
    }

    pub fn code_request(&self, endpoints: &Endpoints, pending: &PendingRequest, code: &AuthCode) -> TokenRequest {
        self.client(endpoints, &pending.correlation_id).code_request(code, &pending.verifier, &pending.redirect_uri, &pending.scopes, pending.claims.as_deref())
    }

    pub fn refresh_request(&self, endpoints: &Endpoints, refresh: &RefreshTokenEntry, scopes: &Scopes, claims: Option<&str>, correlation_id: &str) -> TokenRequest {
        self.client(endpoints, correlation_id).refresh_request(&refresh.secret, scopes, claims)
    }

    /// Checks a token response and caches what it carries. A refresh token the provider rejects
    /// is dropped (it can never work again); on any other failure the cache is left as it was.
    pub fn accept_tokens(&self, endpoints: &Endpoints, cache: &Cache, grant: Grant, status: u16, body: &str, now: i64) -> Result<AuthResult> {
        let (correlation_id, scopes) = match &grant {
            Grant::Code { pending, .. } => (pending.correlation_id.as_str(), &pending.scopes),
            Grant::Refresh { scopes, correlation_id, .. } => (*correlation_id, *scopes),
        };
        let response = match parse_response(status, body) {
            Ok(r) => r,
            Err(err) => {
                // Refused where it was issued, it can never work again; another tenant's refusal
                // (the user is no guest there) says nothing about it.
                if let (Grant::Refresh { account, refresh_token, .. }, ErrorKind::InteractionRequired) = (&grant, err.kind) {
                    if self.authority.shares_tokens_with(&refresh_token.authority) {
                        cache.remove_refresh_token(&account.account.key());
                    }
                }
                return Err(err.with_correlation_id(correlation_id));
            }
        };
        let (account_entry, previous_refresh) = match grant {
            Grant::Code { pending, client_info } => {
                let id_token = response
                    .id_token
                    .clone()
                    .ok_or_else(|| AuthError::client("null_or_empty_token", "The token endpoint returned no ID token for the sign-in. Check that the 'openid' scope is allowed for this app."))?;
                let nonce = Some(pending.nonce.as_str());
                let account = self.check_id_token(endpoints, &id_token, nonce, response.client_info.as_deref().or(client_info), now)?;
                (AccountEntry { account, id_token }, None)
            }
            Grant::Refresh { account, refresh_token, .. } => match response.id_token.clone() {
                Some(id_token) => {
                    let renewed = self.check_id_token(endpoints, &id_token, None, response.client_info.as_deref(), now)?;
                    if renewed.key() != account.account.key() {
                        return Err(
                            AuthError::client("account_mismatch", "The refreshed tokens belong to a different account than the one requested. Sign in again.").with_correlation_id(correlation_id)
                        );
                    }
                    (AccountEntry { account: renewed, id_token }, Some(refresh_token))
                }
                None => (account.clone(), Some(refresh_token)),
            },
        };
        let key = account_entry.account.key();
        let requested = scopes.resource_scopes();
        let granted = response.scope.as_ref().map(Scopes::resource_scopes).unwrap_or_else(|| requested.clone());
        let access = AccessTokenEntry {
            secret: response.access_token,
            token_type: response.token_type,
            expires_at: now.saturating_add(response.expires_in),
            requested,
            granted: granted.clone(),
            authority: self.authority.url.clone(),
        };
        // Providers that do not rotate send no new refresh token: the old one stays.
        let refresh = match (response.refresh_token, previous_refresh) {
            (Some(secret), _) => Some(RefreshTokenEntry { secret, expires_at: response.refresh_token_expires_in.map(|s| now.saturating_add(s)), authority: self.authority.url.clone() }),
            (None, previous) => previous.cloned(),
        };
        cache.save_account(&account_entry)?;
        cache.save_access_token(&key, &access)?;
        if let Some(rt) = &refresh {
            cache.save_refresh_token(&key, rt)?;
        }
        Ok(AuthResult {
            access_token: access.secret,
            token_type: access.token_type,
            expires_on: access.expires_at,
            scopes: if granted.is_empty() { scopes.clone() } else { granted },
            account: account_entry.account,
            id_token: account_entry.id_token,
            from_cache: false,
            state: None,
            correlation_id: correlation_id.to_owned(),
            refresh_token_expires_on: refresh.and_then(|r| r.expires_at),
        })
    }

    fn check_id_token(&self, endpoints: &Endpoints, id_token: &IdToken, nonce: Option<&str>, client_info: Option<&str>, now: i64) -> Result<Account> {
        let claims = decode_jwt_payload(id_token.expose())?;
        validate(&claims, &Expected { authority: &self.authority, endpoints, client_id: &self.client_id, nonce, now })?;
        Account::from_claims(claims, &self.authority.environment, client_info)
            .ok_or_else(|| AuthError::client("token_parsing_error", "The ID token has no 'sub' claim, so the account cannot be identified."))
    }

    /// A result served from the cache, if a fresh enough access token is there.
    pub fn cached_result(&self, cache: &Cache, account: &AccountEntry, scopes: &Scopes, correlation_id: &str, now: i64) -> Option<AuthResult> {
        let key = account.account.key();
        if scopes.resource_scopes().is_empty() {
            // OpenID scopes only: the app wants the ID token and its claims, served while the ID
            // token is fresh. No access token answers for "no resource".
            let expires_on = account.account.id_token_claims.0.get("exp").and_then(Json::as_i64)?;
            return is_fresh(expires_on, now, self.renewal_offset).then(|| AuthResult {
                access_token: AccessToken::new(""),
                token_type: "Bearer".to_owned(),
                expires_on,
                scopes: scopes.clone(),
                account: account.account.clone(),
                id_token: account.id_token.clone(),
                from_cache: true,
                state: None,
                correlation_id: correlation_id.to_owned(),
                refresh_token_expires_on: cache.refresh_token(&key).and_then(|r| r.expires_at),
            });
        }
        let at = cache.access_token(&key, scopes, &self.authority, now, self.renewal_offset)?;
        Some(AuthResult {
            access_token: at.secret,
            token_type: at.token_type,
            expires_on: at.expires_at,
            scopes: if at.granted.is_empty() { scopes.clone() } else { at.granted },
            account: account.account.clone(),
            id_token: account.id_token.clone(),
            from_cache: true,
            state: None,
            correlation_id: correlation_id.to_owned(),
            refresh_token_expires_on: cache.refresh_token(&key).and_then(|r| r.expires_at),
        })
    }

    /// Decides how to answer a silent request: from the cache, by a refresh, or not at all.
    pub fn silent_step(&self, cache: &Cache, account_key: &str, scopes: &Scopes, force_refresh: bool, correlation_id: &str, now: i64) -> Result<SilentStep> {
        let needs_interaction = |code: &str, message: &str| Err(AuthError::interaction_required(code, message).with_correlation_id(correlation_id));
        let Some(account) = cache.account(account_key) else {
            return Err(no_cached_tokens(correlation_id));
        };
        if !force_refresh {
            if let Some(hit) = self.cached_result(cache, &account, scopes, correlation_id, now) {
                return Ok(SilentStep::Cached(hit));
            }
        }
        match cache.refresh_token(account_key) {
            Some(rt) if rt.is_expired(now) => {
                cache.remove_refresh_token(account_key);
                needs_interaction("refresh_token_expired", "The refresh token has expired (single-page-app refresh tokens last 24 hours from sign-in). Sign in interactively.")
            }
            // Sent only to the authority that issued it: a refresh token of another provider or
            // tenant (the app's authority changed, the cache is shared) would leak to this one.
            Some(rt) if !self.authority.redeems_refresh_tokens_of(&rt.authority) => {
                needs_interaction("no_tokens_found", "The cached refresh token was issued by another authority than the configured one. Sign in interactively with this authority.")
            }
            Some(rt) => Ok(SilentStep::Refresh(account, rt)),
            None => needs_interaction("no_tokens_found", "No refresh token is cached for this account. Sign in interactively."),
        }
    }

    /// Whether a silent request that failed with `err` goes on to a hidden frame (as MSAL's last
    /// silent step): only when the user must act otherwise, and only for an account signed in
    /// at this authority's host, which the frame then signs in at again.
    pub fn frame_may_follow(&self, lookup: Lookup, err: &AuthError, account: Option<&AccountEntry>) -> bool {
        lookup.by_frame && err.kind == ErrorKind::InteractionRequired && account.is_some_and(|a| self.authority.is_environment(&a.account.environment))
    }

    /// Where the browser goes to end the provider's session: its end-session endpoint, told to
    /// send the browser back to the post-logout page; without one, that page itself, which must
    /// then be on the app's `origin`. The page is the request's `postLogoutRedirectUri`, else the
    /// app's (`null` in either: none); both already resolved against the current page.
    pub fn logout(&self, endpoints: &Endpoints, account: Option<&AccountEntry>, requested: Option<&Json>, origin: &str, correlation_id: &str) -> Result<Option<String>> {
        let back = match requested {
            Some(Json::Str(uri)) => Some(uri.as_str()),
            Some(Json::Null) => None,
            _ => self.post_logout_redirect_uri.as_deref(),
        };
        let Some(endpoint) = endpoints.end_session.as_deref() else {
            if let Some(page) = back {
                check_own_page(page, origin, "postLogoutRedirectUri").map_err(|e| e.with_correlation_id(correlation_id))?;
            }
            return Ok(back.map(str::to_owned));
        };
        let id_token = account.map(|a| a.id_token.expose());
        let hint = account.and_then(|a| a.account.id_token_claims.str("login_hint"));
        Ok(Some(logout_url(endpoint, &self.client_id, back, id_token, hint, correlation_id, self.authority.is_entra())))
    }
}

/// Checks a page the library would send this window to (`redirectStartPage`,
/// `mainWindowRedirectUri`, a post-logout page without an end-session endpoint): it must be an
/// http(s) page on the app's own `origin`. Anything else (`javascript:`, another site) would run
/// script in the app's origin or make the app an open redirect. `key` names the setting; the
/// value itself is not quoted back.
pub fn check_own_page(url: &str, origin: &str, key: &str) -> Result<()> {
    if HttpUrl::parse(url).is_ok_and(|u| u.origin() == origin) {
        return Ok(());
    }
    Err(AuthError::config("invalid_navigation_target", format!("{key} must be a page of this app: an http(s) URL on {origin}, or a path relative to the current page.")))
}

/// A request's `authenticationScheme` (MSAL's `AuthenticationScheme`): absent, empty or
/// `"Bearer"`, as only Bearer tokens are issued here. A request for a bound token (`pop`, `DPoP`)
/// or an SSH certificate fails rather than get a Bearer token the app did not ask for. The
/// class and code are msal-browser 5's for a scheme it does not support.
pub fn check_authentication_scheme(request: &Json) -> Result<()> {
    match request.get("authenticationScheme") {
        None | Some(Json::Null) => Ok(()),
        Some(Json::Str(s)) if s.is_empty() || s == "Bearer" => Ok(()),
        Some(_) => Err(AuthError::config(
            "unsupported_authentication_scheme",
            "request.authenticationScheme must be 'Bearer' or absent: only Bearer tokens are issued here (no pop, DPoP or SSH certificates).",
        )),
    }
}

/// A silent request for an account this cache does not hold: only a sign-in can help.
pub fn no_cached_tokens(correlation_id: &str) -> AuthError {
    AuthError::interaction_required("no_tokens_found", "No cached tokens for this account. Sign in interactively.").with_correlation_id(correlation_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::authority::ProtocolMode;
    use crate::core::id_token::tests::jwt;
    use crate::core::redirect::{self, Outcome};
    use crate::core::store::{MemoryStore, Store};
    use crate::core::url::Params;

    const ISSUER: &str = "http://localhost:9400";

    fn settings() -> (Settings, Endpoints) {
        let settings = Settings {
            client_id: "app".into(),
            authority: Authority::parse(ISSUER, ProtocolMode::Auto).unwrap(),
            protocol_mode: ProtocolMode::Auto,
            redirect_uri: "http://localhost:3000/".into(),
            post_logout_redirect_uri: Some("http://localhost:3000/bye".into()),
            renewal_offset: 300,
            response_mode: ResponseMode::Fragment,
            known_hosts: Vec::new(),
            default_scopes: crate::core::scopes::default_scopes(None),
            configured_endpoints: None,
        };
        let endpoints = Endpoints { authorization: format!("{ISSUER}/auth"), token: format!("{ISSUER}/token"), end_session: Some(format!("{ISSUER}/session/end")), issuer: ISSUER.into() };
        (settings, endpoints)
    }

    fn token_body(nonce: &str, access: &str, refresh: Option<&str>) -> String {
        let id = jwt(&format!(r#"{{"iss":"{ISSUER}","aud":"app","sub":"ada","nonce":"{nonce}","exp":2000,"iat":1000,"name":"Ada"}}"#));
        let rt = refresh.map(|r| format!(r#","refresh_token":"{r}""#)).unwrap_or_default();
        format!(r#"{{"access_token":"{access}","token_type":"Bearer","expires_in":3600,"id_token":"{id}","scope":"openid https://help.kusto.windows.net/.default"{rt}}}"#)
    }

    /// Runs a redirect sign-in through the pure steps, as the shell would.
    /// A store holding one signed-in account, and that account's key.
    fn signed_in(settings: &Settings, endpoints: &Endpoints) -> (MemoryStore, String) {
        let local = MemoryStore::default();
        let key = sign_in(settings, endpoints, &Cache::new(&local, "app"), &MemoryStore::default()).account.key();
        (local, key)
    }

    fn sign_in(settings: &Settings, endpoints: &Endpoints, cache: &Cache, session: &MemoryStore) -> AuthResult {
        let interaction = Interaction::new(session, "app");
        let request = InteractiveRequest { scopes: Scopes::new(["https://help.kusto.windows.net/.default"]), state: Some("mine".into()), ..Default::default() };
        let entropy = Entropy { verifier: [7; 32], state: [1; 16], nonce: [2; 16] };
        let url = settings.begin_redirect(endpoints, &interaction, &request, &entropy, "corr", "http://localhost:3000/start", 1000).unwrap();
        let sent = Params::parse(url.split_once('?').unwrap().1).unwrap();
        let fragment = format!("#code=the-code&state={}", crate::core::url::encode(sent.get("state").unwrap()));
        let (response, _) = redirect::find(&fragment, "").unwrap().unwrap();
        let pending = interaction.take(response.state_id()).unwrap();
        let Outcome::Code { code, client_info } = &response.outcome else { panic!() };
        let req = settings.code_request(endpoints, &pending, code);
        assert_eq!(req.body.get("code_verifier"), Some(CodeVerifier::from_random(&[7; 32]).expose()));
        let body = token_body(&pending.nonce, "at-1", Some("rt-1"));
        let grant = Grant::Code { pending: &pending, client_info: client_info.as_deref() };
        let mut result = settings.accept_tokens(endpoints, cache, grant, 200, &body, 1000).unwrap();
        result.state = pending.app_state.clone();
        result
    }

    #[test]
    fn signs_in_then_answers_silently_from_cache_then_by_refresh() {
        let (settings, endpoints) = settings();
        let (local, session) = (MemoryStore::default(), MemoryStore::default());
        let cache = Cache::new(&local, "app");
        let result = sign_in(&settings, &endpoints, &cache, &session);
        assert_eq!((result.access_token.expose(), result.state.as_deref(), result.expires_on), ("at-1", Some("mine"), 4600));
        assert_eq!(result.scopes.joined(), "https://help.kusto.windows.net/.default");
        assert!(session.keys().is_empty(), "interaction state is gone: {:?}", session.keys());

        let key = result.account.key();
        let kusto = Scopes::new(["https://help.kusto.windows.net/.default"]);
        let SilentStep::Cached(hit) = settings.silent_step(&cache, &key, &kusto, false, "c2", 2000).unwrap() else { panic!("expected a cache hit") };
        assert!(hit.from_cache);
        assert_eq!(hit.access_token.expose(), "at-1");

        // Within the renewal offset: refresh.
        let SilentStep::Refresh(account, rt) = settings.silent_step(&cache, &key, &kusto, false, "c3", 4400).unwrap() else { panic!("expected a refresh") };
        assert_eq!(rt.secret.expose(), "rt-1");
        let req = settings.refresh_request(&endpoints, &rt, &kusto, None, "c3");
        assert_eq!(req.body.get("grant_type"), Some("refresh_token"));
        let grant = Grant::Refresh { account: &account, refresh_token: &rt, scopes: &kusto, correlation_id: "c3" };
        let renewed = settings.accept_tokens(&endpoints, &cache, grant, 200, r#"{"access_token":"at-2","expires_in":3600}"#, 4400).unwrap();
        assert_eq!(renewed.access_token.expose(), "at-2");
        // No refresh token in the answer: the old one is kept.
        assert_eq!(cache.refresh_token(&key).unwrap().secret.expose(), "rt-1");
        // forceRefresh skips the cache.
        assert!(matches!(settings.silent_step(&cache, &key, &kusto, true, "c4", 4401).unwrap(), SilentStep::Refresh(..)));

        // OpenID scopes only: the ID token answers while it is fresh (it expires at 2000).
        let oidc = Scopes::new(["openid", "profile"]);
        let SilentStep::Cached(hit) = settings.silent_step(&cache, &key, &oidc, false, "c5", 1500).unwrap() else { panic!("expected the ID token") };
        assert_eq!((hit.id_token.expose(), hit.access_token.expose(), hit.expires_on), (result.id_token.expose(), "", 2000));
        assert!(matches!(settings.silent_step(&cache, &key, &oidc, false, "c6", 1800).unwrap(), SilentStep::Refresh(..)));
    }

    #[test]
    fn a_rejected_refresh_token_is_dropped_but_a_server_fault_keeps_it() {
        let (settings, endpoints) = settings();
        let (local, key) = signed_in(&settings, &endpoints);
        let cache = Cache::new(&local, "app");
        let kusto = Scopes::new(["https://help.kusto.windows.net/.default"]);
        let SilentStep::Refresh(account, rt) = settings.silent_step(&cache, &key, &kusto, true, "c", 1100).unwrap() else { panic!() };

        let grant = Grant::Refresh { account: &account, refresh_token: &rt, scopes: &kusto, correlation_id: "c" };
        let err = settings.accept_tokens(&endpoints, &cache, grant, 503, "busy", 1100).unwrap_err();
        assert_eq!((err.code.as_str(), err.correlation_id.as_str()), ("server_unavailable", "c"));
        assert!(cache.refresh_token(&key).is_some(), "a 503 must not lose the refresh token");

        let grant = Grant::Refresh { account: &account, refresh_token: &rt, scopes: &kusto, correlation_id: "c" };
        let err = settings.accept_tokens(&endpoints, &cache, grant, 400, r#"{"error":"invalid_grant"}"#, 1100).unwrap_err();
        assert_eq!(err.kind, ErrorKind::InteractionRequired);
        assert!(cache.refresh_token(&key).is_none());
        assert_eq!(settings.silent_step(&cache, &key, &kusto, true, "c", 1100).unwrap_err().code, "no_tokens_found");
    }

    #[test]
    fn an_expired_refresh_token_asks_for_interaction_without_a_request() {
        let (settings, endpoints) = settings();
        let (local, key) = signed_in(&settings, &endpoints);
        let cache = Cache::new(&local, "app");
        cache.save_refresh_token(&key, &RefreshTokenEntry { secret: crate::core::secret::RefreshToken::new("old"), expires_at: Some(1500), authority: ISSUER.into() }).unwrap();
        let err = settings.silent_step(&cache, &key, &Scopes::new(["x"]), false, "c", 1500).unwrap_err();
        assert_eq!((err.kind, err.code.as_str()), (ErrorKind::InteractionRequired, "refresh_token_expired"));
        assert!(cache.refresh_token(&key).is_none());
    }

    #[test]
    fn tokens_answer_only_for_the_authority_that_issued_them() {
        let (settings, endpoints) = settings();
        let (local, key) = signed_in(&settings, &endpoints);
        let cache = Cache::new(&local, "app");
        let kusto = Scopes::new(["https://help.kusto.windows.net/.default"]);
        let entry = cache.account(&key).unwrap();
        // The same client id and cache, configured with another provider.
        let other = Settings { authority: Authority::parse("http://localhost:9401", ProtocolMode::Auto).unwrap(), ..settings.clone() };
        for force in [false, true] {
            let err = other.silent_step(&cache, &key, &kusto, force, "c", 2000).unwrap_err();
            assert_eq!((err.kind, err.code.as_str()), (ErrorKind::InteractionRequired, "no_tokens_found"));
            // Nor does a hidden frame at the other provider sign this account in.
            assert!(!other.frame_may_follow(Lookup::from_policy(None), &err, Some(&entry)));
        }
        assert!(cache.refresh_token(&key).is_some(), "the refusal keeps the refresh token");
        assert!(matches!(settings.silent_step(&cache, &key, &kusto, false, "c", 2000).unwrap(), SilentStep::Cached(_)));
        let err = settings.silent_step(&cache, "localhost%3A9400|nobody", &kusto, false, "c", 2000).unwrap_err();
        assert!(settings.frame_may_follow(Lookup::from_policy(None), &err, Some(&entry)));
        assert!(!settings.frame_may_follow(Lookup::from_policy(Some(3)), &err, Some(&entry)));
    }

    #[test]
    fn a_request_may_name_its_own_authority_on_a_host_the_app_trusts() {
        let (settings, endpoints) = settings();
        assert!(matches!(settings.at(None).unwrap(), Cow::Borrowed(_)));
        assert!(matches!(settings.at(Some("http://localhost:9400/")).unwrap(), Cow::Borrowed(_)), "the configured authority, spelled otherwise");
        let with_metadata = Settings { configured_endpoints: Some(endpoints), ..settings.clone() };
        let flow = with_metadata.at(Some("http://localhost:9400/b2c_1_edit")).unwrap();
        assert_eq!(flow.authority.url, "http://localhost:9400/b2c_1_edit");
        assert_eq!(flow.configured_endpoints, None, "authorityMetadata describes the configured authority only");
        assert_eq!(flow.client_id, "app");
        assert!(settings.at(Some("https://login.microsoftonline.com/guest-tenant.example")).unwrap().authority.is_entra());
        for refused in ["https://collector.example/tenant", "http://localhost:9401"] {
            assert_eq!(settings.at(Some(refused)).unwrap_err().code, "untrusted_authority", "{refused}");
        }
        let known = Settings { known_hosts: vec!["login.contoso.example".into()], ..settings.clone() };
        assert_eq!(known.at(Some("https://login.contoso.example/tfp/b2c_1_signin")).unwrap().authority.environment, "login.contoso.example");
        assert_eq!(settings.at(Some("not a url")).unwrap_err().code, "url_parse_error");
    }

    #[test]
    fn a_guest_tenant_gets_its_own_tokens_from_the_home_tenants_refresh_token() {
        let home = Authority::parse("https://login.microsoftonline.com/home.example", ProtocolMode::Auto).unwrap();
        let guest = Authority::parse("https://login.microsoftonline.com/guest.example", ProtocolMode::Auto).unwrap();
        assert!(guest.redeems_refresh_tokens_of(&home.url) && home.redeems_refresh_tokens_of("https://login.windows.net/guest.example"));
        assert!(!guest.shares_tokens_with(&home.url), "access tokens stay the tenant's own");
        assert!(!guest.redeems_refresh_tokens_of("https://login.microsoftonline.us/home.example"), "another cloud");
        assert!(!guest.redeems_refresh_tokens_of("http://localhost:9400"));
        let oidc = Authority::parse("http://localhost:9400/realms/a", ProtocolMode::Auto).unwrap();
        assert!(!oidc.redeems_refresh_tokens_of("http://localhost:9400/realms/b"), "a provider's other path is another issuer");

        // Refused at a tenant where the user is no guest, the home tenant's refresh token stays.
        let (settings, endpoints) = settings();
        let (local, key) = signed_in(&settings, &endpoints);
        let cache = Cache::new(&local, "app");
        let account = cache.account(&key).unwrap();
        let mut refresh = cache.refresh_token(&key).unwrap();
        refresh.authority = home.url.clone();
        cache.save_refresh_token(&key, &refresh).unwrap();
        let at_guest = Settings { authority: guest.clone(), ..settings.clone() };
        let kusto = Scopes::new(["https://help.kusto.windows.net/.default"]);
        let refused = r#"{"error":"invalid_grant","error_description":"AADSTS50020: not in tenant"}"#;
        let grant = |rt| Grant::Refresh { account: &account, refresh_token: rt, scopes: &kusto, correlation_id: "c" };
        assert_eq!(at_guest.accept_tokens(&endpoints, &cache, grant(&refresh), 400, refused, 1100).unwrap_err().code, "invalid_grant");
        assert!(cache.refresh_token(&key).is_some());
        let at_home = Settings { authority: home, ..settings.clone() };
        at_home.accept_tokens(&endpoints, &cache, grant(&refresh), 400, refused, 1100).unwrap_err();
        assert!(cache.refresh_token(&key).is_none(), "refused where it was issued, it is gone");
    }

    #[test]
    fn one_accounts_access_tokens_of_two_authorities_stay_apart() {
        let (settings, endpoints) = settings();
        let (local, key) = signed_in(&settings, &endpoints);
        let cache = Cache::new(&local, "app");
        let kusto = Scopes::new(["https://help.kusto.windows.net/.default"]);
        let other = settings.at(Some("http://localhost:9400/other-flow")).unwrap();
        let account = cache.account(&key).unwrap();
        let refresh = cache.refresh_token(&key).unwrap();
        let grant = Grant::Refresh { account: &account, refresh_token: &refresh, scopes: &kusto, correlation_id: "c" };
        let body = r#"{"access_token":"at-other","token_type":"Bearer","expires_in":3600,"scope":"https://help.kusto.windows.net/.default"}"#;
        other.accept_tokens(&endpoints, &cache, grant, 200, body, 1100).unwrap();
        let served = |s: &Settings| match s.silent_step(&cache, &key, &kusto, false, "c", 1200).unwrap() {
            SilentStep::Cached(hit) => hit.access_token.expose().to_owned(),
            SilentStep::Refresh(..) => panic!("no cached token"),
        };
        assert_eq!((served(&settings).as_str(), served(&other).as_str()), ("at-1", "at-other"));
    }

    #[test]
    fn cached_endpoints_are_checked_as_a_fresh_answer() {
        let (settings, endpoints) = settings();
        let local = MemoryStore::default();
        let cache = Cache::new(&local, "app");
        let doc = Json::parse(r#"{"issuer":"http://localhost:9400","authorization_endpoint":"http://localhost:9400/auth","token_endpoint":"http://localhost:9400/token"}"#).unwrap();
        let discovered = settings.accept_discovery(&cache, &doc, 1000).unwrap();
        assert_eq!(settings.cached_endpoints(&cache, 1001), Some(discovered));
        // Another script rewrote the entry: its token endpoint is someone else's.
        cache.save_metadata(ISSUER, &Endpoints { token: "https://collector.example/token".into(), ..endpoints.clone() }, 1000).unwrap();
        assert_eq!(settings.cached_endpoints(&cache, 1001), None);
        cache.save_metadata(ISSUER, &Endpoints { issuer: "https://collector.example".into(), ..endpoints }, 1000).unwrap();
        assert_eq!(settings.cached_endpoints(&cache, 1001), None);
    }

    #[test]
    fn configured_metadata_and_default_scopes_shape_every_request() {
        let (settings, endpoints) = settings();
        let doc = r#"{"issuer":"http://localhost:9400","authorization_endpoint":"http://localhost:9400/authorize-here","token_endpoint":"http://localhost:9400/token-here"}"#;
        let configured = settings.authority.endpoints_from_metadata(doc, &[]).unwrap();
        let settings = Settings { default_scopes: crate::core::scopes::default_scopes(Some(vec!["email"])), configured_endpoints: configured, ..settings };
        let local = MemoryStore::default();
        let cache = Cache::new(&local, "app");
        // The configured endpoints answer before the cache: no discovery, nothing read.
        cache.save_metadata(ISSUER, &endpoints, 1000).unwrap();
        let used = settings.cached_endpoints(&cache, 1001).unwrap();
        assert_eq!((used.authorization.as_str(), used.token.as_str()), ("http://localhost:9400/authorize-here", "http://localhost:9400/token-here"));

        let request = InteractiveRequest { scopes: Scopes::new(["https://help.kusto.windows.net/.default"]), ..Default::default() };
        let entropy = Entropy { verifier: [7; 32], state: [1; 16], nonce: [2; 16] };
        let (pending, url) = settings.prepare(&used, &request, &entropy, "c", "http://localhost:3000/", 1000, false);
        let (popup, popup_url) = settings.prepare(&used, &request, &entropy, "c", "", 1000, true);
        assert!(crate::core::authorize::is_popup_state(&popup.state_id) && !crate::core::authorize::is_popup_state(&pending.state_id));
        assert!(popup_url.contains(&format!("state={}", popup.state_id)), "the popup's redirect page sees the mark: {popup_url}");
        assert!(url.starts_with("http://localhost:9400/authorize-here?"));
        let sent = Params::parse(url.split_once('?').unwrap().1).unwrap();
        assert_eq!(sent.get("scope"), Some("https://help.kusto.windows.net/.default email openid"));
        let token = settings.code_request(&used, &pending, &AuthCode::new("code"));
        assert_eq!((token.url.as_str(), token.body.get("scope")), ("http://localhost:9400/token-here", Some("https://help.kusto.windows.net/.default email openid")));
        let refresh = RefreshTokenEntry { secret: crate::core::secret::RefreshToken::new("rt"), expires_at: None, authority: ISSUER.into() };
        assert_eq!(settings.refresh_request(&used, &refresh, &pending.scopes, None, "c").body.get("scope"), Some("https://help.kusto.windows.net/.default email openid"));
    }

    #[test]
    fn reads_cache_lookup_policies() {
        let table: Vec<(bool, bool, bool)> = (0..=6).map(|p| Lookup::from_policy(Some(p))).map(|l| (l.from_cache, l.by_refresh, l.by_frame)).collect();
        let (t, f) = (true, false);
        assert_eq!(table, [(t, t, t), (t, f, f), (t, t, f), (f, t, f), (f, t, t), (f, f, t), (t, t, t)]);
        assert_eq!(Lookup::from_policy(None), Lookup::from_policy(Some(0)));
    }

    #[test]
    fn a_bad_id_token_caches_nothing() {
        let (settings, endpoints) = settings();
        let (local, session) = (MemoryStore::default(), MemoryStore::default());
        let cache = Cache::new(&local, "app");
        let interaction = Interaction::new(&session, "app");
        let entropy = Entropy { verifier: [0; 32], state: [3; 16], nonce: [4; 16] };
        settings.begin_redirect(&endpoints, &interaction, &InteractiveRequest::default(), &entropy, "c", "http://localhost:3000/", 1000).unwrap();
        let pending = interaction.take(&b64url(&[3; 16])).unwrap();
        for body in [token_body("wrong-nonce", "at", Some("rt")), r#"{"access_token":"at","expires_in":60}"#.to_owned(), r#"{"access_token":"at","expires_in":60,"id_token":"x.y"}"#.to_owned()] {
            let grant = Grant::Code { pending: &pending, client_info: None };
            assert!(settings.accept_tokens(&endpoints, &cache, grant, 200, &body, 1000).is_err());
            assert!(local.keys().is_empty(), "nothing cached for {body}");
        }
    }

    #[test]
    fn logout_sends_the_browser_back_to_the_post_logout_page() {
        let (settings, mut endpoints) = settings();
        let (local, session) = (MemoryStore::default(), MemoryStore::default());
        let cache = Cache::new(&local, "app");
        let entry = cache.account(&sign_in(&settings, &endpoints, &cache, &session).account.key()).unwrap();
        let logout = |endpoints: &Endpoints, requested: Option<Json>| settings.logout(endpoints, Some(&entry), requested.as_ref(), "http://localhost:3000", "c").unwrap();

        let url = logout(&endpoints, None).unwrap();
        assert!(url.starts_with("http://localhost:9400/session/end?client_id=app&post_logout_redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fbye&id_token_hint="));
        assert!(url.ends_with(entry.id_token.expose()));
        let other = logout(&endpoints, Some(Json::string("http://localhost:3000/other"))).unwrap();
        assert!(other.contains("post_logout_redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fother&"));
        // null: the provider keeps the browser.
        assert!(!logout(&endpoints, Some(Json::Null)).unwrap().contains("post_logout_redirect_uri"));

        // A provider without an end-session endpoint: straight to the page, if there is one.
        endpoints.end_session = None;
        assert_eq!(logout(&endpoints, None).as_deref(), Some("http://localhost:3000/bye"));
        assert_eq!(logout(&endpoints, Some(Json::Null)), None);
        // ... and only to a page of the app: never a script URL or another site.
        for target in ["javascript:alert(1)", "https://evil.example/", "http://localhost:3001/", "data:text/html,x"] {
            let err = settings.logout(&endpoints, Some(&entry), Some(&Json::string(target)), "http://localhost:3000", "c").unwrap_err();
            assert_eq!((err.kind, err.code.as_str()), (ErrorKind::Configuration, "invalid_navigation_target"), "{target}");
            assert!(!err.message.contains(target));
        }
    }

    #[test]
    fn only_bearer_tokens_are_requested() {
        for ok in [r#"{}"#, r#"{"authenticationScheme":null}"#, r#"{"authenticationScheme":""}"#, r#"{"authenticationScheme":"Bearer"}"#] {
            assert!(check_authentication_scheme(&Json::parse(ok).unwrap()).is_ok(), "{ok}");
        }
        // msal-browser's AuthenticationScheme values, and what it does not know either.
        for scheme in [r#""pop""#, r#""DPoP""#, r#""ssh-cert""#, r#""SSH""#, r#""bearer""#, "1", "true", "{}"] {
            let err = check_authentication_scheme(&Json::parse(&format!(r#"{{"authenticationScheme":{scheme}}}"#)).unwrap()).unwrap_err();
            assert_eq!((err.kind, err.code.as_str()), (ErrorKind::Configuration, "unsupported_authentication_scheme"), "{scheme}");
            assert!(err.message.starts_with("request.authenticationScheme must be 'Bearer'"));
        }
    }

    #[test]
    fn makes_uuids() {
        let id = uuid_v4([0xff; 16]);
        assert_eq!(id, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        let counting: [u8; 16] = std::array::from_fn(|i| i as u8);
        assert_eq!(uuid_v4(counting), "00010203-0405-4607-8809-0a0b0c0d0e0f");
    }
}
