//! The token cache: accounts (with their ID token), access tokens per account and scope set,
//! refresh tokens per account, and discovered provider metadata.
//!
//! Layout (every key starts with `ksa1|`; keys of other libraries are never touched):
//! - `ksa1|{clientId}|account|{account}`        the account and its raw ID token
//! - `ksa1|{clientId}|rt|{account}`             the refresh token and when it dies
//! - `ksa1|{clientId}|at|{account}|{authority}|{scopes}`  an access token of that authority
//!   (percent-encoded) for that scope set: one account's tokens of two tenants stay apart
//! - `ksa1|{clientId}|active|`                  the active account's key
//! - `ksa1|meta|{authority}`                    discovered endpoints and when they were fetched
//! - `ksa1|{clientId}|gen|`                     changes with every write and removal (below)
//! - `ksa1|{clientId}|msal|`                    msal-browser's cache was taken over (`msal_import`)
//!
//! `ksa1|{clientId}|renewal|{account}` is not a storage key: it names the cross-tab lock for the
//! account's renewals and the IndexedDB stamp of its latest refresh token.
//!
//! `{account}` is `environment|homeAccountId`, each percent-encoded. An entry under our prefix
//! that does not read back as what we wrote (edited by hand, truncated) is removed and treated as
//! absent: the app then signs in again instead of crashing.

use super::account::Account;
use super::authority::{Authority, Endpoints};
use super::error::{AuthError, Result};
use super::json::Json;
use super::scopes::Scopes;
use super::secret::{digest, AccessToken, IdToken, RefreshToken};
use super::store::Store;
use super::url::encode;

pub const PREFIX: &str = "ksa1|";

/// How long discovered metadata is trusted before it is fetched again.
pub const METADATA_TTL_SECS: i64 = 24 * 3600;

#[derive(Debug, Clone, PartialEq)]
pub struct AccountEntry {
    pub account: Account,
    pub id_token: IdToken,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AccessTokenEntry {
    pub secret: AccessToken,
    pub token_type: String,
    pub expires_at: i64,
    /// The scopes the app asked for (the cache key), and what the server said it granted.
    pub requested: Scopes,
    pub granted: Scopes,
    /// The authority that issued it (`Authority::url`): it answers for that authority only.
    pub authority: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RefreshTokenEntry {
    pub secret: RefreshToken,
    /// When the provider said the refresh token dies (Entra SPA tokens: 24 h after sign-in).
    pub expires_at: Option<i64>,
    /// The authority that issued it: it is only ever sent back there.
    pub authority: String,
}

impl RefreshTokenEntry {
    pub fn is_expired(&self, now: i64) -> bool {
        self.expires_at.is_some_and(|t| t <= now)
    }
}

/// Whether an access token expiring at `expires_at` is still served rather than renewed.
pub fn is_fresh(expires_at: i64, now: i64, renewal_offset: i64) -> bool {
    expires_at.saturating_sub(renewal_offset) > now
}

pub struct Cache<'a> {
    store: &'a dyn Store,
    client_id: &'a str,
}

fn scopes_json(scopes: &Scopes) -> Json {
    Json::strings(scopes.as_slice())
}

fn scopes_from(json: Option<&Json>) -> Option<Scopes> {
    Some(Scopes::new(json?.as_strings()?))
}

impl<'a> Cache<'a> {
    pub fn new(store: &'a dyn Store, client_id: &'a str) -> Cache<'a> {
        Cache { store, client_id }
    }

    /// What every key of this client's entries starts with.
    pub fn prefix(&self) -> String {
        format!("{PREFIX}{}|", self.client_id)
    }

    fn key(&self, kind: &str, rest: &str) -> String {
        let mut key = self.prefix();
        key.push_str(kind);
        key.push('|');
        key.push_str(rest);
        key
    }

    /// The mark that msal-browser's cache was taken over into this one.
    pub fn msal_mark_key(&self) -> String {
        self.key("msal", "")
    }

    fn write(&self, key: &str, json: &Json) -> Result<()> {
        self.set(key, &json.to_string())
    }

    /// Writes an entry that answers depend on (accounts, tokens, the active account).
    fn set(&self, key: &str, value: &str) -> Result<()> {
        self.put(key, value)?;
        self.changed(key, value);
        Ok(())
    }

    fn put(&self, key: &str, value: &str) -> Result<()> {
        self.store
            .set(key, value)
            .map_err(|why| AuthError::browser("cache_write_failed", format!("The token cache could not be written ({why}). Free some browser storage or use another cacheLocation.")))
    }

