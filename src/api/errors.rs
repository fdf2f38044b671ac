//! Raising core errors as instances of the JS error classes.

use wasm_bindgen::prelude::*;

use crate::core::error::AuthError;
#[cfg(feature = "kusto")]
use crate::core::kusto::errors::KustoError;

#[wasm_bindgen(module = "/js/errors.js")]
extern "C" {
    #[wasm_bindgen(js_name = createAuthError)]
    fn create_auth_error(class_name: &str, code: &str, message: &str, sub_error: &str, correlation_id: &str, claims: &str) -> JsValue;

    #[cfg(feature = "kusto")]
    #[wasm_bindgen(js_name = createKustoServiceError)]
    fn create_kusto_service_error(error_code: &str, message: &str, code: &str, permanent: Option<bool>, client_request_id: &str, http_status: Option<u16>, claims: Option<String>) -> JsValue;
}

pub fn to_js(err: &AuthError) -> JsValue {
    create_auth_error(err.kind.class_name(), &err.code, &err.message, &err.sub_error, &err.correlation_id, err.claims.as_deref().unwrap_or(""))
}

/// What the cluster reported becomes a `KustoServiceError`; refusals before any request
/// (untrusted host, a secret in a connection string) the usual `AuthError` classes.
#[cfg(feature = "kusto")]
pub fn kusto_to_js(err: &KustoError) -> JsValue {
    match &err.service {
        Some(s) => create_kusto_service_error(err.code, &err.message, &s.code, s.permanent, s.client_request_id.as_deref().unwrap_or(""), s.http_status, s.claims.clone()),
        None => to_js(&err.to_auth_error()),
    }
}
