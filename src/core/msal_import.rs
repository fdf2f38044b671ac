//! Taking over what @azure/msal-browser cached, so that an app moving from it keeps its users
//! signed in: its accounts (with their ID tokens) and refresh tokens become ours, once.
//!
//! The entries arrive as plaintext JSON objects, read (and decrypted, for msal-browser 4 and
//! later) by the package's `msal-cache.js`. They are untrusted: any script of the origin can
//! write storage. Each entry is checked on its own and one that does not hold up is skipped;
//! nothing already in our cache is overwritten, and msal's own keys are never written.
//!
//! `msal-cache.js` pairs each msal account entry (`homeAccountId`, `environment`, `realm`,
//! `clientInfo`) with the ID token and refresh token msal keeps for it under this `clientId`,
//! and hands in one record per account: `{ homeAccountId, environment, realm, clientInfo,
//! idToken, refreshToken, refreshTokenExpiresOn }` (seconds). What is taken:
//! - the account, if it is of the configured authority's host (or another host of its Entra
//!   cloud) and its ID token is a JWT for this client: the account is built from its claims as a
//!   sign-in builds it, at the configured host, and must come out with msal's `homeAccountId`;
//! - its refresh token, unless msal recorded that it has expired. It is kept as issued by the
//!   account's tenant (Entra: `https://{host}/{realm}`, which renews at any tenant of the cloud)
//!   or by the configured authority (any other provider: msal records only its host).
//!
//! Access tokens are not taken: the refresh token gets new ones.

use super::account::Account;
use super::authority::{Authority, ProtocolMode};
use super::cache::{AccountEntry, Cache, RefreshTokenEntry};
use super::id_token::{decode_jwt_payload, Claims};
use super::json::Json;
use super::secret::{IdToken, RefreshToken};
use super::store::Store;

/// At most this many accounts are looked at (an app has a handful).
pub const MAX_ACCOUNTS: usize = 64;

/// What an import did: accounts and refresh tokens taken, and what was passed over (accounts
/// that do not hold up or are already ours, refresh tokens absent, unreadable or expired).
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Report {
    pub accounts: u32,
    pub refresh_tokens: u32,
    pub skipped: u32,
}

/// Whether msal's cache was imported into `store` already (it is imported once).
pub fn is_done(store: &dyn Store, client_id: &str) -> bool {
    store.get(&Cache::new(store, client_id).msal_mark_key()).is_some()
}

/// An ID token fit to build our account from: a JWT for this client.
fn id_token_claims(secret: &str, client_id: &str) -> Option<Claims> {
    decode_jwt_payload(secret).ok().filter(|claims| claims.is_for(client_id))
}

/// The authority a refresh token of `record`'s account is kept as issued by.
fn refresh_token_authority(authority: &Authority, record: &Json) -> Option<String> {
    if !authority.is_entra() {
        return Some(authority.url.clone());
    }
    let realm = record.str_at("realm").filter(|r| !r.is_empty())?;
    let issued_by = Authority::parse(&format!("https://{}/{realm}", authority.environment), ProtocolMode::Auto).ok()?;
    authority.redeems_refresh_tokens_of(&issued_by.url).then_some(issued_by.url)
}

/// msal's refresh token of `record`, unless it is absent, unreadable or expired.
fn refresh_token(authority: &Authority, record: &Json, now: i64) -> Option<RefreshTokenEntry> {
    let secret = record.str_at("refreshToken").filter(|s| !s.is_empty())?;
    // Seconds, as msal writes them: a string of digits (or a number, or nothing).
    let expires_at = match record.get("refreshTokenExpiresOn") {
        None | Some(Json::Null) => None,
        Some(Json::Str(s)) if s.is_empty() => None,
        Some(Json::Str(s)) => Some(Json::parse(s).ok()?.as_i64()?),
        Some(t) => Some(t.as_i64()?),
    };
    let entry = RefreshTokenEntry { secret: RefreshToken::new(secret), expires_at, authority: refresh_token_authority(authority, record)? };
    (!entry.is_expired(now)).then_some(entry)
}

/// Takes over one account: Some(whether its refresh token came too), or None if it was passed
/// over.
fn take(cache: &Cache, client_id: &str, authority: &Authority, record: &Json, now: i64) -> Option<bool> {
    let home = record.str_at("homeAccountId")?;
    record.str_at("environment").filter(|e| authority.is_environment(e))?;
    let id_token = record.str_at("idToken")?;
    // Built as a sign-in builds it, at the configured authority's host, and the same user.
    let account = Account::from_claims(id_token_claims(id_token, client_id)?, &authority.environment, record.str_at("clientInfo")).filter(|a| a.home_account_id == home)?;
    let key = account.key();
    if cache.account(&key).is_some() {
        return None;
    }
    cache.save_account(&AccountEntry { account, id_token: IdToken::new(id_token) }).ok()?;
    Some(refresh_token(authority, record, now).is_some_and(|e| cache.save_refresh_token(&key, &e).is_ok()))
}

