//! A hidden iframe for silent sign-in (`prompt=none`): open it on a URL, read its address once
//! it is back on our origin, remove it.

use wasm_bindgen::JsCast;
use web_sys::{HtmlIFrameElement, Window};

use super::ChildWindow;
use crate::core::error::{AuthError, Result};

pub struct HiddenFrame(HtmlIFrameElement);

fn unavailable() -> AuthError {
    AuthError::browser("empty_window_error", "A hidden frame could not be created for the silent request (no document body).")
}

impl HiddenFrame {
    pub fn open(url: &str) -> Result<HiddenFrame> {
        let document = web_sys::window().and_then(|w| w.document()).ok_or_else(unavailable)?;
        let frame: HtmlIFrameElement = document.create_element("iframe").map_err(|_| unavailable())?.unchecked_into();
        let style = frame.style();
        for (name, value) in [("visibility", "hidden"), ("position", "absolute"), ("width", "0"), ("height", "0"), ("border", "0")] {
            let _ = style.set_property(name, value);
        }
        let _ = frame.set_attribute("aria-hidden", "true");
        frame.set_src(url);
        document.body().ok_or_else(unavailable)?.append_child(&frame).map_err(|_| unavailable())?;
        Ok(HiddenFrame(frame))
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
