//! Differential tests against reference implementations (serde_json, the WHATWG `url` crate,
//! the `base64` crate) and the JSONTestSuite corpus. Our parsers are hand-written to stay small in
//! the wasm; these pin down that they agree with the references wherever both answer, and that
//! where they differ ours is the stricter one.

// The references are native dev-dependencies.
#![cfg(not(target_arch = "wasm32"))]

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use base64::engine::DecodePaddingMode;
use base64::{alphabet, Engine as _};
use kusto_spa_auth::core::json::Json;
use kusto_spa_auth::core::url::{HttpUrl, Params};
use kusto_spa_auth::core::{base64 as b64, url as ours_url};
use proptest::prelude::*;
use std::net::Ipv6Addr;

// ---- JSON ----

fn to_serde(v: &Json) -> serde_json::Value {
    match v {
        Json::Null => serde_json::Value::Null,
        Json::Bool(b) => serde_json::Value::Bool(*b),
        Json::Num(n) => serde_json::Value::Number(n.parse().expect("serde_json reads every number we accept")),
        Json::Str(s) => serde_json::Value::String(s.clone()),
        Json::Arr(items) => serde_json::Value::Array(items.iter().map(to_serde).collect()),
        Json::Obj(members) => serde_json::Value::Object(members.iter().map(|(k, v)| (k.clone(), to_serde(v))).collect()),
        Json::Raw(text) => serde_json::from_str(text).expect("serde_json reads every value we keep as text"),
    }
}

/// Ours and serde_json agree on accepting `text`, and on its value. serde_json keeps the last of
/// repeated member names where ours refuses the document; that is the one allowed difference.
fn agrees_with_serde(text: &str) -> Result<(), String> {
    let ours = Json::parse(text);
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) if to_serde(a) == *b => Ok(()),
        (Err(_), Err(_)) => Ok(()),
        (Err(e), _) if e.reason == "repeated member name" => Ok(()),
        _ => Err(format!("{text:?}: ours {ours:?}, serde_json {theirs:?}")),
    }?;
    // A document read keeping members as text, then those members read, is the document read whole.
    for raw in ["a", "k", "Rows"] {
        let kept = Json::parse_keeping_raw(text, Some(raw)).ok().filter(|kept| all_raw(kept).iter().all(|r| Json::parse(r).is_ok()));
        match (&ours, &kept) {
            (Ok(a), Some(b)) if to_serde(a) == to_serde(b) => {}
            (Err(_), None) => {}
            _ => return Err(format!("{text:?} keeping {raw:?}: built {ours:?}, kept {kept:?}")),
        }
    }
    Ok(())
}

fn all_raw(v: &Json) -> Vec<&str> {
    match v {
        Json::Raw(text) => vec![text.as_str()],
        Json::Arr(items) => items.iter().flat_map(all_raw).collect(),
        Json::Obj(members) => members.iter().flat_map(|(_, v)| all_raw(v)).collect(),
        _ => Vec::new(),
    }
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(serde_json::Value::from),
        "(-?(0|[1-9][0-9]{0,30})(\\.[0-9]{1,20})?([eE][+-]?[0-9]{1,4})?)".prop_map(|n| serde_json::Value::Number(n.parse().unwrap())),
        ".*".prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(serde_json::Value::Array),
            proptest::collection::btree_map("[a-z\"\\\\\u{0}-\u{1f}é😀]{0,6}", inner, 0..8).prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Small edits of a document: the places where a hand-written parser tends to go wrong.
fn mutate(text: &str, edits: &[(usize, u8)]) -> String {
    const PIECES: &[&str] =
        &["", "\"", "\\", ",", ":", "{", "}", "[", "]", "-", "0", "1", ".", "e", "+", " ", "\t", "\n", "\u{0}", "\\u", "d800", "null", "tru", "é", "😀", "\\ud83d\\ude00", "01", "1.", ".5"];
    let mut chars: Vec<String> = text.chars().map(String::from).collect();
    for &(at, what) in edits {
        let at = if chars.is_empty() { 0 } else { at % (chars.len() + 1) };
        let piece = PIECES[usize::from(what) % PIECES.len()].to_owned();
        match what % 3 {
            0 if at < chars.len() => {
                chars.remove(at);
            }
            1 if at < chars.len() => chars[at] = piece,
            _ => chars.insert(at, piece),
        }
    }
    chars.concat()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn json_agrees_with_serde_json_on_generated_documents(v in json_value(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&v).unwrap() } else { v.to_string() };
        let ours = Json::parse(&text).map_err(|e| TestCaseError::fail(format!("{text:?}: {e:?}")))?;
        prop_assert_eq!(to_serde(&ours), v);
    }

    #[test]
    fn json_agrees_with_serde_json_on_mutated_documents(v in json_value(), edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..4)) {
        agrees_with_serde(&mutate(&v.to_string(), &edits)).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn json_agrees_with_serde_json_on_short_strings(s in "[ \t\n\"\\\\{}\\[\\],:0-9.eE+\\-tfnrulasx]{0,12}") {
        agrees_with_serde(&s).map_err(TestCaseError::fail)?;
    }
}

