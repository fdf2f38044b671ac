// kusto-spa-auth: the module entry. The wasm is inlined and instantiated here, once, at import,
// so that bundlers and dev servers need no configuration and apps never call an init function.
import { initSync } from "./kusto_spa_auth.js";
// A string whose character codes are the wasm's bytes (see tools/build-pkg.mjs).
import wasmChars from "./kusto_spa_auth_wasm.js";
import { LazyKustoClient } from "./kusto.js";

const bytes = new Uint8Array(wasmChars.length);
for (let i = 0; i < wasmChars.length; i++) bytes[i] = wasmChars.charCodeAt(i);
initSync({ module: bytes });

export * from "./exports.js";
// The Kusto client: a chunk of its own for bundlers, fetched when an app first uses one, and
// not even built for an app that never names it.
export class KustoClient extends LazyKustoClient {
  static load(js) {
    return import("./kusto_client_inline.js").then((m) => m.load(js));
  }
}
