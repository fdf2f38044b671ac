//! Requests to the identity provider, each with a timeout.

use gloo_net::http::Request;
use web_sys::{AbortSignal, RequestCredentials};

use crate::core::error::{AuthError, Result};
use crate::core::url::Params;

pub const TIMEOUT_MS: u32 = 10_000;

/// Status and body of an answer.
pub struct Answer {
    pub status: u16,
    pub body: String,
}

fn network_error(url: &str, cause: gloo_net::Error) -> AuthError {
    let origin = crate::core::url::HttpUrl::parse(url).map(|u| u.origin()).unwrap_or_default();
    AuthError::browser(
        "no_network_connectivity",
        format!("No answer from {origin} ({cause}). Check the network connection; if the server is reachable, check that it allows cross-origin requests from this page."),
    )
}

async fn send(url: &str, request: Request) -> Result<Answer> {
    let response = request.send().await.map_err(|e| network_error(url, e))?;
    let status = response.status();
    let body = response.text().await.map_err(|e| network_error(url, e))?;
    Ok(Answer { status, body })
}

/// GET without cookies (discovery documents).
pub async fn get(url: &str) -> Result<Answer> {
    let signal = AbortSignal::timeout_with_u32(TIMEOUT_MS);
    let request = Request::get(url).credentials(RequestCredentials::Omit).abort_signal(Some(&signal)).build().map_err(|e| network_error(url, e))?;
    send(url, request).await
}

/// A form POST without cookies: a "simple" CORS request, so no preflight.
pub async fn post_form(url: &str, body: &Params) -> Result<Answer> {
    let signal = AbortSignal::timeout_with_u32(TIMEOUT_MS);
    let request = Request::post(url)
        .header("Content-Type", "application/x-www-form-urlencoded;charset=utf-8")
        .credentials(RequestCredentials::Omit)
        .abort_signal(Some(&signal))
        .body(body.encode())
        .map_err(|e| network_error(url, e))?;
    send(url, request).await
}
