//! Reading MSAL's `Configuration` object. Both MSAL generations' key positions and names are
//! accepted, msal-browser 5's winning where both are set: it reads `system.protocolMode`,
//! `system.popupBridgeTimeout`, `system.iframeBridgeTimeout` and `auth.OIDCOptions.responseMode`,
//! versions 2 to 4 `auth.protocolMode`, `auth.navigateToLoginRequestUrl`,
//! `system.windowHashTimeout` and `system.iframeHashTimeout`.

use wasm_bindgen::prelude::*;

use super::convert::{from_js, optional_number, optional_str, optional_strings};
use super::logger::Logger;
use crate::browser::{location, property};
use crate::core::authority::{cloud_authority, parse_known_authorities, Authority, ProtocolMode};
use crate::core::authorize::ResponseMode;
use crate::core::error::{AuthError, Result};
use crate::core::flow::Settings;
use crate::core::json::Json;
use crate::core::scopes::default_scopes;

pub const DEFAULT_AUTHORITY: &str = "https://login.microsoftonline.com/common";
pub const DEFAULT_RENEWAL_OFFSET: i64 = 300;
/// MSAL's default for how long a silent frame may take.
pub const DEFAULT_IFRAME_TIMEOUT_MS: u32 = 10_000;
/// How long a popup may stay open (MSAL's windowHashTimeout default).
pub const DEFAULT_POPUP_TIMEOUT_MS: u32 = 60_000;
/// How long a navigation away may take before the call that started it answers (MSAL's
/// redirectNavigationTimeout default).
pub const DEFAULT_NAVIGATION_TIMEOUT_MS: u32 = 30_000;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum CacheLocation {
    Session,
    Local,
    Memory,
}

impl CacheLocation {
    /// MSAL's name for it.
    pub fn as_str(self) -> &'static str {
        match self {
            CacheLocation::Session => "sessionStorage",
            CacheLocation::Local => "localStorage",
            CacheLocation::Memory => "memoryStorage",
        }
    }
}

pub struct Config {
    pub settings: Settings,
    pub cache_location: CacheLocation,
    pub navigate_to_login_request_url: bool,
    pub iframe_timeout_ms: u32,
    pub popup_timeout_ms: u32,
    pub navigation_timeout_ms: u32,
    pub logger: Logger,
    /// `auth.onRedirectNavigate` (msal-browser 5's position; earlier versions take it per request).
    pub on_redirect_navigate: Option<js_sys::Function>,
}

fn invalid(code: &str, message: String) -> AuthError {
    AuthError::config(code, message)
}

/// The page's URL without query and fragment: MSAL's default redirect URI.
fn current_page() -> String {
    location::here().map(|h| h.href.split(['?', '#']).next().unwrap_or("").to_owned()).unwrap_or_default()
}

/// `system.loggerOptions.loggerCallback`: the package passes its logger's entry point there.
fn logger(raw: &JsValue) -> Logger {
    let options = property(&property(raw, "system"), "loggerOptions");
    Logger::new(property(&options, "loggerCallback").dyn_into().ok())
}

/// `onRedirectNavigate` of a configuration's `auth` or of a request, if it is a function.
pub fn redirect_hook(owner: &JsValue) -> Option<js_sys::Function> {
    property(owner, "onRedirectNavigate").dyn_into().ok()
}

/// An optional object member, `{path}.{key}`.
fn optional_object<'a>(object: Option<&'a Json>, key: &str, path: &str) -> Result<Option<&'a Json>> {
    match object.and_then(|o| o.get(key)) {
        None | Some(Json::Null) => Ok(None),
        Some(value) if value.members().is_some() => Ok(Some(value)),
        Some(_) => Err(invalid("invalid_request_parameter", format!("{path}.{key} must be an object."))),
    }
}

/// A timeout in ms under msal-browser 5's `name`, else under 2–4's `older`; either must be positive.
fn timeout(system: Option<&Json>, name: &str, older: &str) -> Result<Option<u32>> {
    let ms = |key: &str| optional_number(system, key, 1..=i64::from(u32::MAX), &format!("system.{key} must be a positive number of milliseconds."));
    let (name, older) = (ms(name)?, ms(older)?);
    Ok(name.or(older).map(|n| n as u32))
}

