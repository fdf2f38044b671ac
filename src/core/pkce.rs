//! PKCE (RFC 7636) with the S256 method.

use sha2::{Digest, Sha256};

use super::base64::encode_url as b64url;
use super::secret::CodeVerifier;

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
        let random = [116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121];
        let verifier = CodeVerifier::from_random(&random);
        assert_eq!(verifier.expose(), "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(verifier.challenge(), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }
}