    fn remove(&self, key: &str) {
        self.store.remove(key);
        self.changed(key, "");
    }

    /// Moves the generation on: a digest of the previous one and the change, so that tabs
    /// writing at once still leave a value no reader has seen before their writes.
    fn changed(&self, key: &str, value: &str) {
        let previous = self.generation().unwrap_or_default();
        let _ = self.store.set(&self.key("gen", ""), &digest(&format!("{previous}|{key}|{value}")));
    }

    /// The cache's generation, which every write and removal changes: whoever keeps an answer
    /// read from the cache can tell, by comparing it, whether that answer still stands.
    pub fn generation(&self) -> Option<String> {
        self.store.get(&self.key("gen", ""))
    }

    /// Reads and decodes an entry; an entry that does not decode is removed.
    fn read<T>(&self, key: &str, decode: impl FnOnce(&Json) -> Option<T>) -> Option<T> {
        let text = self.store.get(key)?;
        let value = Json::parse(&text).ok().as_ref().and_then(decode);
        if value.is_none() {
            self.remove(key);
        }
        value
    }

    pub fn account(&self, account_key: &str) -> Option<AccountEntry> {
        self.read(&self.key("account", account_key), |json| {
            let account = Account::from_json(json.get("account")?)?;
            // The key is derived from the content; a mismatch means the entry was tampered with.
            (account.key() == account_key).then_some(())?;
            Some(AccountEntry { account, id_token: IdToken::new(json.str_at("idToken")?) })
        })
    }

    pub fn accounts(&self) -> Vec<AccountEntry> {
        let prefix = self.key("account", "");
        self.store.keys().iter().filter_map(|k| k.strip_prefix(prefix.as_str())).filter_map(|account_key| self.account(account_key)).collect()
    }

    pub fn save_account(&self, entry: &AccountEntry) -> Result<()> {
        let json = Json::object([("account", Some(entry.account.to_json())), ("idToken", Some(Json::string(entry.id_token.expose())))]);
        self.write(&self.key("account", &entry.account.key()), &json)
    }

    /// Removes the account and every token held for it.
    pub fn remove_account(&self, account_key: &str) {
        let exact = [self.key("account", account_key), self.key("rt", account_key)];
        let tokens = self.key("at", &format!("{account_key}|"));
        for key in self.store.keys() {
            if exact.contains(&key) || key.starts_with(&tokens) {
                self.store.remove(&key);
            }
        }
        if self.active_account().as_deref() == Some(account_key) {
            self.store.remove(&self.key("active", ""));
        }
        // One change, however many entries went.
        self.changed(&exact[0], "");
    }

    /// Signs out of the cache: the named account, or every account when none is named (or the
    /// named one is not cached), as MSAL's logout and clearCache do. Returns the named account's
    /// entry, which the end-session request hints with.
    pub fn sign_out(&self, account_key: Option<&str>) -> Option<AccountEntry> {
        let named = account_key.and_then(|key| self.account(key));
        let leaving = match &named {
            Some(entry) => vec![entry.account.key()],
            None => self.accounts().iter().map(|e| e.account.key()).collect(),
        };
        for key in &leaving {
            self.remove_account(key);
        }
        named
    }

    fn decode_access_token(json: &Json) -> Option<AccessTokenEntry> {
        Some(AccessTokenEntry {
            secret: AccessToken::new(json.str_at("secret")?),
            token_type: json.str_at("tokenType")?.to_owned(),
            expires_at: json.get("expiresAt")?.as_i64()?,
            requested: scopes_from(json.get("requested"))?,
            granted: scopes_from(json.get("granted"))?,
            authority: json.str_at("authority")?.to_owned(),
        })
    }

    /// An access token of `authority` for the account covering `scopes` that stays valid for more
    /// than `renewal_offset` seconds: the exact scope set first, then any entry whose scopes
    /// include them.
    pub fn access_token(&self, account_key: &str, scopes: &Scopes, authority: &Authority, now: i64, renewal_offset: i64) -> Option<AccessTokenEntry> {
        let fresh = |e: &AccessTokenEntry| is_fresh(e.expires_at, now, renewal_offset) && authority.shares_tokens_with(&e.authority);
        let exact_key = self.access_token_key(account_key, &authority.url, scopes);
        if let Some(entry) = self.read(&exact_key, Self::decode_access_token) {
            return fresh(&entry).then_some(entry);
        }
        let wanted = scopes.resource_scopes();
        let prefix = self.key("at", &format!("{account_key}|"));
        self.store
            .keys()
            .iter()
            .filter(|k| k.starts_with(&prefix))
            .filter_map(|k| self.read(k, Self::decode_access_token))
            .find(|e| fresh(e) && (e.requested.contains_all(&wanted) || e.granted.contains_all(&wanted)))
    }

