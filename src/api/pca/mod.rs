//! `PublicClientApplication`: the MSAL-shaped entry point. Each method reads its JS arguments,
//! asks the core what to do, and lets the browser shell do it.
//!
//! This file holds the exports and the state they share (`Inner`); the flows behind them live
//! by job: `request` (reading a request), `provider` (endpoints, code and token answers),
//! `by_redirect`, `windows` (hidden frame and popup), `silent` (acquireTokenSilent), `logout`,
//! and `navigation` (leaving the page).

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;

use super::config::{self, redirect_hook, CacheLocation};
use super::convert::{self, from_js, to_js};
use super::errors;
use super::logger::{Level, Logger};
use super::result::account_to_js;
use crate::browser::storage::{Area, WebStore};
use crate::browser::{now, property};
use crate::core::authority::Endpoints;
use crate::core::cache::{is_fresh, AccountEntry, Cache};
use crate::core::error::{AuthError, Result};
use crate::core::flow::Settings;
use crate::core::interaction::Interaction;
use crate::core::json::Json;
use crate::core::msal_import;
use crate::core::store::{MemoryStore, Store};

mod by_redirect;
mod logout;
mod navigation;
mod provider;
mod request;
mod silent;
mod windows;

use request::account_key_of;
use windows::open_popup;

#[wasm_bindgen]
pub struct PublicClientApplication {
    inner: Rc<Inner>,
}

struct Inner {
    settings: Settings,
    /// Where tokens and accounts live (the configured cacheLocation).
    store: Box<dyn Store>,
    /// Interaction state: sessionStorage, whatever the cache location.
    session: Box<dyn Store>,
    /// Each authority's endpoints, once known.
    endpoints: RefCell<Vec<(String, Endpoints)>>,
    navigate_to_login_request_url: bool,
    iframe_timeout_ms: u32,
    popup_timeout_ms: u32,
    /// How long a navigation away from the page may take before its call answers anyway.
    navigation_timeout_ms: u32,
    cache_location: CacheLocation,
    /// Whether the cache is shared with other tabs (localStorage): renewals then stamp what
    /// they wrote, for the next tab to check (see browser::tabs).
    shared: bool,
    logger: Logger,
    /// The configuration's `onRedirectNavigate`; a request's own comes first.
    on_redirect_navigate: Option<js_sys::Function>,
    /// The app's `NavigationClient` (setNavigationClient), which navigates instead of `location`.
    navigation_client: RefCell<Option<JsValue>>,
}

fn open_or_memory(area: Area) -> Box<dyn Store> {
    match WebStore::open(area) {
        Some(store) => Box::new(store),
        None => Box::new(MemoryStore::default()),
    }
}

/// Runs an async step as a JS promise that rejects with a typed JS error.
fn promise(future: impl Future<Output = Result<JsValue>> + 'static) -> Promise {
    convert::promise(future, |e| errors::to_js(&e))
}

impl Inner {
    fn cache(&self) -> Cache<'_> {
        Cache::new(&*self.store, &self.settings.client_id)
    }

    fn interaction(&self) -> Interaction<'_> {
        Interaction::new(&*self.session, &self.settings.client_id)
    }

    fn accounts(&self) -> Vec<AccountEntry> {
        self.cache().accounts()
    }

    fn active_account(&self) -> Option<AccountEntry> {
        let cache = self.cache();
        cache.active_account().and_then(|key| cache.account(&key))
    }
}

