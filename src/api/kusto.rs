//! `KustoClient` as JS sees it.

use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise};
use wasm_bindgen::prelude::*;
use web_sys::AbortSignal;

use super::convert::{from_js, optional_number, optional_str, optional_strings, parse_js, promise, set, to_js};
use super::errors;
use crate::browser::kusto::{Failure, KustoClient as Client, QueryOptions, ResourceMode, TokenSource};
use crate::browser::property;
use crate::core::error::AuthError;
use crate::core::json::Json;
use crate::core::kusto::connection_string::{ConnectionString, SuppliedToken};
use crate::core::kusto::request::{Endpoint, Tracing};
use crate::core::kusto::resource::ClusterUrl;
use crate::core::kusto::response::{DataSet, TableKind};

fn failure_to_js(failure: Failure) -> JsValue {
    match failure {
        Failure::Auth(e) => errors::to_js(&e),
        Failure::Kusto(e) => errors::kusto_to_js(&e),
        Failure::Js(value) => value,
    }
}

fn timeout(json: &Json) -> Result<Option<u32>, AuthError> {
    let ms = optional_number(Some(json), "timeoutMs", 1..=i64::from(u32::MAX), "timeoutMs must be a positive number of milliseconds.")?;
    Ok(ms.map(|n| n as u32))
}

/// The response as JS sees it. Values follow the mapping of `core::kusto::value`: `long` beyond
/// ±(2^53−1) and every `decimal` arrive as strings holding the exact digits.
fn dataset_to_js(data: &DataSet, client_request_id: &str) -> JsValue {
    // Each table crosses to JS once; primaryResults and tablesByKind hold the same objects.
    let (tables, primary, by_kind) = (Array::new(), Array::new(), Object::new());
    for table in &data.tables {
        let js = parse_js(&table.to_js_text());
        tables.push(&js);
        if table.kind == TableKind::PrimaryResult {
            primary.push(&js);
        }
        let kind = property(&by_kind, table.kind.as_str());
        let of_kind: Array = if kind.is_undefined() { Array::new() } else { kind.unchecked_into() };
        of_kind.push(&js);
        set(&by_kind, table.kind.as_str(), &of_kind);
    }
    let completion = data.completion.as_ref().map(|c| Json::object([("hasErrors", Some(Json::Bool(c.has_errors))), ("cancelled", Some(Json::Bool(c.cancelled)))]));
    let response = to_js(&Json::object([("clientRequestId", Some(Json::string(client_request_id))), ("completion", Some(completion.unwrap_or(Json::Null)))]));
    set(&response, "primaryResults", &primary);
    set(&response, "tables", &tables);
    set(&response, "tablesByKind", &by_kind);
    response
}

/// Queries a Kusto cluster with tokens from a `PublicClientApplication` or the app's own source.
#[wasm_bindgen]
pub struct KustoClient {
    inner: Rc<Client>,
}

#[wasm_bindgen]
impl KustoClient {
    /// `cluster`: a cluster URL (`https://help.kusto.windows.net[/Samples]`) or a Kusto connection
    /// string. `options`: `{ pca, account, tokenProvider, trustedHosts, replaceTrustedHosts,
    /// loginEndpoint, resource: "cluster" | "metadata", appName, userName, timeoutMs,
    /// maxResponseBytes }`.
    #[wasm_bindgen(constructor)]
    pub fn new(cluster: &str, options: JsValue) -> Result<KustoClient, JsValue> {
        Self::build(cluster, &options).map_err(failure_to_js)
    }

