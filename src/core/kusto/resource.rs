//! Which token a cluster needs: its resource and scope, and the cloud facts its
//! `/v1/rest/auth/metadata` endpoint publishes.
//!
//! By default a token is requested for the cluster itself (`https://{host}/.default`): such a token
//! is useless anywhere else, so a wrong or malicious cluster URL cannot collect a token for other
//! clusters. The cloud-static resource from the metadata (`https://kusto.kusto.windows.net`) gives
//! one token for every cluster of a cloud; it may only be sent to hosts that
//! [`super::trusted::TrustedEndpoints`] accepts.

use super::errors::{excerpt, KustoError};
use crate::core::json::Json;
use crate::core::text;
use crate::core::url::{is_loopback_host, HttpUrl};

/// The cloud-static resource the SDKs use when a cluster has no metadata endpoint.
pub const DEFAULT_RESOURCE: &str = "https://kusto.kusto.windows.net";
/// The public cloud's login endpoint, used under the same circumstances.
pub const DEFAULT_LOGIN_ENDPOINT: &str = "https://login.microsoftonline.com";

/// A validated cluster address: `https`, or plain `http` on a loopback host only (a local emulator
/// or proxy; anywhere else a bearer token would cross the network in clear text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterUrl {
    url: HttpUrl,
    /// The first path segment, which by connection-string convention names the database
    /// (`https://help.kusto.windows.net/Samples`).
    pub database: Option<String>,
}

impl ClusterUrl {
    pub fn parse(input: &str) -> Result<ClusterUrl, KustoError> {
        let bad = |why: &str| {
            KustoError::new(
                "invalid_cluster_url",
                format!("'{}' is not a usable Kusto cluster URL: {why}. Expected something like https://mycluster.westeurope.kusto.windows.net.", excerpt(input.trim(), 200)),
            )
        };
        let url = HttpUrl::parse(input).map_err(|_| bad("it is not an absolute http(s) URL with a valid host"))?;
        if url.query.is_some() || url.fragment.is_some() {
            return Err(bad("it has a query or fragment"));
        }
        if !url.https && !is_loopback_host(&url.host) {
            return Err(KustoError::new(
                "insecure_cluster_url",
                format!(
                    "Refusing the cluster URL '{}': it is not https, so the access token would travel unencrypted. Use https:// (plain http is accepted only for localhost, 127.0.0.1 and [::1]).",
                    excerpt(input.trim(), 200)
                ),
            ));
        }
        let database = url.segments().next().map(str::to_owned);
        Ok(ClusterUrl { url, database })
    }

    /// Lower-cased host, brackets kept for IPv6.
    pub fn host(&self) -> &str {
        &self.url.host
    }

    /// Where requests go: scheme, host and port.
    pub fn origin(&self) -> String {
        self.url.origin()
    }

    /// The token audience: scheme and host, without port or path, also on loopback hosts (as the
    /// SDKs derive it from the hostname alone). Two local emulators on different ports therefore
    /// share a resource, which is harmless on the loopback interface.
    pub fn resource(&self) -> String {
        let scheme = if self.url.https { "https" } else { "http" };
        format!("{scheme}://{}", self.url.host)
    }

    pub fn scope(&self) -> String {
        scope_for(&self.resource())
    }

    pub fn metadata_url(&self) -> String {
        format!("{}/v1/rest/auth/metadata", self.origin())
    }

    /// `POST` target for queries (v2 frames).
    pub fn query_url(&self) -> String {
        format!("{}/v2/rest/query", self.origin())
    }

    /// `POST` target for management commands (v1 tables).
    pub fn mgmt_url(&self) -> String {
        format!("{}/v1/rest/mgmt", self.origin())
    }
}

pub fn scope_for(resource: &str) -> String {
    format!("{}/.default", resource.trim_end_matches('/'))
}

/// The MFA variant of a resource: the SDKs (azure-kusto-python `CloudInfoTokenProvider`,
/// azure-kusto-node `CloudSettingsTokenProvider`, azure-kusto-go, azure-kusto-java) replace the
/// first `.kusto.` of the resource with `.kustomfa.` when the cloud says `LoginMfaRequired`.
pub fn mfa_variant(resource: &str) -> String {
    text::replace_first(resource, ".kusto.", ".kustomfa.")
}

/// The `AzureAD` section of `GET {cluster}/v1/rest/auth/metadata`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthMetadata {
    pub kusto_service_resource_id: String,
    pub login_endpoint: String,
    pub login_mfa_required: bool,
    pub first_party_authority_url: Option<String>,
    pub kusto_client_app_id: Option<String>,
}

