//! `PublicClientApplication`: the MSAL-shaped entry point. Each method reads its JS arguments,
//! asks the core what to do, and lets the browser shell do it.

use std::borrow::Cow;
use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::config::{self, redirect_hook, CacheLocation};
use super::convert::{self, from_js, optional_number, optional_str, set, to_js};
use super::errors;
use super::logger::{Level, Logger};
use super::result::{account_to_js, result_to_js};
use crate::browser::bridge::{self, Bridge};
use crate::browser::frame::HiddenFrame;
use crate::browser::location::{self, without_fragment};
use crate::browser::popup::Popup;
use crate::browser::storage::{Area, WebStore};
use crate::browser::{http, in_child_window, now, property, random, sleep, tabs, ChildWindow};
use crate::core::account::account_key;
use crate::core::authority::Endpoints;
use crate::core::authorize::{is_popup_state, AccountHints, Hints, PendingRequest};
use crate::core::cache::{is_fresh, AccountEntry, Cache};
use crate::core::error::{AuthError, Result};
use crate::core::flow::{check_authentication_scheme, check_own_page, no_cached_tokens, uuid_v4, AuthResult, Entropy, Grant, InteractiveRequest, Lookup, Settings, SilentStep};
use crate::core::interaction::{Handover, Interaction, Popups};
use crate::core::json::Json;
use crate::core::msal_import;
use crate::core::redirect::{self, Outcome, Source};
use crate::core::scopes::Scopes;
use crate::core::secret::AuthCode;
use crate::core::store::{MemoryStore, Store};
use crate::core::text;

/// How long a renewal waits for another tab's cache write to show, and how often it looks.
const STAMP_WAIT_MS: u32 = 500;
const STAMP_POLL_MS: u32 = 5;

/// How often a sign-in's frame or popup is looked at: a closed popup is noticed this fast.
const CHILD_WINDOW_POLL_MS: u32 = 50;

const PROMPTS: [&str; 6] = ["login", "none", "consent", "select_account", "create", "no_session"];

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

/// An app's navigation code (onRedirectNavigate, a navigation client) that threw or rejected.
fn navigation_failed(what: &str, thrown: &JsValue) -> AuthError {
    let why = property(thrown, "message").as_string().unwrap_or_default();
    AuthError::browser("navigation_failed", format!("{what}: {why}"))
}

/// Opens a popup (inside the caller's click) and shows it to `on_open`.
fn open_popup(on_open: Option<js_sys::Function>) -> Result<Popup> {
    let popup = Popup::open()?;
    if let (Some(on_open), Some(window)) = (on_open, popup.window()) {
        let _ = on_open.call1(&JsValue::NULL, &window);
    }
    Ok(popup)
}

/// Runs an async step as a JS promise that rejects with a typed JS error.
fn promise(future: impl Future<Output = Result<JsValue>> + 'static) -> Promise {
    convert::promise(future, |e| errors::to_js(&e))
}

/// How long after the provider's page arrives a popup's handle may still be cut off by its
/// Cross-Origin-Opener-Policy (Chromium: about 10 ms, seen at the next poll); a later close is
/// the user's.
const COOP_CUT_OFF_MS: f64 = 2.0 * CHILD_WINDOW_POLL_MS as f64;

/// Closes this window, which a browser allows only for a window a script opened (a popup), and
/// answers whether it is closing.
async fn close_this_window() -> bool {
    let Some(window) = web_sys::window() else { return false };
    let _ = window.close();
    sleep(50).await;
    window.closed().unwrap_or(false)
}

fn scopes_of(request: &Json, required: bool) -> Result<Scopes> {
    let scopes = match request.get("scopes") {
        None | Some(Json::Null) => Scopes::default(),
        Some(Json::Arr(items)) => Scopes::new(items.iter().filter_map(Json::as_str)),
        Some(_) => return Err(AuthError::config("invalid_request_parameter", "request.scopes must be an array of strings.")),
    };
    if required && scopes.as_slice().is_empty() {
        return Err(AuthError::config("empty_input_scopes_error", "request.scopes is empty. Name the scopes the token is for, e.g. ['https://help.kusto.windows.net/.default']."));
    }
    Ok(scopes)
}

fn account_key_of(value: &Json) -> Option<String> {
    Some(account_key(value.str_at("environment")?, value.str_at("homeAccountId")?))
}

