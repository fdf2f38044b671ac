//! Signing out: of the cache, then at the provider, by redirect or in a popup.

use wasm_bindgen::prelude::*;

use crate::browser::popup::Popup;
use crate::browser::task::sleep;
use crate::browser::{location, ChildWindow};
use crate::core::cache::AccountEntry;
use crate::core::error::Result;
use crate::core::flow::check_own_page;
use crate::core::json::Json;

use super::request::account_key_of;
use super::windows::CHILD_WINDOW_POLL_MS;
use super::Inner;

impl Inner {
    /// Signs the request's account (every account, if it names none) out of the cache, and ends
    /// this tab's interaction.
    pub(super) fn clear_cache(&self, request: &Json) -> Option<AccountEntry> {
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

    pub(super) async fn logout_redirect(&self, request: Json, hook: Option<js_sys::Function>) -> Result<JsValue> {
        if let Some(url) = self.sign_out(&request).await? {
            self.leave(&url, hook).await?;
        }
        Ok(JsValue::UNDEFINED)
    }

    /// Ends the provider's session in a popup, which closes once it is back on our origin (or
    /// after the window timeout: the local sign-out is done either way), then sends this page to
    /// `mainWindowRedirectUri` if the request names one.
    pub(super) async fn logout_popup(&self, popup: Popup, request: Json) -> Result<JsValue> {
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
}
