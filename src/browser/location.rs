//! The page's URL: reading it, cleaning the sign-in response out of it, and leaving it.

use crate::core::error::{AuthError, Result};
use crate::core::redirect::{Source, RESPONSE_PARAMS};
use crate::core::url::Params;

fn window() -> Result<web_sys::Window> {
    super::window().ok_or_else(|| AuthError::browser("no_window", "This code needs a browser window (it is not running in a page)."))
}

pub struct Here {
    pub href: String,
    pub hash: String,
    pub search: String,
}

/// The page's origin, in the form `HttpUrl::origin` gives.
pub fn origin() -> Result<String> {
    let href = here()?.href;
    crate::core::url::HttpUrl::parse(&href).map(|u| u.origin()).map_err(|_| AuthError::browser("no_window", "The page is not served over http(s), so it cannot sign in."))
}

/// `raw` resolved against the page, as a link on it would be: apps name their own pages with
/// relative URLs (`/`, `redirect.html`). `key` names the setting in the error.
pub fn resolve(raw: &str, key: &str) -> Result<String> {
    web_sys::Url::new_with_base(raw, &here()?.href).map(|url| url.href()).map_err(|_| AuthError::config("url_parse_error", format!("{key} is not a URL, absolute or relative to the current page.")))
}

pub fn here() -> Result<Here> {
    let location = window()?.location();
    let read = |r: std::result::Result<String, wasm_bindgen::JsValue>| r.unwrap_or_default();
    Ok(Here { href: read(location.href()), hash: read(location.hash()), search: read(location.search()) })
}

/// `href` without its fragment.
pub fn without_fragment(href: &str) -> &str {
    href.split_once('#').map_or(href, |(base, _)| base)
}

/// Replaces the current history entry so that the code and state (every response parameter) leave the address bar (and
/// never reach the history, a bookmark, or a Referer header).
pub fn clear_response(source: Source) -> Result<()> {
    let window = window()?;
    let location = window.location();
    let path = location.pathname().unwrap_or_default();
    let search = location.search().unwrap_or_default();
    let clean = match source {
        Source::Fragment => format!("{path}{search}"),
        Source::Query => {
            let kept = Params::parse(&search).map(|p| Params(p.0.into_iter().filter(|(k, _)| !RESPONSE_PARAMS.contains(&k.as_str())).collect())).unwrap_or_default();
            let hash = location.hash().unwrap_or_default();
            let query = if kept.0.is_empty() { String::new() } else { format!("?{}", kept.encode()) };
            format!("{path}{query}{hash}")
        }
    };
    let history = window.history().map_err(|_| AuthError::browser("no_history", "The page's history is not accessible."))?;
    history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&clean)).map_err(|_| AuthError::browser("no_history", "The sign-in response could not be removed from the address bar."))
}

/// Navigates the page away: with a history entry (to the IdP), or in place of the current one
/// (`no_history`: back from a redirect page, which Back must not return to).
pub fn go(url: &str, no_history: bool) -> Result<()> {
    let location = window()?.location();
    let gone = if no_history { location.replace(url) } else { location.assign(url) };
    gone.map_err(|_| AuthError::browser("navigation_failed", "The browser refused to navigate."))
}
