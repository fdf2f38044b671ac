//! Tabs of one origin that share a localStorage cache (see `js/tabs.js`): a lock per account
//! for renewals, and stamps that tell a lock holder whether it reads the latest cache.

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;

use super::task::wait;

#[wasm_bindgen(module = "/js/tabs.js")]
extern "C" {
    #[wasm_bindgen(js_name = acquireLock)]
    fn acquire_lock(name: &str) -> Promise;
    #[wasm_bindgen(js_name = readStamp)]
    fn read_stamp(key: &str) -> Promise;
    #[wasm_bindgen(js_name = writeStamp)]
    fn write_stamp(key: &str, value: &str) -> Promise;
}

/// A held lock; dropping it lets the next tab (or call) in, on every path out of a scope.
pub struct Lock(Option<Function>);

impl Drop for Lock {
    fn drop(&mut self) {
        if let Some(release) = self.0.take() {
            let _ = release.call0(&JsValue::NULL);
        }
    }
}

/// Waits for the lock `name`.
pub async fn lock(name: &str) -> Lock {
    Lock(wait(acquire_lock(name)).await.ok().and_then(|f| f.dyn_into().ok()))
}

/// The stamp under `key`, if any.
pub async fn stamp(key: &str) -> Option<String> {
    wait(read_stamp(key)).await.ok().and_then(|v| v.as_string())
}

/// Stores the stamp under `key`; resolves once it is committed.
pub async fn set_stamp(key: &str, value: &str) {
    let _ = wait(write_stamp(key, value)).await;
}