    pub fn save_access_token(&self, account_key: &str, entry: &AccessTokenEntry) -> Result<()> {
        let json = Json::object([
            ("secret", Some(Json::string(entry.secret.expose()))),
            ("tokenType", Some(Json::string(&entry.token_type))),
            ("expiresAt", Some(Json::int(entry.expires_at))),
            ("requested", Some(scopes_json(&entry.requested))),
            ("granted", Some(scopes_json(&entry.granted))),
            ("authority", Some(Json::string(&entry.authority))),
        ]);
        self.write(&self.access_token_key(account_key, &entry.authority, &entry.requested), &json)
    }

    fn access_token_key(&self, account_key: &str, authority: &str, scopes: &Scopes) -> String {
        self.key("at", &format!("{account_key}|{}|{}", encode(authority), scopes.key()))
    }

    pub fn refresh_token(&self, account_key: &str) -> Option<RefreshTokenEntry> {
        self.read(&self.key("rt", account_key), |json| {
            let expires_at = match json.get("expiresAt") {
                None => None,
                Some(t) => Some(t.as_i64()?),
            };
            Some(RefreshTokenEntry { secret: RefreshToken::new(json.str_at("secret")?), expires_at, authority: json.str_at("authority")?.to_owned() })
        })
    }

    pub fn save_refresh_token(&self, account_key: &str, entry: &RefreshTokenEntry) -> Result<()> {
        let json = Json::object([("secret", Some(Json::string(entry.secret.expose()))), ("expiresAt", entry.expires_at.map(Json::int)), ("authority", Some(Json::string(&entry.authority)))]);
        self.write(&self.key("rt", account_key), &json)
    }

    pub fn remove_refresh_token(&self, account_key: &str) {
        self.remove(&self.key("rt", account_key));
    }

    /// The name of the account's renewal lock and stamp (see the layout above).
    pub fn renewal_name(&self, account_key: &str) -> String {
        self.key("renewal", account_key)
    }

    pub fn active_account(&self) -> Option<String> {
        self.store.get(&self.key("active", ""))
    }

    pub fn set_active_account(&self, account_key: Option<&str>) -> Result<()> {
        let key = self.key("active", "");
        match account_key {
            Some(k) => self.set(&key, k),
            None => {
                self.remove(&key);
                Ok(())
            }
        }
    }

    fn metadata_key(authority: &str) -> String {
        format!("{PREFIX}meta|{authority}")
    }

    /// Endpoints discovered for `authority` less than `METADATA_TTL_SECS` ago. The entry keeps
    /// when it was written, not until when it holds: an entry rewritten to live forever still
    /// dies a day after its stated write time (and one dated in the future is not read).
    pub fn metadata(&self, authority: &str, now: i64) -> Option<Endpoints> {
        self.read(&Self::metadata_key(authority), |json| {
            let fetched_at = json.get("fetchedAt")?.as_i64()?;
            Some((fetched_at, Endpoints::from_json(json.get("endpoints")?)?))
        })
        .filter(|(fetched_at, _)| *fetched_at <= now && now < fetched_at.saturating_add(METADATA_TTL_SECS))
        .map(|(_, endpoints)| endpoints)
    }

