//! Interaction state, kept in sessionStorage (per tab) whatever the token cache location:
//! the pending request of each redirect under way, the tab's in-progress marker, and the hand-over
//! of a finished sign-in to the page it started on.
//!
//! The marker expires, and a page load that finds no response in its URL clears it: a sign-in
//! abandoned with the Back button or a closed IdP tab can never block the next one.

use super::authorize::PendingRequest;
use super::error::{AuthError, Result};
use super::json::Json;
use super::store::Store;

/// A redirect not back after this long is considered abandoned.
pub const INTERACTION_TTL_SECS: i64 = 15 * 60;

/// A finished redirect sign-in, handed from the redirect page to the page it started on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handover {
    pub account_key: String,
    /// The authority the sign-in was at (`Authority::url`).
    pub authority: String,
    pub scopes: Vec<String>,
    pub state: Option<String>,
    pub correlation_id: String,
    /// The sign-in added the account (MSAL reports a sign-in, not only a token, then).
    pub signed_in: bool,
}

pub struct Interaction<'a> {
    store: &'a dyn Store,
    client_id: &'a str,
}

fn write_error(why: String) -> AuthError {
    AuthError::browser("cache_write_failed", format!("sessionStorage could not be written ({why}); sign-in needs it to remember the request."))
}

impl<'a> Interaction<'a> {
    pub fn new(store: &'a dyn Store, client_id: &'a str) -> Interaction<'a> {
        Interaction { store, client_id }
    }

    fn key(&self, kind: &str) -> String {
        format!("{}{}|{kind}", super::cache::PREFIX, self.client_id)
    }

    fn request_key(&self, state_id: &str) -> String {
        self.key(&format!("request|{state_id}"))
    }

    /// Starts an interaction, refusing while another one of this tab is still under way.
    pub fn begin(&self, pending: &PendingRequest, now: i64) -> Result<()> {
        if let Some(started_at) = self.in_progress_since() {
            if now.saturating_sub(started_at) < INTERACTION_TTL_SECS {
                return Err(AuthError::browser(
                    "interaction_in_progress",
                    "A sign-in redirect is already under way in this tab. Await handleRedirectPromise() on page load before starting another interactive request.",
                ));
            }
            self.clear();
        }
        let marker = Json::object([("stateId", Some(Json::string(&pending.state_id))), ("startedAt", Some(Json::int(now)))]);
        self.store.set(&self.request_key(&pending.state_id), &pending.to_json().to_string()).map_err(write_error)?;
        self.store.set(&self.key("interaction"), &marker.to_string()).map_err(write_error)
    }

    fn in_progress_since(&self) -> Option<i64> {
        let text = self.store.get(&self.key("interaction"))?;
        Json::parse(&text).ok()?.get("startedAt")?.as_i64()
    }

    pub fn in_progress(&self, now: i64) -> bool {
        self.in_progress_since().is_some_and(|t| now.saturating_sub(t) < INTERACTION_TTL_SECS)
    }

    /// Whether a pending request of this tab waits for this state.
    pub fn expects(&self, state_id: &str) -> bool {
        self.store.get(&self.request_key(state_id)).is_some()
    }

    /// Takes (and removes) the pending request a response's state belongs to. Any response ends
    /// the interaction, matched or not.
    pub fn take(&self, state_id: &str) -> Result<PendingRequest> {
        let key = self.request_key(state_id);
        let pending = self.store.get(&key).and_then(|text| PendingRequest::from_json(&Json::parse(&text).ok()?));
        let was_in_progress = self.store.get(&self.key("interaction")).is_some();
        self.clear();
        match pending {
            Some(p) if p.state_id == state_id => Ok(p),
            _ if was_in_progress => Err(AuthError::client(
                "state_mismatch",
                "The sign-in response's state does not match the request this tab sent; it may have been tampered with. Nothing was redeemed. Start the sign-in again.",
            )),
            _ => Err(AuthError::client("state_not_found", "The sign-in response in the URL belongs to no request of this tab (already used, or started in another tab). Start the sign-in again.")),
        }
    }

    /// Ends any interaction of this tab and forgets its pending requests.
    pub fn clear(&self) {
        let requests = self.key("request|");
        for key in self.store.keys() {
            if key.starts_with(&requests) {
                self.store.remove(&key);
            }
        }
        self.store.remove(&self.key("interaction"));
    }

    pub fn save_handover(&self, handover: &Handover) -> Result<()> {
        let json = Json::object([
            ("accountKey", Some(Json::string(&handover.account_key))),
            ("authority", Some(Json::string(&handover.authority))),
            ("scopes", Some(Json::strings(&handover.scopes))),
            ("state", handover.state.as_deref().map(Json::string)),
            ("correlationId", Some(Json::string(&handover.correlation_id))),
            ("signedIn", Some(Json::Bool(handover.signed_in))),
        ]);
        self.store.set(&self.key("handover"), &json.to_string()).map_err(write_error)
    }

    pub fn take_handover(&self) -> Option<Handover> {
        let key = self.key("handover");
        let text = self.store.get(&key)?;
        self.store.remove(&key);
        let json = Json::parse(&text).ok()?;
        Some(Handover {
            account_key: json.str_at("accountKey")?.to_owned(),
            authority: json.str_at("authority")?.to_owned(),
            scopes: json.get("scopes")?.as_strings()?.into_iter().map(str::to_owned).collect(),
            state: json.str_at("state").map(str::to_owned),
            correlation_id: json.str_at("correlationId")?.to_owned(),
            signed_in: json.get("signedIn").and_then(Json::as_bool).unwrap_or(false),
        })
    }
}

