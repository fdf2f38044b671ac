// The /web entry's wasm, asked for as soon as the page starts evaluating the package: web.js
// imports this first, so the request is under way while the rest of the package is evaluated.
export const wasm = fetch(new URL("./kusto_spa_auth_bg.wasm", import.meta.url));
