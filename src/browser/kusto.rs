//! A Kusto client: gets a token for the cluster, refuses to send it anywhere it does not belong,
//! posts the query, and reads every error channel of the answer.

use std::cell::{OnceCell, RefCell};

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

use super::http::{self, Outgoing};
use super::random;
use super::task::settle;
use crate::core::error::AuthError;
use crate::core::flow::uuid_v4;
use crate::core::json::Json;
use crate::core::kusto::errors::{claims_challenge, KustoError};
use crate::core::kusto::request::{self, Endpoint, Tracing};
use crate::core::kusto::resource::{scope_for, AuthMetadata, ClusterUrl, DEFAULT_LOGIN_ENDPOINT};
use crate::core::kusto::response::{parse_response, DataSet};
use crate::core::kusto::trusted::TrustedEndpoints;
use crate::core::secret::CallerToken;
use crate::core::url::HttpUrl;

/// Kusto's own default for a query's client-side timeout.
pub const QUERY_TIMEOUT_MS: u32 = 4 * 60 * 1000;

/// The largest answer read by default: 64 MiB, the size at which Kusto itself truncates a
/// query's results unless the query asks otherwise.
pub const MAX_RESPONSE_BYTES: u32 = 64 << 20;

/// Why a Kusto call failed: a token or network problem, something Kusto-specific, or an error
/// the app's own token source raised (passed through untouched).
pub enum Failure {
    Auth(AuthError),
    Kusto(KustoError),
    Js(JsValue),
}

impl From<AuthError> for Failure {
    fn from(e: AuthError) -> Failure {
        Failure::Auth(e)
    }
}

impl From<KustoError> for Failure {
    fn from(e: KustoError) -> Failure {
        Failure::Kusto(e)
    }
}

/// Where tokens come from.
pub enum TokenSource {
    /// A token the app already holds (a connection string's User Token or Application Token).
    Fixed(CallerToken),
    /// `async (scopes, { forceRefresh, claims }) => accessToken`: a token obtained elsewhere,
    /// e.g. by a backend with on-behalf-of or a managed identity.
    Provider(Function),
    /// A `PublicClientApplication` (ours, or MSAL's: only `acquireTokenSilent`,
    /// `getActiveAccount` and `getAllAccounts` are used), and the account to ask for (else the
    /// active account, else the only signed-in one).
    Application { pca: JsValue, account: JsValue },
}

/// How the token's resource is chosen.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ResourceMode {
    /// The cluster's own URI: the token is good for this cluster only.
    Cluster,
    /// What `/v1/rest/auth/metadata` names (usually the cloud-wide `https://kusto.kusto.windows.net`),
    /// as the official SDKs do.
    Metadata,
}

pub struct KustoClient {
    pub cluster: ClusterUrl,
    pub database: Option<String>,
    pub tokens: TokenSource,
    pub trusted: TrustedEndpoints,
    pub login_endpoint: Option<String>,
    pub resource_mode: ResourceMode,
    pub tracing: Tracing,
    pub timeout_ms: u32,
    pub max_response_bytes: u32,
    /// The token source's authority origin, asked for once: an application's configuration
    /// does not change.
    source_authority: OnceCell<Option<String>>,
}

thread_local! {
    /// Auth metadata by cluster origin, for the page's lifetime: every client of a cluster shares it.
    static METADATA: RefCell<Vec<(String, AuthMetadata)>> = const { RefCell::new(Vec::new()) };
}

pub struct QueryOptions {
    pub properties: Option<Json>,
    pub signal: Option<AbortSignal>,
    pub timeout_ms: Option<u32>,
    pub client_request_id: Option<String>,
}

fn js_call(target: &JsValue, method: &str, args: &Array) -> Result<JsValue, Failure> {
    let function: Function = super::property(target, method).dyn_into().map_err(|_| AuthError::config("invalid_token_source", format!("The token source has no {method}() method.")))?;
    function.apply(target, args).map_err(Failure::Js)
}

