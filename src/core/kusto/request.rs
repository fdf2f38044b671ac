//! Query and management requests (`POST /v2/rest/query`, `POST /v1/rest/mgmt`): URL, body and
//! the tracing headers the service reads.

use super::resource::ClusterUrl;
use crate::core::json::Json;
use crate::core::token::VERSION;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// A query: v2 frames come back.
    Query,
    /// A management command (`.show ...`): a v1 `{"Tables": [...]}` comes back.
    Management,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub url: String,
    pub body: String,
    /// `x-ms-client-request-id`, also what the service quotes back in its errors.
    pub client_request_id: String,
    /// Header name and value pairs, without `Authorization`.
    pub headers: Vec<(&'static str, String)>,
}

/// Tracing details sent with every request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tracing {
    /// `x-ms-app`: the application name (`Application Name for Tracing`).
    pub app: Option<String>,
    /// `x-ms-user-id` (`User Name for Tracing`).
    pub user: Option<String>,
}

/// `KSA.query;<uuid>`: the prefix tells the service which client and call sent the request.
pub fn client_request_id(endpoint: Endpoint, uuid: &str) -> String {
    let kind = match endpoint {
        Endpoint::Query => "query",
        Endpoint::Management => "execute",
    };
    format!("KSA.{kind};{uuid}")
}

pub fn build(cluster: &ClusterUrl, endpoint: Endpoint, database: &str, csl: &str, properties: Option<Json>, client_request_id: String, tracing: &Tracing) -> Request {
    let url = match endpoint {
        Endpoint::Query => cluster.query_url(),
        Endpoint::Management => cluster.mgmt_url(),
    };
    let body = Json::object([("db", Some(Json::string(database))), ("csl", Some(Json::string(csl))), ("properties", properties)]).to_string();
    let mut headers = vec![
        ("Accept", "application/json".to_owned()),
        ("Content-Type", "application/json; charset=utf-8".to_owned()),
        ("x-ms-client-request-id", client_request_id.clone()),
        ("x-ms-client-version", format!("Kusto.kusto-spa-auth:{VERSION}")),
        ("x-ms-app", tracing.app.clone().unwrap_or_else(|| "kusto-spa-auth".to_owned())),
    ];
    if let Some(user) = &tracing.user {
        headers.push(("x-ms-user-id", user.clone()));
    }
    Request { url, body, client_request_id, headers }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_query_and_management_requests() {
        let cluster = ClusterUrl::parse("https://help.kusto.windows.net:443/Samples").unwrap();
        let id = client_request_id(Endpoint::Query, "u-1");
        assert_eq!(id, "KSA.query;u-1");
        let props = Json::parse(r#"{"Options":{"servertimeout":"00:01:00"}}"#).unwrap();
        let tracing = Tracing { app: Some("demo".into()), user: Some("ada".into()) };
        let r = build(&cluster, Endpoint::Query, "Samples", "StormEvents | count", Some(props), id, &tracing);
        assert_eq!(r.url, "https://help.kusto.windows.net/v2/rest/query");
        assert_eq!(r.body, r#"{"db":"Samples","csl":"StormEvents | count","properties":{"Options":{"servertimeout":"00:01:00"}}}"#);
        let header = |name: &str| r.headers.iter().find(|(n, _)| *n == name).map(|(_, v)| v.as_str());
        assert_eq!(header("x-ms-client-request-id"), Some("KSA.query;u-1"));
        assert_eq!(header("x-ms-app"), Some("demo"));
        assert_eq!(header("x-ms-user-id"), Some("ada"));
        assert_eq!(header("x-ms-client-version"), Some(format!("Kusto.kusto-spa-auth:{VERSION}").as_str()));

        let local = ClusterUrl::parse("http://localhost:9420").unwrap();
        let m = build(&local, Endpoint::Management, "Samples", ".show version", None, client_request_id(Endpoint::Management, "u"), &Tracing::default());
        assert_eq!(m.url, "http://localhost:9420/v1/rest/mgmt");
        assert_eq!(m.body, r#"{"db":"Samples","csl":".show version"}"#);
        assert!(m.headers.iter().all(|(n, _)| *n != "x-ms-user-id"));
    }
}
