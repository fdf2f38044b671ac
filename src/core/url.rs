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
}

impl HttpUrl {
    pub fn parse(input: &str) -> Result<HttpUrl, UrlError> {
        let input = input.trim();
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
        let host = text::split_at(authority, end + 2).0;
        match text::split_at(rest, end + 1).1 {
            "" => (host, None),
            p => (host, Some(p.strip_prefix(':').ok_or(UrlError::BadPort)?)),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    let valid = !host.is_empty()
        && host.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'[' | b']' | b':'));
    if !valid {
        return Err(UrlError::BadHost);
    }
    let port = match port {
        None | Some("") => None,
        Some(p) if p.bytes().all(|b| b.is_ascii_digit()) => Some(p.parse().map_err(|_| UrlError::BadPort)?),
        Some(_) => return Err(UrlError::BadPort),
    };
    Ok((host.to_ascii_lowercase(), port))
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