/// The active account, else the only signed-in one (else undefined, and the PCA says why).
fn default_account(pca: &JsValue) -> Result<JsValue, Failure> {
    let active = js_call(pca, "getActiveAccount", &Array::new())?;
    if active.is_object() {
        return Ok(active);
    }
    let all: Array = js_call(pca, "getAllAccounts", &Array::new())?.dyn_into().unwrap_or_default();
    Ok(if all.length() == 1 { all.get(0) } else { JsValue::UNDEFINED })
}

impl TokenSource {
    /// Where an application's tokens come from: the origin of its configured authority
    /// (`getConfiguration().auth.authority`, as ours and MSAL's report it).
    fn authority_origin(&self) -> Option<String> {
        let TokenSource::Application { pca, .. } = self else { return None };
        let configuration = js_call(pca, "getConfiguration", &Array::new()).ok()?;
        let authority = super::property(&super::property(&configuration, "auth"), "authority").as_string()?;
        HttpUrl::parse(&authority).ok().map(|url| url.origin())
    }
}

impl KustoClient {
    pub fn new(cluster: ClusterUrl, tokens: TokenSource) -> KustoClient {
        KustoClient {
            database: cluster.database.clone(),
            cluster,
            tokens,
            trusted: TrustedEndpoints::new(),
            login_endpoint: None,
            resource_mode: ResourceMode::Cluster,
            tracing: Tracing::default(),
            timeout_ms: QUERY_TIMEOUT_MS,
            max_response_bytes: MAX_RESPONSE_BYTES,
            source_authority: OnceCell::new(),
        }
    }

    /// The cluster's auth metadata, fetched once; the SDKs' public-cloud defaults when the
    /// cluster does not publish any (404) or cannot be reached.
    pub async fn auth_metadata(&self) -> Result<AuthMetadata, Failure> {
        let origin = self.cluster.origin();
        let known = METADATA.with(|m| m.borrow().iter().find(|(o, _)| *o == origin).map(|(_, md)| md.clone()));
        if let Some(known) = known {
            return Ok(known);
        }
        let metadata = match http::get(&self.cluster.metadata_url()).await {
            Ok(answer) => AuthMetadata::from_response(answer.status, &answer.body)?,
            Err(_) => AuthMetadata::fallback(),
        };
        METADATA.with(|m| m.borrow_mut().push((origin, metadata.clone())));
        Ok(metadata)
    }

    /// The scopes tokens for this cluster are requested with, once it is clear that such a token
    /// may go to this cluster (see `TrustedEndpoints::check`).
    pub async fn scopes(&self) -> Result<Vec<String>, Failure> {
        let metadata = match self.resource_mode {
            ResourceMode::Cluster => None,
            ResourceMode::Metadata => Some(self.auth_metadata().await?),
        };
        let resource = metadata.as_ref().map_or_else(|| self.cluster.resource(), AuthMetadata::resource);
        let login = self.login_endpoint(metadata.as_ref())?;
        self.trusted.check(&self.cluster, &resource, &login)?;
        Ok(vec![scope_for(&resource)])
    }

    /// The login endpoint whose cloud the cluster must belong to: the app's `loginEndpoint`, else
    /// the origin of the token source's authority (the cloud that issues the token), else what
    /// the cluster's metadata names, else the public cloud.
    fn login_endpoint(&self, metadata: Option<&AuthMetadata>) -> Result<String, Failure> {
        if let Some(login) = self.login_endpoint.clone().or_else(|| self.source_authority.get_or_init(|| self.tokens.authority_origin()).clone()) {
            return Ok(login);
        }
        Ok(metadata.map_or_else(|| DEFAULT_LOGIN_ENDPOINT.to_owned(), |m| m.login_endpoint.clone()))
    }