pub fn read(raw: &JsValue) -> Result<Config> {
    let json = from_js(raw, "configuration")?;
    let auth = json.get("auth");
    let system = json.get("system");
    let cache = json.get("cache");
    let oidc_options = optional_object(auth, "OIDCOptions", "auth")?;
    let cloud = optional_object(auth, "azureCloudOptions", "auth")?;

    let client_id = optional_str(auth, "clientId", "auth")?
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| invalid("invalid_client_id", "auth.clientId is required: the application (client) ID of the app registration.".into()))?;
    let mode = match optional_str(system, "protocolMode", "system")?.or(optional_str(auth, "protocolMode", "auth")?) {
        None | Some("AAD") => ProtocolMode::Auto,
        Some("OIDC") => ProtocolMode::Oidc,
        Some(other) => return Err(invalid("invalid_protocol_mode", format!("protocolMode '{other}' is not supported; use 'AAD' or 'OIDC'."))),
    };
    let cloud_instance = optional_str(cloud, "azureCloudInstance", "auth.azureCloudOptions")?;
    let cloud_tenant = optional_str(cloud, "tenant", "auth.azureCloudOptions")?;
    let from_cloud = cloud_instance.and_then(|instance| cloud_authority(instance, cloud_tenant));
    let authority = Authority::parse(from_cloud.as_deref().or(optional_str(auth, "authority", "auth")?).unwrap_or(DEFAULT_AUTHORITY), mode)?;
    let known = optional_strings(auth, "knownAuthorities", || invalid("invalid_known_authorities", "auth.knownAuthorities must be an array of host names.".into()))?;
    let known_hosts = parse_known_authorities(&known)?;
    let configured_endpoints = match optional_str(auth, "authorityMetadata", "auth")?.filter(|m| !m.is_empty()) {
        Some(metadata) => authority.endpoints_from_metadata(metadata, &known_hosts)?,
        None => None,
    };
    let configured_scopes = match oidc_options.and_then(|o| o.get("defaultScopes")) {
        None | Some(Json::Null) => None,
        Some(list) => Some(list.as_strings().ok_or_else(|| invalid("invalid_request_parameter", "auth.OIDCOptions.defaultScopes must be an array of scopes (strings).".into()))?),
    };
    let resolve = |key: &str| optional_str(auth, key, "auth")?.map(|uri| location::resolve(uri, &format!("auth.{key}"))).transpose();
    let redirect_uri = resolve("redirectUri")?.unwrap_or_else(current_page);
    // Unset, the app's redirect URI, which its registration certainly allows (MSAL takes the
    // current page); null, none: the provider keeps the browser after logout.
    let post_logout_redirect_uri = match auth.and_then(|a| a.get("postLogoutRedirectUri")) {
        Some(Json::Null) => None,
        _ => Some(resolve("postLogoutRedirectUri")?.unwrap_or_else(|| redirect_uri.clone())),
    };
    let (mode_key, response_mode) = match optional_str(oidc_options, "responseMode", "auth.OIDCOptions")? {
        Some(mode) => ("auth.OIDCOptions.responseMode", Some(mode)),
        None => ("auth.responseMode", optional_str(auth, "responseMode", "auth")?),
    };
    let response_mode = match response_mode {
        None | Some("fragment") => ResponseMode::Fragment,
        Some("query") => ResponseMode::Query,
        // form_post would send the response to a server: a single-page app cannot read it.
        Some(other) => return Err(invalid("invalid_response_mode", format!("{mode_key} '{other}' is not supported; use 'fragment' or 'query'."))),
    };
    let cache_location = match optional_str(cache, "cacheLocation", "cache")? {
        None | Some("sessionStorage") => CacheLocation::Session,
        Some("localStorage") => CacheLocation::Local,
        Some("memoryStorage") => CacheLocation::Memory,
        Some(other) => return Err(invalid("invalid_cache_location", format!("cache.cacheLocation '{other}' is not supported; use 'sessionStorage', 'localStorage' or 'memoryStorage'."))),
    };
    let renewal_offset =
        optional_number(system, "tokenRenewalOffsetSeconds", 0..=86_400, "system.tokenRenewalOffsetSeconds must be a whole number of seconds between 0 and 86400.")?.unwrap_or(DEFAULT_RENEWAL_OFFSET);
    let iframe_timeout_ms = timeout(system, "iframeBridgeTimeout", "iframeHashTimeout")?.unwrap_or(DEFAULT_IFRAME_TIMEOUT_MS);
    let popup_timeout_ms = timeout(system, "popupBridgeTimeout", "windowHashTimeout")?.unwrap_or(DEFAULT_POPUP_TIMEOUT_MS);
    let navigation_timeout_ms = optional_number(system, "redirectNavigationTimeout", 0..=i64::from(u32::MAX), "system.redirectNavigationTimeout must be a number of milliseconds.")?
        .map_or(DEFAULT_NAVIGATION_TIMEOUT_MS, |n| n as u32);
    let navigate_to_login_request_url = auth.and_then(|a| a.get("navigateToLoginRequestUrl")).and_then(Json::as_bool).unwrap_or(true);
    Ok(Config {
        settings: Settings {
            client_id: client_id.trim().to_owned(),
            authority,
            protocol_mode: mode,
            redirect_uri,
            post_logout_redirect_uri,
            renewal_offset,
            response_mode,
            known_hosts,
            default_scopes: default_scopes(configured_scopes),
            configured_endpoints,
        },
        cache_location,
        navigate_to_login_request_url,
        iframe_timeout_ms,
        popup_timeout_ms,
        navigation_timeout_ms,
        logger: logger(raw),
        on_redirect_navigate: redirect_hook(&property(raw, "auth")),
    })
}
