//! The trusted Kusto endpoints: which hosts may receive a token issued for a cloud-wide Kusto
//! resource (such as `https://kusto.kusto.windows.net`), per login endpoint.
//!
//! Such a token opens every cluster the user can reach, so sending it to a host that merely claims
//! to be a cluster would leak it. The list is Microsoft's own `WellKnownKustoEndpoints.json`,
//! compiled in from `tests/fixtures/kusto/reference/` (MIT, from Azure/azure-kusto-python; see the
//! README there) and read once on first use. The rule follows the SDKs' `KustoTrustedEndpoints`:
//! a host is trusted when it ends with one of the login endpoint's `AllowedKustoSuffixes` (which
//! start with a dot, so the bare suffix itself does not match) or equals one of its
//! `AllowedKustoHostnames`. App overrides either add entries
//! (`add_hosts`, like the SDKs' `addTrustedHosts(rules, false)`) or replace the built-in list
//! (`replace_with`, like `setOverridePolicy`).
//!
//! Unlike the SDKs, loopback hosts are not trusted for every token: a local emulator or proxy
//! gets tokens for its own resource (`http://localhost`, worthless elsewhere) without any entry,
//! and a cloud-wide token only when the app lists it (`trustedHosts: ["localhost"]`). Otherwise
//! any local process that answers on a port could collect a token that opens every cluster.

use crate::core::text;
use std::sync::OnceLock;

use super::errors::{excerpt, KustoError};
use super::resource::ClusterUrl;
use crate::core::json::Json;
use crate::core::url::{is_loopback_host, HttpUrl};

const WELL_KNOWN_JSON: &str = include_str!("../../../tests/fixtures/kusto/reference/WellKnownKustoEndpoints.json");

/// Exact host names and `.suffix`es, lower-cased.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Rules {
    hosts: Vec<String>,
    suffixes: Vec<String>,
}

impl Rules {
    fn matches(&self, host: &str) -> bool {
        self.hosts.iter().any(|h| h == host) || self.suffixes.iter().any(|s| host.len() > s.len() && host.ends_with(s.as_str()))
    }
}

/// The built-in list: (login endpoint, rules), parsed once.
fn well_known() -> &'static [(String, Rules)] {
    static LIST: OnceLock<Vec<(String, Rules)>> = OnceLock::new();
    LIST.get_or_init(|| parse_well_known(WELL_KNOWN_JSON))
}

fn parse_well_known(text: &str) -> Vec<(String, Rules)> {
    let doc = Json::parse(text).unwrap_or(Json::Null);
    let strings = |v: &Json, key: &str| -> Vec<String> { v.get(key).and_then(Json::as_array).unwrap_or(&[]).iter().filter_map(Json::as_str).map(str::to_ascii_lowercase).collect() };
    doc.get("AllowedEndpointsByLogin")
        .and_then(Json::members)
        .unwrap_or(&[])
        .iter()
        .map(|(login, v)| (normalize_login(login), Rules { hosts: strings(v, "AllowedKustoHostnames"), suffixes: strings(v, "AllowedKustoSuffixes") }))
        .collect()
}

/// `https://Login.MicrosoftOnline.com/` → `https://login.microsoftonline.com`. China's login host
/// has two names; the list knows it as `login.partner.microsoftonline.cn`.
fn normalize_login(login: &str) -> String {
    let login = login.trim().trim_end_matches('/').to_ascii_lowercase();
    match login.as_str() {
        "https://login.chinacloudapi.cn" => "https://login.partner.microsoftonline.cn".to_owned(),
        _ => login,
    }
}

fn normalize_host(host: &str) -> String {
    host.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// Loopback hosts, including all of 127.0.0.0/8 as the Node SDK accepts.
fn is_local(host: &str) -> bool {
    if is_loopback_host(host) {
        return true;
    }
    let mut parts = host.split('.');
    parts.next() == Some("127") && host.split('.').count() == 4 && parts.all(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u16>().is_ok_and(|n| n <= 255))
}

/// The trusted-endpoint policy of one app: the built-in list (unless replaced) plus its own entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustedEndpoints {
    use_well_known: bool,
    extra: Rules,
}

impl Default for TrustedEndpoints {
    fn default() -> Self {
        TrustedEndpoints::new()
    }
}

impl TrustedEndpoints {
    /// The built-in list alone.
    pub fn new() -> TrustedEndpoints {
        TrustedEndpoints { use_well_known: true, extra: Rules::default() }
    }