#[test]
fn json_agrees_with_serde_json_on_the_kusto_fixtures() {
    for entry in std::fs::read_dir("tests/fixtures/kusto/responses").unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        agrees_with_serde(&text).unwrap();
        assert!(Json::parse(&text).is_ok());
    }
}

#[test]
fn json_test_suite() {
    let mut counts = [0usize; 3];
    for entry in std::fs::read_dir("tests/fixtures/jsontestsuite").unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(kind) = ["y_", "n_", "i_"].iter().position(|p| name.starts_with(p)) else { continue };
        let bytes = std::fs::read(&path).unwrap();
        // Only JavaScript strings reach the parser, so bytes that are not UTF-8 never do.
        let accepted = std::str::from_utf8(&bytes).is_ok_and(|text| Json::parse(text).is_ok());
        match kind {
            // Repeated names are valid JSON, refused on purpose (see `Json::parse`).
            0 if name.starts_with("y_object_duplicated_key") => assert!(!accepted, "{name}"),
            0 => assert!(accepted, "{name} must be accepted"),
            1 => assert!(!accepted, "{name} must be refused"),
            _ => {}
        }
        counts[kind] += 1;
    }
    assert_eq!(counts, [95, 188, 35], "y_, n_, i_ files");
}

// ---- URLs ----

/// Our path as the WHATWG parser writes it: the same, with its path set percent-encoded.
fn whatwg_path(path: &str) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        if !(0x21..=0x7e).contains(&b) || matches!(b, b'"' | b'#' | b'<' | b'>' | b'?' | b'^' | b'`' | b'{' | b'}') {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push(b as char);
        }
    }
    out
}

fn same_host(ours: &str, theirs: &str) -> bool {
    let v6 = |h: &str| h.strip_prefix('[').and_then(|h| h.strip_suffix(']')).and_then(|h| h.parse::<Ipv6Addr>().ok());
    match (v6(ours), v6(theirs)) {
        (Some(a), Some(b)) => a == b,
        _ => ours == theirs,
    }
}

/// When ours accepts, the WHATWG parser accepts too and reads the same scheme, host, port, path,
/// and the presence of query and fragment.
fn agrees_with_whatwg(input: &str) -> Result<(), String> {
    let Ok(ours) = HttpUrl::parse(input) else { return Ok(()) };
    let theirs = url::Url::parse(input).map_err(|e| format!("{input:?}: ours {ours:?}, url crate refuses: {e}"))?;
    let default = if ours.https { 443 } else { 80 };
    let agree = theirs.scheme() == if ours.https { "https" } else { "http" }
        && theirs.host_str().is_some_and(|h| same_host(&ours.host, h))
        && theirs.port() == ours.port.filter(|p| *p != default)
        && theirs.path() == whatwg_path(&ours.path)
        && theirs.query().is_some() == ours.query.is_some()
        && theirs.fragment().is_some() == ours.fragment.is_some();
    if agree {
        Ok(())
    } else {
        Err(format!("{input:?}: ours {ours:?}, url crate {theirs:?}"))
    }
}

fn url_input() -> impl Strategy<Value = String> {
    let scheme = prop_oneof!["https://", "http://", "HTTPS://", "Http://", " https://", "https:/", "https:", "ftp://"];
    let host = prop_oneof![
        "[a-zA-Z0-9._-]{0,12}",
        "[a-z0-9]{1,6}(\\.[a-z0-9-]{1,6}){0,3}\\.?",
        "[0-9]{1,4}(\\.[0-9]{1,4}){0,4}\\.?",
        "0[xX][0-9a-f]{0,3}(\\.[0-9]{1,3}){0,3}",
        "\\[[0-9a-fA-F:.%]{0,20}\\]",
        "[a-z0-9.:@\\[\\]%\\\\|<>^ #?/_!$&'()*+,;=~`{}\"é\u{0}\t\n-]{0,12}",
    ];
    let port = prop_oneof!["", ":", ":[0-9]{1,6}", ":[0-9a-z]{1,3}"];
    let path = "(/[a-zA-Z0-9 ._%~!$&'()*+,;=:@\"<>`{}|^\\\\é\t-]{0,6}){0,3}";
    let tail = "(\\?[a-z=&#%]{0,6})?(#[a-z?]{0,4})?";
    (scheme, host, port, path, tail).prop_map(|(s, h, p, pa, t)| format!("{s}{h}{p}{pa}{t}"))
}

