//! The sans-IO protocol core: pure Rust, no browser APIs, unit-tested natively. Every parser
//! here reads untrusted input and returns a typed error instead of panicking.

pub mod account;
pub mod authority;
pub mod authorize;
pub mod base64;
pub mod cache;
pub mod error;
pub mod flow;
pub mod id_token;
pub mod interaction;
pub mod json;
pub mod kusto;
pub mod msal_import;
pub mod pkce;
pub mod redirect;
pub mod retry;
pub mod scopes;
pub mod secret;
pub mod store;
pub mod text;
pub mod token;
pub mod url;
