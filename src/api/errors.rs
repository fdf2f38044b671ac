//! Raising core errors as instances of the JS error classes.

use wasm_bindgen::prelude::*;

use crate::core::error::AuthError;

#[wasm_bindgen(module = "/js/errors.js")]
extern "C" {
    #[wasm_bindgen(js_name = createAuthError)]
    fn create_auth_error(class_name: &str, code: &str, message: &str, sub_error: &str, correlation_id: &str, claims: &str) -> JsValue;
}

pub fn to_js(err: &AuthError) -> JsValue {
    create_auth_error(err.kind.class_name(), &err.code, &err.message, &err.sub_error, &err.correlation_id, err.claims.as_deref().unwrap_or(""))
}