/// `a=1&b=2` lists, compared with the crate's form-urlencoded reader where ours accepts (ours
/// also refuses bad escapes, bytes that are not UTF-8, and repeated names).
fn params_agree(input: &str) -> Result<(), String> {
    let Ok(ours) = Params::parse(input) else { return Ok(()) };
    let body = input.trim_start_matches(['?', '#']);
    let theirs: Vec<(String, String)> = url::form_urlencoded::parse(body.as_bytes()).into_owned().collect();
    if ours.0 == theirs {
        Ok(())
    } else {
        Err(format!("{input:?}: ours {:?}, url crate {theirs:?}", ours.0))
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5000))]

    #[test]
    fn http_urls_agree_with_whatwg(input in url_input()) {
        agrees_with_whatwg(&input).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn any_string_accepted_as_a_url_agrees_with_whatwg(input in ".{0,40}") {
        agrees_with_whatwg(&input).map_err(TestCaseError::fail)?;
        agrees_with_whatwg(&format!("https://{input}")).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn parameter_lists_agree_with_form_urlencoded(input in "[?#]{0,2}([a-z+%0-9A-F=é]{0,6}&?){0,5}") {
        params_agree(&input).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn encoded_parameters_read_back_with_form_urlencoded(pairs in proptest::collection::vec(("[a-z]{1,4}", ".{0,8}"), 0..5)) {
        let mut ours = Params::default();
        for (k, v) in &pairs {
            ours.push(k, v.clone());
        }
        let theirs: Vec<(String, String)> = url::form_urlencoded::parse(ours.encode().as_bytes()).into_owned().collect();
        prop_assert_eq!(theirs, ours.0.clone());
        prop_assert_eq!(ours_url::decode(&ours_url::encode(&pairs.concat_values())), Some(pairs.concat_values()));
    }
}

trait ConcatValues {
    fn concat_values(&self) -> String;
}

impl ConcatValues for Vec<(String, String)> {
    fn concat_values(&self) -> String {
        self.iter().map(|(_, v)| v.as_str()).collect()
    }
}

#[test]
fn known_url_cases_agree_with_whatwg() {
    for input in [
        "https://login.microsoftonline.com/contoso.com/v2.0",
        "https://a_b.kusto.windows.net:443/db",
        "http://[::1]:8080/x",
        "https://[FE80:0:0::1]/",
        "https://1.2.3.4/",
        "https://host.example./My Database?x#y",
        "https://x/%2e%2f/a..b",
        "  https://x/\u{1}",
    ] {
        assert!(HttpUrl::parse(input).is_ok(), "{input}");
        agrees_with_whatwg(input).unwrap();
    }
}

// ---- base64 ----

/// The crate's engine for `alphabet`, with padding either complete or absent as `text` has it
/// (ours refuses partial padding such as `Zg=`) and trailing bits refused.
fn engine(alphabet: &alphabet::Alphabet, text: &str) -> GeneralPurpose {
    let padding = if text.contains('=') { DecodePaddingMode::RequireCanonical } else { DecodePaddingMode::RequireNone };
    GeneralPurpose::new(alphabet, GeneralPurposeConfig::new().with_decode_padding_mode(padding))
}

/// Ours reads either alphabet, even mixed: the standard engine over the text with the URL-safe
/// characters mapped onto the standard ones.
fn reference_decode(text: &str) -> Option<Vec<u8>> {
    let standard = text.replace('-', "+").replace('_', "/");
    engine(&alphabet::STANDARD, &standard).decode(&standard).ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5000))]

    #[test]
    fn base64url_encoding_matches_the_crate(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let encoded = b64::encode_url(&bytes);
        prop_assert_eq!(&encoded, &URL_SAFE_NO_PAD.encode(&bytes));
        prop_assert_eq!(b64::decode(&encoded), Some(bytes));
    }

    #[test]
    fn base64_decoding_matches_the_crate(text in "[A-Za-z0-9+/_=-]{0,13}") {
        prop_assert_eq!(b64::decode(&text), reference_decode(&text), "{:?}", text);
        if !text.contains(['+', '/']) {
            prop_assert_eq!(b64::decode(&text), engine(&alphabet::URL_SAFE, &text).decode(&text).ok(), "{:?}", text);
        }
    }

    #[test]
    fn base64_decoding_matches_the_crate_on_any_text(text in ".{0,12}") {
        prop_assert_eq!(b64::decode(&text), reference_decode(&text), "{:?}", text);
    }
}
