//! The JavaScript API: wasm-bindgen exports shaped like @azure/msal-browser. Values cross the
//! boundary as plain JS objects (through the browser's JSON), errors as the JS classes of
//! `js/errors.js`.

mod config;
mod convert;
pub mod errors;
pub mod kusto;
mod logger;
pub mod pca;
