//! Accounts, shaped like MSAL's `AccountInfo`.

use super::base64::decode as b64url_decode;
use super::id_token::Claims;
use super::json::Json;
use super::url::encode;

#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    /// `uid.utid` from Entra's `client_info`, else the ID token's `sub`.
    pub home_account_id: String,
    /// `host[:port]` of the authority.
    pub environment: String,
    pub tenant_id: String,
    pub username: String,
    /// `oid`, else `sub`.
    pub local_account_id: String,
    pub name: Option<String>,
    pub id_token_claims: Claims,
}

/// Entra's `client_info`: base64url JSON `{"uid": ..., "utid": ...}`.
pub fn home_account_id_from_client_info(client_info: &str) -> Option<String> {
    let json = Json::parse(std::str::from_utf8(&b64url_decode(client_info)?).ok()?).ok()?;
    let (uid, utid) = (json.str_at("uid")?, json.str_at("utid")?);
    (!uid.is_empty() && !utid.is_empty()).then(|| format!("{uid}.{utid}"))
}

/// The cache key of the account `home_account_id` signed in at `environment`.
pub fn account_key(environment: &str, home_account_id: &str) -> String {
    format!("{}|{}", encode(environment), encode(home_account_id))
}

impl Account {
    pub fn from_claims(claims: Claims, environment: &str, client_info: Option<&str>) -> Option<Account> {
        let sub = claims.str("sub").filter(|s| !s.is_empty())?.to_owned();
        let home_account_id = client_info.and_then(home_account_id_from_client_info).unwrap_or_else(|| sub.clone());
        let username = ["preferred_username", "upn", "email", "emails"].iter().find_map(|c| claims.str(c)).unwrap_or("").to_owned();
        Some(Account {
            home_account_id,
            environment: environment.to_owned(),
            tenant_id: claims.str("tid").unwrap_or("").to_owned(),
            username,
            local_account_id: claims.str("oid").unwrap_or(&sub).to_owned(),
            name: claims.str("name").map(str::to_owned),
            id_token_claims: claims,
        })
    }

    /// The key that identifies the account in the cache; encoded so that no `|` inside an id
    /// (`sub` values such as `auth0|123` exist) can be mistaken for a separator.
    pub fn key(&self) -> String {
        account_key(&self.environment, &self.home_account_id)
    }

    pub fn to_json(&self) -> Json {
        Json::object([
            ("homeAccountId", Some(Json::string(&self.home_account_id))),
            ("environment", Some(Json::string(&self.environment))),
            ("tenantId", Some(Json::string(&self.tenant_id))),
            ("username", Some(Json::string(&self.username))),
            ("localAccountId", Some(Json::string(&self.local_account_id))),
            ("name", self.name.as_deref().map(Json::string)),
            ("idTokenClaims", Some(self.id_token_claims.0.clone())),
        ])
    }

    pub fn from_json(json: &Json) -> Option<Account> {
        let claims = json.get("idTokenClaims")?;
        claims.members()?;
        Some(Account {
            home_account_id: json.str_at("homeAccountId")?.to_owned(),
            environment: json.str_at("environment")?.to_owned(),
            tenant_id: json.str_at("tenantId")?.to_owned(),
            username: json.str_at("username")?.to_owned(),
            local_account_id: json.str_at("localAccountId")?.to_owned(),
            name: json.str_at("name").map(str::to_owned),
            id_token_claims: Claims(claims.clone()),
        })
    }

    /// MSAL's `AccountFilter`: every given field must match.
    pub fn matches(&self, filter: &Json) -> bool {
        let fields: [(&str, &str); 5] =
            [("homeAccountId", &self.home_account_id), ("localAccountId", &self.local_account_id), ("environment", &self.environment), ("tenantId", &self.tenant_id), ("username", &self.username)];
        let field_ok = fields.iter().all(|(name, value)| match filter.str_at(name) {
            Some(wanted) if *name == "username" => wanted.eq_ignore_ascii_case(value),
            Some(wanted) => wanted == *value,
            None => true,
        });
        let claims = &self.id_token_claims;
        // A login hint is what the user typed: any of the names the IdP knows them by.
        let hint_ok = filter.str_at("loginHint").is_none_or(|hint| {
            ["login_hint", "preferred_username", "upn"].iter().any(|claim| claims.str(claim) == Some(hint))
                || claims.0.get("emails").and_then(Json::as_array).is_some_and(|emails| emails.iter().any(|e| e.as_str() == Some(hint)))
        });
        let sid_ok = filter.str_at("sid").is_none_or(|sid| claims.str("sid") == Some(sid));
        field_ok && hint_ok && sid_ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::base64::encode_url as b64url;

    fn claims(json: &str) -> Claims {
        Claims(Json::parse(json).unwrap())
    }

    #[test]
    fn builds_entra_accounts_from_client_info() {
        let info = b64url(br#"{"uid":"u-1","utid":"t-1"}"#);
        let a = Account::from_claims(claims(r#"{"sub":"s","oid":"o","tid":"t-1","preferred_username":"ada@contoso.com","name":"Ada"}"#), "login.microsoftonline.com", Some(&info)).unwrap();
        assert_eq!(a.home_account_id, "u-1.t-1");
        assert_eq!((a.local_account_id.as_str(), a.tenant_id.as_str(), a.username.as_str()), ("o", "t-1", "ada@contoso.com"));
        assert_eq!(Account::from_json(&a.to_json()), Some(a.clone()));
        assert!(a.matches(&Json::parse(r#"{"username":"ADA@contoso.com","tenantId":"t-1"}"#).unwrap()));
        assert!(!a.matches(&Json::parse(r#"{"homeAccountId":"x"}"#).unwrap()));
    }

    #[test]
    fn a_login_hint_matches_any_name_of_the_user() {
        let a = Account::from_claims(claims(r#"{"sub":"s","iss":"https://idp","login_hint":"lh","preferred_username":"pu","upn":"up","emails":["e1","e2"]}"#), "idp", None).unwrap();
        for hint in ["lh", "pu", "up", "e2"] {
            assert!(a.matches(&Json::object([("loginHint", Some(Json::string(hint)))])), "{hint}");
        }
        assert!(!a.matches(&Json::object([("loginHint", Some(Json::string("other")))])));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(client_info in ".*", claims in ".*") {
            let _ = home_account_id_from_client_info(&client_info);
            let _ = home_account_id_from_client_info(&b64url(client_info.as_bytes()));
            if let Ok(json) = Json::parse(&claims) {
                let _ = Account::from_json(&json);
                if let Some(a) = Account::from_claims(Claims(json.clone()), "e", Some(&client_info)) {
                    let _ = a.matches(&json);
                }
            }
        }
    }

    #[test]
    fn falls_back_to_sub_for_oidc_providers() {
        let a = Account::from_claims(claims(r#"{"sub":"ada","email":"ada@example.com"}"#), "localhost:9400", Some("garbage")).unwrap();
        assert_eq!((a.home_account_id.as_str(), a.local_account_id.as_str(), a.username.as_str()), ("ada", "ada", "ada@example.com"));
        assert!(Account::from_claims(claims(r#"{"name":"no sub"}"#), "x", None).is_none());
        assert_eq!(home_account_id_from_client_info(&b64url(br#"{"uid":""}"#)), None);
    }
}
