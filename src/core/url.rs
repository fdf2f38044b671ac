//! Just enough URL handling for OAuth: splitting an absolute http(s) URL, percent-encoding, and
//! reading `a=1&b=2` parameter lists. A full WHATWG parser (the `url` crate with IDNA tables)
//! would cost more wasm than the rest of the library; the browser normalises the URLs we read.

use super::text;
use std::fmt::Write as _;

/// An absolute `http`/`https` URL split into the parts OAuth needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl {
    pub https: bool,
    /// Lower-cased host; IPv6 literals keep their brackets.
    pub host: String,
    pub port: Option<u16>,
    /// Starts with `/`.
    pub path: String,
    pub query: Option<String>,
    pub fragment: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UrlError {
    NotAbsolute,
    UnsupportedScheme,
    BadHost,
    BadPort,
    BadPath,
}

impl HttpUrl {
    pub fn parse(input: &str) -> Result<HttpUrl, UrlError> {
        // What the browser trims: C0 controls and spaces.
        let input = input.trim_matches(|c: char| c <= ' ');
        let (scheme, rest) = text::split_once(input, "://").ok_or(UrlError::NotAbsolute)?;
        let https = match scheme.to_ascii_lowercase().as_str() {
            "https" => true,
            "http" => false,
            _ => return Err(UrlError::UnsupportedScheme),
        };
        let (rest, fragment) = split_off(rest, '#');
        let (rest, query) = split_off(rest, '?');
        let (authority, path) = match rest.find('/') {
            Some(i) => text::split_at(rest, i),
            None => (rest, "/"),
        };
        if authority.as_bytes().contains(&b'@') {
            // Credentials in an authority URL are never legitimate here.
            return Err(UrlError::BadHost);
        }
        let (host, port) = split_host_port(authority)?;
        if !is_plain_path(path) {
            return Err(UrlError::BadPath);
        }
        Ok(HttpUrl { https, host, port, path: path.to_owned(), query, fragment })
    }

    /// `scheme://host[:port]`, the port left out when it is the scheme's default.
    pub fn origin(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        match self.port {
            Some(p) if p != self.default_port() => format!("{scheme}://{}:{p}", self.host),
            _ => format!("{scheme}://{}", self.host),
        }
    }

    fn default_port(&self) -> u16 {
        if self.https {
            443
        } else {
            80
        }
    }

    /// `host` or `host:port` as written in `knownAuthorities`.
    pub fn host_and_port(&self) -> String {
        match self.port {
            Some(p) if p != self.default_port() => format!("{}:{p}", self.host),
            _ => self.host.clone(),
        }
    }

    pub fn is_loopback(&self) -> bool {
        is_loopback_host(&self.host)
    }

    /// Path segments, empty ones dropped.
    pub fn segments(&self) -> impl Iterator<Item = &str> {
        self.path.split('/').filter(|s| !s.is_empty())
    }
}

/// A path the browser leaves as written, apart from percent-encoding: no `\` (a `/` to the
/// browser), no `.` or `..` segments (which it resolves away, also written `%2e`), and no control
/// characters (tabs and line breaks it drops). Where the path names a tenant or a database, the
/// segments we read are then the ones the request goes to.
fn is_plain_path(path: &str) -> bool {
    let dot = |s: &str| s == "." || s.eq_ignore_ascii_case("%2e");
    path.bytes().all(|b| b >= b' ' && b != b'\\')
        && path.split('/').all(|seg| {
            let (a, b) = text::split_at(seg, if seg.starts_with('.') { 1 } else { 3 });
            !(dot(seg) || (dot(a) && dot(b)))
        })
}

pub fn is_loopback_host(host: &str) -> bool {
    matches!(host, "localhost" | "127.0.0.1" | "[::1]")
}

fn split_off(s: &str, sep: char) -> (&str, Option<String>) {
    match s.split_once(sep) {
        Some((before, after)) => (before, Some(after.to_owned())),
        None => (s, None),
    }
}

fn split_host_port(authority: &str) -> Result<(String, Option<u16>), UrlError> {
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let end = rest.find(']').ok_or(UrlError::BadHost)?;
        if !is_ipv6(text::split_at(rest, end).0) {
            return Err(UrlError::BadHost);
        }
        let host = text::split_at(authority, end + 2).0;
        match text::split_at(rest, end + 1).1 {
            "" => (host, None),
            p => (host, Some(p.strip_prefix(':').ok_or(UrlError::BadPort)?)),
        }
    } else {
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        if !is_host_name(host) {
            return Err(UrlError::BadHost);
        }
        (host, port)
    };
    let port = match port {
        None | Some("") => None,
        Some(p) if p.bytes().all(|b| b.is_ascii_digit()) => Some(p.parse().map_err(|_| UrlError::BadPort)?),
        Some(_) => return Err(UrlError::BadPort),
    };
    Ok((host.to_ascii_lowercase(), port))
}

