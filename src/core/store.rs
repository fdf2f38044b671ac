//! The key-value storage the cache sits on: localStorage, sessionStorage, or memory.

use std::cell::RefCell;
use std::collections::BTreeMap;

/// A string store. Writes can fail (a full quota, storage disabled by the user).
pub trait Store {
    fn get(&self, key: &str) -> Option<String>;
    fn set(&self, key: &str, value: &str) -> Result<(), String>;
    fn remove(&self, key: &str);
    fn keys(&self) -> Vec<String>;
}

/// Storage that lives as long as the page: `cacheLocation: 'memoryStorage'`, and tests.
#[derive(Default)]
pub struct MemoryStore(RefCell<BTreeMap<String, String>>);

impl Store for MemoryStore {
    fn get(&self, key: &str) -> Option<String> {
        self.0.borrow().get(key).cloned()
    }

    fn set(&self, key: &str, value: &str) -> Result<(), String> {
        self.0.borrow_mut().insert(key.to_owned(), value.to_owned());
        Ok(())
    }

    fn remove(&self, key: &str) {
        self.0.borrow_mut().remove(key);
    }

    fn keys(&self) -> Vec<String> {
        self.0.borrow().keys().cloned().collect()
    }
}
