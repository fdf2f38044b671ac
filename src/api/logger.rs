//! The library's log messages, handed to JS with their level and whether they hold personal
//! data. Messages never carry tokens, codes or verifiers.

use wasm_bindgen::prelude::*;

/// MSAL's `LogLevel` numbering.
#[derive(Clone, Copy)]
pub enum Level {
    Error = 0,
    Warning = 1,
    Info = 2,
    Verbose = 3,
}

/// Hands every message to the package's JS logger, which applies the level and PII settings
/// (an app may replace that logger with `setLogger`).
pub struct Logger {
    sink: Option<js_sys::Function>,
}

impl Logger {
    pub fn new(sink: Option<js_sys::Function>) -> Logger {
        Logger { sink }
    }

    pub fn log(&self, level: Level, message: &str) {
        self.emit(level, message, false);
    }

    /// A message with personal data (user names, account ids), marked as such.
    pub fn log_pii(&self, level: Level, message: &str) {
        self.emit(level, message, true);
    }

    fn emit(&self, level: Level, message: &str, contains_pii: bool) {
        if let Some(sink) = &self.sink {
            let _ = sink.call3(&JsValue::NULL, &JsValue::from(level as u32), &JsValue::from_str(message), &JsValue::from_bool(contains_pii));
        }
    }
}
