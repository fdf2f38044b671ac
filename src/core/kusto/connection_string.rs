//! Kusto connection strings, read the way the SDKs and ADO.NET read them:
//! `https://cluster/db; Fed=true; Initial Catalog="a;b"`.
//!
//! - `key=value` pairs separated by `;`, spaces around names and values ignored;
//! - keyword names matched case-insensitively with spaces and underscores removed, against every
//!   name and alias of `kcsb.json` (compiled in from `tests/fixtures/kusto/reference/`; MIT, from
//!   Azure/azure-kusto-python), as the Python SDK does;
//! - values may be quoted with `"` or `'`; inside, the quote character doubled stands for itself
//!   (ADO.NET's rule; the Kusto docs require quotes for values containing `;`, `'` or `"`);
//! - the first item may be a bare URL without a key: it is the `Data Source`, as in every SDK, and
//!   its first path segment names the database (`https://help.kusto.windows.net/Samples`);
//! - a keyword given twice is refused rather than letting one copy silently win.
//!
//! A browser app is a public client. Secrets (application keys, certificates, passwords) and flows
//! that need them or a machine identity (device code, managed identity, Azure CLI, dSTS) are
//! refused with an explanation, and the refusal never repeats the secret.

use crate::core::text;
use std::fmt;
use std::sync::OnceLock;

use super::errors::{excerpt, KustoError};
use super::resource::ClusterUrl;
use crate::core::json::Json;
pub use crate::core::secret::CallerToken;

const KCSB_JSON: &str = include_str!("../../../tests/fixtures/kusto/reference/kcsb.json");

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SuppliedToken {
    User(CallerToken),
    Application(CallerToken),
}

/// What a connection string says, after validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionString {
    pub cluster: ClusterUrl,
    /// `Initial Catalog`, else the Data Source URL's first path segment.
    pub initial_catalog: Option<String>,
    /// `AAD Federated Security` as written; Entra ID sign-in is used either way.
    pub aad_federated_security: Option<bool>,
    /// `Authority Id`: a tenant id or domain.
    pub authority_id: Option<String>,
    pub application_client_id: Option<String>,
    /// `User ID`, used as the sign-in `login_hint`.
    pub login_hint: Option<String>,
    pub application_name_for_tracing: Option<String>,
    pub user_name_for_tracing: Option<String>,
    token: Option<SuppliedToken>,
    /// Flags that change nothing in a browser (`Accept`, `Streaming`, `Uncompressed`,
    /// `Query Consistency`, `dSTS Federated Security=false`), kept so that `to_string` repeats them.
    pub options: Vec<(&'static str, bool)>,
}

struct Keyword {
    name: String,
    /// Normalized name and aliases.
    names: Vec<String>,
    secret: bool,
}

fn normalize(key: &str) -> String {
    // Keywords are ASCII: a key that is not stays unknown.
    key.chars().filter(|c| !c.is_whitespace() && *c != '_').map(|c| c.to_ascii_lowercase()).collect()
}

fn keywords() -> &'static [Keyword] {
    static TABLE: OnceLock<Vec<Keyword>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let doc = Json::parse(KCSB_JSON).unwrap_or(Json::Null);
        doc.get("keywords")
            .and_then(Json::as_array)
            .unwrap_or(&[])
            .iter()
            .filter_map(|k| {
                let name = k.str_at("name")?.to_owned();
                let mut names = vec![normalize(&name)];
                names.extend(k.get("aliases").and_then(Json::as_array).unwrap_or(&[]).iter().filter_map(Json::as_str).map(normalize));
                Some(Keyword { name, names, secret: k.get("secret").and_then(Json::as_bool).unwrap_or(false) })
            })
            .collect()
    })
}

/// Names some tools use for flows a browser cannot run; not in `kcsb.json`, refused with a reason.
const NON_BROWSER_FLOWS: &[(&str, &str)] = &[
    ("devicecode", "Device code sign-in"),
    ("devicecodeauth", "Device code sign-in"),
    ("usedevicecodeauth", "Device code sign-in"),
    ("devicelogin", "Device code sign-in"),
    ("managedidentity", "Managed identity"),
    ("managedserviceidentity", "Managed identity"),
    ("usemanagedidentityauth", "Managed identity"),
    ("msi", "Managed identity"),
    ("msiauth", "Managed identity"),
    ("msiauthentication", "Managed identity"),
    ("azcli", "Azure CLI sign-in"),
    ("azurecli", "Azure CLI sign-in"),
    ("azcliauth", "Azure CLI sign-in"),
    ("azureclilogin", "Azure CLI sign-in"),
    ("useazloginauth", "Azure CLI sign-in"),
];

