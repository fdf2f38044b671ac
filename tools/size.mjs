// Prints the shipped bytes of the package build: the wasm and the JS around it, raw, gzip -9
// and brotli (max quality).
// Usage: node tools/size.mjs [--budget]   (--budget: exit 1 if the gzip total with the wasm as a
// file has grown past BUDGET_GZIP_BYTES)
import { readFileSync } from "node:fs";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

// The measured total (117,485 bytes on 2026-12-04, the JS minified) plus room for small
// changes; lower it as the module shrinks, raise it only for a feature worth its bytes.
const BUDGET_GZIP_BYTES = 118_000;

const pkg = new URL("../build/pkg/", import.meta.url);
// The package's own JS that both module entries load (index.js or web.js adds the entry itself).
const SHARED_JS = ["errors.js", "tabs.js", "plain.js", "application.js", "logger.js", "enums.js", "exports.js"];
const files = {
  "kusto_spa_auth_bg.wasm (the module)": "kusto_spa_auth_bg.wasm",
  "kusto_spa_auth.js (wasm-bindgen glue)": "kusto_spa_auth.js",
  "errors, tabs, application, logger, enums, exports, index .js": [...SHARED_JS, "index.js"],
  "kusto_spa_auth_wasm.js (wasm inlined as base64)": "kusto_spa_auth_wasm.js",
  "kusto-spa-auth.iife.js (script tag, all in one)": "kusto-spa-auth.iife.js",
};
const read = (names) => Buffer.concat([].concat(names).map((n) => readFileSync(new URL(n, pkg))));
const measure = (buf) => ({
  raw: buf.length,
  gzip: gzipSync(buf, { level: 9 }).length,
  brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});
const kb = (n) => `${(n / 1024).toFixed(1)} KB`.padStart(10);
const row = (label, m) => console.log(`${label.padEnd(52)}${kb(m.raw)}${kb(m.gzip)}${kb(m.brotli)}`);

console.log(`${"".padEnd(52)}${"raw".padStart(10)}${"gzip".padStart(10)}${"brotli".padStart(10)}`);
for (const [label, names] of Object.entries(files)) row(label, measure(read(names)));
const separate = ["kusto_spa_auth_bg.wasm", "kusto_spa_auth.js", ...SHARED_JS, "web.js"];
const inlined = ["kusto_spa_auth_wasm.js", "kusto_spa_auth.js", ...SHARED_JS, "index.js"];
const sum = (names) => names.map((n) => measure(read(n))).reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }));
const shipped = sum(separate);
row("total shipped, wasm as a file (each file compressed)", shipped);
row("total shipped, default entry (wasm inlined)", sum(inlined));

if (process.argv.includes("--budget")) {
  const verdict = shipped.gzip <= BUDGET_GZIP_BYTES ? "within" : "OVER";
  console.log(`size budget: ${shipped.gzip} bytes gzip, ${verdict} the budget of ${BUDGET_GZIP_BYTES}`);
  if (shipped.gzip > BUDGET_GZIP_BYTES) process.exit(1);
}