/// What handleRedirectPromise gives the package: `{ result, signedIn }`, signedIn when the
/// sign-in added the account (the package then reports a sign-in, as MSAL does).
fn redirect_outcome(result: &AuthResult, settings: &Settings, signed_in: bool) -> JsValue {
    let outcome = js_sys::Object::new();
    set(&outcome, "result", &result_to_js(result, &settings.authority.url));
    set(&outcome, "signedIn", &JsValue::from_bool(signed_in));
    outcome.into()
}

/// An interactive sign-in once it has begun (see `Inner::begin`).
struct Begun<'a> {
    interactive: InteractiveRequest,
    correlation_id: String,
    settings: Cow<'a, Settings>,
    endpoints: Endpoints,
    entropy: Entropy,
}

impl Inner {
    fn cache(&self) -> Cache<'_> {
        Cache::new(&*self.store, &self.settings.client_id)
    }

    fn interaction(&self) -> Interaction<'_> {
        Interaction::new(&*self.session, &self.settings.client_id)
    }

    fn correlation_id(&self, request: &Json) -> Result<String> {
        match request.str_at("correlationId") {
            Some(id) => Ok(id.to_owned()),
            None => Ok(uuid_v4(random()?)),
        }
    }

    /// The request's correlation id, once its authentication scheme is one this library serves.
    fn token_request(&self, request: &Json) -> Result<String> {
        let correlation_id = self.correlation_id(request)?;
        check_authentication_scheme(request).map_err(|e| e.with_correlation_id(&correlation_id))?;
        Ok(correlation_id)
    }

    /// The settings of a request: at its own `authority`, if it names one.
    fn settings_for(&self, request: &Json) -> Result<Cow<'_, Settings>> {
        self.settings.at(request.str_at("authority"))
    }

    /// The provider's endpoints: Entra's are known, others discovered once and cached.
    async fn endpoints(&self, settings: &Settings) -> Result<Endpoints> {
        let authority = &settings.authority.url;
        if let Some((_, known)) = self.endpoints.borrow().iter().find(|(a, _)| a == authority) {
            return Ok(known.clone());
        }
        let endpoints = match settings.cached_endpoints(&self.cache(), now()) {
            Some(e) => e,
            None => {
                let url = settings.authority.discovery_url();
                self.logger.log(Level::Info, &format!("fetching OpenID configuration from {url}"));
                let answer = http::get(&url).await?;
                let unusable = |why: &str| AuthError::config("endpoints_resolution_error", format!("The OpenID configuration at '{url}' {why}. Check auth.authority."));
                if answer.status != 200 {
                    return Err(unusable(&format!("answered HTTP {}", answer.status)));
                }
                let doc = Json::parse(&answer.body).map_err(|_| unusable("is not JSON"))?;
                settings.accept_discovery(&self.cache(), &doc, now())?
            }
        };
        self.endpoints.borrow_mut().push((authority.clone(), endpoints.clone()));
        Ok(endpoints)
    }

    /// `hash`: the response as the app captured it (a router may already have replaced the
    /// address bar's fragment with a route), read instead of the page's fragment. `cache_ready`:
    /// awaited before the cache is used (only when there is a response or a handed-over result),
    /// and before the page is left with what was written in it.
    async fn handle_redirect(&self, navigate: bool, hash: Option<String>, cache_ready: Option<js_sys::Function>) -> Result<JsValue> {
        let cache_ready = || async {
            if let Some(ready) = &cache_ready {
                // The package's gate (pkg-template/application.js) settles, never rejects.
                let _ = JsFuture::from(Promise::resolve(&ready.call0(&JsValue::NULL).unwrap_or(JsValue::UNDEFINED))).await;
            }
        };
        let here = location::here()?;
        let hash = hash.unwrap_or_else(|| here.hash.clone());
        // Only a response the address bar still shows is cleared from it, not the app's route.
        let clear = |source| if source == Source::Query || hash == here.hash { location::clear_response(source) } else { Ok(()) };
        let interaction = self.interaction();
        let found = match redirect::find(&hash, &here.search) {
            Ok(found) => found,
            Err(err) => {
                let source = if redirect::parse(&hash).is_err() { Source::Fragment } else { Source::Query };
                clear(source)?;
                interaction.clear();
                return Err(err);
            }
        };
        if in_child_window() && !found.as_ref().is_some_and(|(r, _)| interaction.expects(r.state_id())) {
            // A silent sign-in's frame or a popup (or an app embedded in a frame): the response,
            // if any, is read by the page that opened the window; this page must leave it and
            // the tab's interaction state alone.
            return Ok(JsValue::NULL);
        }
        if let Some((_, source)) = found.as_ref().filter(|(r, _)| is_popup_state(r.state_id()) && !interaction.expects(r.state_id()) && self.popup_under_way(r.state_id())) {
            // A popup's redirect page that the provider's Cross-Origin-Opener-Policy cut off from
            // its opener: the response goes to the opener over the bridge, and the popup closes.
            bridge::broadcast_response(&hash, &here.search);
            clear(*source)?;
            if close_this_window().await {
                std::future::pending::<()>().await;
            }
        }
        let Some((response, source)) = found else {
            // No response in the URL: any redirect this tab started is over (Back button, closed
            // IdP page), so it must not block the next one.
            interaction.clear();
            let Some(handover) = interaction.take_handover() else { return Ok(JsValue::NULL) };
            cache_ready().await;
            return Ok(self.handed_over(handover).unwrap_or(JsValue::NULL));
        };
        // The code is single-use and secret: out of the address bar before anything else.
        clear(source)?;
        let pending = interaction.take(response.state_id())?;
        let Outcome::Code { code, client_info } = response.outcome else {
            let Outcome::Error(err) = response.outcome else { unreachable!() };
            return Err(err.with_correlation_id(&pending.correlation_id));
        };
        cache_ready().await;
        self.logger.log(Level::Info, "handleRedirectPromise: redeeming the authorization code");
        // The request's authority, as it was recorded (and checked again: any script of the
        // origin can write session storage).
        let settings = self.settings.at(Some(&pending.authority)).map_err(|e| e.with_correlation_id(&pending.correlation_id))?;
        let endpoints = self.endpoints(&settings).await?;
        let accounts_before = self.accounts().len();
        let mut result = self.redeem(&settings, &endpoints, &pending, &code, client_info.as_deref()).await?;
        result.state = pending.app_state.clone();
        let signed_in = self.accounts().len() > accounts_before;
        self.logger.log_pii(Level::Info, &format!("signed in as {}", result.account.username));

        let current = location::here()?.href;
        // The start page came from session storage, which any script of the origin can write.
        let origin = location::origin()?;
        let start = Some(pending.start_url.as_str()).filter(|start| check_own_page(start, &origin, "redirectStartPage").is_ok());
        if let Some(start) = start.filter(|start| navigate && without_fragment(start) != without_fragment(&current)) {
            interaction.save_handover(&Handover {
                account_key: result.account.key(),
                authority: settings.authority.url.clone(),
                scopes: pending.scopes.as_slice().to_vec(),
                state: pending.app_state.clone(),
                correlation_id: pending.correlation_id.clone(),
                signed_in,
            })?;
            cache_ready().await;
            match self.navigate("navigateInternal", start, true).await {
                // This page is being left: its app code must not run (it would render, and call
                // the library, on a page about to go), so the promise answers only once the
                // navigation has had its time, as MSAL's.
                Ok(true) => return Ok(JsValue::NULL),
                // The app routed to the start page itself (the result is this page's after all),
                // or its navigation failed: no later page load may take the result.
                staying => {
                    interaction.take_handover();
                    staying?;
                }
            }
        }
        Ok(redirect_outcome(&result, &settings, signed_in))
    }

    /// The result of a sign-in finished on the redirect page, on the page it started from.
    fn handed_over(&self, handover: Handover) -> Option<JsValue> {
        let account = self.cache().account(&handover.account_key)?;
        let settings = self.settings.at(Some(&handover.authority)).ok()?;
        let mut result = settings.cached_result(&self.cache(), &account, &Scopes::new(&handover.scopes), &handover.correlation_id, now())?;
        result.from_cache = false;
        result.state = handover.state;
        Some(redirect_outcome(&result, &settings, handover.signed_in))
    }

    fn interactive_request(&self, request: &Json, scopes_required: bool) -> Result<InteractiveRequest> {
        let field = |key: &str| optional_str(Some(request), key, "request").map(|v| v.map(str::to_owned));
        let prompt = field("prompt")?;
        if let Some(p) = prompt.as_deref().filter(|p| !PROMPTS.contains(p)) {
            return Err(AuthError::config("invalid_prompt_value", format!("prompt '{p}' is not supported; use one of {}.", text::join(&PROMPTS, ", "))));
        }
        let (login_hint, sid) = (field("loginHint")?, field("sid")?);
        // As msal-browser: a request naming no account, login hint or sid is for the active account.
        let named = request.get("account").filter(|a| a.members().is_some()).map(AccountHints::from_json);
        let account = match named {
            None if login_hint.as_deref().unwrap_or("").is_empty() && sid.as_deref().unwrap_or("").is_empty() => self.active_account().map(|e| AccountHints::from_json(&e.account.to_json())),
            named => named,
        };
        let extra = match request.get("extraQueryParameters") {
            None | Some(Json::Null) => Vec::new(),
            Some(Json::Obj(members)) => members.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned()))).collect(),
            Some(_) => return Err(AuthError::config("invalid_request_parameter", "request.extraQueryParameters must be an object of strings.")),
        };
        Ok(InteractiveRequest {
            scopes: scopes_of(request, scopes_required)?,
            state: field("state")?,
            claims: field("claims")?,
            redirect_uri: field("redirectUri")?.map(|uri| location::resolve(&uri, "request.redirectUri")).transpose()?,
            hints: Hints { prompt, login_hint, domain_hint: field("domainHint")?, sid, account, extra_query_parameters: extra },
        })
    }

    /// What every interactive sign-in starts with: the request read, its correlation id, its
    /// settings, the provider's endpoints and fresh PKCE/state/nonce values.
    async fn begin(&self, request: &Json, scopes_required: bool) -> Result<Begun<'_>> {
        let correlation_id = self.token_request(request)?;
        let interactive = self.interactive_request(request, scopes_required)?;
        let settings = self.settings_for(request).map_err(|e| e.with_correlation_id(&correlation_id))?;
        let endpoints = self.endpoints(&settings).await.map_err(|e| e.with_correlation_id(&correlation_id))?;
        let entropy = Entropy { verifier: random()?, state: random()?, nonce: random()? };
        Ok(Begun { interactive, correlation_id, settings, endpoints, entropy })
    }

    /// Leaves the page for `url`, unless the app's `onRedirectNavigate` returns false: the app
    /// then navigates by itself (another window, a native shell), or stays. The app's navigation
    /// client, if it set one, does the leaving.
    async fn leave(&self, url: &str, hook: Option<js_sys::Function>) -> Result<()> {
        if let Some(hook) = hook.as_ref().or(self.on_redirect_navigate.as_ref()) {
            let verdict = hook.call1(&JsValue::UNDEFINED, &JsValue::from_str(url)).map_err(|thrown| navigation_failed("onRedirectNavigate threw", &thrown))?;
            if verdict.as_bool() == Some(false) {
                return Ok(());
            }
        }
        // Whether the client says the page is leaving does not matter; that it failed does.
        self.navigate("navigateExternal", url, false).await.map(drop)
    }

    /// Sends the page to `url` through the app's navigation client (`navigateExternal` or
    /// `navigateInternal`), else `location`, and answers whether the page is leaving. Like
    /// MSAL's default client, `location` answers only after the navigation timeout: code that
    /// awaits a navigation does not run on the page that is going away.
    async fn navigate(&self, method: &str, url: &str, no_history: bool) -> Result<bool> {
        let client = self.navigation_client.borrow().clone();
        let Some(client) = client else {
            location::go(url, no_history)?;
            sleep(self.navigation_timeout_ms).await;
            return Ok(true);
        };
        // Not a function (a client that does not extend NavigationClient): the call throws.
        let function: js_sys::Function = property(&client, method).unchecked_into();
        let options = js_sys::Object::new();
        set(&options, "noHistory", &JsValue::from_bool(no_history));
        set(&options, "timeout", &JsValue::from(self.navigation_timeout_ms));
        let failed = |thrown| navigation_failed(&format!("navigationClient.{method} failed"), &thrown);
        let answer = function.call2(&client, &JsValue::from_str(url), &options).map_err(failed)?;
        let answer = JsFuture::from(Promise::resolve(&answer)).await.map_err(failed)?;
        Ok(answer.as_bool() != Some(false))
    }

    async fn redirect_to_sign_in(&self, request: Json, hook: Option<js_sys::Function>, scopes_required: bool) -> Result<JsValue> {
        let Begun { interactive, correlation_id, settings, endpoints, entropy } = self.begin(&request, scopes_required).await?;
        let start_url = match request.str_at("redirectStartPage") {
            Some(page) => {
                let page = location::resolve(page, "redirectStartPage")?;
                check_own_page(&page, &location::origin()?, "redirectStartPage")?;
                page
            }
            None => location::here()?.href,
        };
        let url = settings.begin_redirect(&endpoints, &self.interaction(), &interactive, &entropy, &correlation_id, &start_url, now())?;
        self.logger.log(Level::Info, "redirecting to the authorize endpoint");
        // A page that cannot leave must not stay blocked by its unfinished interaction.
        self.leave(&url, hook).await.map_err(|e| {
            self.interaction().clear();
            e.with_correlation_id(&correlation_id)
        })?;
        Ok(JsValue::UNDEFINED)
    }

    /// Signs in without any UI, from the IdP session: `prompt=none` in a hidden frame whose
    /// response this page reads as soon as the frame is back on our origin.
    async fn sso_silent(&self, request: Json) -> Result<JsValue> {
        let Begun { interactive: mut silent, correlation_id, settings, endpoints, entropy } = self.begin(&request, false).await?;
        silent.hints.prompt = Some("none".to_owned());
        let (pending, url) = settings.prepare(&endpoints, &silent, &entropy, &correlation_id, "", now(), false);
        let frame = HiddenFrame::open(&url)?;
        self.child_window_sign_in(Box::new(frame), None, &settings, &endpoints, &pending, self.iframe_timeout_ms).await
    }

    /// Signs in in a popup opened by the caller's click.
    async fn popup_sign_in(&self, popup: Popup, request: Json, scopes_required: bool) -> Result<JsValue> {
        let Begun { interactive, correlation_id, settings, endpoints, entropy } = self.begin(&request, scopes_required).await?;
        let (pending, url) = settings.prepare(&endpoints, &interactive, &entropy, &correlation_id, "", now(), true);
        // Listening before the popup leaves: under the provider's COOP, the channel is the only
        // way back, and the popup's page uses it only for a popup it finds under way.
        let local = WebStore::open(Area::Local);
        let popups = local.as_ref().map(|store| Popups::new(store, &self.settings.client_id));
        let bridge = popups.as_ref().filter(|p| p.begin(&pending.state_id, now()).is_ok()).and_then(|_| Bridge::listen());
        popup.navigate(&url)?;
        let result = self.child_window_sign_in(Box::new(popup), bridge, &settings, &endpoints, &pending, self.popup_timeout_ms).await;
        if let Some(popups) = popups {
            popups.end(&pending.state_id);
        }
        result
    }

    /// Whether a popup of this origin waits for the response of `state_id` (see `Popups`).
    fn popup_under_way(&self, state_id: &str) -> bool {
        WebStore::open(Area::Local).is_some_and(|store| Popups::new(&store, &self.settings.client_id).is_open(state_id, now()))
    }

    /// Waits until a sign-in's child window is back on our origin with the response, closes
    /// it, and redeems the code. A popup's response may instead come over `bridge`: when the
    /// provider's Cross-Origin-Opener-Policy cuts the popup off, its handle reads closed as the
    /// provider's page arrives; only a popup that reads closed then waits for the bridge, up to
    /// `timeout_ms`, as a popup closed that early cannot be told from a cut-off one.
    async fn child_window_sign_in(
        &self,
        child: Box<dyn ChildWindow>,
        bridge: Option<Bridge>,
        settings: &Settings,
        endpoints: &Endpoints,
        pending: &PendingRequest,
        timeout_ms: u32,
    ) -> Result<JsValue> {
        let correlation_id = &pending.correlation_id;
        let started = js_sys::Date::now();
        let from_bridge = || {
            let bridge = bridge.as_ref()?;
            std::iter::from_fn(|| bridge.take()).find_map(|(hash, search)| redirect::find(&hash, &search).ok().flatten().map(|(r, _)| r).filter(|r| r.state_id() == pending.state_id))
        };
        // Since when the window has shown a foreign page (the provider's) without being cut off.
        let (mut foreign_since, mut cut_off) = (None, false);
        let response = loop {
            if let Some((hash, search)) = child.same_origin_url().filter(|_| !cut_off) {
                if let Some((response, _)) = redirect::find(&hash, &search)? {
                    break response;
                }
            }
            if let Some(response) = from_bridge() {
                break response;
            }
            if foreign_since.is_none() && child.on_foreign_origin() {
                foreign_since = Some(js_sys::Date::now());
            }
            if !cut_off && child.closed() {
                // COOP cuts the handle off within moments of the provider's page arriving; a
                // window that showed that page for longer was closed by the user.
                let shown_ms = foreign_since.map_or(0.0, |since| js_sys::Date::now() - since);
                if bridge.is_none() || shown_ms > COOP_CUT_OFF_MS {
                    return Err(AuthError::browser("user_cancelled", "The sign-in window was closed before the sign-in finished.").with_correlation_id(correlation_id));
                }
                cut_off = true;
            }
            if js_sys::Date::now() - started > f64::from(timeout_ms) {
                let err = if cut_off {
                    AuthError::browser(
                        "timed_out",
                        format!(
                            "No sign-in response came back within {} s: the popup was closed, or the identity provider's Cross-Origin-Opener-Policy cut it off and its redirect page did not hand the response back. The redirect URI's page must load this library (or call broadcastResponseToMainFrame from kusto-spa-auth/redirect-bridge).",
                            timeout_ms / 1000
                        ),
                    )
                } else {
                    child.timeout()
                };
                return Err(err.with_correlation_id(correlation_id));
            }
            sleep(CHILD_WINDOW_POLL_MS).await;
        };
        drop(child);
        if response.state_id() != pending.state_id {
            return Err(AuthError::client("state_mismatch", "The sign-in response does not belong to its request.").with_correlation_id(correlation_id));
        }
        let (code, client_info) = match response.outcome {
            Outcome::Code { code, client_info } => (code, client_info),
            Outcome::Error(err) => return Err(err.with_correlation_id(correlation_id)),
        };
        let mut result = self.redeem(settings, endpoints, pending, &code, client_info.as_deref()).await?;
        result.state = pending.app_state.clone();
        Ok(result_to_js(&result, &settings.authority.url))
    }

    /// Redeems an authorization code for its pending request and caches what comes back.
    async fn redeem(&self, settings: &Settings, endpoints: &Endpoints, pending: &PendingRequest, code: &AuthCode, client_info: Option<&str>) -> Result<AuthResult> {
        let request = settings.code_request(endpoints, pending, code);
        let answer = http::post_form(&request.url, &request.body).await.map_err(|e| e.with_correlation_id(&pending.correlation_id))?;
        self.accept(settings, endpoints, Grant::Code { pending, client_info }, &answer).await
    }

    /// Caches what the token endpoint answered and, where tabs share the cache, stamps the
    /// account's refresh token for the next renewal in any tab.
    async fn accept(&self, settings: &Settings, endpoints: &Endpoints, grant: Grant<'_>, answer: &http::Answer) -> Result<AuthResult> {
        let result = settings.accept_tokens(endpoints, &self.cache(), grant, answer.status, &answer.body, now())?;
        let key = result.account.key();
        if let Some(entry) = self.cache().refresh_token(&key).filter(|_| self.shared) {
            tabs::set_stamp(&self.cache().renewal_name(&key), &entry.secret.fingerprint()).await;
        }
        Ok(result)
    }

    /// `on_network` is called once the answer cannot come from the cache (MSAL's
    /// ACQUIRE_TOKEN_NETWORK_START).
    async fn acquire_token_silent(&self, request: Json, on_network: Option<js_sys::Function>) -> Result<JsValue> {
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

    /// Signs the request's account (every account, if it names none) out of the cache, and ends
    /// this tab's interaction.
    fn clear_cache(&self, request: &Json) -> Option<AccountEntry> {
        self.interaction().clear();
        self.cache().sign_out(request.get("account").and_then(account_key_of).as_deref())
    }

    /// Signs out of the cache, then returns where the browser goes to end the provider's session.
    async fn sign_out(&self, request: &Json) -> Result<Option<String>> {
        let correlation_id = self.correlation_id(request)?;
        let settings = self.settings_for(request).map_err(|e| e.with_correlation_id(&correlation_id))?;
        let endpoints = match self.endpoints(&settings).await {
            Ok(endpoints) => endpoints,
            // The provider is out of reach: this app signs out all the same.
            Err(e) => {
                self.clear_cache(request);
                return Err(e.with_correlation_id(&correlation_id));
            }
        };
        let requested = match request.get("postLogoutRedirectUri") {
            Some(Json::Str(uri)) => Some(Json::string(&location::resolve(uri, "postLogoutRedirectUri")?)),
            other => other.cloned(),
        };
        let named = request.get("account").and_then(account_key_of).and_then(|key| self.cache().account(&key));
        // Checked before anything is removed: a refused request changes nothing.
        let url = settings.logout(&endpoints, named.as_ref(), requested.as_ref(), &location::origin()?, &correlation_id)?;
        self.clear_cache(request);
        Ok(url)
    }

    async fn logout_redirect(&self, request: Json, hook: Option<js_sys::Function>) -> Result<JsValue> {
        if let Some(url) = self.sign_out(&request).await? {
            self.leave(&url, hook).await?;
        }
        Ok(JsValue::UNDEFINED)
    }

    /// Ends the provider's session in a popup, which closes once it is back on our origin (or
    /// after the window timeout: the local sign-out is done either way), then sends this page to
    /// `mainWindowRedirectUri` if the request names one.
    async fn logout_popup(&self, popup: Popup, request: Json) -> Result<JsValue> {
        let main_window = match request.str_at("mainWindowRedirectUri") {
            Some(page) => {
                let page = location::resolve(page, "mainWindowRedirectUri")?;
                check_own_page(&page, &location::origin()?, "mainWindowRedirectUri")?;
                Some(page)
            }
            None => None,
        };
        if let Some(url) = self.sign_out(&request).await? {
            popup.navigate(&url)?;
            let started = js_sys::Date::now();
            while popup.same_origin_url().is_none() && !popup.closed() && js_sys::Date::now() - started < f64::from(self.popup_timeout_ms) {
                sleep(CHILD_WINDOW_POLL_MS).await;
            }
        }
        drop(popup);
        if let Some(page) = main_window {
            self.navigate("navigateInternal", &page, false).await?;
        }
        Ok(JsValue::UNDEFINED)
    }

    fn accounts(&self) -> Vec<AccountEntry> {
        self.cache().accounts()
    }

    fn active_account(&self) -> Option<AccountEntry> {
        let cache = self.cache();
        cache.active_account().and_then(|key| cache.account(&key))
    }

    /// The first account matching an MSAL `AccountFilter`, or null.
    fn find_account(&self, filter: &Json) -> JsValue {
        self.accounts().iter().find(|e| e.account.matches(filter)).map_or(JsValue::NULL, |e| account_to_js(&e.account))
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

    /// Nothing to wait for (metadata is fetched on first need); kept for MSAL compatibility.
    pub fn initialize(&self) -> Promise {
        Promise::resolve(&JsValue::UNDEFINED)
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

    #[wasm_bindgen(js_name = getAccount)]
    pub fn get_account(&self, filter: JsValue) -> JsValue {
        match from_js(&filter, "filter") {
            // An empty filter names no account (msal-browser 5).
            Ok(filter) if filter.members().is_some_and(|m| !m.is_empty()) => self.inner.find_account(&filter),
            _ => JsValue::NULL,
        }
    }

    #[wasm_bindgen(js_name = getAccountByHomeId)]
    pub fn get_account_by_home_id(&self, home_account_id: &str) -> JsValue {
        self.inner.find_account(&Json::object([("homeAccountId", Some(Json::string(home_account_id)))]))
    }

    #[wasm_bindgen(js_name = getAccountByLocalId)]
    pub fn get_account_by_local_id(&self, local_account_id: &str) -> JsValue {
        self.inner.find_account(&Json::object([("localAccountId", Some(Json::string(local_account_id)))]))
    }

    #[wasm_bindgen(js_name = getAccountByUsername)]
    pub fn get_account_by_username(&self, username: &str) -> JsValue {
        self.inner.find_account(&Json::object([("username", Some(Json::string(username)))]))
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
