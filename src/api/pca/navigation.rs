//! Leaving the page: through the app's onRedirectNavigate and navigation client, else `location`.

use wasm_bindgen::prelude::*;

use crate::api::convert::set;
use crate::browser::task::{settle, sleep};
use crate::browser::{location, property};
use crate::core::error::{AuthError, Result};

use super::Inner;

/// An app's navigation code (onRedirectNavigate, a navigation client) that threw or rejected.
fn navigation_failed(what: &str, thrown: &JsValue) -> AuthError {
    let why = property(thrown, "message").as_string().unwrap_or_default();
    AuthError::browser("navigation_failed", format!("{what}: {why}"))
}

impl Inner {
    /// Leaves the page for `url`, unless the app's `onRedirectNavigate` returns false: the app
    /// then navigates by itself (another window, a native shell), or stays. The app's navigation
    /// client, if it set one, does the leaving.
    pub(super) async fn leave(&self, url: &str, hook: Option<js_sys::Function>) -> Result<()> {
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
    pub(super) async fn navigate(&self, method: &str, url: &str, no_history: bool) -> Result<bool> {
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
        let answer = settle(&answer).await.map_err(failed)?;
        Ok(answer.as_bool() != Some(false))
    }
}
