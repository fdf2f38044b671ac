// kusto-spa-auth/web: the same API with the wasm as a separate file, cached on its own. For Vite
// and webpack apps that want the smallest download; the default entry (wasm inlined) is the one
// that works everywhere with no configuration.
import { wasm as fetched } from "./web-wasm.js";
import { initSync } from "./kusto_spa_auth.js";
import { LazyKustoClient } from "./kusto.js";

// Fetched whole (web-wasm.js), then compiled as the default entry's inlined bytes are: V8 compiles
// such a module's functions as they are first called, where streaming compilation compiles all of
// them before the module can start (about 10 ms later to handleRedirectPromise in make bench).
const wasm = await fetched;
if (!wasm.ok) throw new Error(`kusto-spa-auth: its module ${wasm.url} could not be loaded (HTTP ${wasm.status})`);
initSync({ module: await wasm.arrayBuffer() });

export * from "./exports.js";
// The Kusto client: a chunk of its own for bundlers, fetched when an app first uses one, and
// not even built for an app that never names it.
export class KustoClient extends LazyKustoClient {
  static load(js) {
    return import("./kusto_client_web.js").then((m) => m.load(js));
  }
}
