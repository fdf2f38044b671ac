//! Newtypes for every secret the flow handles, so that none is printed by `{:?}`, and none can be
//! passed where another belongs (a verifier where a state is expected, say).

macro_rules! secret {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The secret itself, for the one place that must send or store it.
            pub fn expose(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, concat!(stringify!($name), "(redacted, {} chars)"), self.0.len())
            }
        }
    };
}

secret!(
    /// An authorization code from the redirect response.
    AuthCode
);
secret!(
    /// The PKCE code verifier (RFC 7636).
    CodeVerifier
);
secret!(
    /// A bearer access token.
    AccessToken
);
secret!(
    /// A refresh token.
    RefreshToken
);
secret!(
    /// A raw ID token (a JWT carrying personal data).
    IdToken
);
secret!(
    /// A token the app supplies itself (a Kusto connection string's User Token or Application
    /// Token, or one from its own token provider).
    CallerToken
);

/// 16 base64url characters of the text's SHA-256: tells texts apart without revealing them.
pub fn digest(text: &str) -> String {
    use sha2::{Digest, Sha256};
    let mut digest = crate::core::base64::encode_url(&Sha256::digest(text.as_bytes()));
    digest.truncate(16);
    digest
}

impl RefreshToken {
    /// Tabs compare it to see whether their copy of the cache holds the latest refresh token.
    pub fn fingerprint(&self) -> String {
        digest(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_tells_tokens_apart_and_reveals_neither() {
        let (a, b) = (RefreshToken::new("0.AAAA-first"), RefreshToken::new("0.AAAA-second"));
        assert_eq!(a.fingerprint(), RefreshToken::new("0.AAAA-first").fingerprint());
        assert_ne!(a.fingerprint(), b.fingerprint());
        assert_eq!(a.fingerprint().len(), 16);
        assert!(!a.fingerprint().contains("AAAA"));
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let shown = format!("{:?}", RefreshToken::new("0.AAAA-secret"));
        assert_eq!(shown, "RefreshToken(redacted, 13 chars)");
        assert!(!shown.contains("secret"));
    }
}
