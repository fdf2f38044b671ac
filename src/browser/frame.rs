//! A hidden iframe for silent sign-in (`prompt=none`): open it on a URL, read its address once
//! it is back on our origin, remove it.

use wasm_bindgen::prelude::*;
use web_sys::{HtmlIFrameElement, Window};

use super::ChildWindow;
use crate::core::error::{AuthError, Result};

#[wasm_bindgen(module = "/js/windows.js")]
extern "C" {
    #[wasm_bindgen(js_name = openHiddenFrame)]
    fn open_hidden_frame(url: &str) -> Option<HtmlIFrameElement>;
}

pub struct HiddenFrame(HtmlIFrameElement);

fn unavailable() -> AuthError {
    AuthError::browser("empty_window_error", "A hidden frame could not be created for the silent request (no document body).")
}

impl HiddenFrame {
    pub fn open(url: &str) -> Result<HiddenFrame> {
        open_hidden_frame(url).map(HiddenFrame).ok_or_else(unavailable)
    }
}

impl ChildWindow for HiddenFrame {
    fn window(&self) -> Option<Window> {
        self.0.content_window()
    }

    fn closed(&self) -> bool {
        false
    }

    fn timeout(&self) -> AuthError {
        AuthError::interaction_required(
            "monitor_window_timeout",
            "The silent sign-in frame did not come back in time: the identity provider may need the user, or the browser blocks its cookies in frames. Sign in interactively.",
        )
    }
}

impl Drop for HiddenFrame {
    fn drop(&mut self) {
        self.0.remove();
    }
}
