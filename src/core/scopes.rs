//! Scope sets: what a request asks for, and the key under which its token is cached.

use super::text;

/// Scopes every sign-in adds unless the app names its own: an ID token, the user's profile, and
/// a refresh token.
pub const OIDC_SCOPES: [&str; 3] = ["openid", "profile", "offline_access"];

/// The scopes every authorize and token request adds: MSAL's `auth.OIDCOptions.defaultScopes`,
/// which replace `openid profile offline_access`. `openid` is added to them as msal-common adds
/// it: without it there is no ID token, so no sign-in.
pub fn default_scopes(configured: Option<Vec<&str>>) -> Scopes {
    match configured {
        Some(list) => Scopes::new(list.into_iter().chain(["openid"])),
        None => Scopes::new(OIDC_SCOPES),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scopes(Vec<String>);

impl Scopes {
    /// Splits, trims and de-duplicates (case-insensitively, keeping the first spelling).
    pub fn new<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> Scopes {
        let mut scopes = Scopes::default();
        for item in items {
            scopes.add(item.as_ref());
        }
        scopes
    }

    // Not generic: `new` is called with many kinds of iterator, and each copy stays this small.
    #[inline(never)]
    fn add(&mut self, item: &str) {
        for scope in item.split_whitespace() {
            if !self.0.iter().any(|s| s.eq_ignore_ascii_case(scope)) {
                self.0.push(scope.to_owned());
            }
        }
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The scopes without the OpenID Connect ones: what an access token is for.
    pub fn resource_scopes(&self) -> Scopes {
        Scopes(self.0.iter().filter(|s| !is_oidc(s)).cloned().collect())
    }

    /// The scopes plus the default ones, as sent to the authorize and token endpoints.
    pub fn with_defaults(&self, defaults: &Scopes) -> Scopes {
        Scopes::new(self.0.iter().chain(&defaults.0))
    }

    /// Space-separated, for the `scope` parameter.
    pub fn joined(&self) -> String {
        text::join(&self.0, " ")
    }

    /// Order- and case-independent form, for cache keys.
    pub fn key(&self) -> String {
        let mut sorted: Vec<String> = self.resource_scopes().0.iter().map(|s| s.to_ascii_lowercase()).collect();
        // Insertion sort: a request names a handful of scopes, and the wasm then carries no
        // general-purpose sort routine.
        for i in 1..sorted.len() {
            let mut j = i;
            while j > 0 && sorted[j - 1] > sorted[j] {
                sorted.swap(j - 1, j);
                j -= 1;
            }
        }
        text::join(&sorted, " ")
    }

    pub fn contains_all(&self, other: &Scopes) -> bool {
        other.0.iter().all(|o| self.0.iter().any(|s| s.eq_ignore_ascii_case(o)))
    }
}

fn is_oidc(scope: &str) -> bool {
    OIDC_SCOPES.iter().any(|o| o.eq_ignore_ascii_case(scope)) || scope.eq_ignore_ascii_case("email")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_scope_sets() {
        let s = Scopes::new(["https://help.kusto.windows.net/.default openid", "  profile ", "OPENID"]);
        assert_eq!(s.as_slice(), ["https://help.kusto.windows.net/.default", "openid", "profile"]);
        assert_eq!(s.resource_scopes().joined(), "https://help.kusto.windows.net/.default");
        assert_eq!(s.with_defaults(&default_scopes(None)).joined(), "https://help.kusto.windows.net/.default openid profile offline_access");
        assert_eq!(Scopes::new(["b a", "openid"]).key(), Scopes::new(["A", "B"]).key());
        assert!(s.contains_all(&Scopes::new(["PROFILE"])));
        assert!(!s.contains_all(&Scopes::new(["email"])));
    }

    #[test]
    fn configured_default_scopes_replace_the_oidc_ones_and_keep_openid() {
        let kusto = Scopes::new(["https://help.kusto.windows.net/.default"]);
        assert_eq!(default_scopes(None).joined(), "openid profile offline_access");
        assert_eq!(kusto.with_defaults(&default_scopes(Some(vec!["email", "offline_access"]))).joined(), "https://help.kusto.windows.net/.default email offline_access openid");
        assert_eq!(default_scopes(Some(vec!["OpenID", "profile"])).joined(), "OpenID profile");
        assert_eq!(default_scopes(Some(Vec::new())).joined(), "openid");
        // What the request names already is not repeated.
        assert_eq!(Scopes::new(["openid", "email"]).with_defaults(&default_scopes(Some(vec!["email"]))).joined(), "openid email");
    }
}