/// The popups under way, in a store their pages share with the page that opened them
/// (localStorage). A popup's redirect page, cut off from its opener by the provider's
/// Cross-Origin-Opener-Policy, hands its response back only for one of these: a link that merely
/// carries a popup-like state finds none.
pub struct Popups<'a> {
    store: &'a dyn Store,
    client_id: &'a str,
}

impl<'a> Popups<'a> {
    pub fn new(store: &'a dyn Store, client_id: &'a str) -> Popups<'a> {
        Popups { store, client_id }
    }

    fn key(&self, state_id: &str) -> String {
        format!("{}{}|popup|{state_id}", super::cache::PREFIX, self.client_id)
    }

    pub fn begin(&self, state_id: &str, now: i64) -> Result<()> {
        self.store.set(&self.key(state_id), &Json::int(now).to_string()).map_err(write_error)
    }

    pub fn end(&self, state_id: &str) {
        self.store.remove(&self.key(state_id));
    }

    /// Whether the popup of `state_id` is under way (begun, and not longer ago than an interaction lives).
    pub fn is_open(&self, state_id: &str, now: i64) -> bool {
        let started = self.store.get(&self.key(state_id)).and_then(|v| Json::parse(&v).ok()?.as_i64());
        started.is_some_and(|at| at <= now && now.saturating_sub(at) < INTERACTION_TTL_SECS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::scopes::Scopes;
    use crate::core::secret::CodeVerifier;
    use crate::core::store::MemoryStore;

    fn pending(id: &str) -> PendingRequest {
        PendingRequest {
            state_id: id.into(),
            app_state: None,
            verifier: CodeVerifier::new("v"),
            nonce: "n".into(),
            scopes: Scopes::new(["s"]),
            redirect_uri: "http://localhost/".into(),
            authority: "http://localhost:9400".into(),
            start_url: "http://localhost/".into(),
            correlation_id: "c".into(),
            claims: None,
            started_at: 0,
        }
    }

    #[test]
    fn one_interaction_per_tab_until_it_ends_or_expires() {
        let store = MemoryStore::default();
        let i = Interaction::new(&store, "app");
        i.begin(&pending("a"), 100).unwrap();
        assert!(i.in_progress(100));
        assert_eq!(i.begin(&pending("b"), 101).unwrap_err().code, "interaction_in_progress");
        // An abandoned interaction stops blocking once it expires.
        i.begin(&pending("c"), 100 + INTERACTION_TTL_SECS).unwrap();
        assert_eq!(i.take("c").unwrap().state_id, "c");
        assert!(!i.in_progress(100 + INTERACTION_TTL_SECS));
        assert!(store.keys().is_empty(), "a taken request leaves nothing behind: {:?}", store.keys());
    }

    #[test]
    fn extreme_stored_times_do_not_overflow() {
        let store = MemoryStore::default();
        let i = Interaction::new(&store, "app");
        store.set("ksa1|app|interaction", &format!(r#"{{"stateId":"x","startedAt":{}}}"#, i64::MIN)).unwrap();
        assert!(!i.in_progress(i64::MAX));
        i.begin(&pending("a"), i64::MAX).unwrap();
        assert!(i.in_progress(i64::MAX));
        assert!(i.in_progress(i64::MIN), "a clock far behind the start still sees it under way");
    }

    #[test]
    fn an_unknown_state_is_a_mismatch_and_ends_the_interaction() {
        let store = MemoryStore::default();
        let i = Interaction::new(&store, "app");
        i.begin(&pending("a"), 0).unwrap();
        assert_eq!(i.take("forged").unwrap_err().code, "state_mismatch");
        assert!(store.keys().is_empty());
        assert_eq!(i.take("a").unwrap_err().code, "state_not_found");
    }

    #[test]
    fn hands_over_once() {
        let store = MemoryStore::default();
        let i = Interaction::new(&store, "app");
        let h = Handover { account_key: "k".into(), authority: "https://idp".into(), scopes: vec!["s".into()], state: Some("x".into()), correlation_id: "c".into(), signed_in: true };
        i.save_handover(&h).unwrap();
        assert_eq!(i.take_handover(), Some(h));
        assert_eq!(i.take_handover(), None);
        store.set("ksa1|app|handover", "garbage").unwrap();
        assert_eq!(i.take_handover(), None);
        assert!(store.keys().is_empty());
    }

    #[test]
    fn a_popup_is_open_from_begin_to_end_and_not_forever() {
        let store = MemoryStore::default();
        let popups = Popups::new(&store, "app");
        assert!(!popups.is_open("p.s", 100), "a state nobody began");
        popups.begin("p.s", 100).unwrap();
        assert!(popups.is_open("p.s", 100 + INTERACTION_TTL_SECS - 1));
        assert!(!popups.is_open("p.s", 100 + INTERACTION_TTL_SECS));
        assert!(!popups.is_open("p.s", 99), "begun in the future");
        assert!(!Popups::new(&store, "other").is_open("p.s", 100), "another client's");
        popups.end("p.s");
        assert!(!popups.is_open("p.s", 100));
        store.set("ksa1|app|popup|p.t", "not a time").unwrap();
        assert!(!popups.is_open("p.t", 100));
    }
}
