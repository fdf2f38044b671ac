//! Times read from storage or from a server can be anything an `i64` holds; the arithmetic on
//! them saturates instead of overflowing (a panic natively, a wrap to the wrong answer in wasm).

use kusto_spa_auth::core::authority::Endpoints;
use kusto_spa_auth::core::cache::{is_fresh, Cache, METADATA_TTL_SECS};
use kusto_spa_auth::core::store::MemoryStore;

#[test]
fn freshness_saturates() {
    assert!(!is_fresh(i64::MIN, 0, 300));
    assert!(is_fresh(i64::MAX, i64::MAX - 1, 0));
    assert!(!is_fresh(i64::MIN, i64::MIN, 1));
    assert!(is_fresh(i64::MAX, 0, i64::MIN));
}

#[test]
fn metadata_saved_at_the_end_of_time_stays_readable() {
    let store = MemoryStore::default();
    let cache = Cache::new(&store, "app");
    let endpoints = Endpoints { authorization: "a".into(), token: "t".into(), end_session: None, issuer: "i".into() };
    cache.save_metadata("https://login.example", &endpoints, i64::MAX - 10).unwrap();
    assert_eq!(cache.metadata("https://login.example", i64::MAX - 1), Some(endpoints.clone()));
    assert_eq!(cache.metadata("https://login.example", i64::MIN), None, "saved in the future: the clock went back");
    cache.save_metadata("https://login.example", &endpoints, i64::MIN).unwrap();
    assert_eq!(cache.metadata("https://login.example", i64::MIN + METADATA_TTL_SECS - 1), Some(endpoints.clone()));
    assert_eq!(cache.metadata("https://login.example", i64::MAX), None);
}
