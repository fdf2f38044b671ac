//! kusto-spa-auth: OAuth 2.0 authorization code + PKCE sign-in for browser apps that call Azure
//! Data Explorer (Kusto), with a JavaScript API shaped like @azure/msal-browser.
//!
//! Layers, from the inside out:
//! - [`core`]: the protocol, sans I/O; compiled and tested natively.
//! - [`browser`]: the thin shell over web APIs (storage, fetch, location); wasm32 only.
//! - [`api`]: the wasm-bindgen exports that JavaScript sees; wasm32 only.

// Errors carry several strings (code, message, correlation id, claims) by design, and they are the
// rare path, so their size is not worth boxing.
#![allow(clippy::result_large_err)]

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod browser;

#[cfg(target_arch = "wasm32")]
pub mod api;

/// The sign-in module's allocator: a free list, 3.3 KB gzip smaller than std's dlmalloc, for a
/// module that allocates little (a cache read, a token answer). The Kusto module keeps dlmalloc,
/// which makes its large-answer parse about 1.7 times faster.
#[cfg(all(target_arch = "wasm32", not(feature = "kusto")))]
#[global_allocator]
// SAFETY: wasm32-unknown-unknown without the atomics feature runs one thread.
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> = unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
