//! acquireTokenSilent: the cache, then the refresh token (one renewal per account at a time,
//! across tabs), then a hidden frame.

use wasm_bindgen::prelude::*;

use crate::api::convert::optional_number;
use crate::api::logger::Level;
use crate::api::result::result_to_js;
use crate::browser::task::sleep;
use crate::browser::{http, now, tabs};
use crate::core::error::{AuthError, Result};
use crate::core::flow::{no_cached_tokens, Grant, Lookup, Settings, SilentStep};
use crate::core::json::Json;
use crate::core::scopes::Scopes;

use super::request::{account_key_of, scopes_of};
use super::Inner;

/// How long a renewal waits for another tab's cache write to show, and how often it looks.
const STAMP_WAIT_MS: u32 = 500;
const STAMP_POLL_MS: u32 = 5;

impl Inner {
    /// `on_network` is called once the answer cannot come from the cache (MSAL's
    /// ACQUIRE_TOKEN_NETWORK_START).
    pub(super) async fn acquire_token_silent(&self, request: Json, on_network: Option<js_sys::Function>) -> Result<JsValue> {
        let correlation_id = self.token_request(&request)?;
        let scopes = scopes_of(&request, true)?;
        let settings = self.settings_for(&request).map_err(|e| e.with_correlation_id(&correlation_id))?;
        let key = match request.get("account").filter(|a| !matches!(a, Json::Null)) {
            Some(account) => {
                account_key_of(account).ok_or_else(|| AuthError::config("invalid_request_parameter", "request.account must be an AccountInfo from getAllAccounts() or a sign-in result."))?
            }
            None => self
                .cache()
                .active_account()
                .ok_or_else(|| AuthError::browser("no_account_error", "No account was passed and there is no active account. Pass request.account or call setActiveAccount()."))?,
        };
        let force = request.get("forceRefresh").and_then(Json::as_bool).unwrap_or(false);
        let claims = request.str_at("claims").filter(|c| !c.is_empty());
        let policy = optional_number(Some(&request), "cacheLookupPolicy", 0..=5, "request.cacheLookupPolicy must be a CacheLookupPolicy value (0 to 5).")?;
        let lookup = Lookup::from_policy(policy.map(|p| p as u8));
        // A claims challenge can only be met by a new token.
        let renew = force || claims.is_some() || !lookup.from_cache;
        if let Ok(Some(hit)) = self.cached(&settings, &key, &scopes, renew, &correlation_id) {
            return Ok(hit);
        }
        if !lookup.by_refresh && !lookup.by_frame {
            let message = "No fresh access token is cached for these scopes, and cacheLookupPolicy AccessToken allows no request. Use another policy, or sign in.";
            return Err(AuthError::client("token_refresh_required", message).with_correlation_id(&correlation_id));
        }
        if let Some(on_network) = on_network {
            let _ = on_network.call0(&JsValue::NULL);
        }
        // One renewal per account at a time, across the tabs that share the cache: a provider
        // that rotates refresh tokens revokes the whole grant when one is presented twice.
        let renewal = self.cache().renewal_name(&key);
        let _turn = tabs::lock(&renewal).await;
        let refreshed = if lookup.by_refresh { self.refresh(&settings, &key, &renewal, &scopes, renew, claims, &correlation_id).await } else { Err(no_cached_tokens(&correlation_id)) };
        match refreshed {
            // No usable refresh token, but the IdP session may still know the user: the last
            // silent step is a hidden frame, as in MSAL. Its error is the one the app sees.
            Err(err) if settings.frame_may_follow(lookup, &err, self.cache().account(&key).as_ref()) => {
                self.logger.log(Level::Info, &format!("acquireTokenSilent: {} - trying a hidden frame", err.code));
                self.silent_frame(&settings, &key, &scopes, claims, &correlation_id).await
            }
            other => other,
        }
    }

    /// `ssoSilent` for a cached account, which hints the provider as MSAL's would.
    async fn silent_frame(&self, settings: &Settings, key: &str, scopes: &Scopes, claims: Option<&str>, correlation_id: &str) -> Result<JsValue> {
        let request = Json::object([
            ("scopes", Some(Json::strings(scopes.as_slice()))),
            ("authority", Some(Json::string(&settings.authority.url))),
            ("account", self.cache().account(key).map(|e| e.account.to_json())),
            ("claims", claims.map(Json::string)),
            ("correlationId", Some(Json::string(correlation_id))),
        ]);
        self.sso_silent(request).await
    }

    /// The answer from the cache, unless a new token is needed.
    fn cached(&self, settings: &Settings, key: &str, scopes: &Scopes, renew: bool, correlation_id: &str) -> Result<Option<JsValue>> {
        match settings.silent_step(&self.cache(), key, scopes, renew, correlation_id, now())? {
            SilentStep::Cached(result) => {
                self.logger.log(Level::Verbose, "acquireTokenSilent: served from the cache");
                Ok(Some(result_to_js(&result, &settings.authority.url)))
            }
            SilentStep::Refresh(..) => Ok(None),
        }
    }

    /// The renewal step as this tab's cache shows it, once that cache is as new as the stamp
    /// the last renewal left (another tab's write can take a moment to show here).
    async fn renewal_step(&self, settings: &Settings, key: &str, renewal: &str, scopes: &Scopes, renew: bool, correlation_id: &str) -> Result<SilentStep> {
        let stamp = if self.shared { tabs::stamp(renewal).await } else { None };
        let mut waited = 0;
        loop {
            let step = settings.silent_step(&self.cache(), key, scopes, renew, correlation_id, now())?;
            let behind = matches!((&step, &stamp), (SilentStep::Refresh(_, token), Some(stamp)) if token.secret.fingerprint() != *stamp);
            if !behind || waited >= STAMP_WAIT_MS {
                return Ok(step);
            }
            sleep(STAMP_POLL_MS).await;
            waited += STAMP_POLL_MS;
        }
    }

    /// Redeems the refresh token, after checking again: the refresh this one waited for may
    /// already have brought the token, or rotated the refresh token.
    #[allow(clippy::too_many_arguments)]
    async fn refresh(&self, settings: &Settings, key: &str, renewal: &str, scopes: &Scopes, renew: bool, claims: Option<&str>, correlation_id: &str) -> Result<JsValue> {
        let (account, refresh_token) = match self.renewal_step(settings, key, renewal, scopes, renew, correlation_id).await? {
            SilentStep::Cached(result) => return Ok(result_to_js(&result, &settings.authority.url)),
            SilentStep::Refresh(account, refresh_token) => (account, refresh_token),
        };
        self.logger.log(Level::Info, "acquireTokenSilent: redeeming the refresh token");
        let endpoints = self.endpoints(settings).await.map_err(|e| e.with_correlation_id(correlation_id))?;
        let token_request = settings.refresh_request(&endpoints, &refresh_token, scopes, claims, correlation_id);
        let answer = http::post_form(&token_request.url, &token_request.body).await.map_err(|e| e.with_correlation_id(correlation_id))?;
        let grant = Grant::Refresh { account: &account, refresh_token: &refresh_token, scopes, correlation_id };
        let result = self.accept(settings, &endpoints, grant, &answer).await.inspect_err(|e| {
            self.logger.log(Level::Warning, &format!("acquireTokenSilent: the refresh failed with {}", e.code));
        })?;
        Ok(result_to_js(&result, &settings.authority.url))
    }
}