    pub fn save_metadata(&self, authority: &str, endpoints: &Endpoints, now: i64) -> Result<()> {
        let json = Json::object([("fetchedAt", Some(Json::int(now))), ("endpoints", Some(endpoints.to_json()))]);
        // Endpoints change no answer: the generation stays.
        self.put(&Self::metadata_key(authority), &json.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::id_token::Claims;
    use crate::core::store::MemoryStore;
    use proptest::prelude::*;

    fn account(home: &str) -> AccountEntry {
        let claims = Claims(Json::parse(&format!(r#"{{"sub":"{home}","preferred_username":"{home}@example.com"}}"#)).unwrap());
        AccountEntry { account: Account::from_claims(claims, "localhost:9400", None).unwrap(), id_token: IdToken::new("a.b.c") }
    }

    fn token(scopes: &[&str], expires_at: i64) -> AccessTokenEntry {
        AccessTokenEntry {
            secret: AccessToken::new(format!("at-{}", scopes.join("+"))),
            token_type: "Bearer".into(),
            expires_at,
            requested: Scopes::new(scopes),
            granted: Scopes::new(scopes),
            authority: IDP.into(),
        }
    }

    const IDP: &str = "http://localhost:9400";

    fn idp() -> Authority {
        Authority::parse(IDP, crate::core::authority::ProtocolMode::Auto).unwrap()
    }

    #[test]
    fn finds_tokens_by_scope_set_and_expiry() {
        let store = MemoryStore::default();
        let cache = Cache::new(&store, "app");
        let ada = account("ada");
        cache.save_account(&ada).unwrap();
        let key = ada.account.key();
        cache.save_access_token(&key, &token(&["https://help.kusto.windows.net/.default"], 1000)).unwrap();
        cache.save_access_token(&key, &token(&["a", "b"], 2000)).unwrap();

        let kusto = Scopes::new(["https://help.kusto.windows.net/.default", "openid"]);
        assert_eq!(cache.access_token(&key, &kusto, &idp(), 600, 300).unwrap().secret.expose(), "at-https://help.kusto.windows.net/.default");
        // Inside the renewal offset the token no longer counts as cached.
        assert_eq!(cache.access_token(&key, &kusto, &idp(), 701, 300), None);
        // A subset of a cached scope set is served by it.
        assert_eq!(cache.access_token(&key, &Scopes::new(["B"]), &idp(), 600, 300).unwrap().secret.expose(), "at-a+b");
        assert_eq!(cache.access_token(&key, &Scopes::new(["c"]), &idp(), 600, 300), None);
        assert_eq!(cache.access_token("localhost%3A9400|other", &kusto, &idp(), 600, 300), None);
    }

    #[test]
    fn keeps_accounts_refresh_tokens_and_the_active_account() {
        let store = MemoryStore::default();
        let cache = Cache::new(&store, "app");
        let (ada, bob) = (account("ada"), account("auth0|bob"));
        cache.save_account(&ada).unwrap();
        cache.save_account(&bob).unwrap();
        assert_eq!(cache.accounts().len(), 2);
        assert_eq!(cache.account(&bob.account.key()), Some(bob.clone()));

        let rt = RefreshTokenEntry { secret: RefreshToken::new("rt"), expires_at: Some(500), authority: IDP.into() };
        cache.save_refresh_token(&bob.account.key(), &rt).unwrap();
        assert_eq!(cache.refresh_token(&bob.account.key()), Some(rt.clone()));
        assert!(!rt.is_expired(499) && rt.is_expired(500));
        cache.set_active_account(Some(&bob.account.key())).unwrap();
        cache.save_access_token(&bob.account.key(), &token(&["x"], 9999)).unwrap();
        // The prefix the package's JS watches for other tabs' changes is that of every entry.
        assert_eq!(cache.prefix(), "ksa1|app|");
        assert!(store.keys().iter().all(|k| k.starts_with(&cache.prefix())));

        // A 'bob' prefix of another account must not catch its entries.
        cache.remove_account(&account("auth0").account.key());
        assert_eq!(cache.accounts().len(), 2);
        cache.remove_account(&bob.account.key());
        assert_eq!(cache.accounts(), vec![ada.clone()]);
        assert_eq!(cache.refresh_token(&bob.account.key()), None);
        assert_eq!(cache.active_account(), None);
        assert!(store.keys().iter().all(|k| !k.contains("bob")));
    }

    #[test]
    fn signs_out_the_named_account_or_every_account() {
        let store = MemoryStore::default();
        let cache = Cache::new(&store, "app");
        let (ada, bob, cy) = (account("ada"), account("bob"), account("cy"));
        for entry in [&ada, &bob, &cy] {
            cache.save_account(entry).unwrap();
            cache.save_access_token(&entry.account.key(), &token(&["x"], 9999)).unwrap();
        }
        assert_eq!(cache.sign_out(Some(&bob.account.key())), Some(bob.clone()));
        let mut left: Vec<_> = cache.accounts().into_iter().map(|e| e.account.username).collect();
        left.sort();
        assert_eq!(left, ["ada@example.com", "cy@example.com"]);
        // An account that is not cached (signed out in another tab) names nobody: all leave.
        assert_eq!(cache.sign_out(Some(&bob.account.key())), None);
        assert_eq!(cache.accounts(), vec![]);
        assert_eq!(cache.access_token(&ada.account.key(), &Scopes::new(["x"]), &idp(), 0, 0), None);
        cache.save_account(&ada).unwrap();
        assert_eq!(cache.sign_out(None), None);
        assert_eq!(store.keys(), vec!["ksa1|app|gen|".to_owned()], "only the generation is left");
    }

    #[test]
    fn removes_entries_it_cannot_read_and_leaves_foreign_keys() {
        let store = MemoryStore::default();
        let cache = Cache::new(&store, "app");
        let ada = account("ada");
        cache.save_account(&ada).unwrap();
        let key = ada.account.key();
        store.set("msal.token.keys.app", "{not ours").unwrap();
        store.set(&format!("ksa1|app|account|{key}x"), "{broken").unwrap();
        store.set(&format!("ksa1|app|rt|{key}"), r#"{"secret":5}"#).unwrap();
        store.set(&format!("ksa1|app|at|{key}|s"), r#"["wrong shape"]"#).unwrap();
        // An account entry whose content names a different account than its key.
        store.set("ksa1|app|account|x|y", &store.get(&format!("ksa1|app|account|{key}")).unwrap()).unwrap();

        assert_eq!(cache.accounts(), vec![ada]);
        assert_eq!(cache.refresh_token(&key), None);
        assert_eq!(cache.access_token(&key, &Scopes::new(["s"]), &idp(), 0, 0), None);
        let mut left = store.keys();
        left.sort();
        assert_eq!(left, vec![format!("ksa1|app|account|{key}"), "ksa1|app|gen|".to_owned(), "msal.token.keys.app".to_owned()]);
    }

    #[test]
    fn every_write_and_removal_moves_the_generation_and_reads_do_not() {
        let store = MemoryStore::default();
        let cache = Cache::new(&store, "app");
        assert_eq!(cache.generation(), None);
        let ada = account("ada");
        let key = ada.account.key();
        let mut seen = Vec::new();
        let mut step = |what: &str| {
            let generation = cache.generation().unwrap();
            assert!(!seen.contains(&generation), "{what} left a generation seen before");
            seen.push(generation);
        };
        cache.save_account(&ada).unwrap();
        step("save_account");
        cache.save_access_token(&key, &token(&["s"], 100)).unwrap();
        step("save_access_token");
        let before = cache.generation();
        assert!(cache.account(&key).is_some() && cache.access_token(&key, &Scopes::new(["s"]), &idp(), 0, 0).is_some());
        assert_eq!(cache.generation(), before, "reads leave it alone");
        cache.set_active_account(Some(&key)).unwrap();
        step("set_active_account");
        // The same write again is still a change: a reader cannot tell it from another tab's.
        cache.save_access_token(&key, &token(&["s"], 100)).unwrap();
        step("the same write again");
        cache.remove_account(&key);
        step("remove_account");
    }

    #[test]
    fn expires_metadata() {
        let store = MemoryStore::default();
        let cache = Cache::new(&store, "app");
        let e = Endpoints { authorization: "a".into(), token: "t".into(), end_session: None, issuer: "i".into() };
        cache.save_metadata("http://localhost:9400", &e, 100).unwrap();
        assert_eq!(cache.metadata("http://localhost:9400", 100 + METADATA_TTL_SECS - 1), Some(e));
        assert_eq!(cache.metadata("http://localhost:9400", 100 + METADATA_TTL_SECS), None);
        // Rewritten to hold for ever, or dated in the future: a day at most, from its stated date.
        let key = "ksa1|meta|http://localhost:9400";
        store.set(key, r#"{"fetchedAt":100,"expiresAt":9999999999,"endpoints":{"authorization":"a","token":"t","issuer":"i"}}"#).unwrap();
        assert!(cache.metadata("http://localhost:9400", 200).is_some());
        assert_eq!(cache.metadata("http://localhost:9400", 100 + METADATA_TTL_SECS), None);
        store.set(key, &format!(r#"{{"fetchedAt":{},"endpoints":{{"authorization":"a","token":"t","issuer":"i"}}}}"#, i64::MAX)).unwrap();
        assert_eq!(cache.metadata("http://localhost:9400", 200), None);
    }

    proptest! {
        #[test]
        fn hand_edited_entries_never_panic(value in ".*", which in 0usize..4) {
            let store = MemoryStore::default();
            let cache = Cache::new(&store, "app");
            let key = ["ksa1|app|account|k|h", "ksa1|app|rt|k|h", "ksa1|app|at|k|h|s", "ksa1|meta|m"][which];
            store.set(key, &value).unwrap();
            let _ = cache.accounts();
            let _ = cache.refresh_token("k|h");
            let _ = cache.access_token("k|h", &Scopes::new(["s"]), &idp(), 0, 0);
            let _ = cache.metadata("m", 0);
        }
    }
}
