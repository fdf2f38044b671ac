//! Authorities: which identity provider signs the user in, and where its endpoints are.
//!
//! Entra ID authorities (`https://login.microsoftonline.com/{tenant}` and the national clouds)
//! have well-known endpoints and need no discovery request. Any other host is a generic OpenID
//! Connect provider whose endpoints come from `.well-known/openid-configuration`.

use super::error::{AuthError, Result};
use super::json::Json;
use super::url::HttpUrl;
use crate::core::text;

/// Hosts of one Entra cloud that issue interchangeable tokens; the first is the canonical one.
const ENTRA_CLOUDS: &[&[&str]] = &[
    &["login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net"],
    &["login.microsoftonline.us", "login.usgovcloudapi.net"],
    &["login.chinacloudapi.cn", "login.partner.microsoftonline.cn"],
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProtocolMode {
    /// Entra ID when the host is a Microsoft login host, generic OIDC otherwise.
    Auto,
    /// Treat every authority as a generic OIDC provider, as MSAL's `protocolMode: 'OIDC'`.
    Oidc,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthorityKind {
    Entra { tenant: String },
    Oidc,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authority {
    /// Canonical form without a trailing slash, e.g. `https://login.microsoftonline.com/common`.
    pub url: String,
    /// `host[:port]`: the `environment` of accounts signed in here.
    pub environment: String,
    pub kind: AuthorityKind,
}

/// Where the provider's endpoints are and who it says it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    pub authorization: String,
    pub token: String,
    pub end_session: Option<String>,
    /// The expected `iss`; Entra's multi-tenant form holds `{tenantid}`.
    pub issuer: String,
}

fn config_error(code: &str, message: String) -> AuthError {
    AuthError::config(code, message)
}

fn entra_cloud(host: &str) -> Option<&'static [&'static str]> {
    ENTRA_CLOUDS.iter().copied().find(|cloud| cloud.contains(&host))
}

/// An endpoint must be https, or http on a loopback host for local development.
fn check_secure(url: &HttpUrl, what: &str, raw: &str) -> Result<()> {
    if url.https || url.is_loopback() {
        Ok(())
    } else {
        Err(config_error("authority_uri_insecure", format!("The {what} '{raw}' uses plain http. Use https (plain http is accepted only for localhost, 127.0.0.1 and [::1]).")))
    }
}

/// The tenant of personal Microsoft accounts, which `consumers` signs in to.
const CONSUMERS_TENANT_ID: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

/// A GUID in its 8-4-4-4-12 hex form (a tenant id).
fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5 && groups.iter().zip([8, 4, 4, 4, 12]).all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn is_tenant(s: &str) -> bool {
    matches!(s, "common" | "organizations" | "consumers") || is_guid(s) || (s.as_bytes().contains(&b'.') && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.')))
}

impl Authority {
    pub fn parse(raw: &str, mode: ProtocolMode) -> Result<Authority> {
        let url = HttpUrl::parse(raw).map_err(|_| {
            config_error("url_parse_error", format!("The authority '{raw}' is not an absolute http(s) URL with a valid host and port. Example: https://login.microsoftonline.com/<tenant-id>"))
        })?;
        check_secure(&url, "authority", raw)?;
        if url.query.is_some() || url.fragment.is_some() {
            return Err(config_error("url_parse_error", format!("The authority '{raw}' must not have a query or fragment.")));
        }
        let environment = url.host_and_port();
        let segments: Vec<&str> = url.segments().collect();
        if mode == ProtocolMode::Auto && entra_cloud(&url.host).is_some() {
            let tenant = segments.first().copied().unwrap_or("common").to_ascii_lowercase();
            let rest_ok = segments.len() <= 1 || (segments.len() == 2 && segments[1] == "v2.0");
            if !is_tenant(&tenant) || !rest_ok {
                return Err(config_error(
                    "url_parse_error",
                    format!("The Entra ID authority '{raw}' should be https://{}/<tenant>, with <tenant> a tenant ID, a domain, 'common', 'organizations' or 'consumers'.", url.host),
                ));
            }
            let url = format!("https://{}/{tenant}", url.host);
            return Ok(Authority { url, environment, kind: AuthorityKind::Entra { tenant } });
        }
        let path = url.path.trim_end_matches('/');
        Ok(Authority { url: format!("{}{path}", url.origin()), environment, kind: AuthorityKind::Oidc })
    }

    /// Whether tokens issued by the authority `issued_by` (an `Authority::url`) may be served
    /// for, or sent to, this one: the same authority, or the same Entra tenant on another host
    /// of its cloud. Anything else (another provider, tenant or path) must sign in again.
    pub fn shares_tokens_with(&self, issued_by: &str) -> bool {
        if self.url == issued_by {
            return true;
        }
        let (AuthorityKind::Entra { tenant }, Ok(other)) = (&self.kind, Authority::parse(issued_by, ProtocolMode::Auto)) else {
            return false;
        };
        other.kind == AuthorityKind::Entra { tenant: tenant.clone() } && entra_cloud(&other.environment) == entra_cloud(&self.environment)
    }

    /// Whether a refresh token issued by `issued_by` may be sent to this authority's token
    /// endpoint: as `shares_tokens_with`, and besides any tenant of the same Entra cloud, whose
    /// one token service redeems a user's refresh token for each tenant they belong to (a guest
    /// tenant's token comes from the home tenant's refresh token).
    pub fn redeems_refresh_tokens_of(&self, issued_by: &str) -> bool {
        self.shares_tokens_with(issued_by)
            || (self.is_entra() && Authority::parse(issued_by, ProtocolMode::Auto).is_ok_and(|other| other.is_entra() && entra_cloud(&other.environment) == entra_cloud(&self.environment)))
    }

    /// Whether `other` is an authority this app may be sent to by a request: one on this
    /// authority's host, on a host of `known_hosts` (`auth.knownAuthorities`), or an Entra one.
    pub fn admits(&self, other: &Authority, known_hosts: &[String]) -> bool {
        other.environment == self.environment || other.is_entra() || known_hosts.contains(&other.environment)
    }

    /// Whether accounts of `environment` (`host[:port]`) sign in here: this host, or another
    /// host of the same Entra cloud.
    pub fn is_environment(&self, environment: &str) -> bool {
        self.environment == environment || entra_cloud(&self.environment).is_some_and(|cloud| cloud.contains(&environment))
    }

    pub fn is_entra(&self) -> bool {
        matches!(self.kind, AuthorityKind::Entra { .. })
    }

    pub fn discovery_url(&self) -> String {
        format!("{}/.well-known/openid-configuration", self.url)
    }

    /// Entra's endpoints follow a fixed pattern, so they cost no request.
    pub fn known_endpoints(&self) -> Option<Endpoints> {
        let AuthorityKind::Entra { .. } = &self.kind else { return None };
        let base = &self.url;
        let host = &self.environment;
        Some(Endpoints {
            authorization: format!("{base}/oauth2/v2.0/authorize"),
            token: format!("{base}/oauth2/v2.0/token"),
            end_session: Some(format!("{base}/oauth2/v2.0/logout")),
            issuer: format!("https://{host}/{{tenantid}}/v2.0"),
        })
    }

    /// Reads a discovery document, checking that it describes this authority.
    pub fn endpoints_from_discovery(&self, doc: &Json, known_hosts: &[String]) -> Result<Endpoints> {
        let field = |name: &str| doc.str_at(name).map(str::to_owned).ok_or_else(|| config_error("openid_config_error", format!("The discovery document of '{}' has no '{name}'.", self.url)));
        let endpoints = Endpoints {
            authorization: field("authorization_endpoint")?,
            token: field("token_endpoint")?,
            end_session: doc.str_at("end_session_endpoint").map(str::to_owned),
            issuer: field("issuer")?,
        };
        self.check_endpoints(&endpoints, known_hosts)?;
        Ok(endpoints)
    }

    /// The endpoints of `auth.authorityMetadata`, the provider's discovery document as JSON
    /// text: used instead of a discovery request, and checked as its answer would be. Entra's
    /// fixed endpoints need neither, so it is not read for an Entra authority.
    pub fn endpoints_from_metadata(&self, text: &str, known_hosts: &[String]) -> Result<Option<Endpoints>> {
        if self.is_entra() {
            return Ok(None);
        }
        let doc = Json::parse(text).map_err(|_| config_error("invalid_authority_metadata", "auth.authorityMetadata must be the provider's discovery document as JSON text.".into()))?;
        self.endpoints_from_discovery(&doc, known_hosts).map(Some)
    }

    /// Whether `endpoints` can be this authority's, wherever they were read (a discovery
    /// answer, or the cache, which other scripts can write): the issuer is the authority itself,
    /// and every endpoint is on its host or on one of `known_hosts` (`auth.knownAuthorities`).
    /// Codes, verifiers and refresh tokens are only ever sent to these endpoints.
    pub fn check_endpoints(&self, endpoints: &Endpoints, known_hosts: &[String]) -> Result<()> {
        let unusable = |why: String| config_error("openid_config_error", format!("The OpenID configuration of '{}' {why}", self.url));
        let issuer = HttpUrl::parse(&endpoints.issuer).map_err(|_| unusable("has an invalid 'issuer'.".into()))?;
        let own_issuer = endpoints.issuer.trim_end_matches('/') == self.url || (text::contains(&endpoints.issuer, "{tenantid}") && issuer.https && issuer.host_and_port() == self.environment);
        if !own_issuer {
            return Err(unusable("names another issuer; it must be the authority itself. Check the configured authority.".into()));
        }
        let named = [("authorization_endpoint", Some(&endpoints.authorization)), ("token_endpoint", Some(&endpoints.token)), ("end_session_endpoint", endpoints.end_session.as_ref())];
        for (name, value) in named {
            let Some(value) = value else { continue };
            let url = HttpUrl::parse(value).map_err(|_| unusable(format!("has an invalid '{name}'.")))?;
            check_secure(&url, name, value)?;
            let host = url.host_and_port();
            if host != self.environment && !known_hosts.contains(&host) {
                return Err(unusable(format!("puts its '{name}' on another host ({host}). If that host belongs to the provider, list it in auth.knownAuthorities.")));
            }
        }
        Ok(())
    }

    /// Whether `iss` from an ID token is this authority's issuer. `tid` fills Entra's
    /// `{tenantid}` template; the host may be any alias of the same Entra cloud. The tenant:
    /// a tenant ID must be `tid`; `consumers` takes only personal Microsoft accounts' tenant and
    /// `organizations` any other; `common` and a domain name (`contoso.com`, which would need a
    /// discovery request to map to its ID) take any tenant.
    pub fn accepts_issuer(&self, endpoints: &Endpoints, iss: &str, tid: Option<&str>) -> bool {
        match &self.kind {
            AuthorityKind::Oidc => iss.trim_end_matches('/') == endpoints.issuer.trim_end_matches('/'),
            AuthorityKind::Entra { tenant } => {
                let Some(tid) = tid else { return false };
                let personal = tid.eq_ignore_ascii_case(CONSUMERS_TENANT_ID);
                let tenant_ok = match tenant.as_str() {
                    "consumers" => personal,
                    "organizations" => !personal,
                    t if is_guid(t) => t.eq_ignore_ascii_case(tid),
                    _ => true,
                };
                if !tenant_ok {
                    return false;
                }
                let Ok(url) = HttpUrl::parse(iss) else { return false };
                let same_cloud = entra_cloud(&self.environment).is_some_and(|cloud| cloud.contains(&url.host.as_str()));
                url.https && same_cloud && url.path == format!("/{tid}/v2.0")
            }
        }
    }
}

impl Endpoints {
    pub fn to_json(&self) -> Json {
        Json::object([
            ("authorization", Some(Json::string(&self.authorization))),
            ("token", Some(Json::string(&self.token))),
            ("endSession", self.end_session.as_deref().map(Json::string)),
            ("issuer", Some(Json::string(&self.issuer))),
        ])
    }

    pub fn from_json(doc: &Json) -> Option<Endpoints> {
        Some(Endpoints {
            authorization: doc.str_at("authorization")?.to_owned(),
            token: doc.str_at("token")?.to_owned(),
            end_session: doc.str_at("endSession").map(str::to_owned),
            issuer: doc.str_at("issuer")?.to_owned(),
        })
    }
}

/// The authority of MSAL's `auth.azureCloudOptions`, which replaces `auth.authority`: the cloud
/// instance (an `AzureCloudInstance` URL) and tenant, `common` if none. None for the instance
/// `none`, which leaves the authority as configured.
pub fn cloud_authority(instance: &str, tenant: Option<&str>) -> Option<String> {
    (instance != "none").then(|| format!("{instance}/{}", tenant.filter(|t| !t.is_empty()).unwrap_or("common")))
}

/// Checks MSAL's `knownAuthorities` entries: `host` or `host:port`.
pub fn parse_known_authorities(entries: &[String]) -> Result<Vec<String>> {
    entries
        .iter()
        .map(|entry| {
            let probe = format!("https://{entry}/");
            match HttpUrl::parse(&probe) {
                Ok(url) if url.host_and_port() == entry.to_ascii_lowercase() || url.host == entry.to_ascii_lowercase() => Ok(entry.to_ascii_lowercase()),
                _ => Err(config_error(
                    "invalid_known_authorities",
                    format!("knownAuthorities entry '{entry}' must be a host name, optionally with a port (e.g. 'login.contoso.com' or 'localhost:9400'), without scheme or path."),
                )),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUID: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    #[test]
    fn parses_entra_authorities() {
        for (raw, tenant) in [
            ("https://login.microsoftonline.com/common", "common"),
            ("https://login.microsoftonline.com/organizations/", "organizations"),
            ("https://login.microsoftonline.com/consumers", "consumers"),
            ("https://login.microsoftonline.com/contoso.com", "contoso.com"),
            (&format!("https://login.microsoftonline.com/{GUID}/v2.0"), GUID),
            ("https://login.microsoftonline.us/contoso.onmicrosoft.us", "contoso.onmicrosoft.us"),
            ("https://login.chinacloudapi.cn/common", "common"),
            ("https://login.microsoftonline.com", "common"),
        ] {
            let a = Authority::parse(raw, ProtocolMode::Auto).unwrap();
            assert_eq!(a.kind, AuthorityKind::Entra { tenant: tenant.into() }, "{raw}");
        }
        let a = Authority::parse("https://login.microsoftonline.us/common", ProtocolMode::Auto).unwrap();
        let e = a.known_endpoints().unwrap();
        assert_eq!(e.token, "https://login.microsoftonline.us/common/oauth2/v2.0/token");
        assert_eq!(e.authorization, "https://login.microsoftonline.us/common/oauth2/v2.0/authorize");
        assert_eq!(e.issuer, "https://login.microsoftonline.us/{tenantid}/v2.0");
    }

    #[test]
    fn refuses_bad_authorities() {
        for (raw, code) in [
            ("http://login.microsoftonline.com/common", "authority_uri_insecure"),
            ("http://idp.example.com/", "authority_uri_insecure"),
            ("login.microsoftonline.com/common", "url_parse_error"),
            ("https://login.microsoftonline.com/not a tenant", "url_parse_error"),
            ("https://login.microsoftonline.com/common/oauth2/authorize", "url_parse_error"),
            ("https://idp.example.com/?x=1", "url_parse_error"),
        ] {
            assert_eq!(Authority::parse(raw, ProtocolMode::Auto).unwrap_err().code, code, "{raw}");
        }
    }

    #[test]
    fn other_hosts_are_oidc_and_loopback_http_is_allowed() {
        let a = Authority::parse("http://localhost:9400/", ProtocolMode::Auto).unwrap();
        assert_eq!((a.kind.clone(), a.url.as_str(), a.environment.as_str()), (AuthorityKind::Oidc, "http://localhost:9400", "localhost:9400"));
        assert_eq!(a.discovery_url(), "http://localhost:9400/.well-known/openid-configuration");
        assert!(Authority::parse("http://127.0.0.1:1/x", ProtocolMode::Auto).is_ok());
        assert!(Authority::parse("http://[::1]:1/x", ProtocolMode::Auto).is_ok());
        let forced = Authority::parse("https://login.microsoftonline.com/common", ProtocolMode::Oidc).unwrap();
        assert_eq!(forced.kind, AuthorityKind::Oidc);
    }

    #[test]
    fn reads_discovery_documents() {
        let a = Authority::parse("http://localhost:9400", ProtocolMode::Auto).unwrap();
        let doc = Json::parse(r#"{"issuer":"http://localhost:9400","authorization_endpoint":"http://localhost:9400/auth","token_endpoint":"http://localhost:9400/token","end_session_endpoint":"http://localhost:9400/session/end"}"#).unwrap();
        let e = a.endpoints_from_discovery(&doc, &[]).unwrap();
        assert_eq!(e.token, "http://localhost:9400/token");
        assert_eq!(Endpoints::from_json(&e.to_json()), Some(e.clone()));
        assert!(a.accepts_issuer(&e, "http://localhost:9400/", None));
        assert!(!a.accepts_issuer(&e, "http://localhost:9401", None));

        let wrong_issuer = Json::parse(r#"{"issuer":"https://evil.example","authorization_endpoint":"https://evil.example/a","token_endpoint":"https://evil.example/t"}"#).unwrap();
        assert_eq!(a.endpoints_from_discovery(&wrong_issuer, &[]).unwrap_err().code, "openid_config_error");
        let insecure = Json::parse(r#"{"issuer":"http://localhost:9400","authorization_endpoint":"http://idp.example/a","token_endpoint":"http://localhost:9400/t"}"#).unwrap();
        assert_eq!(a.endpoints_from_discovery(&insecure, &[]).unwrap_err().code, "authority_uri_insecure");
        assert_eq!(a.endpoints_from_discovery(&Json::Null, &[]).unwrap_err().code, "openid_config_error");

        // Endpoints on another host: only when the app lists that host as the provider's.
        let elsewhere = Endpoints { token: "https://collector.example/token".into(), ..e.clone() };
        assert_eq!(a.check_endpoints(&elsewhere, &[]).unwrap_err().code, "openid_config_error");
        assert!(a.check_endpoints(&elsewhere, &["collector.example".into()]).is_ok());
        for issuer in ["https://evil.example/{tenantid}/v2.0", "http://localhost:9400/other", "not a url"] {
            assert!(a.check_endpoints(&Endpoints { issuer: issuer.into(), ..e.clone() }, &[]).is_err(), "{issuer}");
        }
        let end_session = Endpoints { end_session: Some("http://localhost:9401/end".into()), ..e.clone() };
        assert!(a.check_endpoints(&end_session, &[]).is_err());
    }

    #[test]
    fn reads_authority_metadata_as_a_discovery_answer() {
        let a = Authority::parse("http://localhost:9400", ProtocolMode::Auto).unwrap();
        let doc = r#"{"issuer":"http://localhost:9400","authorization_endpoint":"http://localhost:9400/auth","token_endpoint":"http://localhost:9400/token"}"#;
        let e = a.endpoints_from_metadata(doc, &[]).unwrap().unwrap();
        assert_eq!(Some(e), a.endpoints_from_discovery(&Json::parse(doc).unwrap(), &[]).ok());
        assert_eq!(a.endpoints_from_metadata("{\"issuer\":", &[]).unwrap_err().code, "invalid_authority_metadata");
        assert_eq!(a.endpoints_from_metadata("[]", &[]).unwrap_err().code, "openid_config_error");
        // The same checks as discovery: another issuer, or a token endpoint on another host.
        let elsewhere = doc.replace("http://localhost:9400/token", "https://collector.example/token");
        assert_eq!(a.endpoints_from_metadata(&elsewhere, &[]).unwrap_err().code, "openid_config_error");
        assert!(a.endpoints_from_metadata(&elsewhere, &["collector.example".into()]).is_ok());
        assert_eq!(a.endpoints_from_metadata(&doc.replace("\"issuer\":\"http://localhost:9400\"", "\"issuer\":\"https://evil.example\""), &[]).unwrap_err().code, "openid_config_error");
        // Entra's endpoints are known: its metadata is not read at all.
        let entra = Authority::parse("https://login.microsoftonline.com/common", ProtocolMode::Auto).unwrap();
        assert_eq!(entra.endpoints_from_metadata("not json", &[]), Ok(None));
    }

    #[test]
    fn builds_authorities_of_azure_clouds() {
        assert_eq!(cloud_authority("https://login.microsoftonline.us", Some("contoso.onmicrosoft.us")).as_deref(), Some("https://login.microsoftonline.us/contoso.onmicrosoft.us"));
        assert_eq!(cloud_authority("https://login.chinacloudapi.cn", None).as_deref(), Some("https://login.chinacloudapi.cn/common"));
        assert_eq!(cloud_authority("https://login.microsoftonline.com", Some("")).as_deref(), Some("https://login.microsoftonline.com/common"));
        assert_eq!(cloud_authority("none", Some(GUID)), None);
        let a = Authority::parse(&cloud_authority("https://login.microsoftonline.us", Some(GUID)).unwrap(), ProtocolMode::Auto).unwrap();
        assert_eq!((a.url, a.kind), (format!("https://login.microsoftonline.us/{GUID}"), AuthorityKind::Entra { tenant: GUID.into() }));
        // Whatever the app wrote is still checked as an authority.
        assert_eq!(Authority::parse(&cloud_authority("login.microsoftonline.us", None).unwrap(), ProtocolMode::Auto).unwrap_err().code, "url_parse_error");
    }

    #[test]
    fn checks_entra_issuers_with_the_tenant_template() {
        let common = Authority::parse("https://login.microsoftonline.com/common", ProtocolMode::Auto).unwrap();
        let e = common.known_endpoints().unwrap();
        let iss = format!("https://login.microsoftonline.com/{GUID}/v2.0");
        assert!(common.accepts_issuer(&e, &iss, Some(GUID)));
        assert!(common.accepts_issuer(&e, &format!("https://login.windows.net/{GUID}/v2.0"), Some(GUID)));
        assert!(!common.accepts_issuer(&e, &iss, Some("00000000-0000-0000-0000-000000000000")));
        assert!(!common.accepts_issuer(&e, &iss, None));
        assert!(!common.accepts_issuer(&e, &format!("https://login.microsoftonline.us/{GUID}/v2.0"), Some(GUID)));
        let pinned = Authority::parse(&format!("https://login.microsoftonline.com/{GUID}"), ProtocolMode::Auto).unwrap();
        let other = "11111111-1111-1111-1111-111111111111";
        assert!(!pinned.accepts_issuer(&e, &format!("https://login.microsoftonline.com/{other}/v2.0"), Some(other)));
        let msa = CONSUMERS_TENANT_ID;
        let msa_iss = format!("https://login.microsoftonline.com/{msa}/v2.0");
        let consumers = Authority::parse("https://login.microsoftonline.com/consumers", ProtocolMode::Auto).unwrap();
        assert!(consumers.accepts_issuer(&e, &msa_iss, Some(msa)));
        assert!(!consumers.accepts_issuer(&e, &iss, Some(GUID)), "consumers: personal accounts only");
        let organizations = Authority::parse("https://login.microsoftonline.com/organizations", ProtocolMode::Auto).unwrap();
        assert!(organizations.accepts_issuer(&e, &iss, Some(GUID)));
        assert!(!organizations.accepts_issuer(&e, &msa_iss, Some(msa)), "organizations: no personal accounts");
        let domain = Authority::parse("https://login.microsoftonline.com/contoso.com", ProtocolMode::Auto).unwrap();
        assert!(domain.accepts_issuer(&e, &iss, Some(GUID)), "a domain is not mapped to its tenant ID");
    }

    #[test]
    fn shares_tokens_only_within_one_authority() {
        let parse = |raw: &str| Authority::parse(raw, ProtocolMode::Auto).unwrap();
        let tenant = parse(&format!("https://login.microsoftonline.com/{GUID}"));
        assert!(tenant.shares_tokens_with(&tenant.url));
        assert!(tenant.shares_tokens_with(&format!("https://login.windows.net/{GUID}")));
        for other in [
            "https://login.microsoftonline.com/common".to_owned(),
            format!("https://login.microsoftonline.us/{GUID}"),
            format!("https://login.microsoftonline.com.evil.example/{GUID}"),
            "http://localhost:9400".to_owned(),
            String::new(),
        ] {
            assert!(!tenant.shares_tokens_with(&other), "{other}");
        }
        let idp = parse("http://localhost:9400");
        assert!(idp.shares_tokens_with("http://localhost:9400"));
        for other in ["http://localhost:9401", "http://localhost:9400/other", "http://127.0.0.1:9400"] {
            assert!(!idp.shares_tokens_with(other), "{other}");
        }
    }

    proptest::proptest! {
        #[test]
        fn never_panics(raw in ".*", tail in "[a-z0-9./{}-]{0,30}", doc in ".*") {
            for mode in [ProtocolMode::Auto, ProtocolMode::Oidc] {
                let _ = Authority::parse(&raw, mode);
                if let Ok(a) = Authority::parse(&format!("https://login.microsoftonline.com/{tail}"), mode) {
                    let e = a.known_endpoints().unwrap_or_else(|| Endpoints { authorization: String::new(), token: String::new(), end_session: None, issuer: raw.clone() });
                    let _ = a.accepts_issuer(&e, &raw, Some(&tail));
                    if let Ok(json) = Json::parse(&doc) {
                        let _ = a.endpoints_from_discovery(&json, &[]);
                    }
                    let _ = a.endpoints_from_metadata(&doc, &[]);
                }
            }
            let _ = parse_known_authorities(std::slice::from_ref(&raw));
        }
    }

    #[test]
    fn checks_known_authorities() {
        assert_eq!(parse_known_authorities(&["Login.Contoso.com".into(), "localhost:9400".into()]).unwrap(), ["login.contoso.com", "localhost:9400"]);
        for bad in ["https://login.contoso.com", "login.contoso.com/path", "host:port", ""] {
            assert_eq!(parse_known_authorities(&[bad.into()]).unwrap_err().code, "invalid_known_authorities", "{bad}");
        }
    }
}
