//! A popup window for sign-in or sign-out: opened empty inside the user's click (later, after an
//! await, browsers block it), sent to the IdP once the request is ready, read once it is back on
//! our origin, closed.

use wasm_bindgen::prelude::*;
use web_sys::Window;

use super::ChildWindow;
use crate::core::error::{AuthError, Result};

#[wasm_bindgen(module = "/js/windows.js")]
extern "C" {
    #[wasm_bindgen(js_name = openPopup)]
    fn open_popup(width: u32, height: u32) -> Option<Window>;
}

pub struct Popup(Window);

const WIDTH: u32 = 483;
const HEIGHT: u32 = 600;

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
        open_popup(WIDTH, HEIGHT).map(Popup).ok_or_else(blocked)
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
