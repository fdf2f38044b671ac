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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let shown = format!("{:?}", RefreshToken::new("0.AAAA-secret"));
        assert_eq!(shown, "RefreshToken(redacted, 13 chars)");
        assert!(!shown.contains("secret"));
    }
}
