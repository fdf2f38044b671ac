//! Reading the authorization response the IdP appends to the redirect URI (RFC 6749 §4.1.2),
//! from the fragment or the query, whichever holds it.

use super::error::{AuthError, Result};
use super::secret::AuthCode;
use super::url::{Params, ParamsError};

#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Code { code: AuthCode, client_info: Option<String> },
    Error(AuthError),
}

#[derive(Debug, Clone, PartialEq)]
pub struct RedirectResponse {
    /// The whole `state` parameter as returned.
    pub state: String,
    pub outcome: Outcome,
}

impl RedirectResponse {
    /// Our random part of `state`: what the pending request is stored under.
    pub fn state_id(&self) -> &str {
        self.state.split_once('|').map_or(self.state.as_str(), |(id, _)| id)
    }
}

/// Which part of the URL held the response, so that exactly that part is cleared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    Fragment,
    Query,
}

/// The parameters an authorization response may carry.
pub const RESPONSE_PARAMS: [&str; 9] = ["code", "state", "session_state", "client_info", "error", "error_description", "error_uri", "error_subcode", "iss"];

fn looks_like_response(raw: &str) -> bool {
    let names: Vec<&str> = raw.trim_start_matches(['#', '?']).split('&').map(|p| p.split('=').next().unwrap_or("")).collect();
    names.contains(&"state") || names.contains(&"code") || names.contains(&"error")
}

/// Reads one parameter list. `Ok(None)` when it is not an authorization response at all (an app
/// route such as `#/home`), an error when it is one but cannot be trusted.
pub fn parse(raw: &str) -> Result<Option<RedirectResponse>> {
    if !looks_like_response(raw) {
        return Ok(None);
    }
    let params = Params::parse(raw).map_err(|e| {
        // Whoever crafted the link chose the names: only the response's own are named (an app
        // may show the message as HTML).
        let named = |name: String| RESPONSE_PARAMS.iter().find(|known| **known == name).map_or("a parameter".to_owned(), |known| format!("the parameter '{known}'"));
        let why = match e {
            ParamsError::Duplicate(name) => format!("{} appears more than once", named(name)),
            ParamsError::BadEncoding(name) => format!("{} is not validly encoded", named(name)),
        };
        AuthError::client("redirect_response_malformed", format!("The sign-in response in the URL was refused: {why}. Start the sign-in again."))
    })?;
    let has_code = params.contains("code");
    let has_error = params.contains("error");
    if !has_code && !has_error {
        return Ok(None);
    }
    let state = params
        .get("state")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| AuthError::client("no_state_in_hash", "The sign-in response in the URL carries no 'state', so it cannot be matched to a request. Start the sign-in again."))?;
    let outcome = if has_error {
        let error = params.get("error").unwrap_or_default();
        Outcome::Error(AuthError::from_oauth(error, params.get("error_description"), params.get("error_subcode").or(params.get("suberror")), None))
    } else {
        let code = params
            .get("code")
            .filter(|c| !c.is_empty())
            .ok_or_else(|| AuthError::client("redirect_response_malformed", "The sign-in response in the URL has an empty 'code'. Start the sign-in again."))?;
        Outcome::Code { code: AuthCode::new(code), client_info: params.get("client_info").map(str::to_owned) }
    };
    Ok(Some(RedirectResponse { state: state.to_owned(), outcome }))
}

/// Looks in the fragment first (the default response mode), then the query.
pub fn find(fragment: &str, query: &str) -> Result<Option<(RedirectResponse, Source)>> {
    if let Some(r) = parse(fragment)? {
        return Ok(Some((r, Source::Fragment)));
    }
    Ok(parse(query)?.map(|r| (r, Source::Query)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::ErrorKind;
    use proptest::prelude::*;

    #[test]
    fn reads_a_code_response() {
        let r = parse("#code=abc&state=s1%7Capp&client_info=eyJ9&session_state=x").unwrap().unwrap();
        assert_eq!(r.state, "s1|app");
        assert_eq!(r.state_id(), "s1");
        assert_eq!(r.outcome, Outcome::Code { code: AuthCode::new("abc"), client_info: Some("eyJ9".into()) });
    }

    #[test]
    fn reads_an_error_response() {
        let r = parse("?error=access_denied&error_description=The+user+said+no&state=s1").unwrap().unwrap();
        let Outcome::Error(err) = r.outcome else { panic!("expected an error") };
        assert_eq!((err.kind, err.code.as_str(), err.message.as_str()), (ErrorKind::Server, "access_denied", "The user said no"));
        let r = parse("#error=login_required&state=s1").unwrap().unwrap();
        assert!(matches!(r.outcome, Outcome::Error(e) if e.kind == ErrorKind::InteractionRequired));
    }

    #[test]
    fn ignores_app_routes() {
        for raw in ["", "#", "#/home", "?page=2", "#access=1&codes=2", "#%zz"] {
            assert_eq!(parse(raw).unwrap(), None, "{raw}");
        }
        assert_eq!(parse("#state=only").unwrap(), None);
    }

    #[test]
    fn refuses_untrustworthy_responses() {
        for (raw, code) in [
            ("#code=a&code=b&state=s", "redirect_response_malformed"),
            ("#code=a&state=s&state=t", "redirect_response_malformed"),
            ("#code=%E0%A4&state=s", "redirect_response_malformed"),
            ("#code=abc", "no_state_in_hash"),
            ("#code=abc&state=", "no_state_in_hash"),
            ("#code=&state=s", "redirect_response_malformed"),
        ] {
            assert_eq!(parse(raw).unwrap_err().code, code, "{raw}");
        }
        let crafted = parse("#code=a&state=s&<img src=x onerror=alert(1)>=1&<img src=x onerror=alert(1)>=2").unwrap_err();
        assert!(!crafted.message.contains('<') && crafted.message.contains("a parameter appears more than once"), "{}", crafted.message);
        assert!(parse("#code=a&state=s&state=t").unwrap_err().message.contains("'state'"));
    }

    #[test]
    fn finds_the_response_in_fragment_or_query() {
        let (r, source) = find("#/route", "?code=c&state=s").unwrap().unwrap();
        assert_eq!((r.state.as_str(), source), ("s", Source::Query));
        let (_, source) = find("#code=c&state=s", "?code=d&state=t").unwrap().unwrap();
        assert_eq!(source, Source::Fragment);
        assert_eq!(find("", "").unwrap(), None);
    }

    proptest! {
        #[test]
        fn never_panics(a in ".*", b in "[#?]?([a-z_]{1,6}(=[^&]{0,8})?&?){0,6}") {
            let _ = find(&a, &b);
            let _ = find(&b, &a);
        }
    }
}
