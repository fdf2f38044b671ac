//! A popup window for sign-in or sign-out: opened empty inside the user's click (later, after an
//! await, browsers block it), sent to the IdP once the request is ready, read once it is back on
//! our origin, closed.

use web_sys::Window;

use super::ChildWindow;
use crate::core::error::{AuthError, Result};

pub struct Popup(Window);

const WIDTH: i32 = 483;
const HEIGHT: i32 = 600;

impl Popup {
    /// Opens an empty popup centred on this window. Must be called synchronously from the
    /// user's gesture.
    pub fn open() -> Result<Popup> {
        let blocked = || {
            AuthError::browser(
                "popup_window_error",
                "The browser did not open the popup. Call loginPopup, acquireTokenPopup or logoutPopup directly in a click handler (not after an await), or allow popups for this site.",
            )
        };
        let window = web_sys::window().ok_or_else(blocked)?;
        let number = |v: std::result::Result<wasm_bindgen::JsValue, _>| v.ok().and_then(|v| v.as_f64()).unwrap_or(0.0) as i32;
        let left = number(window.screen_x()) + (number(window.outer_width()) - WIDTH).max(0) / 2;
        let top = number(window.screen_y()) + (number(window.outer_height()) - HEIGHT).max(0) / 2;
        let features = format!("popup=yes,width={WIDTH},height={HEIGHT},left={left},top={top}");
        let popup = window.open_with_url_and_target_and_features("about:blank", "_blank", &features).ok().flatten().ok_or_else(blocked)?;
        Ok(Popup(popup))
    }

    pub fn navigate(&self, url: &str) -> Result<()> {
        self.0.location().set_href(url).map_err(|_| AuthError::browser("popup_window_error", "The popup could not be sent to the identity provider."))
    }
}

impl ChildWindow for Popup {
    fn window(&self) -> Option<Window> {
        Some(self.0.clone())
    }

    fn closed(&self) -> bool {
        self.0.closed().unwrap_or(true)
    }

    fn timeout(&self) -> AuthError {
        AuthError::browser("monitor_window_timeout", "The sign-in popup did not come back in time. Try again.")
    }
}

impl Drop for Popup {
    fn drop(&mut self) {
        let _ = self.0.close();
    }
}