/// A host name the browser's URL parser keeps as written (apart from case): DNS characters and
/// `_` only. Anything else is refused rather than guessed at, because the browser would either
/// refuse it or read a different host (`a:1.b` is host `a`), and the Kusto trust check must look
/// at the host the request really goes to. A name whose last label is numeric is an IPv4
/// address to the browser, which rewrites `127.1` or `0x7f.1` as `127.0.0.1`: only the plain
/// dotted-quad form, where both readings agree, is accepted.
fn is_host_name(host: &str) -> bool {
    if host.is_empty() || !host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_')) {
        return false;
    }
    let last = host.strip_suffix('.').unwrap_or(host).rsplit('.').next().unwrap_or_default();
    let numeric =
        (!last.is_empty() && last.bytes().all(|b| b.is_ascii_digit())) || (last.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("0x")) && last.bytes().skip(2).all(|b| b.is_ascii_hexdigit()));
    !numeric || is_ipv4(host)
}

/// Four decimal parts from 0 to 255, without leading zeros (which the browser reads as octal).
fn is_ipv4(host: &str) -> bool {
    let parts: Vec<&str> = host.split('.').collect();
    parts.len() == 4 && parts.iter().all(|p| matches!(p.len(), 1..=3) && p.bytes().all(|b| b.is_ascii_digit()) && !(p.len() > 1 && p.starts_with('0')) && p.parse::<u8>().is_ok())
}

