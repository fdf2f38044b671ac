//! Sign-in by redirect: leaving for the provider, and the page it comes back to
//! (handleRedirectPromise).

use wasm_bindgen::prelude::*;

use crate::api::convert::set;
use crate::api::logger::Level;
use crate::api::result::result_to_js;
use crate::browser::location::{self, without_fragment};
use crate::browser::{bridge, in_child_window, now, task};
use crate::core::authorize::is_popup_state;
use crate::core::error::Result;
use crate::core::flow::{check_own_page, AuthResult, Settings};
use crate::core::interaction::Handover;
use crate::core::json::Json;
use crate::core::redirect::{self, Outcome, Source};
use crate::core::scopes::Scopes;

use super::request::Begun;
use super::windows::close_this_window;
use super::Inner;

/// What handleRedirectPromise gives the package: `{ result, signedIn }`, signedIn when the
/// sign-in added the account (the package then reports a sign-in, as MSAL does).
fn redirect_outcome(result: &AuthResult, settings: &Settings, signed_in: bool) -> JsValue {
    let outcome = js_sys::Object::new();
    set(&outcome, "result", &result_to_js(result, &settings.authority.url));
    set(&outcome, "signedIn", &JsValue::from_bool(signed_in));
    outcome.into()
}

impl Inner {
    /// `hash`: the response as the app captured it (a router may already have replaced the
    /// address bar's fragment with a route), read instead of the page's fragment. `cache_ready`:
    /// awaited before the cache is used (only when there is a response or a handed-over result),
    /// and before the page is left with what was written in it.
    pub(super) async fn handle_redirect(&self, navigate: bool, hash: Option<String>, cache_ready: Option<js_sys::Function>) -> Result<JsValue> {
        let cache_ready = || async {
            if let Some(ready) = &cache_ready {
                // The package's gate (pkg-template/application.js) settles, never rejects.
                let _ = task::settle(&ready.call0(&JsValue::NULL).unwrap_or(JsValue::UNDEFINED)).await;
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

    pub(super) async fn redirect_to_sign_in(&self, request: Json, hook: Option<js_sys::Function>, scopes_required: bool) -> Result<JsValue> {
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
}
