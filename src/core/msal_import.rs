//! Taking over what @azure/msal-browser cached, so that an app moving from it keeps its users
//! signed in: its accounts (with their ID tokens) and refresh tokens become ours, once.
//!
//! The entries arrive as plaintext JSON objects, read (and decrypted, for msal-browser 4 and
//! later) by the package's `msal-cache.js`. They are untrusted: any script of the origin can
//! write storage. Each entry is checked on its own and one that does not hold up is skipped;
//! nothing already in our cache is overwritten, and msal's own keys are never written.
//!
//! What is taken, from msal's entry shapes:
//! - an account (`homeAccountId`, `environment`, `realm`, no `credentialType`) of the configured
//!   authority's host (or another host of its Entra cloud), with
//! - its ID token (`credentialType` `IdToken`, same `homeAccountId`, `environment` and `realm`,
//!   `clientId` ours): the account is built from its claims exactly as a sign-in builds it, and
//!   must come out with msal's `homeAccountId`;
//! - its refresh token (`credentialType` `RefreshToken`, same `homeAccountId` and `environment`,
//!   `clientId` ours), unless msal recorded that it has expired. It is kept as issued by the
//!   account's tenant (Entra: `https://{host}/{realm}`, which renews at any tenant of the cloud)
//!   or by the configured authority (any other provider: msal records only its host).
//!
//! Access tokens are not taken: the refresh token gets new ones.

use super::account::Account;
use super::authority::{Authority, ProtocolMode};
use super::cache::{AccountEntry, Cache, RefreshTokenEntry, PREFIX};
use super::id_token::{decode_jwt_payload, Claims};
use super::json::Json;
use super::secret::{IdToken, RefreshToken};
use super::store::Store;

/// At most this many entries are looked at (an app has a handful of accounts).
pub const MAX_ENTRIES: usize = 256;

/// What an import did: accounts and refresh tokens taken, and entries passed over (accounts
/// that do not hold up or are already ours, refresh tokens that are expired or unreadable).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Report {
    pub accounts: u32,
    pub refresh_tokens: u32,
    pub skipped: u32,
}

/// The key that records that msal's cache was imported into this store.
pub fn mark_key(client_id: &str) -> String {
    format!("{PREFIX}{client_id}|msal|")
}

fn same(a: Option<&str>, b: Option<&str>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b))
}

fn is_credential(entry: &Json, kind: &str) -> bool {
    same(entry.str_at("credentialType"), Some(kind))
}

/// msal's numbers are strings of seconds (`"1796524329"`), or absent: Some(None).
fn seconds(value: Option<&Json>) -> Option<Option<i64>> {
    match value {
        None | Some(Json::Null) => Some(None),
        Some(Json::Str(s)) if s.is_empty() => Some(None),
        Some(Json::Str(s)) => Json::parse(s).ok()?.as_i64().map(Some),
        Some(other) => other.as_i64().map(Some),
    }
}

/// An ID token fit to build our account from: a JWT for this client.
fn id_token_claims(secret: &str, client_id: &str) -> Option<Claims> {
    let claims = decode_jwt_payload(secret).ok()?;
    let for_us = match claims.0.get("aud") {
        Some(Json::Str(aud)) => aud == client_id,
        Some(Json::Arr(items)) => items.iter().any(|a| a.as_str() == Some(client_id)) && (items.len() == 1 || claims.str("azp") == Some(client_id)),
        _ => false,
    };
    for_us.then_some(claims)
}

/// The authority a refresh token of `account` (an msal account entry) is kept as issued by.
fn refresh_token_authority(authority: &Authority, msal_account: &Json) -> Option<String> {
    if !authority.is_entra() {
        return Some(authority.url.clone());
    }
    let realm = msal_account.str_at("realm").filter(|r| !r.is_empty())?;
    let issued_by = Authority::parse(&format!("https://{}/{realm}", authority.environment), ProtocolMode::Auto).ok()?;
    authority.redeems_refresh_tokens_of(&issued_by.url).then_some(issued_by.url)
}

/// Takes over one msal account entry: Some(whether its refresh token came too), or None if the
/// account was passed over.
fn take(cache: &Cache, client_id: &str, authority: &Authority, entries: &[Json], msal_account: &Json, now: i64) -> Option<bool> {
    let home = msal_account.str_at("homeAccountId")?;
    let environment = msal_account.str_at("environment").filter(|e| authority.is_environment(e))?;
    let of_account = |e: &&Json| e.str_at("clientId") == Some(client_id) && e.str_at("homeAccountId") == Some(home) && same(e.str_at("environment"), Some(environment));
    let id_token = entries.iter().filter(of_account).filter(|e| is_credential(e, "IdToken") && same(e.str_at("realm"), msal_account.str_at("realm"))).find_map(|e| e.str_at("secret"))?;
    // Built as a sign-in builds it, at the configured authority's host, and the same user.
    let account = Account::from_claims(id_token_claims(id_token, client_id)?, &authority.environment, msal_account.str_at("clientInfo")).filter(|a| a.home_account_id == home)?;
    let key = account.key();
    if cache.account(&key).is_some() {
        return None;
    }
    cache.save_account(&AccountEntry { account, id_token: IdToken::new(id_token) }).ok()?;
    let refresh = entries.iter().filter(of_account).filter(|e| is_credential(e, "RefreshToken")).find_map(|e| Some((e.str_at("secret").filter(|s| !s.is_empty())?, seconds(e.get("expiresOn"))?)));
    let entry = refresh.and_then(|(secret, expires_at)| Some(RefreshTokenEntry { secret: RefreshToken::new(secret), expires_at, authority: refresh_token_authority(authority, msal_account)? }));
    Some(entry.filter(|e| !e.is_expired(now)).is_some_and(|e| cache.save_refresh_token(&key, &e).is_ok()))
}