fn flow_refusal(flow: &str) -> KustoError {
    let why = match flow {
        "Device code sign-in" => "it is meant for devices without a browser; a browser app signs the user in with a redirect or a popup",
        "Managed identity" => "managed identities exist only on Azure compute (a VM, App Service, Functions) and a browser cannot obtain their tokens; obtain the token in a backend and hand it to the app through a custom token provider",
        "Azure CLI sign-in" => "the Azure CLI's tokens live on a developer's machine, out of a web page's reach; sign the user in interactively instead",
        _ => "dSTS is a Microsoft-internal token service that browser apps cannot use; use Entra ID sign-in",
    };
    KustoError::new("unsupported_flow", format!("The connection string asks for {flow}, which is not a browser flow: {why}."))
}

fn secret_refusal(name: &str) -> KustoError {
    let what = match name {
        "Password" => "a user password",
        "Application Key" => "an application key (client secret)",
        "User Token" | "Application Token" => "a token",
        _ => "an application certificate",
    };
    KustoError::new(
        "secret_in_connection_string",
        format!(
            "The connection string contains '{name}', {what}. A browser app is a public client: anything it holds can be read by whoever opens the page, \
             so it must never hold keys, certificates or passwords, and this library does not send them anywhere. \
             Remove it and sign the user in interactively, or let a backend that keeps the secret obtain the token and hand it to the app through a custom token provider."
        ),
    )
}

fn invalid(why: impl fmt::Display) -> KustoError {
    KustoError::new("invalid_connection_string", format!("The connection string is malformed: {why}."))
}

/// Splits into (key, value) pairs; a first item without `=` gets no key. Errors never quote text.
fn split_pairs(input: &str) -> Result<Vec<(Option<String>, String)>, KustoError> {
    let mut pairs = Vec::new();
    let mut chars = input.chars().peekable();
    let mut item = 0usize;
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace() || *c == ';') {
            chars.next();
        }
        if chars.peek().is_none() {
            return Ok(pairs);
        }
        item += 1;
        let mut key = String::new();
        let mut has_eq = false;
        for c in chars.by_ref() {
            match c {
                '=' => {
                    has_eq = true;
                    break;
                }
                ';' => break,
                c => key.push(c),
            }
        }
        if !has_eq {
            if pairs.is_empty() {
                pairs.push((None, key.trim().to_owned()));
                continue;
            }
            return Err(invalid(format_args!("item {item} is not of the form name=value")));
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let value = match chars.peek().copied() {
            Some(q @ ('"' | '\'')) => {
                chars.next();
                let mut value = String::new();
                loop {
                    match chars.next() {
                        None => return Err(invalid(format_args!("the quoted value of item {item} has no closing quote"))),
                        Some(c) if c == q => {
                            if chars.peek() == Some(&q) {
                                chars.next();
                                value.push(q);
                            } else {
                                break;
                            }
                        }
                        Some(c) => value.push(c),
                    }
                }
                while chars.peek().is_some_and(|c| c.is_whitespace()) {
                    chars.next();
                }
                match chars.next() {
                    None | Some(';') => {}
                    Some(_) => return Err(invalid(format_args!("text follows the closing quote of item {item}"))),
                }
                value
            }
            _ => {
                let mut value = String::new();
                for c in chars.by_ref() {
                    if c == ';' {
                        break;
                    }
                    value.push(c);
                }
                value.trim().to_owned()
            }
        };
        pairs.push((Some(key.trim().to_owned()), value));
    }
}

fn parse_bool(name: &str, value: &str) -> Result<bool, KustoError> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "yes" => Ok(true),
        "false" | "no" => Ok(false),
        _ => Err(invalid(format_args!("'{name}' must be true or false"))),
    }
}