    /// Whether a token for `login_endpoint`'s cloud may be sent to `host` (a bare host name, or an
    /// http(s) URL whose host is taken).
    pub fn is_trusted(&self, host: &str, login_endpoint: &str) -> bool {
        let Some(host) = host_of(host) else { return false };
        if self.extra.matches(&host) {
            return true;
        }
        let login = normalize_login(login_endpoint);
        self.use_well_known && well_known().iter().any(|(l, rules)| *l == login && rules.matches(&host))
    }

    /// Whether a token for `resource`, issued at `login_endpoint`, may be sent to `cluster`;
    /// checked before any token is asked for. A token for the cluster's own resource is worthless
    /// elsewhere: a loopback cluster needs no entry for it. Any other resource (the cloud-wide
    /// one from the auth metadata) must be a Kusto resource trusted for the login endpoint, so
    /// that a cluster cannot have a token for another service (Graph, storage) sent to it.
    pub fn check(&self, cluster: &ClusterUrl, resource: &str, login_endpoint: &str) -> Result<(), KustoError> {
        let own = resource == cluster.resource();
        let trusted = (own && is_local(cluster.host())) || self.is_trusted(cluster.host(), login_endpoint);
        if !trusted {
            let host = excerpt(cluster.host(), 200);
            let instead = if own { "" } else { ", or request a token for the cluster's own resource instead (resource: 'cluster', the default)" };
            return Err(KustoError::new(
                "untrusted_endpoint",
                format!(
                    "Refusing to send a token to '{host}': it is not a known Kusto endpoint for the login endpoint '{}'. \
                     A host that only claims to be a cluster could steal the token. \
                     If '{host}' really is your cluster, add it to the app's trusted Kusto hosts (the exact host, or a suffix starting with '.'){instead}. \
                     See https://aka.ms/kustotrustedendpoints.",
                    excerpt(login_endpoint.trim(), 200)
                ),
            ));
        }
        if !own && !self.is_trusted(resource, login_endpoint) {
            return Err(KustoError::new(
                "untrusted_resource",
                format!(
                    "Refusing to request a token for '{}': the cluster's auth metadata names it as the Kusto resource, but it is not a Kusto endpoint of the login endpoint '{}'. \
                     Use resource: 'cluster' (the default), or add the resource's host to the app's trusted Kusto hosts if it is yours.",
                    excerpt(resource, 200),
                    excerpt(login_endpoint.trim(), 200)
                ),
            ));
        }
        Ok(())
    }

    /// Trusts more hosts: exact names (`mycluster.contoso.com`) or suffixes starting with a dot
    /// (`.contoso.com`). A suffix must have at least two labels: `.com` would trust the world.
    pub fn add_hosts<S: AsRef<str>>(&mut self, entries: impl IntoIterator<Item = S>) -> Result<(), KustoError> {
        let mut added = Rules::default();
        for entry in entries {
            let entry = normalize_host(entry.as_ref());
            let name = entry.strip_prefix('.').unwrap_or(&entry);
            let labels: Vec<&str> = name.split('.').collect();
            let valid = labels.iter().all(|l| !l.is_empty() && l.len() <= 63 && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')) && !name.is_empty();
            if !valid || (entry.starts_with('.') && labels.len() < 2) {
                return Err(KustoError::new(
                    "invalid_trusted_host",
                    format!(
                        "'{}' is not a trusted-host entry: give an exact host name (mycluster.contoso.com) or a suffix of at least two labels starting with '.' (.contoso.com).",
                        excerpt(&entry, 200)
                    ),
                ));
            }
            if entry.starts_with('.') {
                added.suffixes.push(entry);
            } else {
                added.hosts.push(entry);
            }
        }
        self.extra.hosts.extend(added.hosts);
        self.extra.suffixes.extend(added.suffixes);
        Ok(())
    }

    /// Trusts exactly these entries (and loopback), dropping the built-in list: for private clouds
    /// and proxies the list does not know.
    pub fn replace_with<S: AsRef<str>>(&mut self, entries: impl IntoIterator<Item = S>) -> Result<(), KustoError> {
        let mut replaced = TrustedEndpoints { use_well_known: false, extra: Rules::default() };
        replaced.add_hosts(entries)?;
        *self = replaced;
        Ok(())
    }

    /// The login endpoints the built-in list knows.
    pub fn known_login_endpoints() -> impl Iterator<Item = &'static str> {
        well_known().iter().map(|(l, _)| l.as_str())
    }
}

