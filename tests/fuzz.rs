//! A time-boxed mutation fuzzer over every parser of untrusted input, on stable Rust.
//!
//! Each parser gets `FUZZ_INPUTS` inputs (2,000 by default, so that `cargo test` stays quick;
//! `make fuzz` runs 1,000,000 and `make fuzz-quick` 20,000): seed documents (the fixtures and
//! typical protocol messages) with a few random edits, spliced seeds, and random bytes. The
//! generator is a fixed-seed PRNG, so a run is repeatable; `FUZZ_SEED` picks another sequence.
//! A panic fails the test and prints the input that caused it.

// Native: it reads the fixtures from disk and times itself.
#![cfg(not(target_arch = "wasm32"))]

use kusto_spa_auth::core::account::account_key;
use kusto_spa_auth::core::authority::{Authority, ProtocolMode};
use kusto_spa_auth::core::base64::encode_url;
use kusto_spa_auth::core::cache::{Cache, PREFIX};
use kusto_spa_auth::core::id_token::decode_jwt_payload;
use kusto_spa_auth::core::interaction::Interaction;
use kusto_spa_auth::core::json::Json;
use kusto_spa_auth::core::kusto::connection_string::ConnectionString;
use kusto_spa_auth::core::kusto::resource::{AuthMetadata, ClusterUrl};
use kusto_spa_auth::core::kusto::response::{parse_response as parse_kusto, DataSet};
use kusto_spa_auth::core::kusto::trusted::TrustedEndpoints;
use kusto_spa_auth::core::scopes::Scopes;
use kusto_spa_auth::core::store::{MemoryStore, Store};
use kusto_spa_auth::core::token::parse_response as parse_token;
use kusto_spa_auth::core::url::{HttpUrl, Params};
use kusto_spa_auth::core::{redirect, url};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::Instant;

/// xorshift64*: tiny, fast, and good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Fragments that steer edits towards the parsers' syntax and limits.
const DICTIONARY: &[&str] = &[
    "\"",
    "\\",
    "{",
    "}",
    "[",
    "]",
    ":",
    ",",
    "\\u",
    "\\ud800",
    "\\udc00",
    "null",
    "true",
    "-",
    "0",
    "1e999",
    ".5",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "%",
    "%2e",
    "%zz",
    "%C3%A9",
    "%FF",
    "=",
    "&",
    "#",
    "?",
    "/",
    "//",
    "..",
    "@",
    "[::1]",
    ":443",
    ":99999",
    ";",
    "'",
    "\"\"",
    "https://",
    "http://localhost",
    "é",
    "😀",
    "\u{0}",
    "\t",
    "\n",
    " ",
    "=",
    "==",
    "+",
    "_",
    "eyJ",
    "\"oid\":1,\"oid\":2",
];

fn mutate(rng: &mut Rng, seeds: &[String]) -> String {
    if rng.below(16) == 0 {
        let bytes: Vec<u8> = (0..rng.below(64)).map(|_| rng.next() as u8).collect();
        return String::from_utf8_lossy(&bytes).into_owned();
    }
    let mut b = seeds[rng.below(seeds.len())].clone().into_bytes();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(b.len() + 1);
        match rng.below(7) {
            0 if at < b.len() => b[at] ^= 1 << rng.below(8),
            1 => b.insert(at, rng.next() as u8),
            2 if at < b.len() => {
                let end = (at + 1 + rng.below(16)).min(b.len());
                b.drain(at..end);
            }
            3 if at < b.len() => {
                let end = (at + 1 + rng.below(32)).min(b.len());
                let copy = b[at..end].to_vec();
                b.splice(at..at, copy);
            }
            4 => {
                let other = seeds[rng.below(seeds.len())].as_bytes();
                let from = rng.below(other.len());
                b.truncate(at);
                b.extend_from_slice(&other[from..]);
            }
            _ => {
                let word = DICTIONARY[rng.below(DICTIONARY.len())];
                b.splice(at..at, word.bytes());
            }
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

fn files(dir: &str, prefix: &str) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let path = e.ok()?.path();
            path.file_name()?.to_str()?.starts_with(prefix).then(|| std::fs::read_to_string(&path).ok())?
        })
        .collect();
    out.sort();
    out
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

const ACCOUNT: &str = r#"{"account":{"homeAccountId":"uid.utid","environment":"login.microsoftonline.com","tenantId":"utid","username":"ada@contoso.com","localAccountId":"oid","name":"Ada","idTokenClaims":{"sub":"s","oid":"oid","tid":"utid","exp":2000}},"idToken":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzIn0.sig"}"#;

/// Feeds one input to a parser (the generator is there for choices beside the input).
type Feed = Box<dyn Fn(&str, &mut Rng)>;