/// The inside of an IPv6 literal: eight groups of one to four hex digits, or fewer around a
/// single `::`. The dotted IPv4 tail form is not accepted.
fn is_ipv6(literal: &str) -> bool {
    let (head, tail, compressed) = match text::split_once(literal, "::") {
        Some((head, tail)) => (head, tail, true),
        None => (literal, "", false),
    };
    let groups = |s: &str| -> Option<usize> {
        if s.is_empty() {
            return Some(0);
        }
        s.split(':').try_fold(0, |n, g| (matches!(g.len(), 1..=4) && g.bytes().all(|b| b.is_ascii_hexdigit())).then_some(n + 1))
    };
    match (groups(head), groups(tail)) {
        (Some(h), Some(t)) if compressed => h + t <= 7,
        (Some(h), _) => h == 8,
        _ => false,
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Decodes `%XX` escapes and, as form encoding requires, `+` as a space. None for bad escapes or
/// bytes that are not UTF-8.
pub fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                let hi = (hex[0] as char).to_digit(16)?;
                let lo = (hex[1] as char).to_digit(16)?;
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// `a=1&b=2` parameter lists: query strings, fragments, form bodies.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params(pub Vec<(String, String)>);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamsError {
    BadEncoding(String),
    Duplicate(String),
}

impl Params {
    /// Reads a parameter list, refusing bad escapes and repeated names (a repeated `state` or
    /// `code` is a sign of tampering, and which copy wins would be arbitrary).
    pub fn parse(s: &str) -> Result<Params, ParamsError> {
        let s = s.trim_start_matches(['?', '#']);
        let mut out: Vec<(String, String)> = Vec::new();
        for pair in s.split('&').filter(|p| !p.is_empty()) {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let key = decode(k).ok_or_else(|| ParamsError::BadEncoding(k.chars().take(40).collect()))?;
            let value = decode(v).ok_or_else(|| ParamsError::BadEncoding(key.clone()))?;
            if out.iter().any(|(existing, _)| *existing == key) {
                return Err(ParamsError::Duplicate(key));
            }
            out.push((key, value));
        }
        Ok(Params(out))
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    pub fn push(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        self.0.push((key.to_owned(), value.into()));
        self
    }

    /// Adds the pair unless the key is already present.
    pub fn push_default(&mut self, key: &str, value: impl Into<String>) -> &mut Self {
        if !self.contains(key) {
            self.push(key, value);
        }
        self
    }

    pub fn encode(&self) -> String {
        let mut out = String::new();
        for (i, (k, v)) in self.0.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            out.push_str(&encode(k));
            out.push('=');
            out.push_str(&encode(v));
        }
        out
    }
}

/// Appends parameters to a URL that may already carry a query.
pub fn with_params(base: &str, params: &Params) -> String {
    let sep = if base.as_bytes().contains(&b'?') { '&' } else { '?' };
    format!("{base}{sep}{}", params.encode())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn splits_urls() {
        let u = HttpUrl::parse("HTTPS://Login.MicrosoftOnline.com:443/contoso.com/v2.0?x=1#frag").unwrap();
        assert!(u.https);
        assert_eq!(u.host, "login.microsoftonline.com");
        assert_eq!(u.origin(), "https://login.microsoftonline.com");
        assert_eq!(u.segments().collect::<Vec<_>>(), ["contoso.com", "v2.0"]);
        assert_eq!(u.query.as_deref(), Some("x=1"));
        assert_eq!(u.fragment.as_deref(), Some("frag"));

        let local = HttpUrl::parse("http://localhost:9400").unwrap();
        assert_eq!((local.path.as_str(), local.port, local.host_and_port()), ("/", Some(9400), "localhost:9400".into()));
        assert!(local.is_loopback());
        assert_eq!(HttpUrl::parse("http://[::1]:8080/x").unwrap().host, "[::1]");
    }

    #[test]
    fn refuses_bad_urls() {
        assert_eq!(HttpUrl::parse("login.microsoftonline.com/common"), Err(UrlError::NotAbsolute));
        assert_eq!(HttpUrl::parse("ftp://x/"), Err(UrlError::UnsupportedScheme));
        assert_eq!(HttpUrl::parse("https://user:pw@evil.com/"), Err(UrlError::BadHost));
        assert_eq!(HttpUrl::parse("https://a b/"), Err(UrlError::BadHost));
        assert_eq!(HttpUrl::parse("https://host:99999/"), Err(UrlError::BadPort));
        assert_eq!(HttpUrl::parse("https://host:12a/"), Err(UrlError::BadPort));
        assert_eq!(HttpUrl::parse("https:///path"), Err(UrlError::BadHost));
    }

    #[test]
    fn refuses_hosts_the_browser_refuses_or_reads_otherwise() {
        for bad in [
            "https://a[b.kusto.windows.net",
            "https://evil.com:1.kusto.windows.net:443",
            "https://a]b/",
            "https://a%41b/",
            "https://a<b/",
            "https://a|b/",
            "https://a\\b/",
            "https://caf\u{e9}.com/",
            "https://[::1/",
            "https://[1:2:3]/",
            "https://[::1::2]/",
            "https://[12345::1]/",
            "https://[::1%25eth0]/",
            "https://[::127.0.0.1]/",
            "https://[g::1]/",
            "https://1:2:3:4:5:6:7:8/",
            "https://127.1/",
            "https://0x7f.0.0.1/",
            "https://010.0.0.1/",
            "https://256.0.0.1/",
            "https://1.2.3.4./",
            "https://evil.123/",
            "https://evil.0x1f/",
        ] {
            assert_eq!(HttpUrl::parse(bad), Err(UrlError::BadHost), "{bad}");
        }
        for (good, host) in [
            ("https://a_b.example/", "a_b.example"),
            ("https://Host.Example./", "host.example."),
            ("https://1.2.3.4/", "1.2.3.4"),
            ("https://0.0.0.0/", "0.0.0.0"),
            ("https://evil.123a/", "evil.123a"),
            ("https://[1:2:3:4:5:6:7:8]:8443/", "[1:2:3:4:5:6:7:8]"),
            ("https://[::]/", "[::]"),
            ("https://[FE80::1]/", "[fe80::1]"),
        ] {
            assert_eq!(HttpUrl::parse(good).map(|u| u.host), Ok(host.to_owned()), "{good}");
        }
    }

    #[test]
    fn refuses_paths_the_browser_rewrites() {
        for bad in ["https://x/a/../b", "https://x/./a", "https://x/a/%2E%2e", "https://x/a/.%2e/", "https://x/a\\b", "https://x/a\tb", "https://x/.."] {
            assert_eq!(HttpUrl::parse(bad), Err(UrlError::BadPath), "{bad}");
        }
        for good in ["https://x/a..b/.c/d./...", "https://x/My Database", "https://x/%2e%2f"] {
            assert!(HttpUrl::parse(good).is_ok(), "{good}");
        }
        assert_eq!(HttpUrl::parse(" \u{1}https://x/\n ").unwrap().host, "x");
    }

    #[test]
    fn encodes_and_decodes() {
        assert_eq!(encode("a b/c?d=é"), "a%20b%2Fc%3Fd%3D%C3%A9");
        assert_eq!(decode("a+b%20c%C3%A9").as_deref(), Some("a b cé"));
        assert_eq!(decode("%zz"), None);
        assert_eq!(decode("%4"), None);
        assert_eq!(decode("%FF"), None);
    }

    #[test]
    fn reads_parameter_lists() {
        let p = Params::parse("#code=abc&state=x%7Cy&empty&session_state=").unwrap();
        assert_eq!(p.get("code"), Some("abc"));
        assert_eq!(p.get("state"), Some("x|y"));
        assert_eq!(p.get("empty"), Some(""));
        assert_eq!(Params::parse("state=a&state=b"), Err(ParamsError::Duplicate("state".into())));
        assert!(matches!(Params::parse("code=%E0%A4"), Err(ParamsError::BadEncoding(_))));
        let mut q = Params::default();
        q.push("scope", "openid profile").push("redirect_uri", "http://localhost/");
        assert_eq!(q.encode(), "scope=openid%20profile&redirect_uri=http%3A%2F%2Flocalhost%2F");
        assert_eq!(Params::parse(&q.encode()).unwrap(), q);
        assert_eq!(with_params("https://x/a?p=1", &q), format!("https://x/a?p=1&{}", q.encode()));
    }

    proptest! {
        #[test]
        fn never_panics(s in ".*") {
            let _ = HttpUrl::parse(&s);
            let _ = Params::parse(&s);
            let _ = decode(&s);
        }

        #[test]
        fn round_trips_values(k in "[a-z_]{1,8}", v in ".*") {
            let mut p = Params::default();
            p.push(&k, v.clone());
            let back = Params::parse(&p.encode()).unwrap();
            prop_assert_eq!(back.get(&k), Some(v.as_str()));
        }
    }
}