impl AuthMetadata {
    /// What the SDKs assume when the endpoint does not exist (404; some proxies lack it) or cannot
    /// be reached: the public cloud.
    pub fn fallback() -> AuthMetadata {
        AuthMetadata {
            kusto_service_resource_id: DEFAULT_RESOURCE.to_owned(),
            login_endpoint: DEFAULT_LOGIN_ENDPOINT.to_owned(),
            login_mfa_required: false,
            first_party_authority_url: None,
            kusto_client_app_id: None,
        }
    }

    /// Reads a 200 body. A body without an `AzureAD` section means the public cloud, as in the SDKs.
    pub fn parse(body: &str) -> Result<AuthMetadata, KustoError> {
        let bad = |why: String| KustoError::new("invalid_auth_metadata", format!("The cluster's auth metadata (/v1/rest/auth/metadata) is unusable: {why}."));
        let doc = Json::parse(body).map_err(|e| bad(format!("it is not JSON ({} at byte {})", e.reason, e.at)))?;
        if doc.members().is_none() {
            return Err(bad("it is not a JSON object".into()));
        }
        let aad = match doc.get("AzureAD") {
            None | Some(Json::Null) => return Ok(AuthMetadata::fallback()),
            Some(aad) if aad.members().is_some() => aad,
            Some(_) => return Err(bad("AzureAD is not an object".into())),
        };
        let url = |key: &str| -> Result<String, KustoError> {
            let value = aad.str_at(key).ok_or_else(|| bad(format!("AzureAD.{key} is missing")))?;
            match HttpUrl::parse(value) {
                Ok(u) if u.https || u.is_loopback() => Ok(value.trim().trim_end_matches('/').to_owned()),
                _ => Err(bad(format!("AzureAD.{key} is not an https URL"))),
            }
        };
        Ok(AuthMetadata {
            kusto_service_resource_id: url("KustoServiceResourceId")?,
            login_endpoint: url("LoginEndpoint")?,
            login_mfa_required: aad.get("LoginMfaRequired").and_then(Json::as_bool).unwrap_or(false),
            first_party_authority_url: aad.str_at("FirstPartyAuthorityUrl").map(str::to_owned),
            kusto_client_app_id: aad.str_at("KustoClientAppId").map(str::to_owned),
        })
    }

    /// Reads the answer to the metadata request: 404 falls back to the public cloud, other
    /// statuses are errors (as in the SDKs).
    pub fn from_response(status: u16, body: &str) -> Result<AuthMetadata, KustoError> {
        match status {
            200 => AuthMetadata::parse(body),
            404 => Ok(AuthMetadata::fallback()),
            _ => Err(KustoError::new("invalid_auth_metadata", format!("The cluster answered HTTP {status} to the auth metadata request (/v1/rest/auth/metadata)."))),
        }
    }

    /// The cloud-static resource, in its MFA variant when the cloud requires MFA.
    pub fn resource(&self) -> String {
        if self.login_mfa_required {
            mfa_variant(&self.kusto_service_resource_id)
        } else {
            self.kusto_service_resource_id.clone()
        }
    }

