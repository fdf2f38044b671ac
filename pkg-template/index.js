// kusto-spa-auth: the module entry. The wasm is inlined and instantiated here, once, at import,
// so that bundlers and dev servers need no configuration and apps never call an init function.
import { initSync } from "./kusto_spa_auth.js";
import { decode } from "./ranked.js";
import { LazyKustoClient } from "./kusto.js";
export * from "./exports.js";
// Imported last, so that bundlers put the package's JS in one run before the wasm's text, where
// gzip compresses it as a whole (530 bytes less than with the text in the middle).
import { alphabet, byRank, text } from "./kusto_spa_auth_wasm.js";

initSync({ module: decode({ alphabet, byRank, text }) });

// The Kusto client: a chunk of its own for bundlers, fetched when an app first uses one, and
// not even built for an app that never names it.
export class KustoClient extends LazyKustoClient {
  static load(js) {
    return import("./kusto_client_inline.js").then((m) => m.load(js));
  }
}