    fn build(cluster: &str, options: &JsValue) -> Result<KustoClient, Failure> {
        let json = from_js(options, "options")?;
        let is_url = cluster.trim_start().to_ascii_lowercase().starts_with("http") && !cluster.as_bytes().iter().any(|b| matches!(b, b';' | b'='));
        let (url, connection) = if is_url {
            (ClusterUrl::parse(cluster)?, None)
        } else {
            let cs = ConnectionString::parse(cluster)?;
            (cs.cluster.clone(), Some(cs))
        };
        let provider = property(options, "tokenProvider");
        let pca = property(options, "pca");
        let supplied = connection.as_ref().and_then(ConnectionString::supplied_token).map(|t| match t {
            SuppliedToken::User(t) | SuppliedToken::Application(t) => t.clone(),
        });
        let tokens = if let Some(token) = supplied {
            TokenSource::Fixed(token)
        } else if let Some(provider) = provider.dyn_ref::<Function>() {
            TokenSource::Provider(provider.clone())
        } else if pca.is_object() {
            TokenSource::Application { pca, account: property(options, "account") }
        } else {
            return Err(AuthError::config(
                "invalid_token_source",
                "A KustoClient needs a token source: options.pca (a PublicClientApplication), options.tokenProvider (async (scopes) => token), or a connection string with a User Token.",
            )
            .into());
        };
        let mut client = Client::new(url, tokens);
        if let Some(cs) = &connection {
            client.database = cs.initial_catalog.clone().or(client.database);
            client.tracing = Tracing { app: cs.application_name_for_tracing.clone(), user: cs.user_name_for_tracing.clone() };
        }
        let text = |key: &str| optional_str(Some(&json), key, "options").map(|v| v.map(str::to_owned));
        client.tracing.app = text("appName")?.or(client.tracing.app);
        client.tracing.user = text("userName")?.or(client.tracing.user);
        client.login_endpoint = text("loginEndpoint")?;
        client.resource_mode = match json.str_at("resource") {
            None | Some("cluster") => ResourceMode::Cluster,
            Some("metadata") => ResourceMode::Metadata,
            Some(other) => return Err(AuthError::config("invalid_request_parameter", format!("options.resource '{other}' is not supported; use 'cluster' or 'metadata'.")).into()),
        };
        let hosts = optional_strings(Some(&json), "trustedHosts", || AuthError::config("invalid_request_parameter", "options.trustedHosts must be an array of strings."))?;
        if json.get("replaceTrustedHosts").and_then(Json::as_bool) == Some(true) {
            client.trusted.replace_with(&hosts)?;
        } else {
            client.trusted.add_hosts(&hosts)?;
        }
        if let Some(ms) = timeout(&json)? {
            client.timeout_ms = ms;
        }
        let max = optional_number(Some(&json), "maxResponseBytes", 1..=i64::from(u32::MAX), "options.maxResponseBytes must be a positive number of bytes (at most 4294967295).")?;
        if let Some(bytes) = max {
            client.max_response_bytes = bytes as u32;
        }
        Ok(KustoClient { inner: Rc::new(client) })
    }

    fn run(&self, endpoint: Endpoint, database: Option<String>, csl: String, options: JsValue) -> Promise {
        let inner = self.inner.clone();
        promise(
            async move {
                let json = from_js(&options, "options")?;
                let signal = property(&options, "signal").dyn_into::<AbortSignal>().ok();
                let run_options = QueryOptions {
                    properties: json.get("properties").filter(|p| p.members().is_some()).cloned(),
                    signal,
                    timeout_ms: timeout(&json)?,
                    client_request_id: json.str_at("clientRequestId").map(str::to_owned),
                };
                let (data, id) = inner.run(endpoint, database.as_deref(), &csl, run_options).await?;
                Ok(dataset_to_js(&data, &id))
            },
            failure_to_js,
        )
    }

    /// Runs a query (`POST /v2/rest/query`). `options`: `{ signal, timeoutMs, properties, clientRequestId }`.
    pub fn query(&self, database: Option<String>, query: String, options: JsValue) -> Promise {
        self.run(Endpoint::Query, database, query, options)
    }

    /// Runs a management command such as `.show version` (`POST /v1/rest/mgmt`).
    pub fn execute(&self, database: Option<String>, command: String, options: JsValue) -> Promise {
        self.run(Endpoint::Management, database, command, options)
    }

    /// The cluster's `/v1/rest/auth/metadata`, or the public-cloud defaults when it has none.
    #[wasm_bindgen(js_name = authMetadata)]
    pub fn auth_metadata(&self) -> Promise {
        let inner = self.inner.clone();
        promise(
            async move {
                let m = inner.auth_metadata().await?;
                Ok(to_js(&Json::object([
                    ("kustoServiceResourceId", Some(Json::string(&m.kusto_service_resource_id))),
                    ("loginEndpoint", Some(Json::string(&m.login_endpoint))),
                    ("loginMfaRequired", Some(Json::Bool(m.login_mfa_required))),
                    ("scope", Some(Json::string(m.scope()))),
                ])))
            },
            failure_to_js,
        )
    }

    /// The scopes tokens for this cluster are requested with.
    pub fn scopes(&self) -> Promise {
        let inner = self.inner.clone();
        promise(async move { Ok(to_js(&Json::strings(inner.scopes().await?))) }, failure_to_js)
    }
}