#[wasm_bindgen]
impl PublicClientApplication {
    /// `sealed`: the package's `SealedStorage` (pkg-template/sealed.js), which a localStorage
    /// cache then goes through, or undefined.
    #[wasm_bindgen(constructor)]
    pub fn new(configuration: JsValue, sealed: JsValue) -> std::result::Result<PublicClientApplication, JsValue> {
        let config = config::read(&configuration).map_err(|e| errors::to_js(&e))?;
        let store: Box<dyn Store> = match config.cache_location {
            CacheLocation::Local if sealed.is_object() => Box::new(WebStore::over(sealed)),
            CacheLocation::Local => open_or_memory(Area::Local),
            CacheLocation::Session => open_or_memory(Area::Session),
            CacheLocation::Memory => Box::new(MemoryStore::default()),
        };
        let inner = Inner {
            settings: config.settings,
            store,
            session: open_or_memory(Area::Session),
            endpoints: RefCell::default(),
            navigate_to_login_request_url: config.navigate_to_login_request_url,
            iframe_timeout_ms: config.iframe_timeout_ms,
            popup_timeout_ms: config.popup_timeout_ms,
            navigation_timeout_ms: config.navigation_timeout_ms,
            cache_location: config.cache_location,
            shared: matches!(config.cache_location, CacheLocation::Local),
            logger: config.logger,
            on_redirect_navigate: config.on_redirect_navigate,
            navigation_client: RefCell::new(Some(property(&property(&configuration, "system"), "navigationClient")).filter(JsValue::is_object)),
        };
        Ok(PublicClientApplication { inner: Rc::new(inner) })
    }

    /// Completes a redirect sign-in if the URL holds its response (or hands over one finished on
    /// the redirect page): resolves to `{ result, signedIn }`, or to null. (The package's
    /// PublicClientApplication unwraps it and answers every call of a page load with one promise.)
    #[wasm_bindgen(js_name = handleRedirectPromise)]
    pub fn handle_redirect_promise(&self, options: JsValue, cache_ready: Option<js_sys::Function>) -> Promise {
        let (navigate, hash) = match from_js(&options, "options") {
            Ok(json) => {
                (json.get("navigateToLoginRequestUrl").and_then(Json::as_bool).unwrap_or(self.inner.navigate_to_login_request_url), json.str_at("hash").filter(|h| !h.is_empty()).map(str::to_owned))
            }
            Err(e) => return Promise::reject(&errors::to_js(&e)),
        };
        let inner = self.inner.clone();
        promise(async move {
            let outcome = inner.handle_redirect(navigate, hash, cache_ready).await;
            if let Err(e) = &outcome {
                inner.logger.log(Level::Error, &format!("handleRedirectPromise failed: {}", e.code));
            }
            outcome
        })
    }

    #[wasm_bindgen(js_name = loginRedirect)]
    pub fn login_redirect(&self, request: JsValue) -> Promise {
        self.redirect(request, false)
    }

    #[wasm_bindgen(js_name = acquireTokenRedirect)]
    pub fn acquire_token_redirect(&self, request: JsValue) -> Promise {
        self.redirect(request, true)
    }

    fn redirect(&self, request: JsValue, scopes_required: bool) -> Promise {
        let inner = self.inner.clone();
        promise(async move { inner.redirect_to_sign_in(from_js(&request, "request")?, redirect_hook(&request), scopes_required).await })
    }

    /// (The package's PublicClientApplication lets identical concurrent calls share one promise.)
    #[wasm_bindgen(js_name = acquireTokenSilent)]
    pub fn acquire_token_silent(&self, request: JsValue, on_network: Option<js_sys::Function>) -> Promise {
        let (inner, request) = (self.inner.clone(), from_js(&request, "request"));
        promise(async move { inner.acquire_token_silent(request?, on_network).await })
    }

    /// Opens the popup at once (still inside the caller's click), then signs in there.
    /// `on_open` gets the popup's window (MSAL's POPUP_OPENED).
    #[wasm_bindgen(js_name = loginPopup)]
    pub fn login_popup(&self, request: JsValue, on_open: Option<js_sys::Function>) -> Promise {
        self.popup(request, false, on_open)
    }

    #[wasm_bindgen(js_name = acquireTokenPopup)]
    pub fn acquire_token_popup(&self, request: JsValue, on_open: Option<js_sys::Function>) -> Promise {
        self.popup(request, true, on_open)
    }

    fn popup(&self, request: JsValue, scopes_required: bool, on_open: Option<js_sys::Function>) -> Promise {
        let popup = open_popup(on_open);
        let inner = self.inner.clone();
        promise(async move { inner.popup_sign_in(popup?, from_js(&request, "request")?, scopes_required).await })
    }

