//! MSAL's `loggerOptions`: a callback with levels; personal data only when allowed. Messages
//! never carry tokens, codes or verifiers.

use wasm_bindgen::prelude::*;

/// MSAL's `LogLevel` numbering.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Error = 0,
    Warning = 1,
    Info = 2,
    Verbose = 3,
}

pub struct Logger {
    callback: Option<js_sys::Function>,
    level: u32,
    pii_enabled: bool,
}

impl Logger {
    pub fn new(callback: Option<js_sys::Function>, level: u32, pii_enabled: bool) -> Logger {
        Logger { callback, level, pii_enabled }
    }

    pub fn log(&self, level: Level, message: &str) {
        self.emit(level, message, false);
    }

    /// A message with personal data (user names, account ids): dropped unless
    /// `piiLoggingEnabled` is set.
    pub fn log_pii(&self, level: Level, message: &str) {
        if self.pii_enabled {
            self.emit(level, message, true);
        }
    }

    fn emit(&self, level: Level, message: &str, contains_pii: bool) {
        let Some(callback) = &self.callback else { return };
        if level as u32 <= self.level {
            let text = format!("[kusto-spa-auth] {message}");
            let _ = callback.call3(&JsValue::NULL, &JsValue::from(level as u32), &JsValue::from_str(&text), &JsValue::from_bool(contains_pii));
        }
    }
}