struct Target {
    name: &'static str,
    seeds: Vec<String>,
    run: Feed,
}

fn targets() -> Vec<Target> {
    let kusto = files("tests/fixtures/kusto/responses", "");
    let mut json = kusto.clone();
    json.extend(files("tests/fixtures/jsontestsuite", "y_"));
    json.extend(files("tests/fixtures/kusto/reference", ""));
    let token_bodies = strings(&[
        r#"{"access_token":"at","token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"refresh_token":"rt","refresh_token_expires_in":86399,"id_token":"a.b.c","scope":"https://help.kusto.windows.net/user_impersonation","client_info":"eyJ1aWQiOiJ1IiwidXRpZCI6InQifQ"}"#,
        r#"{"error":"invalid_grant","error_description":"AADSTS700084: The refresh token was issued to a single page app","error_codes":[700084],"suberror":"bad_token","correlation_id":"c"}"#,
        r#"{"access_token":"at","expires_in":"3600"}"#,
    ]);
    let claims = strings(&[
        r#"{"iss":"https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0","aud":"app","tid":"72f988bf-86f1-41af-91ab-2d7cd011db47","oid":"o","sub":"s","nonce":"n","exp":2000,"nbf":1000,"iat":1000,"preferred_username":"ada@contoso.com","name":"Ada"}"#,
        r#"{"aud":["app","x"],"azp":"app","exp":9223372036854775807}"#,
    ]);
    let mut jwts: Vec<String> = claims.iter().map(|c| format!("eyJhbGciOiJSUzI1NiJ9.{}.sig", encode_url(c.as_bytes()))).collect();
    jwts.extend(claims.iter().cloned());
    let discovery = strings(&[
        r#"{"issuer":"https://login.microsoftonline.com/{tenantid}/v2.0","authorization_endpoint":"https://login.microsoftonline.com/common/oauth2/v2.0/authorize","token_endpoint":"https://login.microsoftonline.com/common/oauth2/v2.0/token","end_session_endpoint":"https://login.microsoftonline.com/common/oauth2/v2.0/logout","jwks_uri":"https://login.microsoftonline.com/common/discovery/v2.0/keys"}"#,
        r#"{"issuer":"http://localhost:9400","authorization_endpoint":"http://localhost:9400/auth","token_endpoint":"http://localhost:9400/token"}"#,
    ]);
    let urls = strings(&[
        "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0?x=1#frag",
        "http://[::1]:8080/a/b",
        "https://help.kusto.windows.net:443/Samples",
        "#code=0.AAA&state=eyJpZCI6IjEyMyJ9%7Capp&session_state=abc&client_info=eyJ1aWQiOiJ1In0",
        "?error=interaction_required&error_description=AADSTS50058%3A+silent&state=s",
        "code=a&state=b&state=c",
    ]);
    let connection_strings = strings(&[
        "Data Source=https://help.kusto.windows.net;Initial Catalog=Samples;Fed=True",
        "https://help.kusto.windows.net/Samples; Fed=true; Accept=true",
        "Server=https://a.kusto.windows.net/x;Database=y;Application Client Id=11111111-1111-1111-1111-111111111111",
        "https://c.kusto.windows.net;AppToken=tok123",
        "Addr='https://a.kusto.windows.net';AAD Federated Security=true;Authority Id=contoso.com",
    ]);
    let key = account_key("login.microsoftonline.com", "uid.utid");
    let scopes = Scopes::new(["https://help.kusto.windows.net/.default"]);
    let mut entries = strings(&[
        ACCOUNT,
        r#"{"secret":"at","tokenType":"Bearer","expiresAt":4600,"requested":["https://help.kusto.windows.net/.default"],"granted":["https://help.kusto.windows.net/.default"]}"#,
        r#"{"secret":"rt","expiresAt":500}"#,
        r#"{"expiresAt":90000,"endpoints":{"authorization":"https://a/auth","token":"https://a/token","issuer":"https://a","endSession":"https://a/logout"}}"#,
        r#"{"stateId":"s","startedAt":100}"#,
        r#"{"accountKey":"k","scopes":["s"],"state":"x","correlationId":"c","signedIn":true}"#,
        r#"{"stateId":"s","verifier":"v","nonce":"n","scopes":["openid"],"redirectUri":"http://localhost/","authority":"https://login.microsoftonline.com/common","startUrl":"http://localhost/","correlationId":"c","startedAt":0}"#,
    ]);
    entries.push(key.clone());

    let entra = Authority::parse("https://login.microsoftonline.com/common", ProtocolMode::Auto).unwrap();
    let issuer = entra.clone();
    let oidc = Authority::parse("http://localhost:9400", ProtocolMode::Auto).unwrap();
    let trusted = TrustedEndpoints::new();
    vec![
        Target { name: "json", seeds: json, run: Box::new(|s, _| drop(Json::parse(s))) },
        Target {
            name: "url + params + redirect",
            seeds: urls,
            run: Box::new(move |s, _| {
                let _ = HttpUrl::parse(s);
                let _ = Params::parse(s);
                let _ = url::decode(s);
                let _ = redirect::find(s, "");
                let _ = redirect::find("", s);
                let _ = ClusterUrl::parse(s);
                let _ = trusted.is_trusted(s, "https://login.microsoftonline.com");
                if let Ok(cluster) = ClusterUrl::parse(s) {
                    let _ = trusted.check(&cluster, s, "https://login.microsoftonline.com");
                }
            }),
        },
        Target {
            name: "jwt payload",
            seeds: jwts,
            run: Box::new(|s, rng| {
                let _ = decode_jwt_payload(s);
                if rng.below(2) == 0 {
                    let _ = decode_jwt_payload(&format!("h.{}.s", encode_url(s.as_bytes())));
                }
            }),
        },
        Target { name: "token response", seeds: token_bodies, run: Box::new(|s, rng| drop(parse_token([200, 400, 401, 500][rng.below(4)], s))) },
        Target { name: "connection string", seeds: connection_strings, run: Box::new(|s, _| drop(ConnectionString::parse(s))) },
        Target {
            name: "kusto response",
            seeds: kusto,
            run: Box::new(|s, rng| {
                let _ = DataSet::parse(s);
                let _ = AuthMetadata::parse(s);
                let challenge = "Bearer realm=\"\", claims=\"eyJhY2Nlc3NfdG9rZW4iOnt9fQ==\", error=\"insufficient_claims\"";
                let _ = parse_kusto([200, 400, 401, 500][rng.below(4)], s, [None, Some(challenge), Some(s)][rng.below(3)]);
            }),
        },
        Target {
            name: "discovery document",
            seeds: discovery,
            run: Box::new(move |s, _| {
                if let Ok(doc) = Json::parse(s) {
                    let _ = entra.endpoints_from_discovery(&doc, &[]);
                    let _ = oidc.endpoints_from_discovery(&doc, &[]);
                }
            }),
        },
        Target {
            name: "cache entries",
            seeds: entries,
            run: Box::new(move |s, rng| {
                let store = MemoryStore::default();
                let slots = [
                    format!("{PREFIX}app|account|{key}"),
                    format!("{PREFIX}app|at|{key}|{}", scopes.key()),
                    format!("{PREFIX}app|rt|{key}"),
                    format!("{PREFIX}meta|https://login.microsoftonline.com/common"),
                    format!("{PREFIX}app|active|"),
                    format!("{PREFIX}app|interaction"),
                    format!("{PREFIX}app|handover"),
                    format!("{PREFIX}app|request|s"),
                    format!("{PREFIX}app|account|{s}"),
                ];
                let _ = store.set(&slots[rng.below(slots.len())], s);
                let _ = store.set(&slots[0], if rng.below(2) == 0 { ACCOUNT } else { s });
                let now = [0, 1000, i64::MAX, i64::MIN][rng.below(4)];
                let cache = Cache::new(&store, "app");
                let _ = cache.accounts();
                let _ = cache.account(&key);
                let _ = cache.access_token(&key, &scopes, &issuer, now, 300);
                let _ = cache.refresh_token(&key);
                let _ = cache.metadata("https://login.microsoftonline.com/common", now);
                let _ = cache.active_account();
                let interaction = Interaction::new(&store, "app");
                let _ = interaction.in_progress(now);
                let _ = interaction.take_handover();
                let _ = interaction.take("s");
                let _ = cache.sign_out(None);
            }),
        },
    ]
}

#[test]
fn fuzz_parsers() {
    let count: u64 = std::env::var("FUZZ_INPUTS").ok().and_then(|n| n.parse().ok()).unwrap_or(2_000);
    let seed: u64 = std::env::var("FUZZ_SEED").ok().and_then(|n| n.parse().ok()).unwrap_or(0x5eed);
    let started = Instant::now();
    for target in targets() {
        let mut rng = Rng(seed | 1);
        let t0 = Instant::now();
        for i in 0..count {
            let input = mutate(&mut rng, &target.seeds);
            let mut run_rng = Rng(rng.next() | 1);
            if catch_unwind(AssertUnwindSafe(|| (target.run)(&input, &mut run_rng))).is_err() {
                panic!("{}: input {i} (FUZZ_SEED={seed}) panicked: {input:?}", target.name);
            }
        }
        println!("fuzz {:<24} {count:>9} inputs in {:>7.2?}", target.name, t0.elapsed());
    }
    println!("fuzz total {:.2?}", started.elapsed());
}
