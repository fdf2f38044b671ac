//! Reading MSAL's `Configuration` object. Both MSAL generations' key positions are accepted:
//! msal-browser 5 reads `system.protocolMode`, versions 2 to 4 `auth.protocolMode` and
//! `auth.navigateToLoginRequestUrl`.

use wasm_bindgen::prelude::*;

use super::convert::from_js;
use super::logger::Logger;
use crate::core::authority::{parse_known_authorities, Authority, ProtocolMode};
use crate::core::authorize::ResponseMode;
use crate::core::error::{AuthError, Result};
use crate::core::flow::Settings;
use crate::core::json::Json;

pub const DEFAULT_AUTHORITY: &str = "https://login.microsoftonline.com/common";
pub const DEFAULT_RENEWAL_OFFSET: i64 = 300;
/// MSAL's default for how long a silent frame may take.
pub const DEFAULT_IFRAME_TIMEOUT_MS: u32 = 10_000;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum CacheLocation {
    Session,
    Local,
    Memory,
}

pub struct Config {
    pub settings: Settings,
    pub cache_location: CacheLocation,
    pub navigate_to_login_request_url: bool,
    pub iframe_timeout_ms: u32,
    pub logger: Logger,
}

fn invalid(code: &str, message: String) -> AuthError {
    AuthError::config(code, message)
}

/// A string option: absent is None, anything but a string is an error.
fn text<'a>(section: Option<&'a Json>, key: &str, path: &str) -> Result<Option<&'a str>> {
    match section.and_then(|s| s.get(key)) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Str(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(invalid("invalid_request_parameter", format!("{path}.{key} must be a string."))),
    }
}

/// The page's URL without query and fragment: MSAL's default redirect URI.
fn current_page() -> String {
    crate::browser::location::here().map(|h| h.href.split(['?', '#']).next().unwrap_or("").to_owned()).unwrap_or_default()
}

fn logger(raw: &JsValue) -> Logger {
    let get = |target: &JsValue, key: &str| js_sys::Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    let options = get(&get(raw, "system"), "loggerOptions");
    if options.is_undefined() || options.is_null() {
        return Logger::new(None, 0, false);
    }
    let callback = get(&options, "loggerCallback").dyn_into::<js_sys::Function>().ok();
    let level = get(&options, "logLevel").as_f64().map_or(2, |l| l as u32);
    Logger::new(callback, level, get(&options, "piiLoggingEnabled").is_truthy())
}

pub fn read(raw: &JsValue) -> Result<Config> {
    let json = from_js(raw, "configuration")?;
    let auth = json.get("auth");
    let system = json.get("system");
    let cache = json.get("cache");

    let client_id = text(auth, "clientId", "auth")?.filter(|s| !s.trim().is_empty()).ok_or_else(|| {
        invalid("invalid_client_id", "auth.clientId is required: the application (client) ID of the app registration.".into())
    })?;
    let mode = match text(system, "protocolMode", "system")?.or(text(auth, "protocolMode", "auth")?) {
        None | Some("AAD") => ProtocolMode::Auto,
        Some("OIDC") => ProtocolMode::Oidc,
        Some(other) => return Err(invalid("invalid_protocol_mode", format!("protocolMode '{other}' is not supported; use 'AAD' or 'OIDC'."))),
    };
    let authority = Authority::parse(text(auth, "authority", "auth")?.unwrap_or(DEFAULT_AUTHORITY), mode)?;
    let known: Vec<String> = match auth.and_then(|a| a.get("knownAuthorities")) {
        None | Some(Json::Null) => Vec::new(),
        Some(Json::Arr(items)) => items.iter().map(|i| i.as_str().map(str::to_owned)).collect::<Option<_>>().ok_or_else(|| {
            invalid("invalid_known_authorities", "auth.knownAuthorities must be an array of host names.".into())
        })?,
        Some(_) => return Err(invalid("invalid_known_authorities", "auth.knownAuthorities must be an array of host names.".into())),
    };
    parse_known_authorities(&known)?;
    let redirect_uri = text(auth, "redirectUri", "auth")?.map_or_else(current_page, str::to_owned);
    let post_logout_redirect_uri = text(auth, "postLogoutRedirectUri", "auth")?.map(str::to_owned);
    let response_mode = match text(auth, "responseMode", "auth")? {
        None | Some("fragment") => ResponseMode::Fragment,
        Some("query") => ResponseMode::Query,
        Some(other) => return Err(invalid("invalid_response_mode", format!("auth.responseMode '{other}' is not supported; use 'fragment' or 'query'."))),
    };
    let cache_location = match text(cache, "cacheLocation", "cache")? {
        None | Some("sessionStorage") => CacheLocation::Session,
        Some("localStorage") => CacheLocation::Local,
        Some("memoryStorage") => CacheLocation::Memory,
        Some(other) => {
            return Err(invalid("invalid_cache_location", format!("cache.cacheLocation '{other}' is not supported; use 'sessionStorage', 'localStorage' or 'memoryStorage'.")))
        }
    };
    let renewal_offset = match system.and_then(|s| s.get("tokenRenewalOffsetSeconds")) {
        None | Some(Json::Null) => DEFAULT_RENEWAL_OFFSET,
        Some(v) => matches!(v, Json::Num(_)).then(|| v.as_i64()).flatten().filter(|n| (0..=86_400).contains(n)).ok_or_else(|| {
            invalid("invalid_request_parameter", "system.tokenRenewalOffsetSeconds must be a whole number of seconds between 0 and 86400.".into())
        })?,
    };
    let iframe_timeout_ms = match system.and_then(|s| s.get("iframeHashTimeout")) {
        None | Some(Json::Null) => DEFAULT_IFRAME_TIMEOUT_MS,
        Some(v) => matches!(v, Json::Num(_)).then(|| v.as_i64()).flatten().and_then(|n| u32::try_from(n).ok()).filter(|n| *n > 0).ok_or_else(|| {
            invalid("invalid_request_parameter", "system.iframeHashTimeout must be a positive number of milliseconds.".into())
        })?,
    };
    let navigate_to_login_request_url = auth.and_then(|a| a.get("navigateToLoginRequestUrl")).and_then(Json::as_bool).unwrap_or(true);
    Ok(Config {
        settings: Settings { client_id: client_id.trim().to_owned(), authority, redirect_uri, post_logout_redirect_uri, renewal_offset, response_mode },
        cache_location,
        navigate_to_login_request_url,
        iframe_timeout_ms,
        logger: logger(raw),
    })
}