/// Imports msal's accounts and refresh tokens into our cache in `store`, and records that it
/// did. `entries`: msal's plaintext entries (accounts, ID tokens, refresh tokens) in any order.
pub fn import(store: &dyn Store, client_id: &str, authority: &Authority, entries: &[Json], now: i64) -> Report {
    let cache = Cache::new(store, client_id);
    let entries = &entries[..entries.len().min(MAX_ENTRIES)];
    let mut report = Report::default();
    // An account entry: msal's accounts are the entries that are no credential.
    for msal_account in entries.iter().filter(|e| e.get("credentialType").is_none() && e.get("homeAccountId").is_some()) {
        match take(&cache, client_id, authority, entries, msal_account, now) {
            Some(with_refresh_token) => {
                report.accounts += 1;
                report.refresh_tokens += u32::from(with_refresh_token);
                report.skipped += u32::from(!with_refresh_token);
            }
            None => report.skipped += 1,
        }
    }
    // Recorded whatever was found: what could not be read now never will be.
    let _ = store.set(&mark_key(client_id), &now.to_string());
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::authority::ProtocolMode;
    use crate::core::base64::encode_url as b64url;
    use crate::core::id_token::tests::jwt;
    use crate::core::store::MemoryStore;
    use proptest::prelude::*;

    const CLIENT: &str = "app";
    const TENANT: &str = "3f6c1e0a-8b4d-4e2f-9a71-5d0c2b8e4f13";

    fn oidc() -> Authority {
        Authority::parse("https://localhost:9400", ProtocolMode::Auto).unwrap()
    }

    fn entra() -> Authority {
        Authority::parse("https://login.microsoftonline.com/common", ProtocolMode::Auto).unwrap()
    }

    fn parse(text: &str) -> Json {
        Json::parse(text).unwrap()
    }

    fn id_token(sub: &str, aud: &str) -> String {
        jwt(&format!(r#"{{"sub":"{sub}","aud":"{aud}","tid":"{TENANT}","preferred_username":"{sub}@example.com","exp":1}}"#))
    }

    /// msal-browser 5's three entries for one OIDC account, as its cache holds them decrypted.
    fn msal_entries(home: &str, environment: &str, rt_expires: &str) -> Vec<Json> {
        vec![
            parse(&format!(r#"{{"homeAccountId":"{home}","environment":"{environment}","realm":"{TENANT}","localAccountId":"{home}","username":"{home}@example.com","authorityType":"Generic"}}"#)),
            parse(&format!(r#"{{"credentialType":"IdToken","homeAccountId":"{home}","environment":"{environment}","clientId":"{CLIENT}","realm":"{TENANT}","secret":"{}"}}"#, id_token(home, CLIENT))),
            parse(&format!(r#"{{"credentialType":"RefreshToken","homeAccountId":"{home}","environment":"{environment}","clientId":"{CLIENT}","secret":"rt-{home}","expiresOn":"{rt_expires}"}}"#)),
        ]
    }

    #[test]
    fn imports_an_account_and_its_refresh_token_once() {
        let store = MemoryStore::default();
        assert_eq!(store.get(&mark_key(CLIENT)), None);
        let report = import(&store, CLIENT, &oidc(), &msal_entries("ada", "localhost:9400", "2000"), 1000);
        assert_eq!(report, Report { accounts: 1, refresh_tokens: 1, skipped: 0 });
        assert_eq!(store.get(&mark_key(CLIENT)).as_deref(), Some("1000"));
        let cache = Cache::new(&store, CLIENT);
        let accounts = cache.accounts();
        assert_eq!(accounts.len(), 1);
        let account = &accounts[0].account;
        assert_eq!((account.home_account_id.as_str(), account.environment.as_str(), account.username.as_str()), ("ada", "localhost:9400", "ada@example.com"));
        assert_eq!(account.tenant_id, TENANT);
        let rt = cache.refresh_token(&account.key()).unwrap();
        assert_eq!((rt.secret.expose(), rt.expires_at, rt.authority.as_str()), ("rt-ada", Some(2000), "https://localhost:9400"));
        assert!(oidc().shares_tokens_with(&rt.authority));

        // Never over what is already ours.
        let again = import(&store, CLIENT, &oidc(), &msal_entries("ada", "localhost:9400", "3000"), 1000);
        assert_eq!(again, Report { accounts: 0, refresh_tokens: 0, skipped: 1 });
        assert_eq!(cache.refresh_token(&account.key()).unwrap().expires_at, Some(2000));
    }

    #[test]
    fn an_entra_refresh_token_is_the_accounts_tenants_and_renews_at_the_configured_authority() {
        let store = MemoryStore::default();
        let info = b64url(format!(r#"{{"uid":"u-1","utid":"{TENANT}"}}"#).as_bytes());
        let home = format!("u-1.{TENANT}");
        let mut entries = msal_entries(&home, "login.windows.net", "");
        // msal's account carries client_info; its ID token's sub is not the home account id.
        entries[0] = parse(&format!(r#"{{"homeAccountId":"{home}","environment":"login.windows.net","realm":"{TENANT}","clientInfo":"{info}","authorityType":"MSSTS"}}"#));
        entries[1] = parse(&format!(
            r#"{{"credentialType":"IdToken","homeAccountId":"{home}","environment":"login.windows.net","clientId":"{CLIENT}","realm":"{TENANT}","secret":"{}"}}"#,
            id_token("s", CLIENT)
        ));
        let report = import(&store, CLIENT, &entra(), &entries, 1000);
        assert_eq!(report, Report { accounts: 1, refresh_tokens: 1, skipped: 0 });
        let cache = Cache::new(&store, CLIENT);
        let account = &cache.accounts()[0].account;
        assert_eq!((account.home_account_id.as_str(), account.environment.as_str()), (home.as_str(), "login.microsoftonline.com"));
        let rt = cache.refresh_token(&account.key()).unwrap();
        assert_eq!(rt.authority, format!("https://login.microsoftonline.com/{TENANT}"));
        assert_eq!(rt.expires_at, None);
        assert!(entra().redeems_refresh_tokens_of(&rt.authority));
    }

    /// Spoils one of msal's entries.
    type Spoil = fn(&mut Vec<Json>);

    #[test]
    fn skips_what_does_not_hold_up() {
        let cases: [(&str, Spoil); 8] = [
            ("another host", |e| *e = msal_entries("ada", "evil.example", "2000")),
            ("no ID token", |e| drop(e.remove(1))),
            ("an ID token for another client", |e| e[1] = parse(&e[1].to_string().replace(&id_token("ada", CLIENT), &id_token("ada", "other")))),
            ("an ID token of another client id", |e| e[1] = parse(&e[1].to_string().replace(r#""clientId":"app""#, r#""clientId":"other""#))),
            ("an ID token that is no JWT", |e| e[1] = parse(&e[1].to_string().replace(&id_token("ada", CLIENT), "not.a.jwt"))),
            ("an ID token of another user", |e| e[1] = parse(&e[1].to_string().replace(&id_token("ada", CLIENT), &id_token("bob", CLIENT)))),
            ("an ID token that is a number", |e| e[1] = parse(&e[1].to_string().replace(&format!(r#""{}""#, id_token("ada", CLIENT)), "5"))),
            ("an account without environment", |e| e[0] = parse(r#"{"homeAccountId":"ada","realm":"x"}"#)),
        ];
        for (what, spoil) in cases {
            let store = MemoryStore::default();
            let mut entries = msal_entries("ada", "localhost:9400", "2000");
            spoil(&mut entries);
            let report = import(&store, CLIENT, &oidc(), &entries, 1000);
            assert_eq!(report, Report { accounts: 0, refresh_tokens: 0, skipped: 1 }, "{what}");
            assert_eq!(store.keys(), vec![mark_key(CLIENT)], "{what}: nothing but the mark is written");
        }
    }

    #[test]
    fn keeps_the_account_but_not_an_expired_or_unreadable_refresh_token() {
        for expires in ["1000", "soon"] {
            let store = MemoryStore::default();
            let report = import(&store, CLIENT, &oidc(), &msal_entries("ada", "localhost:9400", expires), 1000);
            assert_eq!(report, Report { accounts: 1, refresh_tokens: 0, skipped: 1 }, "{expires}");
            let cache = Cache::new(&store, CLIENT);
            assert_eq!(cache.refresh_token(&cache.accounts()[0].account.key()), None);
        }
    }

    #[test]
    fn one_bad_account_does_not_stop_the_others() {
        let store = MemoryStore::default();
        let mut entries = vec![parse("[1,2]"), parse("null"), parse(r#"{"homeAccountId":5,"environment":"localhost:9400"}"#)];
        entries.extend(msal_entries("bob", "elsewhere.example", "2000"));
        entries.extend(msal_entries("ada", "localhost:9400", "2000"));
        let report = import(&store, CLIENT, &oidc(), &entries, 1000);
        assert_eq!(report, Report { accounts: 1, refresh_tokens: 1, skipped: 2 });
    }

    proptest! {
        #[test]
        fn never_panics(text in ".*", which in 0usize..3) {
            let mut entries = msal_entries("ada", "localhost:9400", "2000");
            if let Ok(json) = Json::parse(&text) {
                entries[which] = json;
            }
            let store = MemoryStore::default();
            let _ = import(&store, CLIENT, &oidc(), &entries, 1000);
            let _ = import(&store, CLIENT, &entra(), &entries, 1000);
        }
    }
}
