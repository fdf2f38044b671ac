//! The key-value storage the cache sits on: localStorage, sessionStorage, or memory.

use std::cell::RefCell;

/// A string store. Writes can fail (a full quota, storage disabled by the user).
pub trait Store {
    fn get(&self, key: &str) -> Option<String>;
    fn set(&self, key: &str, value: &str) -> Result<(), String>;
    fn remove(&self, key: &str);
    fn keys(&self) -> Vec<String>;
}

/// Storage that lives as long as the page: `cacheLocation: 'memoryStorage'`, and tests.
/// A plain list: a cache holds a handful of entries, and a map type would cost more wasm.
#[derive(Default)]
pub struct MemoryStore(RefCell<Vec<(String, String)>>);

impl Store for MemoryStore {
    fn get(&self, key: &str) -> Option<String> {
        self.0.borrow().iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    fn set(&self, key: &str, value: &str) -> Result<(), String> {
        self.remove(key);
        self.0.borrow_mut().push((key.to_owned(), value.to_owned()));
        Ok(())
    }

    fn remove(&self, key: &str) {
        self.0.borrow_mut().retain(|(k, _)| k != key);
    }

    fn keys(&self) -> Vec<String> {
        self.0.borrow().iter().map(|(k, _)| k.clone()).collect()
    }
}
