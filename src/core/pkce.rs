//! PKCE (RFC 7636) with the S256 method, and the base64url helpers the protocol uses.

use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;
use sha2::{Digest, Sha256};

use super::secret::CodeVerifier;

pub fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes base64url with or without padding (JWT segments have none; some providers pad
/// `client_info`).
pub fn b64url_decode(text: &str) -> Option<Vec<u8>> {
    if text.ends_with('=') {
        URL_SAFE.decode(text).ok()
    } else {
        URL_SAFE_NO_PAD.decode(text).ok()
    }
}

impl CodeVerifier {
    /// 32 random bytes give the 43-character verifier RFC 7636 recommends.
    pub fn from_random(bytes: &[u8; 32]) -> CodeVerifier {
        CodeVerifier::new(b64url(bytes))
    }

    /// The S256 `code_challenge`.
    pub fn challenge(&self) -> String {
        b64url(&Sha256::digest(self.expose().as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b() {
        let random = [
            116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191,
            240, 91, 88, 5, 88, 83, 132, 141, 121,
        ];
        let verifier = CodeVerifier::from_random(&random);
        assert_eq!(verifier.expose(), "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(verifier.challenge(), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    #[test]
    fn decodes_padded_and_unpadded() {
        assert_eq!(b64url_decode("eyJ1aWQiOiIxIn0").unwrap(), br#"{"uid":"1"}"#);
        assert_eq!(b64url_decode("eyJ1aWQiOiIxIn0=").unwrap(), br#"{"uid":"1"}"#);
        assert_eq!(b64url_decode("not base64!"), None);
    }
}