    pub fn scope(&self) -> String {
        scope_for(&self.resource())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const METADATA: &str = include_str!("../../../tests/fixtures/kusto/responses/auth_metadata_mock.json");

    #[test]
    fn strips_port_and_path_from_the_resource() {
        let c = ClusterUrl::parse("https://Help.Kusto.Windows.NET:443/Samples/").unwrap();
        assert_eq!(c.resource(), "https://help.kusto.windows.net");
        assert_eq!(c.scope(), "https://help.kusto.windows.net/.default");
        assert_eq!(c.database.as_deref(), Some("Samples"));
        assert_eq!(c.metadata_url(), "https://help.kusto.windows.net/v1/rest/auth/metadata");
        assert_eq!(c.query_url(), "https://help.kusto.windows.net/v2/rest/query");
        assert_eq!(c.mgmt_url(), "https://help.kusto.windows.net/v1/rest/mgmt");

        let c = ClusterUrl::parse("https://mycluster.westus.kusto.windows.net:8443").unwrap();
        assert_eq!(c.resource(), "https://mycluster.westus.kusto.windows.net");
        assert_eq!(c.origin(), "https://mycluster.westus.kusto.windows.net:8443");
        assert_eq!(c.database, None);
        assert_eq!(ClusterUrl::parse("https://x.kusto.windows.net/db").unwrap().scope(), "https://x.kusto.windows.net/.default");
        assert_eq!(ClusterUrl::parse("https://x.kusto.windows.net:444/").unwrap().metadata_url(), "https://x.kusto.windows.net:444/v1/rest/auth/metadata");
    }

    #[test]
    fn allows_plain_http_only_on_loopback() {
        let local = ClusterUrl::parse("http://localhost:8080/").unwrap();
        assert_eq!(local.resource(), "http://localhost");
        assert_eq!(local.origin(), "http://localhost:8080");
        assert_eq!(ClusterUrl::parse("http://127.0.0.1:9000").unwrap().resource(), "http://127.0.0.1");
        assert_eq!(ClusterUrl::parse("http://[::1]:9000").unwrap().resource(), "http://[::1]");
        let err = ClusterUrl::parse("http://help.kusto.windows.net").unwrap_err();
        assert_eq!(err.code, "insecure_cluster_url");
        assert!(err.message.contains("unencrypted"));
        for bad in ["help.kusto.windows.net", "ftp://x", "https://", "https://a b", "https://x/?q=1", "https://x/#f", "https://u:p@x/"] {
            assert_eq!(ClusterUrl::parse(bad).unwrap_err().code, "invalid_cluster_url", "{bad}");
        }
    }

    #[test]
    fn reads_the_auth_metadata() {
        let m = AuthMetadata::parse(METADATA).unwrap();
        assert_eq!(m.kusto_service_resource_id, "https://kusto.dev.kusto.windows.net");
        assert_eq!(m.login_endpoint, "https://login.microsoftonline.com");
        assert!(!m.login_mfa_required);
        assert_eq!(m.kusto_client_app_id.as_deref(), Some("db662dc1-0cfe-4e1c-a843-19a68e65be58"));
        assert_eq!(m.first_party_authority_url.as_deref(), Some("https://login.microsoftonline.com/f8cdef31-a31e-4b4a-93e4-5f571e91255a"));
        assert_eq!(m.resource(), "https://kusto.dev.kusto.windows.net");
        assert_eq!(m.scope(), "https://kusto.dev.kusto.windows.net/.default");
        assert_eq!(AuthMetadata::from_response(200, METADATA).unwrap(), m);
    }

    #[test]
    fn uses_the_mfa_variant_when_the_cloud_requires_mfa() {
        let body = METADATA.replace("\"LoginMfaRequired\": false", "\"LoginMfaRequired\": true");
        let m = AuthMetadata::parse(&body).unwrap();
        assert!(m.login_mfa_required);
        assert_eq!(m.resource(), "https://kusto.dev.kustomfa.windows.net");
        assert_eq!(m.scope(), "https://kusto.dev.kustomfa.windows.net/.default");
        // Only the first occurrence, as the SDKs do.
        assert_eq!(mfa_variant("https://kusto.kusto.windows.net"), "https://kusto.kustomfa.windows.net");
        assert_eq!(mfa_variant("https://a.kusto.usgovcloudapi.net"), "https://a.kustomfa.usgovcloudapi.net");
        assert_eq!(mfa_variant("https://example.com"), "https://example.com");
    }

    #[test]
    fn falls_back_to_the_public_cloud() {
        let fallback = AuthMetadata::fallback();
        assert_eq!(AuthMetadata::from_response(404, "Not found").unwrap(), fallback);
        assert_eq!(fallback.scope(), "https://kusto.kusto.windows.net/.default");
        assert_eq!(fallback.login_endpoint, "https://login.microsoftonline.com");
        assert_eq!(AuthMetadata::parse(r#"{"dSTS":{}}"#).unwrap(), fallback);
        assert_eq!(AuthMetadata::parse(r#"{"AzureAD":null}"#).unwrap(), fallback);
        assert_eq!(AuthMetadata::from_response(500, "").unwrap_err().code, "invalid_auth_metadata");
        for bad in ["", "[]", "{", r#"{"AzureAD":1}"#, r#"{"AzureAD":{"LoginEndpoint":"https://l"}}"#, r#"{"AzureAD":{"LoginEndpoint":"http://evil","KustoServiceResourceId":"https://k"}}"#] {
            assert_eq!(AuthMetadata::parse(bad).unwrap_err().code, "invalid_auth_metadata", "{bad}");
        }
    }

    proptest! {
        #[test]
        fn never_panics(s in ".*") {
            let _ = ClusterUrl::parse(&s);
            let _ = AuthMetadata::parse(&s);
            let _ = mfa_variant(&s);
        }

        #[test]
        fn resource_has_no_port_or_path(host in "[a-z][a-z0-9-]{0,10}(\\.[a-z0-9-]{1,8}){0,2}\\.[a-z][a-z0-9-]{0,7}", port in 1u16.., path in "(/[A-Za-z0-9_]{0,6}){0,3}") {
            let c = ClusterUrl::parse(&format!("https://{host}:{port}{path}")).unwrap();
            prop_assert_eq!(c.resource(), format!("https://{host}"));
        }
    }
}
