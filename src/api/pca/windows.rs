//! Sign-in in a hidden frame (ssoSilent) or a popup: opening it, watching it, and redeeming the
//! response it comes back with.

use wasm_bindgen::prelude::*;

use crate::api::result::result_to_js;
use crate::browser::bridge::Bridge;
use crate::browser::frame::HiddenFrame;
use crate::browser::popup::Popup;
use crate::browser::storage::{Area, WebStore};
use crate::browser::task::sleep;
use crate::browser::{now, ChildWindow};
use crate::core::authority::Endpoints;
use crate::core::authorize::PendingRequest;
use crate::core::error::{AuthError, Result};
use crate::core::flow::Settings;
use crate::core::interaction::Popups;
use crate::core::json::Json;
use crate::core::redirect::{self, Outcome};

use super::request::Begun;
use super::Inner;

/// How often a sign-in's frame or popup is looked at: a closed popup is noticed this fast.
pub(super) const CHILD_WINDOW_POLL_MS: u32 = 50;

/// How long after the provider's page arrives a popup's handle may still be cut off by its
/// Cross-Origin-Opener-Policy (Chromium: about 10 ms, seen at the next poll); a later close is
/// the user's.
const COOP_CUT_OFF_MS: f64 = 2.0 * CHILD_WINDOW_POLL_MS as f64;

/// Opens a popup (inside the caller's click) and shows it to `on_open`.
pub(super) fn open_popup(on_open: Option<js_sys::Function>) -> Result<Popup> {
    let popup = Popup::open()?;
    if let (Some(on_open), Some(window)) = (on_open, popup.window()) {
        let _ = on_open.call1(&JsValue::NULL, &window);
    }
    Ok(popup)
}

/// Closes this window, which a browser allows only for a window a script opened (a popup), and
/// answers whether it is closing.
pub(super) async fn close_this_window() -> bool {
    let Some(window) = crate::browser::window() else { return false };
    let _ = window.close();
    sleep(50).await;
    window.closed().unwrap_or(false)
}

impl Inner {
    /// Signs in without any UI, from the IdP session: `prompt=none` in a hidden frame whose
    /// response this page reads as soon as the frame is back on our origin.
    pub(super) async fn sso_silent(&self, request: Json) -> Result<JsValue> {
        let Begun { interactive: mut silent, correlation_id, settings, endpoints, entropy } = self.begin(&request, false).await?;
        silent.hints.prompt = Some("none".to_owned());
        let (pending, url) = settings.prepare(&endpoints, &silent, &entropy, &correlation_id, "", now(), false);
        let frame = HiddenFrame::open(&url)?;
        self.child_window_sign_in(Box::new(frame), None, &settings, &endpoints, &pending, self.iframe_timeout_ms).await
    }

    /// Signs in in a popup opened by the caller's click.
    pub(super) async fn popup_sign_in(&self, popup: Popup, request: Json, scopes_required: bool) -> Result<JsValue> {
        let Begun { interactive, correlation_id, settings, endpoints, entropy } = self.begin(&request, scopes_required).await?;
        let (pending, url) = settings.prepare(&endpoints, &interactive, &entropy, &correlation_id, "", now(), true);
        // Listening before the popup leaves: under the provider's COOP, the channel is the only
        // way back, and the popup's page uses it only for a popup it finds under way.
        let local = WebStore::open(Area::Local);
        let popups = local.as_ref().map(|store| Popups::new(store, &self.settings.client_id));
        let bridge = popups.as_ref().filter(|p| p.begin(&pending.state_id, now()).is_ok()).and_then(|_| Bridge::listen());
        popup.navigate(&url)?;
        let result = self.child_window_sign_in(Box::new(popup), bridge, &settings, &endpoints, &pending, self.popup_timeout_ms).await;
        if let Some(popups) = popups {
            popups.end(&pending.state_id);
        }
        result
    }

    /// Whether a popup of this origin waits for the response of `state_id` (see `Popups`).
    pub(super) fn popup_under_way(&self, state_id: &str) -> bool {
        WebStore::open(Area::Local).is_some_and(|store| Popups::new(&store, &self.settings.client_id).is_open(state_id, now()))
    }

    /// Waits until a sign-in's child window is back on our origin with the response, closes
    /// it, and redeems the code. A popup's response may instead come over `bridge`: when the
    /// provider's Cross-Origin-Opener-Policy cuts the popup off, its handle reads closed as the
    /// provider's page arrives; only a popup that reads closed then waits for the bridge, up to
    /// `timeout_ms`, as a popup closed that early cannot be told from a cut-off one.
    async fn child_window_sign_in(
        &self,
        child: Box<dyn ChildWindow>,
        bridge: Option<Bridge>,
        settings: &Settings,
        endpoints: &Endpoints,
        pending: &PendingRequest,
        timeout_ms: u32,
    ) -> Result<JsValue> {
        let correlation_id = &pending.correlation_id;
        let started = js_sys::Date::now();
        let from_bridge = || {
            let bridge = bridge.as_ref()?;
            std::iter::from_fn(|| bridge.take()).find_map(|(hash, search)| redirect::find(&hash, &search).ok().flatten().map(|(r, _)| r).filter(|r| r.state_id() == pending.state_id))
        };
        // Since when the window has shown a foreign page (the provider's) without being cut off.
        let (mut foreign_since, mut cut_off) = (None, false);
        let response = loop {
            if let Some((hash, search)) = child.same_origin_url().filter(|_| !cut_off) {
                if let Some((response, _)) = redirect::find(&hash, &search)? {
                    break response;
                }
            }
            if let Some(response) = from_bridge() {
                break response;
            }
            if foreign_since.is_none() && child.on_foreign_origin() {
                foreign_since = Some(js_sys::Date::now());
            }
            if !cut_off && child.closed() {
                // COOP cuts the handle off within moments of the provider's page arriving; a
                // window that showed that page for longer was closed by the user.
                let shown_ms = foreign_since.map_or(0.0, |since| js_sys::Date::now() - since);
                if bridge.is_none() || shown_ms > COOP_CUT_OFF_MS {
                    return Err(AuthError::browser("user_cancelled", "The sign-in window was closed before the sign-in finished.").with_correlation_id(correlation_id));
                }
                cut_off = true;
            }
            if js_sys::Date::now() - started > f64::from(timeout_ms) {
                let err = if cut_off {
                    AuthError::browser(
                        "timed_out",
                        format!(
                            "No sign-in response came back within {} s: the popup was closed, or the identity provider's Cross-Origin-Opener-Policy cut it off and its redirect page did not hand the response back. The redirect URI's page must load this library (or call broadcastResponseToMainFrame from kusto-spa-auth/redirect-bridge).",
                            timeout_ms / 1000
                        ),
                    )
                } else {
                    child.timeout()
                };
                return Err(err.with_correlation_id(correlation_id));
            }
            sleep(CHILD_WINDOW_POLL_MS).await;
        };
        drop(child);
        if response.state_id() != pending.state_id {
            return Err(AuthError::client("state_mismatch", "The sign-in response does not belong to its request.").with_correlation_id(correlation_id));
        }
        let (code, client_info) = match response.outcome {
            Outcome::Code { code, client_info } => (code, client_info),
            Outcome::Error(err) => return Err(err.with_correlation_id(correlation_id)),
        };
        let mut result = self.redeem(settings, endpoints, pending, &code, client_info.as_deref()).await?;
        result.state = pending.app_state.clone();
        Ok(result_to_js(&result, &settings.authority.url))
    }
}