    /// A token for the cluster; `retry` carries a claims challenge (or none) after a 401.
    async fn token(&self, scopes: &[String], retry: Option<Option<&str>>) -> Result<String, Failure> {
        let js_scopes: Array = scopes.iter().map(|s| JsValue::from_str(s)).collect();
        let claims = retry.flatten();
        let token = match &self.tokens {
            TokenSource::Fixed(token) => return Ok(token.expose().to_owned()),
            TokenSource::Provider(provider) => {
                let options = Object::new();
                let _ = Reflect::set(&options, &"forceRefresh".into(), &JsValue::from_bool(retry.is_some()));
                let _ = Reflect::set(&options, &"claims".into(), &claims.map_or(JsValue::UNDEFINED, JsValue::from_str));
                settle(&provider.call2(&JsValue::NULL, &js_scopes, &options).map_err(Failure::Js)?).await.map_err(Failure::Js)?
            }
            TokenSource::Application { pca, account } => {
                let account = if account.is_object() { account.clone() } else { default_account(pca)? };
                let request = Object::new();
                let _ = Reflect::set(&request, &"scopes".into(), &js_scopes);
                let _ = Reflect::set(&request, &"account".into(), &account);
                let _ = Reflect::set(&request, &"forceRefresh".into(), &JsValue::from_bool(retry.is_some()));
                if let Some(claims) = claims {
                    let _ = Reflect::set(&request, &"claims".into(), &JsValue::from_str(claims));
                }
                let result = settle(&js_call(pca, "acquireTokenSilent", &Array::of1(&request))?).await.map_err(Failure::Js)?;
                super::property(&result, "accessToken")
            }
        };
        token.as_string().filter(|t| !t.is_empty()).ok_or_else(|| Failure::Auth(AuthError::config("invalid_token_source", "The token source did not produce an access token (a non-empty string).")))
    }

    /// Runs a query (`Endpoint::Query`) or a management command. A 401 gets one new token
    /// (meeting a claims challenge if the cluster sent one) and one retry.
    pub async fn run(&self, endpoint: Endpoint, database: Option<&str>, csl: &str, options: QueryOptions) -> Result<(DataSet, String), Failure> {
        let database = database
            .filter(|d| !d.is_empty())
            .or(self.database.as_deref())
            .ok_or_else(|| AuthError::config("invalid_request_parameter", "No database: pass one, or name it in the connection string (Initial Catalog) or cluster URL path."))?;
        // The trust check comes before any token is asked for or any byte is sent.
        let scopes = self.scopes().await?;
        let id = match options.client_request_id {
            Some(id) => id,
            None => request::client_request_id(endpoint, &uuid_v4(random()?)),
        };
        let req = request::build(&self.cluster, endpoint, database, csl, options.properties, id, &self.tracing);
        // None on the first attempt; Some(claims challenge, if any) on the retry after a 401.
        let mut retry: Option<Option<String>> = None;
        loop {
            let bearer = format!("Bearer {}", self.token(&scopes, retry.as_ref().map(Option::as_deref)).await?);
            let mut headers: Vec<(&str, &str)> = req.headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
            headers.push(("Authorization", &bearer));
            let answer = http::send(
                &req.url,
                Outgoing {
                    method: "POST",
                    headers: &headers,
                    body: Some(req.body.clone()),
                    timeout_ms: options.timeout_ms.unwrap_or(self.timeout_ms),
                    signal: options.signal.as_ref(),
                    max_body_bytes: self.max_response_bytes,
                },
            )
            .await
            .map_err(|e| e.with_correlation_id(&req.client_request_id))?;
            if answer.status == 401 && retry.is_none() && !matches!(self.tokens, TokenSource::Fixed(_)) {
                let challenge = answer.www_authenticate.as_deref().map(claims_challenge).transpose()?.flatten();
                retry = Some(challenge);
                continue;
            }
            let result = parse_response(answer.status, &answer.body, answer.www_authenticate.as_deref()).map_err(|mut e| {
                if let Some(service) = e.service.as_mut() {
                    if service.client_request_id.as_deref().is_none_or(str::is_empty) {
                        service.client_request_id = Some(req.client_request_id.clone());
                    }
                }
                e
            })?;
            return Ok((result, req.client_request_id));
        }
    }
}
