//! `localStorage` and `sessionStorage` as [`Store`]s. Browsers throw on access when storage is
//! disabled and on writes past the quota; both become errors or absent values, never panics.

use web_sys::Storage;

use crate::core::store::Store;

pub struct WebStore(Storage);

#[derive(Clone, Copy)]
pub enum Area {
    Local,
    Session,
}

impl WebStore {
    /// None when the browser refuses access (private modes, disabled storage, sandboxed frames).
    pub fn open(area: Area) -> Option<WebStore> {
        let window = super::window()?;
        let storage = match area {
            Area::Local => window.local_storage(),
            Area::Session => window.session_storage(),
        };
        storage.ok().flatten().map(WebStore)
    }

    /// A JS object with Storage's methods (`getItem`, `setItem`, `removeItem`, `key`, `length`),
    /// called by name as a Storage's are.
    pub fn over(storage: wasm_bindgen::JsValue) -> WebStore {
        WebStore(wasm_bindgen::JsCast::unchecked_into(storage))
    }
}

impl Store for WebStore {
    fn get(&self, key: &str) -> Option<String> {
        self.0.get_item(key).ok().flatten()
    }

    fn set(&self, key: &str, value: &str) -> Result<(), String> {
        self.0.set_item(key, value).map_err(|e| js_sys::Error::from(e).message().into())
    }

    fn remove(&self, key: &str) {
        let _ = self.0.remove_item(key);
    }

    fn keys(&self) -> Vec<String> {
        let len = self.0.length().unwrap_or(0);
        (0..len).filter_map(|i| self.0.key(i).ok().flatten()).collect()
    }
}
