//! `principalDescriptor` and `parsePrincipal`: synchronous, and small, so they live in the
//! sign-in module; the Kusto client is a module of its own (see `kusto`).

use wasm_bindgen::prelude::*;

use super::convert::{from_js, to_js};
use super::errors;
use crate::core::json::Json;
use crate::core::kusto::errors::KustoError;
use crate::core::kusto::principal::Principal;

fn principal_to_js(p: &Principal) -> JsValue {
    to_js(&Json::object([
        ("kind", Some(Json::string(p.kind.prefix()))),
        ("identity", Some(Json::string(&p.identity))),
        ("tenant", p.tenant.as_deref().map(Json::string)),
        ("descriptor", Some(Json::string(p.to_string()))),
    ]))
}

/// The Kusto principal descriptor of a signed-in account (`aaduser=<oid>;<tid>`, or
/// `msauser=<e-mail>` for a personal Microsoft account), for `.add database ... users (...)`.
#[wasm_bindgen(js_name = principalDescriptor)]
pub fn principal_descriptor(account: JsValue) -> Result<String, JsValue> {
    let json = from_js(&account, "account").map_err(|e| errors::to_js(&e))?;
    let claims = json.get("idTokenClaims").unwrap_or(&json);
    Principal::for_signed_in_account(claims).map(|p| p.to_string()).map_err(|e: KustoError| errors::kusto_to_js(&e))
}

/// Parses and checks a principal descriptor (`aaduser=`, `aadgroup=`, `aadapp=`, `msauser=`).
#[wasm_bindgen(js_name = parsePrincipal)]
pub fn parse_principal(descriptor: &str) -> Result<JsValue, JsValue> {
    Principal::parse(descriptor).map(|p| principal_to_js(&p)).map_err(|e| errors::kusto_to_js(&e))
}
