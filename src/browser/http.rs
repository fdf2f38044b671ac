//! Requests to the identity provider through the browser's `fetch`, each with a timeout.

use js_sys::Promise;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Headers, RequestCredentials, RequestInit, Response};

use crate::core::error::{AuthError, Result};
use crate::core::url::{HttpUrl, Params};

pub const TIMEOUT_MS: u32 = 10_000;

/// Status and body of an answer.
pub struct Answer {
    pub status: u16,
    pub body: String,
}

fn network_error(url: &str, cause: &JsValue) -> AuthError {
    let origin = HttpUrl::parse(url).map(|u| u.origin()).unwrap_or_default();
    let cause = cause.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_default();
    AuthError::browser(
        "no_network_connectivity",
        format!("No answer from {origin} ({cause}). Check the network connection; if the server is reachable, check that it allows cross-origin requests from this page."),
    )
}

async fn wait(url: &str, promise: Promise) -> Result<JsValue> {
    JsFuture::from(promise).await.map_err(|e| network_error(url, &e))
}

/// Sends a request without cookies, failing after [`TIMEOUT_MS`].
async fn send(url: &str, init: RequestInit) -> Result<Answer> {
    let window = web_sys::window().ok_or_else(|| AuthError::browser("no_window", "fetch needs a browser window."))?;
    init.set_credentials(RequestCredentials::Omit);
    init.set_signal(Some(&AbortSignal::timeout_with_u32(TIMEOUT_MS)));
    let response: Response = wait(url, window.fetch_with_str_and_init(url, &init)).await?.unchecked_into();
    let text = response.text().map_err(|e| network_error(url, &e))?;
    let body = wait(url, text).await?.as_string().unwrap_or_default();
    Ok(Answer { status: response.status(), body })
}

/// GET (discovery documents).
pub async fn get(url: &str) -> Result<Answer> {
    send(url, RequestInit::new()).await
}

/// A form POST: a "simple" CORS request, so no preflight.
pub async fn post_form(url: &str, body: &Params) -> Result<Answer> {
    let init = RequestInit::new();
    init.set_method("POST");
    let headers = Headers::new().map_err(|e| network_error(url, &e))?;
    headers.append("Content-Type", "application/x-www-form-urlencoded;charset=utf-8").map_err(|e| network_error(url, &e))?;
    init.set_headers(&headers);
    init.set_body(&JsValue::from_str(&body.encode()));
    send(url, init).await
}
