//! Reading an app's request (scopes, account, hints, correlation id, authority), and what every
//! interactive sign-in starts with.

use std::borrow::Cow;

use crate::api::convert::optional_str;
use crate::browser::{location, random};
use crate::core::account::account_key;
use crate::core::authority::Endpoints;
use crate::core::authorize::{AccountHints, Hints};
use crate::core::error::{AuthError, Result};
use crate::core::flow::{check_authentication_scheme, uuid_v4, Entropy, InteractiveRequest, Settings};
use crate::core::json::Json;
use crate::core::scopes::Scopes;
use crate::core::text;

use super::Inner;

const PROMPTS: [&str; 6] = ["login", "none", "consent", "select_account", "create", "no_session"];

pub(super) fn scopes_of(request: &Json, required: bool) -> Result<Scopes> {
    let scopes = match request.get("scopes") {
        None | Some(Json::Null) => Scopes::default(),
        Some(Json::Arr(items)) => Scopes::new(items.iter().filter_map(Json::as_str)),
        Some(_) => return Err(AuthError::config("invalid_request_parameter", "request.scopes must be an array of strings.")),
    };
    if required && scopes.as_slice().is_empty() {
        return Err(AuthError::config("empty_input_scopes_error", "request.scopes is empty. Name the scopes the token is for, e.g. ['https://help.kusto.windows.net/.default']."));
    }
    Ok(scopes)
}

pub(super) fn account_key_of(value: &Json) -> Option<String> {
    Some(account_key(value.str_at("environment")?, value.str_at("homeAccountId")?))
}

/// An interactive sign-in once it has begun (see `Inner::begin`).
pub(super) struct Begun<'a> {
    pub(super) interactive: InteractiveRequest,
    pub(super) correlation_id: String,
    pub(super) settings: Cow<'a, Settings>,
    pub(super) endpoints: Endpoints,
    pub(super) entropy: Entropy,
}

impl Inner {
    pub(super) fn correlation_id(&self, request: &Json) -> Result<String> {
        match request.str_at("correlationId") {
            Some(id) => Ok(id.to_owned()),
            None => Ok(uuid_v4(random()?)),
        }
    }

    /// The request's correlation id, once its authentication scheme is one this library serves.
    pub(super) fn token_request(&self, request: &Json) -> Result<String> {
        let correlation_id = self.correlation_id(request)?;
        check_authentication_scheme(request).map_err(|e| e.with_correlation_id(&correlation_id))?;
        Ok(correlation_id)
    }

    /// The settings of a request: at its own `authority`, if it names one.
    pub(super) fn settings_for(&self, request: &Json) -> Result<Cow<'_, Settings>> {
        self.settings.at(request.str_at("authority"))
    }

    fn interactive_request(&self, request: &Json, scopes_required: bool) -> Result<InteractiveRequest> {
        let field = |key: &str| optional_str(Some(request), key, "request").map(|v| v.map(str::to_owned));
        let prompt = field("prompt")?;
        if let Some(p) = prompt.as_deref().filter(|p| !PROMPTS.contains(p)) {
            return Err(AuthError::config("invalid_prompt_value", format!("prompt '{p}' is not supported; use one of {}.", text::join(&PROMPTS, ", "))));
        }
        let (login_hint, sid) = (field("loginHint")?, field("sid")?);
        // As msal-browser: a request naming no account, login hint or sid is for the active account.
        let named = request.get("account").filter(|a| a.members().is_some()).map(AccountHints::from_json);
        let account = match named {
            None if login_hint.as_deref().unwrap_or("").is_empty() && sid.as_deref().unwrap_or("").is_empty() => self.active_account().map(|e| AccountHints::from_json(&e.account.to_json())),
            named => named,
        };
        let extra = match request.get("extraQueryParameters") {
            None | Some(Json::Null) => Vec::new(),
            Some(Json::Obj(members)) => members.iter().filter_map(|(k, v)| Some((k.clone(), v.as_str()?.to_owned()))).collect(),
            Some(_) => return Err(AuthError::config("invalid_request_parameter", "request.extraQueryParameters must be an object of strings.")),
        };
        Ok(InteractiveRequest {
            scopes: scopes_of(request, scopes_required)?,
            state: field("state")?,
            claims: field("claims")?,
            redirect_uri: field("redirectUri")?.map(|uri| location::resolve(&uri, "request.redirectUri")).transpose()?,
            hints: Hints { prompt, login_hint, domain_hint: field("domainHint")?, sid, account, extra_query_parameters: extra },
        })
    }

    /// What every interactive sign-in starts with: the request read, its correlation id, its
    /// settings, the provider's endpoints and fresh PKCE/state/nonce values.
    pub(super) async fn begin(&self, request: &Json, scopes_required: bool) -> Result<Begun<'_>> {
        let correlation_id = self.token_request(request)?;
        let interactive = self.interactive_request(request, scopes_required)?;
        let settings = self.settings_for(request).map_err(|e| e.with_correlation_id(&correlation_id))?;
        let endpoints = self.endpoints(&settings).await.map_err(|e| e.with_correlation_id(&correlation_id))?;
        let entropy = Entropy { verifier: random()?, state: random()?, nonce: random()? };
        Ok(Begun { interactive, correlation_id, settings, endpoints, entropy })
    }
}