    /// The configuration as read, each default filled in: getConfiguration reports these values,
    /// so that the JS and the wasm never disagree on a default (the authority is canonical, or
    /// built from `auth.azureCloudOptions`; the URIs are resolved against the page).
    #[wasm_bindgen(js_name = effectiveConfiguration)]
    pub fn effective_configuration(&self) -> JsValue {
        let inner = &self.inner;
        let settings = &inner.settings;
        let ms = |n: u32| Some(Json::int(i64::from(n)));
        to_js(&Json::object([
            (
                "auth",
                Some(Json::object([
                    ("authority", Some(Json::string(&settings.authority.url))),
                    ("redirectUri", Some(Json::string(&settings.redirect_uri))),
                    ("postLogoutRedirectUri", Some(settings.post_logout_redirect_uri.as_deref().map_or(Json::Null, Json::string))),
                    ("navigateToLoginRequestUrl", Some(Json::Bool(inner.navigate_to_login_request_url))),
                    (
                        "OIDCOptions",
                        Some(Json::object([("responseMode", Some(Json::string(settings.response_mode.as_str()))), ("defaultScopes", Some(Json::strings(settings.default_scopes.as_slice())))])),
                    ),
                ])),
            ),
            ("cache", Some(Json::object([("cacheLocation", Some(Json::string(inner.cache_location.as_str())))]))),
            (
                "system",
                Some(Json::object([
                    ("tokenRenewalOffsetSeconds", Some(Json::int(settings.renewal_offset))),
                    ("popupBridgeTimeout", ms(inner.popup_timeout_ms)),
                    ("windowHashTimeout", ms(inner.popup_timeout_ms)),
                    ("iframeBridgeTimeout", ms(inner.iframe_timeout_ms)),
                    ("iframeHashTimeout", ms(inner.iframe_timeout_ms)),
                    ("redirectNavigationTimeout", ms(inner.navigation_timeout_ms)),
                ])),
            ),
        ]))
    }

    /// Takes over @azure/msal-browser's cache, once per store (`core::msal_import`): `entries`
    /// are its plaintext accounts, ID tokens and refresh tokens, as the package's msal-cache.js
    /// read them. Entries that do not hold up are skipped; answers how many accounts were taken.
    #[wasm_bindgen(js_name = importMsalCache)]
    pub fn import_msal_cache(&self, entries: JsValue) -> std::result::Result<JsValue, JsValue> {
        let inner = &self.inner;
        let Ok(Json::Arr(entries)) = from_js(&entries, "msal cache entries") else {
            return Err(errors::to_js(&AuthError::config("invalid_request_parameter", "The msal cache entries must be an array of plain objects, at most 1 MiB as JSON.")));
        };
        let report = msal_import::import(&*inner.store, &inner.settings.client_id, &inner.settings.authority, &entries, now());
        let message = format!("msal-browser's cache: took over {} account(s) and {} refresh token(s), passed over {}", report.accounts, report.refresh_tokens, report.skipped);
        inner.logger.log(Level::Info, &message);
        Ok(JsValue::from(report.accounts))
    }

    /// What every storage key of this client's cache starts with: the package's JS turns other
    /// tabs' changes to those keys into events.
    #[wasm_bindgen(js_name = cachePrefix)]
    pub fn cache_prefix(&self) -> String {
        self.inner.cache().prefix()
    }

    /// Whether @azure/msal-browser's cache was taken over into this cache already.
    #[wasm_bindgen(js_name = msalCacheTaken)]
    pub fn msal_cache_taken(&self) -> bool {
        msal_import::is_done(&*self.inner.store, &self.inner.settings.client_id)
    }

    /// The cache's generation, which every write and removal changes (in this tab or another):
    /// the package's JS keeps acquireTokenSilent answers by it.
    #[wasm_bindgen(js_name = cacheGeneration)]
    pub fn cache_generation(&self) -> String {
        self.inner.cache().generation().unwrap_or_default()
    }

    /// Whether an answer read at `generation`, with a token expiring at `expires_on_ms`, is still
    /// the one acquireTokenSilent would give: nothing written since, and no renewal due.
    #[wasm_bindgen(js_name = isAnswerCurrent)]
    pub fn is_answer_current(&self, generation: &str, expires_on_ms: f64) -> bool {
        let expires_at = (expires_on_ms / 1000.0) as i64;
        self.cache_generation() == generation && is_fresh(expires_at, now(), self.inner.settings.renewal_offset)
    }

