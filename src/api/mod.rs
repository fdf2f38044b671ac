//! The JavaScript API: wasm-bindgen exports shaped like @azure/msal-browser. Values cross the
//! boundary as plain JS objects (through the browser's JSON), errors as the JS classes of
//! `js/errors.js`.

//!
//! The crate builds two modules (tools/build-pkg.mjs): with feature `auth`, sign-in
//! (`PublicClientApplication`); with feature `kusto`, the `KustoClient`,
//! which the package loads only when an app first queries.

#[cfg(feature = "auth")]
mod config;
mod convert;
pub mod errors;
#[cfg(feature = "kusto")]
pub mod kusto;
#[cfg(feature = "auth")]
mod logger;
#[cfg(feature = "auth")]
pub mod pca;
#[cfg(feature = "auth")]
mod result;
