//! Moving values across the JS boundary. Plain data goes through the browser's own JSON
//! (fast, and no serde code in the wasm); only what JSON cannot carry (Dates, functions) is
//! handled one by one.

use std::future::Future;
use std::ops::RangeInclusive;
use std::pin::Pin;

use js_sys::Promise;

use wasm_bindgen::prelude::*;

use crate::core::error::{AuthError, Result};
use crate::core::json::Json;

/// The most JSON text a configuration or request may be (in UTF-16 units).
const MAX_INPUT_CHARS: u32 = 1 << 20;

#[wasm_bindgen(module = "/js/plain.js")]
extern "C" {
    #[wasm_bindgen(js_name = plainJson, catch)]
    fn plain_json(value: &JsValue) -> std::result::Result<JsValue, JsValue>;
}

/// Reads the plain data of a JS object (see js/plain.js). `undefined` and `null` read as
/// `Json::Null`.
pub fn from_js(value: &JsValue, what: &str) -> Result<Json> {
    if value.is_undefined() || value.is_null() {
        return Ok(Json::Null);
    }
    let text = plain_json(value).ok().filter(JsValue::is_string).ok_or_else(|| AuthError::config("invalid_request_parameter", format!("The {what} must be a plain object (JSON-serialisable).")))?;
    // Measured before it is copied into the module, whose memory it could exhaust.
    if text.unchecked_ref::<js_sys::JsString>().length() > MAX_INPUT_CHARS {
        return Err(AuthError::config("invalid_request_parameter", format!("The {what} is larger than 1 MiB as JSON; no configuration or request needs that much.")));
    }
    let text = text.as_string().unwrap_or_default();
    Json::parse(&text).map_err(|_| AuthError::config("invalid_request_parameter", format!("The {what} could not be read.")))
}

/// An optional string member of an options object: absent or null is None, anything but a
/// string an error naming `{path}.{key}`.
pub fn optional_str<'a>(object: Option<&'a Json>, key: &str, path: &str) -> Result<Option<&'a str>> {
    match object.and_then(|o| o.get(key)) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Str(s)) => Ok(Some(s.as_str())),
        Some(_) => Err(AuthError::config("invalid_request_parameter", format!("{path}.{key} must be a string."))),
    }
}

/// An optional whole-number member within `range`; `message` says what is expected.
pub fn optional_number(object: Option<&Json>, key: &str, range: RangeInclusive<i64>, message: &str) -> Result<Option<i64>> {
    match object.and_then(|o| o.get(key)) {
        None | Some(Json::Null) => Ok(None),
        Some(v @ Json::Num(_)) if v.as_i64().is_some_and(|n| range.contains(&n)) => Ok(v.as_i64()),
        Some(_) => Err(AuthError::config("invalid_request_parameter", message)),
    }
}

/// An optional array of strings; `error` for anything else.
pub fn optional_strings(object: Option<&Json>, key: &str, error: impl FnOnce() -> AuthError) -> Result<Vec<String>> {
    match object.and_then(|o| o.get(key)) {
        None | Some(Json::Null) => Ok(Vec::new()),
        Some(v) => v.as_strings().map(|items| items.into_iter().map(str::to_owned).collect()).ok_or_else(error),
    }
}

pub fn to_js(json: &Json) -> JsValue {
    parse_js(&json.to_string())
}

/// JSON text that we wrote, as a JS value.
pub fn parse_js(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap_or(JsValue::NULL)
}

pub fn set(target: &JsValue, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), value);
}

/// Runs an exported call's async work as a JS promise that rejects with `error(e)`. The future
/// is boxed so that the code that maps its answer is compiled once per error type, not once per
/// exported call.
pub fn promise<E: 'static>(future: impl Future<Output = std::result::Result<JsValue, E>> + 'static, error: fn(E) -> JsValue) -> Promise {
    settle(Box::pin(future), error)
}

fn settle<E: 'static>(future: Pin<Box<dyn Future<Output = std::result::Result<JsValue, E>>>>, error: fn(E) -> JsValue) -> Promise {
    crate::browser::task::promise(Box::pin(async move { future.await.map_err(error) }))
}
