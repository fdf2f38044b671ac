//! The browser shell: the only code that touches web APIs. Each module wraps one of them
//! thinly; decisions live in `core`.

pub mod http;
pub mod kusto;
pub mod location;
pub mod storage;

/// Seconds since the epoch, from the browser's clock.
pub fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Fills `buf` from the browser's cryptographic random source.
pub fn random<const N: usize>() -> Result<[u8; N], crate::core::error::AuthError> {
    let mut buf = [0u8; N];
    getrandom::fill(&mut buf).map_err(|_| {
        crate::core::error::AuthError::browser("crypto_nonexistent", "The browser offers no cryptographic random source (window.crypto); sign-in cannot be made safe here.")
    })?;
    Ok(buf)
}
