//! The browser shell: the only code that touches web APIs. Each module wraps one of them
//! thinly; decisions live in `core`.

pub mod bridge;
pub mod frame;
pub mod http;
pub mod kusto;
pub mod location;
pub mod popup;
pub mod storage;
pub mod tabs;
pub mod task;

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// The page's window, read once; absent where there is none (a worker).
    #[wasm_bindgen(thread_local_v2, js_name = window)]
    static WINDOW: Option<web_sys::Window>;
}

/// The page's window. (web_sys::window() finds the global object among four candidates first,
/// and checks its class: 0.3 KB gzip more in the sign-in app.)
pub fn window() -> Option<web_sys::Window> {
    WINDOW.with(Option::clone)
}

/// Seconds since the epoch, from the browser's clock.
pub fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Fills `buf` from the browser's cryptographic random source.
pub fn random<const N: usize>() -> Result<[u8; N], crate::core::error::AuthError> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf)
        .map_err(|_| crate::core::error::AuthError::browser("crypto_nonexistent", "The browser offers no cryptographic random source (window.crypto); sign-in cannot be made safe here."))?;
    Ok(buf)
}

/// `target[key]`, undefined when it cannot be read.
pub fn property(target: &wasm_bindgen::JsValue, key: &str) -> wasm_bindgen::JsValue {
    js_sys::Reflect::get(target, &wasm_bindgen::JsValue::from_str(key)).unwrap_or(wasm_bindgen::JsValue::UNDEFINED)
}

/// Whether this page runs in a window another page of ours opened for a sign-in (a silent
/// sign-in's frame, a popup), or is embedded in a frame: the opener reads the response.
pub fn in_child_window() -> bool {
    window().is_some_and(|w| w.top().ok().flatten().is_none_or(|top| top != w) || w.opener().is_ok_and(|o| o.is_object()))
}

/// A window that a sign-in runs in (hidden frame, popup), watched from this page.
pub trait ChildWindow {
    fn window(&self) -> Option<web_sys::Window>;
    /// Whether the user closed it.
    fn closed(&self) -> bool;
    /// The error when it does not come back in time.
    fn timeout(&self) -> crate::core::error::AuthError;

    /// The window's fragment and query, once it is back on this page's origin (None while the
    /// IdP shows it: reading a cross-origin location fails).
    /// Whether it shows a page of another origin (the identity provider's), whose address this
    /// page cannot read.
    fn on_foreign_origin(&self) -> bool {
        // Reading another origin's address throws: through Reflect, that is an Err to test.
        let href = |w: web_sys::Window| js_sys::Reflect::get(&w, &"location".into()).and_then(|l| js_sys::Reflect::get(&l, &"href".into()));
        !self.closed() && self.window().is_some_and(|w| href(w).is_err())
    }

    fn same_origin_url(&self) -> Option<(String, String)> {
        let location = self.window()?.location();
        let href = location.href().ok()?;
        (href != "about:blank").then(|| (location.hash().unwrap_or_default(), location.search().unwrap_or_default()))
    }
}
