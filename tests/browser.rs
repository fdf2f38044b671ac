//! Browser tests of the shell and the JS surface, run in headless Chromium with
//! `wasm-pack test --headless --chrome -- --test browser`.
#![cfg(target_arch = "wasm32")]

use js_sys::{Promise, Reflect};
use kusto_spa_auth::api::pca::PublicClientApplication;
use kusto_spa_auth::browser::location;
use kusto_spa_auth::browser::storage::{Area, WebStore};
use kusto_spa_auth::core::authority::{Authority, ProtocolMode};
use kusto_spa_auth::core::cache::Cache;
use kusto_spa_auth::core::redirect::Source;
use kusto_spa_auth::core::scopes::Scopes;
use kusto_spa_auth::core::store::Store;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(module = "/js/errors.js")]
extern "C" {
    type AuthError;
    type BrowserAuthError;
    type InteractionRequiredAuthError;
    type ClientConfigurationError;
    type ServerError;
}

fn is_instance<T: JsCast>(value: &JsValue) -> bool {
    value.is_instance_of::<T>()
}

fn get(target: &JsValue, key: &str) -> JsValue {
    Reflect::get(target, &JsValue::from_str(key)).unwrap()
}

fn config(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

#[wasm_bindgen_test]
fn both_storage_areas_read_write_and_list() {
    for area in [Area::Local, Area::Session] {
        let store = WebStore::open(area).expect("storage is available in the test page");
        store.set("ksa-test|a", "1").unwrap();
        store.set("ksa-test|b", "2").unwrap();
        assert_eq!(store.get("ksa-test|a").as_deref(), Some("1"));
        let mut keys: Vec<String> = store.keys().into_iter().filter(|k| k.starts_with("ksa-test|")).collect();
        keys.sort();
        assert_eq!(keys, ["ksa-test|a", "ksa-test|b"]);
        store.remove("ksa-test|a");
        store.remove("ksa-test|b");
        assert_eq!(store.get("ksa-test|a"), None);
    }
}

#[wasm_bindgen_test]
fn a_hand_edited_entry_in_local_storage_is_cleaned_up() {
    let store = WebStore::open(Area::Local).unwrap();
    store.set("ksa1|app|at|h%3A1|u|s", "{\"secret\":").unwrap();
    store.set("other-library-key", "{not json").unwrap();
    let cache = Cache::new(&store, "app");
    let authority = Authority::parse("https://login.microsoftonline.com/common", ProtocolMode::Auto).unwrap();
    assert_eq!(cache.access_token("h%3A1|u", &Scopes::new(["s"]), &authority, 0, 0), None);
    assert_eq!(store.get("ksa1|app|at|h%3A1|u|s"), None, "the corrupt entry is removed");
    assert_eq!(store.get("other-library-key").as_deref(), Some("{not json"), "foreign keys are left alone");
    store.remove("other-library-key");
}

#[wasm_bindgen_test]
fn the_response_is_removed_from_the_address_bar() {
    let history = web_sys::window().unwrap().history().unwrap();
    let original = location::here().unwrap().href;

    history.replace_state_with_url(&JsValue::NULL, "", Some("?keep=1#code=secret&state=s")).unwrap();
    location::clear_response(Source::Fragment).unwrap();
    let here = location::here().unwrap();
    assert_eq!((here.search.as_str(), here.hash.as_str()), ("?keep=1", ""));

    history.replace_state_with_url(&JsValue::NULL, "", Some("?keep=1&code=secret&state=s&session_state=x#/route")).unwrap();
    location::clear_response(Source::Query).unwrap();
    let here = location::here().unwrap();
    assert_eq!((here.search.as_str(), here.hash.as_str()), ("?keep=1", "#/route"));
    assert!(!here.href.contains("secret"));

    history.replace_state_with_url(&JsValue::NULL, "", Some(&original)).unwrap();
}

#[wasm_bindgen_test]
fn configuration_errors_are_js_error_subclasses() {
    let err = PublicClientApplication::new(config(r#"{"auth":{"clientId":"app","authority":"http://idp.example.com/"}}"#), JsValue::UNDEFINED).err().unwrap();
    assert!(is_instance::<ClientConfigurationError>(&err));
    assert!(is_instance::<AuthError>(&err));
    assert!(is_instance::<js_sys::Error>(&err));
    assert!(!is_instance::<BrowserAuthError>(&err));
    assert_eq!(get(&err, "errorCode"), "authority_uri_insecure");
    assert_eq!(get(&err, "name"), "ClientConfigurationError");
    assert!(get(&err, "errorMessage").as_string().unwrap().contains("https"));

    let err = PublicClientApplication::new(config(r#"{"auth":{}}"#), JsValue::UNDEFINED).err().unwrap();
    assert_eq!(get(&err, "errorCode"), "invalid_client_id");
    let err = PublicClientApplication::new(config(r#"{"auth":{"clientId":"app"},"cache":{"cacheLocation":"cookies"}}"#), JsValue::UNDEFINED).err().unwrap();
    assert_eq!(get(&err, "errorCode"), "invalid_cache_location");
}

async fn rejection(promise: Promise) -> JsValue {
    JsFuture::from(promise).await.expect_err("the promise should reject")
}

#[wasm_bindgen_test]
async fn silent_requests_without_tokens_reject_with_typed_errors() {
    let pca = PublicClientApplication::new(
        config(r#"{"auth":{"clientId":"browser-test","authority":"https://login.microsoftonline.com/common"},"cache":{"cacheLocation":"memoryStorage"}}"#),
        JsValue::UNDEFINED,
    )
    .unwrap();
    let scopes = r#""scopes":["https://help.kusto.windows.net/.default"]"#;

    let err = rejection(pca.acquire_token_silent(config(&format!("{{{scopes}}}")), None)).await;
    assert!(is_instance::<BrowserAuthError>(&err));
    assert_eq!(get(&err, "errorCode"), "no_account_error");

    let account = r#""account":{"homeAccountId":"u.t","environment":"login.microsoftonline.com"}"#;
    let err = rejection(pca.acquire_token_silent(config(&format!("{{{scopes},{account}}}")), None)).await;
    assert!(is_instance::<InteractionRequiredAuthError>(&err));
    assert!(is_instance::<AuthError>(&err));
    assert!(!is_instance::<ServerError>(&err));
    assert_eq!(get(&err, "errorCode"), "no_tokens_found");
    assert_eq!(get(&err, "correlationId").as_string().unwrap().len(), 36);

    let err = rejection(pca.acquire_token_silent(config(&format!(r#"{{"scopes":[],{account}}}"#)), None)).await;
    assert!(is_instance::<ClientConfigurationError>(&err));
    assert_eq!(get(&err, "errorCode"), "empty_input_scopes_error");

    assert_eq!(pca.get_all_accounts(JsValue::UNDEFINED).length(), 0);
    assert!(pca.get_active_account().is_null());
}

/// The async runtime (browser::task): a call gets what each promise it waits for settled with,
/// rejections included, in order, across timers and a wait for another call; its promise
/// answers what the call answered, or rejects with what it failed with, or never settles if the
/// call waits on anything else.
#[wasm_bindgen_test]
async fn a_task_gets_what_each_promise_it_waits_for_settled_with() {
    use kusto_spa_auth::browser::task::{promise, sleep, wait};

    let call = promise(Box::pin(async {
        let first = wait(Promise::resolve(&JsValue::from(1))).await?;
        let refused = wait(Promise::reject(&JsValue::from("refused"))).await.expect_err("a rejection comes back as Err");
        sleep(5).await;
        let other = wait(promise(Box::pin(async {
            sleep(1).await;
            Ok(JsValue::from(3))
        })))
        .await?;
        Ok(js_sys::Array::of3(&first, &refused, &other).into())
    }));
    let answer: js_sys::Array = JsFuture::from(call).await.unwrap().into();
    assert_eq!(answer.to_vec(), [JsValue::from(1), JsValue::from("refused"), JsValue::from(3)]);

    let failed = rejection(promise(Box::pin(async {
        wait(Promise::resolve(&JsValue::NULL)).await?;
        Err(JsValue::from("failed"))
    })))
    .await;
    assert_eq!(failed, "failed");

    // A call that waits on anything but a promise can never be woken, so it never settles.
    let stuck = promise(Box::pin(async {
        std::future::pending::<()>().await;
        Ok(JsValue::from("woken"))
    }));
    let timer = promise(Box::pin(async {
        sleep(50).await;
        Ok(JsValue::from("timer"))
    }));
    let first = JsFuture::from(Promise::race(&js_sys::Array::of2(&stuck, &timer))).await.unwrap();
    assert_eq!(first, "timer");
}
