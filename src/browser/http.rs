//! Requests through the browser's `fetch`: never with cookies, always with a timeout, and
//! cancellable by the caller's `AbortSignal`.

use js_sys::{Array, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, Headers, RequestCredentials, RequestInit, Response};

use crate::core::error::{AuthError, Result};
use crate::core::retry::{delay_ms, Outcome};
use crate::core::url::{HttpUrl, Params};

/// Requests to the identity provider give up after this long.
pub const TIMEOUT_MS: u32 = 10_000;

/// Status, body, and the headers the caller acts on.
pub struct Answer {
    pub status: u16,
    pub body: String,
    pub www_authenticate: Option<String>,
    pub retry_after: Option<String>,
}

/// What a request carries besides its URL.
pub struct Outgoing<'a> {
    pub method: &'a str,
    pub headers: &'a [(&'a str, &'a str)],
    pub body: Option<String>,
    pub timeout_ms: u32,
    /// The caller's signal; aborting it cancels the request.
    pub signal: Option<&'a AbortSignal>,
}

fn failure(url: &str, cause: &JsValue) -> AuthError {
    let origin = HttpUrl::parse(url).map(|u| u.origin()).unwrap_or_default();
    let name = js_sys::Reflect::get(cause, &"name".into()).ok().and_then(|n| n.as_string()).unwrap_or_default();
    match name.as_str() {
        "TimeoutError" => AuthError::browser("request_timeout", format!("{origin} did not answer in time. Try again; raise the timeout for long queries.")),
        "AbortError" => AuthError::browser("request_cancelled", format!("The request to {origin} was cancelled by its AbortSignal.")),
        _ => {
            let cause = cause.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).unwrap_or_default();
            AuthError::browser(
                "no_network_connectivity",
                format!("No answer from {origin} ({cause}). Check the network connection; if the server is reachable, check that it allows cross-origin requests from this page."),
            )
        }
    }
}

async fn wait(url: &str, promise: Promise) -> Result<JsValue> {
    JsFuture::from(promise).await.map_err(|e| failure(url, &e))
}

pub async fn send(url: &str, out: Outgoing<'_>) -> Result<Answer> {
    let window = web_sys::window().ok_or_else(|| AuthError::browser("no_window", "fetch needs a browser window."))?;
    let init = RequestInit::new();
    init.set_method(out.method);
    init.set_credentials(RequestCredentials::Omit);
    let headers = Headers::new().map_err(|e| failure(url, &e))?;
    for (name, value) in out.headers {
        headers.append(name, value).map_err(|e| failure(url, &e))?;
    }
    init.set_headers(&headers);
    if let Some(body) = &out.body {
        init.set_body(&JsValue::from_str(body));
    }
    let timeout = AbortSignal::timeout_with_u32(out.timeout_ms);
    let signal = match out.signal {
        Some(caller) => AbortSignal::any(&Array::of2(&timeout, caller)),
        None => timeout,
    };
    init.set_signal(Some(&signal));
    let response: Response = wait(url, window.fetch_with_str_and_init(url, &init)).await?.unchecked_into();
    let header = |name: &str| response.headers().get(name).ok().flatten();
    let (www_authenticate, retry_after) = (header("WWW-Authenticate"), header("Retry-After"));
    let text = response.text().map_err(|e| failure(url, &e))?;
    let body = wait(url, text).await?.as_string().unwrap_or_default();
    Ok(Answer { status: response.status(), body, www_authenticate, retry_after })
}

/// Sends a request to the identity provider, retrying passing failures (network errors, 5xx,
/// 429 as long as `Retry-After` says) as `core::retry` decides.
async fn send_to_idp(url: &str, out: impl Fn() -> Outgoing<'static>) -> Result<Answer> {
    let mut retry = 0;
    loop {
        let attempt = send(url, out()).await;
        retry += 1;
        let outcome = match &attempt {
            Ok(answer) => Outcome::Status { status: answer.status, retry_after: answer.retry_after.as_deref() },
            Err(_) => Outcome::NetworkError,
        };
        match delay_ms(retry, &outcome) {
            Some(ms) => super::sleep(ms).await,
            None => return attempt,
        }
    }
}

/// GET (discovery documents).
pub async fn get(url: &str) -> Result<Answer> {
    send_to_idp(url, || Outgoing { method: "GET", headers: &[], body: None, timeout_ms: TIMEOUT_MS, signal: None }).await
}

const FORM: [(&str, &str); 1] = [("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")];

/// A form POST: a "simple" CORS request, so no preflight.
pub async fn post_form(url: &str, body: &Params) -> Result<Answer> {
    let body = body.encode();
    send_to_idp(url, || Outgoing { method: "POST", headers: &FORM, body: Some(body.clone()), timeout_ms: TIMEOUT_MS, signal: None }).await
}
