// kusto-spa-auth/web: the same API with the wasm as a separate file, compiled while it
// downloads and cached on its own. For Vite and webpack apps that want the smallest download;
// the default entry (wasm inlined) is the one that works everywhere with no configuration.
import init from "./kusto_spa_auth.js";
import { LazyKustoClient } from "./kusto.js";

await init({ module_or_path: new URL("./kusto_spa_auth_bg.wasm", import.meta.url) });

export * from "./exports.js";
// The Kusto client: a chunk of its own for bundlers, fetched when an app first uses one, and
// not even built for an app that never names it.
export class KustoClient extends LazyKustoClient {
  static load() {
    return import("./kusto_client_web.js").then((m) => m.load());
  }
}
