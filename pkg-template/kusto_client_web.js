// The Kusto module for kusto-spa-auth/web: the wasm as a file of its own.
import init, { KustoClient, provide } from "./kusto_client.js";

export async function load(js) {
  provide(js);
  await init({ module_or_path: new URL("./kusto_client_bg.wasm", import.meta.url) });
  return KustoClient;
}