impl ConnectionString {
    pub fn parse(input: &str) -> Result<ConnectionString, KustoError> {
        let pairs = split_pairs(input)?;
        // Resolve every key first, so that a secret is refused whatever else is wrong.
        let mut resolved: Vec<(&'static Keyword, String)> = Vec::new();
        let mut bare_source = None;
        let mut unrecognized = None;
        for (key, value) in pairs {
            let Some(key) = key else {
                bare_source = Some(value);
                continue;
            };
            let norm = normalize(&key);
            match keywords().iter().find(|k| k.names.contains(&norm)) {
                Some(k) => resolved.push((k, value)),
                None => {
                    let err = match NON_BROWSER_FLOWS.iter().find(|(n, _)| *n == norm) {
                        Some((_, flow)) => flow_refusal(flow),
                        None => KustoError::new("unknown_keyword", format!("'{}' is not a Kusto connection string keyword.", excerpt(&key, 60))),
                    };
                    unrecognized.get_or_insert(err);
                }
            }
        }
        if let Some((k, _)) = resolved.iter().find(|(k, _)| (k.secret && !matches!(k.name.as_str(), "User Token" | "Application Token")) || k.name.starts_with("Application Certificate")) {
            return Err(secret_refusal(&k.name));
        }
        if let Some(err) = unrecognized {
            return Err(err);
        }

        let mut sources = bare_source.into_iter().chain(resolved.iter().filter(|(k, _)| k.name == "Data Source").map(|(_, v)| v.clone()));
        let source = sources.next().filter(|s| !s.is_empty()).ok_or_else(|| invalid("it has no Data Source (the cluster URL)"))?;
        if sources.next().is_some() {
            return Err(invalid("'Data Source' is given more than once"));
        }
        let source = if text::contains(&source, "://") { source } else { format!("https://{source}") };
        let cluster = ClusterUrl::parse(&source).map_err(|e| match e.code {
            "insecure_cluster_url" => {
                KustoError::new(e.code, "The connection string's Data Source is not https, so the access token would travel unencrypted. Use https:// (plain http is accepted only for localhost).")
            }
            _ => invalid("its Data Source is not a valid cluster URL"),
        })?;

        let mut cs = ConnectionString {
            cluster,
            initial_catalog: None,
            aad_federated_security: None,
            authority_id: None,
            application_client_id: None,
            login_hint: None,
            application_name_for_tracing: None,
            user_name_for_tracing: None,
            token: None,
            options: Vec::new(),
        };
        let mut seen: Vec<&str> = Vec::new();
        for (k, value) in resolved {
            let name: &'static str = k.name.as_str();
            if seen.contains(&name) {
                return Err(invalid(format_args!("'{name}' is given more than once")));
            }
            seen.push(name);
            let text = || (!value.is_empty()).then(|| value.clone());
            match name {
                "Data Source" => {}
                "Initial Catalog" => cs.initial_catalog = text(),
                "AAD Federated Security" => cs.aad_federated_security = Some(parse_bool(name, &value)?),
                "Authority Id" => cs.authority_id = text(),
                "Application Client Id" => cs.application_client_id = text(),
                "User ID" => cs.login_hint = text(),
                "Application Name for Tracing" => cs.application_name_for_tracing = text(),
                "User Name for Tracing" => cs.user_name_for_tracing = text(),
                "User Token" | "Application Token" => {
                    if cs.token.is_some() {
                        return Err(invalid("it carries both a User Token and an Application Token"));
                    }
                    if value.is_empty() {
                        return Err(invalid(format_args!("'{name}' is empty")));
                    }
                    let token = CallerToken::new(value.clone());
                    cs.token = Some(if name == "User Token" { SuppliedToken::User(token) } else { SuppliedToken::Application(token) });
                }
                "dSTS Federated Security" => {
                    if parse_bool(name, &value)? {
                        return Err(flow_refusal("dSTS"));
                    }
                    cs.options.push((name, false));
                }
                "Accept" | "Streaming" | "Uncompressed" | "Query Consistency" => cs.options.push((name, parse_bool(name, &value)?)),
                _ => return Err(KustoError::new("unsupported_keyword", format!("'{name}' is a Kusto connection string keyword that this library does not support."))),
            }
        }
        if cs.initial_catalog.is_none() {
            cs.initial_catalog = cs.cluster.database.clone();
        }
        Ok(cs)
    }

    /// The caller-supplied token, if any.
    pub fn supplied_token(&self) -> Option<&SuppliedToken> {
        self.token.as_ref()
    }

    /// The caller-supplied token for a request to `origin` (`scheme://host[:port]`): only the
    /// connection string's own cluster gets it.
    pub fn token_for(&self, origin: &str) -> Option<&CallerToken> {
        let same = ClusterUrl::parse(origin).is_ok_and(|c| c.origin() == self.cluster.origin());
        match (&self.token, same) {
            (Some(SuppliedToken::User(t) | SuppliedToken::Application(t)), true) => Some(t),
            _ => None,
        }
    }
}

fn quote(value: &str) -> String {
    let needs = value.is_empty() || value.contains([';', '"', '\'']) || value.trim() != value;
    if needs {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

/// The canonical form, with keyword names spelled as in `kcsb.json`. Caller-supplied tokens are
/// left out: a connection string is for logs and settings screens, never for carrying a token.
impl fmt::Display for ConnectionString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = vec![format!("Data Source={}", quote(&self.cluster.origin()))];
        let b = |v: bool| if v { "True" } else { "False" };
        let mut text = |name: &str, v: &Option<String>| {
            if let Some(v) = v {
                parts.push(format!("{name}={}", quote(v)));
            }
        };
        text("Initial Catalog", &self.initial_catalog);
        text("Authority Id", &self.authority_id);
        text("Application Client Id", &self.application_client_id);
        text("User ID", &self.login_hint);
        text("Application Name for Tracing", &self.application_name_for_tracing);
        text("User Name for Tracing", &self.user_name_for_tracing);
        if let Some(v) = self.aad_federated_security {
            parts.push(format!("AAD Federated Security={}", b(v)));
        }
        for (name, v) in &self.options {
            parts.push(format!("{name}={}", b(*v)));
        }
        f.write_str(&text::join(&parts, ";"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(s: &str) -> ConnectionString {
        ConnectionString::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn code(s: &str) -> &'static str {
        ConnectionString::parse(s).unwrap_err().code
    }

    #[test]
    fn reads_the_documented_example() {
        let cs = parse("https://help.kusto.windows.net/Samples; Fed=true; Accept=true");
        assert_eq!(cs.cluster.origin(), "https://help.kusto.windows.net");
        assert_eq!(cs.cluster.resource(), "https://help.kusto.windows.net");
        assert_eq!(cs.initial_catalog.as_deref(), Some("Samples"));
        assert_eq!(cs.aad_federated_security, Some(true));
        assert_eq!(cs.options, [("Accept", true)]);
        assert_eq!(cs.to_string(), "Data Source=https://help.kusto.windows.net;Initial Catalog=Samples;AAD Federated Security=True;Accept=True");
    }

    #[test]
    fn reads_every_supported_keyword() {
        let cs = parse(
            "Data Source=https://mycluster.kusto.windows.net:443;Initial Catalog=db1;AAD Federated Security=True;Authority Id=contoso.com;\
             Application Client Id=11111111-2222-3333-4444-555555555555;User ID=alice@contoso.com;Application Name for Tracing=My App;\
             User Name for Tracing=alice;User Token=eyJ0eXAi.x.y",
        );
        assert_eq!(cs.cluster.origin(), "https://mycluster.kusto.windows.net");
        assert_eq!(cs.initial_catalog.as_deref(), Some("db1"));
        assert_eq!(cs.authority_id.as_deref(), Some("contoso.com"));
        assert_eq!(cs.application_client_id.as_deref(), Some("11111111-2222-3333-4444-555555555555"));
        assert_eq!(cs.login_hint.as_deref(), Some("alice@contoso.com"));
        assert_eq!(cs.application_name_for_tracing.as_deref(), Some("My App"));
        assert_eq!(cs.user_name_for_tracing.as_deref(), Some("alice"));
        assert_eq!(cs.supplied_token(), Some(&SuppliedToken::User(CallerToken::new("eyJ0eXAi.x.y"))));
        assert_eq!(cs.token_for("https://mycluster.kusto.windows.net").map(CallerToken::expose), Some("eyJ0eXAi.x.y"));
        assert_eq!(cs.token_for("https://other.kusto.windows.net"), None);
        assert_eq!(cs.token_for("https://mycluster.kusto.windows.net:8443"), None);
        let shown = format!("{cs:?} {cs}");
        assert!(!shown.contains("eyJ0eXAi"), "{shown}");
        assert!(shown.contains("CallerToken(redacted, 12 chars)"));

        let app = parse("https://c.kusto.windows.net;AppToken=tok123");
        assert_eq!(app.supplied_token(), Some(&SuppliedToken::Application(CallerToken::new("tok123"))));
        assert!(!app.to_string().contains("tok123"));
    }

    /// Every name and alias of kcsb.json is recognized: honoured, or refused for what it is.
    #[test]
    fn recognizes_every_keyword_and_alias_of_the_table() {
        let table = Json::parse(KCSB_JSON).unwrap();
        let entries = table.get("keywords").unwrap().as_array().unwrap();
        assert_eq!(keywords().len(), entries.len());
        for k in entries {
            let name = k.str_at("name").unwrap();
            let is_bool = k.str_at("type") == Some("bool");
            let secret = k.get("secret").unwrap().as_bool().unwrap();
            let mut spellings = vec![name.to_owned(), name.to_uppercase(), name.replace(' ', "")];
            spellings.extend(k.get("aliases").unwrap().as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_owned()));
            for spelling in spellings {
                if name == "Data Source" {
                    let input = format!("{spelling}=https://b.kusto.windows.net");
                    assert_eq!(parse(&input).cluster.origin(), "https://b.kusto.windows.net", "{input}");
                    continue;
                }
                let value = if is_bool { "false" } else { "s3cr3t-VALUE" };
                let input = format!("https://a.kusto.windows.net; {spelling} = {value}");
                let expected = match name {
                    "Password" | "Application Key" => Err("secret_in_connection_string"),
                    n if n.starts_with("Application Certificate") => Err("secret_in_connection_string"),
                    "EnforceMfa" | "Data Source Uri" | "Azure Region" | "Namespace" => Err("unsupported_keyword"),
                    _ => Ok(()),
                };
                let result = ConnectionString::parse(&input);
                assert_eq!(result.as_ref().map(|_| ()).map_err(|e| e.code), expected, "{input}");
                if secret {
                    let shown = match &result {
                        Ok(cs) => format!("{cs:?} {cs}"),
                        Err(e) => format!("{e:?}"),
                    };
                    assert!(!shown.contains("s3cr3t"), "{input}: {shown}");
                }
            }
        }
    }

    #[test]
    fn refuses_secrets_without_repeating_them() {
        for (input, name) in [
            ("Data Source=https://a.kusto.windows.net;Application Client Id=x;Application Key=Sup3r'Secret~", "Application Key"),
            ("https://a.kusto.windows.net;AppKey=\"Sup3r;Secret\"", "Application Key"),
            ("https://a.kusto.windows.net;User ID=a@b.c;Password='Sup3rSecret'", "Password"),
            ("https://a.kusto.windows.net;pwd=Sup3rSecret", "Password"),
            ("https://a.kusto.windows.net;AppCert=Sup3rSecretThumbprint", "Application Certificate Thumbprint"),
            ("https://a.kusto.windows.net;Application Certificate Blob=MIISup3rSecret", "Application Certificate Blob"),
            ("https://a.kusto.windows.net;SendX5c=true", "Application Certificate SendX5c"),
            // A secret is refused even when something else is wrong too.
            ("not a url;Password=Sup3rSecret;Bogus=1", "Password"),
        ] {
            let err = ConnectionString::parse(input).unwrap_err();
            assert_eq!(err.code, "secret_in_connection_string", "{input}");
            let all = format!("{err:?} {err} {:?}", err.to_auth_error());
            assert!(!all.contains("Sup3r") && !all.contains("MII"), "{all}");
            assert!(err.message.contains(name) && err.message.contains("public client"), "{}", err.message);
        }
    }

    #[test]
    fn refuses_flows_a_browser_cannot_run() {
        for (input, word) in [
            ("https://a.kusto.windows.net;Device Code=true", "Device code"),
            ("https://a.kusto.windows.net;MSI Auth=true", "Managed identity"),
            ("https://a.kusto.windows.net;Managed_Identity=true", "Managed identity"),
            ("https://a.kusto.windows.net;AzCli=true", "Azure CLI"),
            ("https://a.kusto.windows.net;dSTS Federated Security=true", "dSTS"),
        ] {
            let err = ConnectionString::parse(input).unwrap_err();
            assert_eq!(err.code, "unsupported_flow", "{input}");
            assert!(err.message.contains(word) && err.message.contains("not a browser flow"), "{}", err.message);
        }
        assert_eq!(parse("https://a.kusto.windows.net;dststokentype=false").options, [("dSTS Federated Security", false)]);
    }

    #[test]
    fn reads_quotes_case_and_spaces() {
        let cs = parse(r#"  DATA source = "https://a.kusto.windows.net" ; initial_CATALOG='it''s;db' ; Application Name For Tracing = "say ""hi""" ;"#);
        assert_eq!(cs.cluster.origin(), "https://a.kusto.windows.net");
        assert_eq!(cs.initial_catalog.as_deref(), Some("it's;db"));
        assert_eq!(cs.application_name_for_tracing.as_deref(), Some(r#"say "hi""#));
        // The canonical form quotes what needs quoting and reads back the same.
        let text = cs.to_string();
        assert_eq!(text, r#"Data Source=https://a.kusto.windows.net;Initial Catalog="it's;db";Application Name for Tracing="say ""hi""""#);
        assert_eq!(parse(&text), cs);

        assert_eq!(parse("a.kusto.windows.net").cluster.origin(), "https://a.kusto.windows.net");
        assert_eq!(parse("Server=https://a.kusto.windows.net/x;Database=y").initial_catalog.as_deref(), Some("y"));
        assert_eq!(parse("http://localhost:8080;Fed=False").cluster.origin(), "http://localhost:8080");
        assert_eq!(parse("https://a.kusto.windows.net;Initial Catalog=").initial_catalog, None);
        assert_eq!(parse("https://a.kusto.windows.net;aadfed=YES").aad_federated_security, Some(true));
    }

    #[test]
    fn refuses_malformed_strings() {
        assert_eq!(code(""), "invalid_connection_string");
        assert_eq!(code(";;"), "invalid_connection_string");
        assert_eq!(code("Initial Catalog=db"), "invalid_connection_string");
        assert_eq!(code("https://a.kusto.windows.net;Fed"), "invalid_connection_string");
        assert_eq!(code("https://a.kusto.windows.net;Database='db"), "invalid_connection_string");
        assert_eq!(code("https://a.kusto.windows.net;Database='db' x"), "invalid_connection_string");
        assert_eq!(code("https://a.kusto.windows.net;Database=a;Initial Catalog=b"), "invalid_connection_string");
        assert_eq!(code("https://a.kusto.windows.net;Fed=maybe"), "invalid_connection_string");
        assert_eq!(code("https://a.kusto.windows.net;UserToken=a;AppToken=b"), "invalid_connection_string");
        assert_eq!(code("https://a.kusto.windows.net;UserToken="), "invalid_connection_string");
        assert_eq!(code("https://a b;Fed=true"), "invalid_connection_string");
        assert_eq!(code("http://a.kusto.windows.net"), "insecure_cluster_url");
        let err = ConnectionString::parse("https://a.kusto.windows.net;Colour=blue").unwrap_err();
        assert_eq!((err.code, err.message.as_str()), ("unknown_keyword", "'Colour' is not a Kusto connection string keyword."));
        let err = ConnectionString::parse("https://a.kusto.windows.net;region=westus").unwrap_err();
        assert_eq!(err.code, "unsupported_keyword");
        assert!(err.message.contains("Azure Region"));
    }

    proptest! {
        #[test]
        fn never_panics(s in ".*") {
            let _ = ConnectionString::parse(&s);
        }

        #[test]
        fn never_panics_on_connection_string_like_input(s in r#"(https://a\.kusto\.windows\.net|[;='" ]|Fed|Password|Data Source|x|é){0,12}"#) {
            if let Ok(cs) = ConnectionString::parse(&s) {
                // Whatever parses, its canonical form parses back to the same thing.
                prop_assert_eq!(ConnectionString::parse(&cs.to_string()).map(|c| c.to_string()), Ok(cs.to_string()));
            }
        }

        #[test]
        fn values_round_trip(v in "[^\u{0}]{1,20}") {
            let v = v.trim().to_owned();
            prop_assume!(!v.is_empty());
            let cs = parse(&format!("https://a.kusto.windows.net;Initial Catalog={}", quote(&v)));
            prop_assert_eq!(cs.initial_catalog.as_deref(), Some(v.as_str()));
        }
    }
}
