//! Requests through the browser's `fetch`: never with cookies, always with a timeout, cancellable
//! by the caller's `AbortSignal`, and with a bound on the body it reads (js/http.js).

use js_sys::{Array, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

use crate::core::error::{AuthError, Result};
use crate::core::retry::{delay_ms, Outcome};
use crate::core::url::{HttpUrl, Params};

/// Requests to the identity provider give up after this long.
pub const TIMEOUT_MS: u32 = 10_000;

/// The largest answer read from the identity provider: token responses and discovery documents
/// are a few kilobytes.
pub const IDP_MAX_BODY_BYTES: u32 = 1 << 20;

#[wasm_bindgen(module = "/js/http.js")]
extern "C" {
    /// fetch, as js/http.js describes it.
    #[wasm_bindgen(js_name = send)]
    fn fetch(url: &str, method: &str, headers: Array, body: Option<String>, timeout_ms: u32, signal: Option<AbortSignal>, max_bytes: u32) -> Promise;
}

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
    /// Past this many bytes of body, the request fails with `response_too_large`.
    pub max_body_bytes: u32,
}

fn failure(url: &str, cause: &JsValue) -> AuthError {
    let origin = origin_of(url);
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

/// The origin a request went to, for messages (never its path or query, which may hold secrets).
fn origin_of(url: &str) -> String {
    HttpUrl::parse(url).map(|u| u.origin()).unwrap_or_default()
}

fn too_large(url: &str, max: u32) -> AuthError {
    let origin = origin_of(url);
    AuthError::browser(
        "response_too_large",
        format!("The answer from {origin} is larger than {max} bytes, so it was not read. For a Kusto query, ask for fewer rows or columns (take, project, summarize) or raise the client's maxResponseBytes."),
    )
}

pub async fn send(url: &str, out: Outgoing<'_>) -> Result<Answer> {
    let headers = out.headers.iter().map(|(name, value)| Array::of2(&JsValue::from_str(name), &JsValue::from_str(value))).collect();
    let answer = super::task::wait(fetch(url, out.method, headers, out.body, out.timeout_ms, out.signal.cloned(), out.max_body_bytes)).await.map_err(|e| failure(url, &e))?;
    let text = |name| super::property(&answer, name).as_string();
    let body: js_sys::Uint8Array = super::property(&answer, "body").dyn_into().map_err(|_| too_large(url, out.max_body_bytes))?;
    // A body that is not UTF-8 cannot be JSON; read byte by byte, it can still be quoted in an error.
    let body = String::from_utf8(body.to_vec()).unwrap_or_else(|e| e.as_bytes().iter().map(|&b| char::from(b)).collect());
    let status = super::property(&answer, "status").as_f64().unwrap_or_default() as u16;
    Ok(Answer { status, body, www_authenticate: text("wwwAuthenticate"), retry_after: text("retryAfter") })
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
            // An answer too large to read came all the same: asking again would not shrink it.
            Err(e) if e.code == "response_too_large" => return attempt,
            Err(_) => Outcome::NetworkError,
        };
        match delay_ms(retry, &outcome) {
            Some(ms) => super::task::sleep(ms).await,
            None => return attempt,
        }
    }
}

/// GET (discovery documents).
pub async fn get(url: &str) -> Result<Answer> {
    send_to_idp(url, || Outgoing { method: "GET", headers: &[], body: None, timeout_ms: TIMEOUT_MS, signal: None, max_body_bytes: IDP_MAX_BODY_BYTES }).await
}

const FORM: [(&str, &str); 1] = [("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")];

/// A form POST: a "simple" CORS request, so no preflight.
pub async fn post_form(url: &str, body: &Params) -> Result<Answer> {
    let body = body.encode();
    send_to_idp(url, || Outgoing { method: "POST", headers: &FORM, body: Some(body.clone()), timeout_ms: TIMEOUT_MS, signal: None, max_body_bytes: IDP_MAX_BODY_BYTES }).await
}
