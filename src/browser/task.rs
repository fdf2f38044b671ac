//! The async runtime of both modules, in place of wasm-bindgen-futures' (see
//! docs/architecture.md, Choices): an exported call that waits becomes a [`Task`], which
//! `js/task.js` steps each time the promise it waits for settles.
//!
//! Every wait in this crate is for a JS promise ([`wait`]), and a call waits for one at a time,
//! so a task never needs waking from Rust: it is polled exactly when that promise settles, and
//! is handed what it settled with.

use std::cell::Cell;
use std::future::{poll_fn, Future};
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use js_sys::Promise;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/js/task.js")]
extern "C" {
    #[wasm_bindgen(js_name = runTask)]
    fn run_task(task: Task) -> Promise;
    /// Resolves after `ms` milliseconds.
    #[wasm_bindgen(js_name = sleep)]
    fn timer(ms: u32) -> Promise;
    /// A promise that never settles.
    #[wasm_bindgen(thread_local_v2, js_name = NEVER)]
    static NEVER: Promise;
}

type Outcome = Result<JsValue, JsValue>;

thread_local! {
    /// How the promise that the task being stepped waited for settled.
    static SETTLED: Cell<Option<Outcome>> = const { Cell::new(None) };
    /// The promise that the task being stepped waits for now.
    static WAITING: Cell<Option<Promise>> = const { Cell::new(None) };
}

/// An exported call's work, run by `js/task.js`.
#[wasm_bindgen]
pub struct Task {
    call: Pin<Box<dyn Future<Output = Outcome>>>,
    outcome: Option<Outcome>,
}

#[wasm_bindgen]
impl Task {
    /// Runs the call on to its next wait, handed how the last one ended (`ok`, `value`; unread
    /// on the first step): the promise it now waits for, or undefined once it is over.
    pub fn step(&mut self, ok: bool, value: JsValue) -> Option<Promise> {
        SETTLED.set(Some(if ok { Ok(value) } else { Err(value) }));
        let polled = self.call.as_mut().poll(&mut Context::from_waker(Waker::noop()));
        SETTLED.set(None);
        match polled {
            Poll::Ready(outcome) => {
                self.outcome = Some(outcome);
                None
            }
            // A future that waits on anything but a promise (`std::future::pending`) is never
            // woken: its call never settles.
            Poll::Pending => Some(WAITING.take().unwrap_or_else(|| NEVER.with(Promise::clone))),
        }
    }

    /// What the call answered; throws what it failed with.
    pub fn outcome(self) -> Outcome {
        self.outcome.unwrap_or(Ok(JsValue::UNDEFINED))
    }
}

/// The promise of an exported call that runs `call`.
pub fn promise(call: Pin<Box<dyn Future<Output = Outcome>>>) -> Promise {
    run_task(Task { call, outcome: None })
}

/// Waits for `promise`: what it resolved or rejected with.
pub fn wait(promise: Promise) -> impl Future<Output = Outcome> {
    let mut promise = Some(promise);
    poll_fn(move |_| match promise.take() {
        Some(promise) => {
            WAITING.set(Some(promise));
            Poll::Pending
        }
        None => SETTLED.take().map_or(Poll::Pending, Poll::Ready),
    })
}

/// Waits for `value` as JS `await` does: a promise (or any thenable) for what it settles with,
/// anything else for itself. For what an app's callback returns.
pub fn settle(value: &JsValue) -> impl Future<Output = Outcome> {
    wait(Promise::resolve(value))
}

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: u32) {
    let _ = wait(timer(ms)).await;
}