/// The host to check: an http(s) URL's host, or the input itself when it is a bare host name
/// (an IPv6 address with or without brackets). None for anything the URL parser refuses, such as
/// `a[b.kusto.windows.net` or `evil.com:1.kusto.windows.net:443`: the browser would not send a
/// request there, and a string it reads differently must not pass on its suffix.
fn host_of(input: &str) -> Option<String> {
    let input = input.trim();
    let url = if text::contains(input, "://") {
        HttpUrl::parse(input).ok()?
    } else {
        let bare = if input.as_bytes().contains(&b':') && !input.starts_with('[') { format!("[{input}]") } else { input.to_owned() };
        HttpUrl::parse(&format!("https://{bare}")).ok().filter(|u| u.port.is_none() && u.path == "/" && u.query.is_none() && u.fragment.is_none())?
    };
    Some(normalize_host(&url.host))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_built_in_list_parses() {
        let list = well_known();
        assert_eq!(list.len(), 8);
        let public = &list.iter().find(|(l, _)| l == "https://login.microsoftonline.com").unwrap().1;
        assert!(public.suffixes.contains(&".kusto.windows.net".to_owned()));
        assert!(public.hosts.contains(&"kusto.aria.microsoft.com".to_owned()));
        assert!(TrustedEndpoints::known_login_endpoints().any(|l| l == "https://login.sovcloud-identity.sg"));
    }

    #[test]
    fn every_login_endpoint_trusts_its_hosts_and_suffixes_only() {
        let doc = Json::parse(WELL_KNOWN_JSON).unwrap();
        let t = TrustedEndpoints::new();
        for (login, v) in doc.get("AllowedEndpointsByLogin").unwrap().members().unwrap() {
            let host = v.get("AllowedKustoHostnames").unwrap().as_array().unwrap()[0].as_str().unwrap();
            let suffix = v.get("AllowedKustoSuffixes").unwrap().as_array().unwrap()[0].as_str().unwrap();
            assert!(t.is_trusted(host, login), "{host} for {login}");
            assert!(t.is_trusted(&host.to_uppercase(), &format!("{}/", login.to_uppercase())));
            assert!(t.is_trusted(&format!("mycluster.westus{suffix}"), login), "{suffix} for {login}");
            assert!(t.is_trusted(&format!("https://mycluster{suffix}:443/db"), login));
            // The bare suffix, a look-alike and a prefix of an exact host are not trusted.
            assert!(!t.is_trusted(suffix.trim_start_matches('.'), login));
            assert!(!t.is_trusted(&format!("mycluster{suffix}.evil.com"), login));
            assert!(!t.is_trusted(&format!("x.{host}"), login), "x.{host}");
            assert!(!t.is_trusted("evil.example.com", login));
            let evil = ClusterUrl::parse("https://evil.example.com").unwrap();
            let err = t.check(&evil, &evil.resource(), login).unwrap_err();
            assert_eq!(err.code, "untrusted_endpoint");
            assert!(err.message.contains("evil.example.com") && err.message.contains(login.as_str()));
            assert!(err.message.contains("steal") && err.message.contains("trusted Kusto hosts"));
        }
        // A host of one cloud is not trusted for another cloud's login endpoint.
        assert!(!t.is_trusted("a.kusto.windows.net", "https://login.microsoftonline.us"));
        assert!(!t.is_trusted("a.kusto.windows.net", "https://login.example.com"));
        assert!(t.is_trusted("a.kusto.chinacloudapi.cn", "https://login.chinacloudapi.cn"));
        let help = ClusterUrl::parse("https://help.kusto.windows.net").unwrap();
        assert!(t.check(&help, &help.resource(), "https://login.microsoftonline.com").is_ok());
    }

    #[test]
    fn loopback_is_trusted_for_its_own_resource_only() {
        let t = TrustedEndpoints::new();
        let login = "https://login.microsoftonline.com";
        for raw in ["http://localhost:8080/", "http://127.0.0.1", "http://[::1]:1", "http://LOCALHOST", "https://127.10.0.1"] {
            let cluster = ClusterUrl::parse(raw).unwrap();
            assert!(t.check(&cluster, &cluster.resource(), login).is_ok(), "{raw}");
            assert!(t.check(&cluster, &cluster.resource(), "http://localhost:9400").is_ok(), "{raw}");
            let err = t.check(&cluster, "https://kusto.kusto.windows.net", login).unwrap_err();
            assert_eq!(err.code, "untrusted_endpoint", "{raw}");
        }
        for host in ["127.0.0.1.evil.com", "127.1", "localhost.evil.com", "127.0.0.256", "http://0x7f.1/", "localhost:8080", "localhost", "127.0.0.1"] {
            assert!(!t.is_trusted(host, login), "{host}");
        }
        // Opt-in: the app lists it.
        let mut opted = TrustedEndpoints::new();
        opted.add_hosts(["localhost"]).unwrap();
        let local = ClusterUrl::parse("http://localhost:8080").unwrap();
        assert!(opted.check(&local, "https://kusto.kusto.windows.net", login).is_ok());
    }

    #[test]
    fn the_metadata_resource_must_be_a_trusted_kusto_resource() {
        let t = TrustedEndpoints::new();
        let login = "https://login.microsoftonline.com";
        let help = ClusterUrl::parse("https://help.kusto.windows.net").unwrap();
        assert!(t.check(&help, "https://kusto.kusto.windows.net", login).is_ok());
        assert!(t.check(&help, "https://kusto.kustomfa.windows.net", login).is_ok());
        for resource in ["https://graph.microsoft.com", "https://storage.azure.com", "https://kusto.kusto.usgovcloudapi.net", "http://localhost"] {
            assert_eq!(t.check(&help, resource, login).unwrap_err().code, "untrusted_resource", "{resource}");
        }
        // A loopback "cluster" naming Graph gets nothing.
        let local = ClusterUrl::parse("http://localhost:8080").unwrap();
        assert!(t.check(&local, "https://graph.microsoft.com", login).is_err());
        // A cluster of another cloud, with that cloud's login endpoint.
        let gov = ClusterUrl::parse("https://mycluster.kusto.usgovcloudapi.net").unwrap();
        assert!(t.check(&gov, &gov.resource(), "https://login.microsoftonline.us").is_ok());
        let refused = t.check(&gov, &gov.resource(), login).unwrap_err();
        assert!(!refused.message.contains("own resource"), "the default is not offered as the way out: {}", refused.message);
    }

    #[test]
    fn apps_can_add_or_replace_hosts() {
        let mut t = TrustedEndpoints::new();
        t.add_hosts(["MyCluster.Contoso.com", ".kusto.fabrikam.net"]).unwrap();
        assert!(t.is_trusted("mycluster.contoso.com", "https://login.microsoftonline.com"));
        assert!(t.is_trusted("a.kusto.fabrikam.net", "https://login.microsoftonline.us"));
        assert!(!t.is_trusted("other.contoso.com", "https://login.microsoftonline.com"));
        assert!(t.is_trusted("a.kusto.windows.net", "https://login.microsoftonline.com"));

        t.replace_with([".private.example"]).unwrap();
        assert!(t.is_trusted("a.private.example", "https://login.microsoftonline.com"));
        assert!(!t.is_trusted("a.kusto.windows.net", "https://login.microsoftonline.com"));
        assert!(!t.is_trusted("mycluster.contoso.com", "https://login.microsoftonline.com"));

        for bad in [".com", ".", "", "a..b", "bad host", "*.contoso.com", "x_y.com"] {
            let before = t.clone();
            assert_eq!(t.add_hosts([bad]).unwrap_err().code, "invalid_trusted_host", "{bad:?}");
            assert_eq!(t, before, "a refused batch changes nothing");
        }
        assert!(t.replace_with(["ok.example", ".com"]).is_err());
        assert!(t.is_trusted("a.private.example", "x"), "a refused replacement changes nothing");
    }

    #[test]
    fn hosts_the_browser_would_refuse_or_read_otherwise_are_not_trusted() {
        let t = TrustedEndpoints::new();
        let login = "https://login.microsoftonline.com";
        for host in [
            "https://a[b.kusto.windows.net",
            "https://evil.com:1.kusto.windows.net:443",
            "evil.com:1.kusto.windows.net",
            "a[b.kusto.windows.net",
            "https://evil.com\\.kusto.windows.net/",
            "https://evil.com%2f.kusto.windows.net/",
            "https://a b.kusto.windows.net/",
            "https://a]b.kusto.windows.net",
            "https://[a.kusto.windows.net]",
            "https://evil.com#.kusto.windows.net",
            "https://evil.com?.kusto.windows.net",
            "a.kusto.windows.net/path",
        ] {
            assert!(!t.is_trusted(host, login), "{host}");
            if let Ok(cluster) = ClusterUrl::parse(host) {
                assert_eq!(t.check(&cluster, &cluster.resource(), login).unwrap_err().code, "untrusted_endpoint", "{host}");
            }
        }
        assert!(t.is_trusted("https://a_b.kusto.windows.net", login), "the browser accepts '_' in host names");
        let loopback = ClusterUrl::parse("http://[::1]:8080/").unwrap();
        assert!(t.check(&loopback, &loopback.resource(), login).is_ok(), "a bracketed IPv6 loopback is a host");
    }

    proptest! {
        #[test]
        fn never_panics(host in ".*", login in ".*") {
            let t = TrustedEndpoints::new();
            if let Ok(cluster) = ClusterUrl::parse(&host) {
                let _ = t.check(&cluster, &login, &login);
            }
            let mut t2 = t.clone();
            let _ = t2.add_hosts([host.as_str()]);
        }
    }
}
