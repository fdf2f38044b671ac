// The Kusto module for the default entry: the wasm inlined, gzip-compressed then base64-encoded
// (base64 of the raw wasm compresses to a third more on the wire; of its gzip, to about the same).
import init, { KustoClient, provide } from "./kusto_client.js";
import wasmGzipBase64 from "./kusto_client_wasm.js";

export async function load(js) {
  provide(js);
  const gzip = Uint8Array.from(atob(wasmGzipBase64), (c) => c.charCodeAt(0));
  const wasm = new Response(new Blob([gzip]).stream().pipeThrough(new DecompressionStream("gzip")));
  await init({ module_or_path: await wasm.arrayBuffer() });
  return KustoClient;
}
