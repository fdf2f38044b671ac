//! ID tokens: decoding the JWT and checking the claims that bind it to this sign-in.
//!
//! The signature is not verified: the token comes straight from the token endpoint over TLS in
//! answer to our own code exchange (OpenID Connect Core §3.1.3.7 allows this), as MSAL does.

use super::authority::{Authority, Endpoints};
use super::base64::decode as b64url_decode;
use super::error::{AuthError, Result};
use super::json::Json;

/// The clock skew tolerated on `exp`, `nbf` and `iat`.
pub const CLOCK_SKEW_SECS: i64 = 300;

/// Decoded claims, kept whole so that apps see every claim as `idTokenClaims`.
#[derive(Debug, Clone, PartialEq)]
pub struct Claims(pub Json);

impl Claims {
    pub fn str(&self, name: &str) -> Option<&str> {
        self.0.str_at(name)
    }

    pub fn int(&self, name: &str) -> Option<i64> {
        self.0.get(name).and_then(Json::as_i64)
    }

    fn audiences(&self) -> Vec<&str> {
        match self.0.get("aud") {
            Some(Json::Str(s)) => vec![s.as_str()],
            Some(Json::Arr(items)) => items.iter().filter_map(Json::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// Whether the token was issued for `client_id`: among its audiences, and its authorized
    /// party when it has several.
    pub fn is_for(&self, client_id: &str) -> bool {
        let audiences = self.audiences();
        audiences.contains(&client_id) && (audiences.len() <= 1 || self.str("azp") == Some(client_id))
    }
}

fn parsing_error(what: &str) -> AuthError {
    AuthError::client("token_parsing_error", format!("The ID token could not be read: {what}."))
}

/// Decodes the payload of a JWT (any JWT: ID tokens, and access tokens when they are JWTs).
pub fn decode_jwt_payload(jwt: &str) -> Result<Claims> {
    let mut parts = jwt.split('.');
    let (Some(_header), Some(payload), Some(_signature), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(parsing_error("it does not have three dot-separated parts"));
    };
    let bytes = b64url_decode(payload).ok_or_else(|| parsing_error("its payload is not base64url"))?;
    let text = String::from_utf8(bytes).map_err(|_| parsing_error("its payload is not UTF-8"))?;
    let json = Json::parse(&text).map_err(|_| parsing_error("its payload is not JSON"))?;
    if json.members().is_none() {
        return Err(parsing_error("its payload is not a JSON object"));
    }
    Ok(Claims(json))
}

/// What the claims must match.
pub struct Expected<'a> {
    pub authority: &'a Authority,
    pub endpoints: &'a Endpoints,
    pub client_id: &'a str,
    /// The nonce sent with an interactive request; None for refresh-token responses, which
    /// carry the nonce of the original sign-in or none.
    pub nonce: Option<&'a str>,
    pub now: i64,
}

pub fn validate(claims: &Claims, expected: &Expected) -> Result<()> {
    let iss = claims.str("iss").unwrap_or("");
    if !expected.authority.accepts_issuer(expected.endpoints, iss, claims.str("tid")) {
        return Err(AuthError::client("issuer_mismatch", format!("The ID token was issued by '{iss}', not by the configured authority '{}'.", expected.authority.url)));
    }
    if !claims.is_for(expected.client_id) {
        return Err(AuthError::client("audience_mismatch", format!("The ID token was issued for another application, not for client ID '{}'.", expected.client_id)));
    }
    if let Some(nonce) = expected.nonce {
        if claims.str("nonce") != Some(nonce) {
            return Err(AuthError::client("nonce_mismatch", "The ID token's nonce does not match the one sent with the request. Sign in again."));
        }
    }
    let exp = claims.int("exp").ok_or_else(|| parsing_error("it has no 'exp' claim"))?;
    if exp.saturating_add(CLOCK_SKEW_SECS) < expected.now {
        return Err(AuthError::client("id_token_expired", "The ID token has expired. Check the device clock, then sign in again."));
    }
    let not_before = claims.int("nbf").into_iter().chain(claims.int("iat"));
    if not_before.into_iter().any(|t| t.saturating_sub(CLOCK_SKEW_SECS) > expected.now) {
        return Err(AuthError::client("id_token_not_yet_valid", "The ID token is not valid yet. Check the device clock."));
    }
    Ok(())
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use crate::core::authority::ProtocolMode;
    use crate::core::base64::encode_url as b64url;

    /// An unsigned JWT with the given payload, for tests.
    pub fn jwt(payload: &str) -> String {
        format!("{}.{}.sig", b64url(br#"{"alg":"RS256"}"#), b64url(payload.as_bytes()))
    }

    fn setup() -> (Authority, Endpoints) {
        let a = Authority::parse("http://localhost:9400", ProtocolMode::Auto).unwrap();
        let e = Endpoints { authorization: "http://localhost:9400/auth".into(), token: "http://localhost:9400/token".into(), end_session: None, issuer: "http://localhost:9400".into() };
        (a, e)
    }

    fn check(payload: &str) -> Result<()> {
        let (authority, endpoints) = setup();
        let claims = decode_jwt_payload(&jwt(payload))?;
        validate(&claims, &Expected { authority: &authority, endpoints: &endpoints, client_id: "app", nonce: Some("n1"), now: 1_000_000 })
    }

    #[test]
    fn accepts_a_good_token() {
        check(r#"{"iss":"http://localhost:9400","aud":"app","nonce":"n1","exp":1000100,"iat":999900}"#).unwrap();
        check(r#"{"iss":"http://localhost:9400","aud":["app","other"],"azp":"app","nonce":"n1","exp":1000100}"#).unwrap();
        // Within the allowed clock skew on both sides.
        check(r#"{"iss":"http://localhost:9400","aud":"app","nonce":"n1","exp":999800,"iat":1000200}"#).unwrap();
    }

    #[test]
    fn rejects_each_defect() {
        for (payload, code) in [
            (r#"{"iss":"http://localhost:9400","aud":"app","nonce":"other","exp":1000100}"#, "nonce_mismatch"),
            (r#"{"iss":"http://localhost:9400","aud":"app","exp":1000100}"#, "nonce_mismatch"),
            (r#"{"iss":"https://evil.example","aud":"app","nonce":"n1","exp":1000100}"#, "issuer_mismatch"),
            (r#"{"aud":"app","nonce":"n1","exp":1000100}"#, "issuer_mismatch"),
            (r#"{"iss":"http://localhost:9400","aud":"other","nonce":"n1","exp":1000100}"#, "audience_mismatch"),
            (r#"{"iss":"http://localhost:9400","aud":["other","app"],"nonce":"n1","exp":1000100}"#, "audience_mismatch"),
            (r#"{"iss":"http://localhost:9400","aud":"app","nonce":"n1","exp":999000}"#, "id_token_expired"),
            (r#"{"iss":"http://localhost:9400","aud":"app","nonce":"n1","exp":1000100,"iat":1000400}"#, "id_token_not_yet_valid"),
            (r#"{"iss":"http://localhost:9400","aud":"app","nonce":"n1"}"#, "token_parsing_error"),
            (r#"{"iss":"http://localhost:9400","aud":"app","nonce":"n1","exp":1000100,"oid":"a","oid":"b"}"#, "token_parsing_error"),
        ] {
            assert_eq!(check(payload).unwrap_err().code, code, "{payload}");
        }
    }

    #[test]
    fn extreme_times_do_not_overflow() {
        let claims = |times: &str| format!(r#"{{"iss":"http://localhost:9400","aud":"app","nonce":"n1",{times}}}"#);
        check(&claims(&format!(r#""exp":{},"nbf":{},"iat":{}"#, i64::MAX, i64::MIN, i64::MIN))).unwrap();
        assert_eq!(check(&claims(&format!(r#""exp":{}"#, i64::MIN))).unwrap_err().code, "id_token_expired");
        assert_eq!(check(&claims(&format!(r#""exp":{},"nbf":{}"#, i64::MAX, i64::MAX))).unwrap_err().code, "id_token_not_yet_valid");
        assert_eq!(check(&claims(r#""exp":9223372036854775808"#)).unwrap_err().code, "token_parsing_error");
    }

    proptest::proptest! {
        #[test]
        fn never_panics(header in ".*", payload in ".*", raw in ".*") {
            let _ = decode_jwt_payload(&raw);
            let _ = decode_jwt_payload(&format!("{header}.{}.s", b64url(payload.as_bytes())));
        }
    }

    #[test]
    fn rejects_malformed_jwts() {
        for bad in ["", "a.b", "a.b.c.d", "x.!!!.y", &format!("x.{}.y", b64url(b"not json")), &format!("x.{}.y", b64url(b"[1]")), &format!("x.{}.y", b64url(&[0xff, 0xfe]))] {
            assert_eq!(decode_jwt_payload(bad).unwrap_err().code, "token_parsing_error", "{bad}");
        }
    }
}
