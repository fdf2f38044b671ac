// kusto-spa-auth: the module entry. The wasm is inlined and instantiated here, once, at import,
// so that bundlers and dev servers need no configuration and apps never call an init function.
import { initSync } from "./kusto_spa_auth.js";
import wasmBase64 from "./kusto_spa_auth_wasm.js";

const binary = atob(wasmBase64);
const bytes = new Uint8Array(binary.length);
for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
initSync({ module: bytes });

export * from "./exports.js";
