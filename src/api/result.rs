//! MSAL's `AccountInfo` and `AuthenticationResult` as JS sees them.

use wasm_bindgen::prelude::*;

use super::convert::{set, to_js};
use crate::core::account::Account;
use crate::core::flow::AuthResult;
use crate::core::json::Json;

fn date(seconds: i64) -> JsValue {
    js_sys::Date::new(&JsValue::from_f64(seconds as f64 * 1000.0)).into()
}

pub fn account_to_js(account: &Account) -> JsValue {
    to_js(&account.to_json())
}

/// MSAL's `AuthenticationResult`.
pub fn result_to_js(r: &AuthResult, authority: &str) -> JsValue {
    let json = Json::object([
        ("authority", Some(Json::string(authority))),
        ("uniqueId", Some(Json::string(&r.account.local_account_id))),
        ("tenantId", Some(Json::string(&r.account.tenant_id))),
        ("scopes", Some(Json::strings(r.scopes.as_slice()))),
        ("account", Some(r.account.to_json())),
        ("idToken", Some(Json::string(r.id_token.expose()))),
        ("idTokenClaims", Some(r.account.id_token_claims.0.clone())),
        ("accessToken", Some(Json::string(r.access_token.expose()))),
        ("fromCache", Some(Json::Bool(r.from_cache))),
        ("tokenType", Some(Json::string(&r.token_type))),
        ("correlationId", Some(Json::string(&r.correlation_id))),
        ("state", Some(Json::string(r.state.as_deref().unwrap_or("")))),
    ]);
    let value = to_js(&json);
    set(&value, "expiresOn", &date(r.expires_on));
    set(&value, "refreshTokenExpiresOn", &r.refresh_token_expires_on.map_or(JsValue::NULL, date));
    value
}