    /// Forgets a redirect this tab started and did not come back from. For a page the browser
    /// restores from its back/forward cache, as it was when it left: no page load clears it then.
    #[wasm_bindgen(js_name = abandonRedirect)]
    pub fn abandon_redirect(&self) {
        self.inner.interaction().clear();
    }

    /// Signs in silently from the identity provider's session (hidden frame, `prompt=none`);
    /// rejects with `InteractionRequiredAuthError` when the user must act.
    #[wasm_bindgen(js_name = ssoSilent)]
    pub fn sso_silent(&self, request: JsValue) -> Promise {
        let inner = self.inner.clone();
        promise(async move { inner.sso_silent(from_js(&request, "request")?).await })
    }

    /// Signs the account (every account, if the request names none) out here and at the
    /// provider, whose end-session page the browser visits.
    #[wasm_bindgen(js_name = logoutRedirect)]
    pub fn logout_redirect(&self, request: JsValue) -> Promise {
        let inner = self.inner.clone();
        promise(async move { inner.logout_redirect(from_js(&request, "request")?, redirect_hook(&request)).await })
    }

    /// As logoutRedirect, with the provider's page in a popup opened at once (inside the click).
    #[wasm_bindgen(js_name = logoutPopup)]
    pub fn logout_popup(&self, request: JsValue, on_open: Option<js_sys::Function>) -> Promise {
        let popup = open_popup(on_open);
        let inner = self.inner.clone();
        promise(async move { inner.logout_popup(popup?, from_js(&request, "request")?).await })
    }

    /// Signs the account (every account, if the request names none) out of this app's cache
    /// only; the provider's session stays.
    #[wasm_bindgen(js_name = clearCache)]
    pub fn clear_cache(&self, request: JsValue) -> Promise {
        match from_js(&request, "request") {
            Ok(request) => {
                self.inner.clear_cache(&request);
                Promise::resolve(&JsValue::UNDEFINED)
            }
            Err(e) => Promise::reject(&errors::to_js(&e)),
        }
    }

    /// The app's navigation (msal-browser's `INavigationClient`); null for `location` again.
    #[wasm_bindgen(js_name = setNavigationClient)]
    pub fn set_navigation_client(&self, client: JsValue) {
        *self.inner.navigation_client.borrow_mut() = client.is_object().then_some(client);
    }

    /// Signed-in accounts, optionally filtered as MSAL's `AccountFilter`.
    #[wasm_bindgen(js_name = getAllAccounts)]
    pub fn get_all_accounts(&self, filter: JsValue) -> Array {
        let filter = from_js(&filter, "filter").unwrap_or(Json::Null);
        self.inner.accounts().iter().filter(|e| e.account.matches(&filter)).map(|e| account_to_js(&e.account)).collect()
    }

    /// The first account matching an MSAL `AccountFilter`, or null. (The package's JS answers
    /// msal-browser's getAccountByHomeId, getAccountByLocalId and getAccountByUsername with it.)
    #[wasm_bindgen(js_name = getAccount)]
    pub fn get_account(&self, filter: JsValue) -> JsValue {
        match from_js(&filter, "filter") {
            // An empty filter names no account (msal-browser 5).
            Ok(filter) if filter.members().is_some_and(|m| !m.is_empty()) => self.inner.accounts().iter().find(|e| e.account.matches(&filter)).map_or(JsValue::NULL, |e| account_to_js(&e.account)),
            _ => JsValue::NULL,
        }
    }

    #[wasm_bindgen(js_name = setActiveAccount)]
    pub fn set_active_account(&self, account: JsValue) -> std::result::Result<(), JsValue> {
        let key = from_js(&account, "account").ok().as_ref().and_then(account_key_of);
        self.inner.cache().set_active_account(key.as_deref()).map_err(|e| errors::to_js(&e))
    }

    #[wasm_bindgen(js_name = getActiveAccount)]
    pub fn get_active_account(&self) -> JsValue {
        self.inner.active_account().map_or(JsValue::NULL, |e| account_to_js(&e.account))
    }
}
