//! The channel over which a popup's redirect page hands its response back when the identity
//! provider's Cross-Origin-Opener-Policy cut the popup off from the page that opened it
//! (js/tabs.js).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(module = "/js/tabs.js")]
extern "C" {
    type Inbox;
    /// Throws where the browser has no BroadcastChannel.
    #[wasm_bindgen(js_name = listenForResponses, catch)]
    fn listen_for_responses() -> Result<Inbox, JsValue>;
    #[wasm_bindgen(method)]
    fn take(this: &Inbox) -> JsValue;
    #[wasm_bindgen(method)]
    fn close(this: &Inbox);
    /// Posts a response (the page's fragment and query) to whichever page of the origin listens.
    #[wasm_bindgen(js_name = broadcastResponse)]
    pub fn broadcast_response(hash: &str, search: &str);
}

/// The responses that arrive on the channel while it is open.
pub struct Bridge(Inbox);

impl Bridge {
    /// None where the browser has no BroadcastChannel: the popup's address is then the only way.
    pub fn listen() -> Option<Bridge> {
        listen_for_responses().ok().map(Bridge)
    }

    /// The oldest response not yet taken: (fragment, query).
    pub fn take(&self) -> Option<(String, String)> {
        let pair: js_sys::Array = self.0.take().dyn_into().ok()?;
        Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        self.0.close();
    }
}