/// Imports msal's accounts and refresh tokens (`records`, one per account) into our cache in
/// `store`, and records that it did.
pub fn import(store: &dyn Store, client_id: &str, authority: &Authority, records: &[Json], now: i64) -> Report {
    let cache = Cache::new(store, client_id);
    let mut report = Report::default();
    for record in records.iter().take(MAX_ACCOUNTS) {
        match take(&cache, client_id, authority, record, now) {
            Some(with_refresh_token) => {
                report.accounts += 1;
                report.refresh_tokens += u32::from(with_refresh_token);
                report.skipped += u32::from(!with_refresh_token);
            }
            None => report.skipped += 1,
        }
    }
    // Recorded whatever was found: what could not be read now never will be.
    let _ = store.set(&cache.msal_mark_key(), "1");
    report
}

#[cfg(test)]
mod tests {
    use super::*;
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

    fn id_token(sub: &str, aud: &str) -> String {
        jwt(&format!(r#"{{"sub":"{sub}","aud":"{aud}","tid":"{TENANT}","preferred_username":"{sub}@example.com","exp":1}}"#))
    }

    /// What msal-cache.js hands in for one OIDC account of msal-browser 5.
    fn record(home: &str, environment: &str, rt_expires: &str) -> Json {
        Json::parse(&format!(
            r#"{{"homeAccountId":"{home}","environment":"{environment}","realm":"{TENANT}","idToken":"{}","refreshToken":"rt-{home}","refreshTokenExpiresOn":"{rt_expires}"}}"#,
            id_token(home, CLIENT)
        ))
        .unwrap()
    }

    /// `record` with one member replaced (or removed, with None).
    fn with(mut record: Json, name: &str, value: Option<Json>) -> Json {
        let Json::Obj(members) = &mut record else { unreachable!() };
        members.retain(|(k, _)| k != name);
        members.extend(value.map(|v| (name.to_owned(), v)));
        record
    }

    #[test]
    fn imports_an_account_and_its_refresh_token_once() {
        let store = MemoryStore::default();
        assert!(!is_done(&store, CLIENT));
        let report = import(&store, CLIENT, &oidc(), &[record("ada", "localhost:9400", "2000")], 1000);
        assert_eq!(report, Report { accounts: 1, refresh_tokens: 1, skipped: 0 });
        assert!(is_done(&store, CLIENT));
        assert!(!is_done(&store, "another-client"), "marked for this client only");
        let cache = Cache::new(&store, CLIENT);
        let accounts = cache.accounts();
        assert_eq!(accounts.len(), 1);
        let account = &accounts[0].account;
        assert_eq!((account.home_account_id.as_str(), account.environment.as_str(), account.username.as_str()), ("ada", "localhost:9400", "ada@example.com"));
        assert_eq!(account.tenant_id, TENANT);
        assert_eq!(accounts[0].id_token.expose(), id_token("ada", CLIENT));
        let rt = cache.refresh_token(&account.key()).unwrap();
        assert_eq!((rt.secret.expose(), rt.expires_at, rt.authority.as_str()), ("rt-ada", Some(2000), "https://localhost:9400"));
        assert!(oidc().shares_tokens_with(&rt.authority));

        // Never over what is already ours.
        let again = import(&store, CLIENT, &oidc(), &[record("ada", "localhost:9400", "3000")], 1000);
        assert_eq!(again, Report { accounts: 0, refresh_tokens: 0, skipped: 1 });
        assert_eq!(cache.refresh_token(&account.key()).unwrap().expires_at, Some(2000));
    }

    #[test]
    fn an_entra_refresh_token_is_the_accounts_tenants_and_renews_at_the_configured_authority() {
        let store = MemoryStore::default();
        let info = b64url(format!(r#"{{"uid":"u-1","utid":"{TENANT}"}}"#).as_bytes());
        let home = format!("u-1.{TENANT}");
        // msal's account carries client_info; its ID token's sub is not the home account id.
        let entra_record = Json::parse(&format!(
            r#"{{"homeAccountId":"{home}","environment":"login.windows.net","realm":"{TENANT}","clientInfo":"{info}","idToken":"{}","refreshToken":"rt"}}"#,
            id_token("s", CLIENT)
        ))
        .unwrap();
        let report = import(&store, CLIENT, &entra(), &[entra_record], 1000);
        assert_eq!(report, Report { accounts: 1, refresh_tokens: 1, skipped: 0 });
        let cache = Cache::new(&store, CLIENT);
        let account = &cache.accounts()[0].account;
        assert_eq!((account.home_account_id.as_str(), account.environment.as_str()), (home.as_str(), "login.microsoftonline.com"));
        let rt = cache.refresh_token(&account.key()).unwrap();
        assert_eq!(rt.authority, format!("https://login.microsoftonline.com/{TENANT}"));
        assert_eq!(rt.expires_at, None);
        assert!(entra().redeems_refresh_tokens_of(&rt.authority));
    }

    #[test]
    fn skips_accounts_that_do_not_hold_up() {
        let ada = || record("ada", "localhost:9400", "2000");
        assert_eq!(with(ada(), "idToken", Some(Json::int(5))).get("idToken"), Some(&Json::int(5)));
        let cases = [
            ("another host", record("ada", "evil.example", "2000")),
            ("no ID token", with(ada(), "idToken", None)),
            ("an ID token for another client", with(ada(), "idToken", Some(Json::string(id_token("ada", "other"))))),
            ("an ID token for several audiences, authorized for another", with(ada(), "idToken", Some(Json::string(jwt(r#"{"sub":"ada","aud":["app","x"],"azp":"x"}"#))))),
            ("an ID token that is no JWT", with(ada(), "idToken", Some(Json::string("not.a.jwt")))),
            ("an ID token without a subject", with(ada(), "idToken", Some(Json::string(jwt(r#"{"aud":"app"}"#))))),
            ("an ID token of another user", with(ada(), "idToken", Some(Json::string(id_token("bob", CLIENT))))),
            ("an ID token that is a number", with(ada(), "idToken", Some(Json::int(5)))),
            ("no homeAccountId", with(ada(), "homeAccountId", None)),
            ("no environment", with(ada(), "environment", None)),
            ("not an object", Json::parse("[1,2]").unwrap()),
        ];
        for (what, bad) in cases {
            let store = MemoryStore::default();
            let report = import(&store, CLIENT, &oidc(), &[bad], 1000);
            assert_eq!(report, Report { accounts: 0, refresh_tokens: 0, skipped: 1 }, "{what}");
            assert_eq!(store.keys(), vec![Cache::new(&store, CLIENT).msal_mark_key()], "{what}: nothing but the mark is written");
        }
    }

    #[test]
    fn keeps_the_account_but_not_an_expired_absent_or_unreadable_refresh_token() {
        let ada = || record("ada", "localhost:9400", "2000");
        for (what, record) in [
            ("expired", record("ada", "localhost:9400", "1000")),
            ("expiry not a number", record("ada", "localhost:9400", "soon")),
            ("expiry not a number of seconds", record("ada", "localhost:9400", "[2000]")),
            ("absent", with(ada(), "refreshToken", None)),
            ("empty", with(ada(), "refreshToken", Some(Json::string("")))),
        ] {
            let store = MemoryStore::default();
            let report = import(&store, CLIENT, &oidc(), &[record], 1000);
            assert_eq!(report, Report { accounts: 1, refresh_tokens: 0, skipped: 1 }, "{what}");
            let cache = Cache::new(&store, CLIENT);
            assert_eq!(cache.refresh_token(&cache.accounts()[0].account.key()), None, "{what}");
        }
        // No expiry recorded: kept, without one.
        for none in [Json::Null, Json::string("")] {
            let store = MemoryStore::default();
            assert_eq!(import(&store, CLIENT, &oidc(), &[with(ada(), "refreshTokenExpiresOn", Some(none))], 1000).refresh_tokens, 1);
        }
        // A number of seconds is read as well as msal's string.
        let store = MemoryStore::default();
        assert_eq!(import(&store, CLIENT, &oidc(), &[with(ada(), "refreshTokenExpiresOn", Some(Json::int(2000)))], 1000).refresh_tokens, 1);
    }

    #[test]
    fn one_bad_account_does_not_stop_the_others() {
        let store = MemoryStore::default();
        let records = [Json::Null, record("bob", "elsewhere.example", "2000"), record("ada", "localhost:9400", "2000")];
        let report = import(&store, CLIENT, &oidc(), &records, 1000);
        assert_eq!(report, Report { accounts: 1, refresh_tokens: 1, skipped: 2 });
    }

    proptest! {
        #[test]
        fn never_panics(text in ".*", name in "(homeAccountId|environment|realm|clientInfo|idToken|refreshToken|refreshTokenExpiresOn)") {
            let value = Json::parse(&text).unwrap_or(Json::string(text));
            let records = [with(record("ada", "localhost:9400", "2000"), &name, Some(value))];
            let store = MemoryStore::default();
            let _ = import(&store, CLIENT, &oidc(), &records, 1000);
            let _ = import(&store, CLIENT, &entra(), &records, 1000);
        }
    }
}
