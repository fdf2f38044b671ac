// Prints the shipped bytes of the package build: each file, raw, gzip -9 and brotli (max
// quality); then a sign-in app and a sign-in + query app as an app build bundles them, on both
// entries, split into what a page loads first and what it loads later.
// Usage: node tools/size.mjs [--budget]   (--budget: exit 1 if an app can load more than
// BUDGET_GZIP_BYTES allows, or if a page's first load is more than one script)
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

import * as esbuild from "esbuild";

import { bundleApp } from "./app-bundle.mjs";

// What a typical app can load in all, gzip -9 (the bundle's files and the wasm, each compressed
// on its own), on the entry that ships more; measured values plus room for small changes. Lower
// them as the package shrinks, raise them only for a feature worth its bytes.
// 2026-12-05: 101,928 and 162,601, with popups under COOP (docs/measurements.md).
// 2026-12-06: 108,872 and 169,594, with the take-over of msal-browser's cache (its reader, 1,173
// of that, loads only where there is such a cache).
// 2026-12-06: 109,559 and 172,044, with the Kusto rows read as text (1.6 KB of the Kusto module,
// for a 10,000-row answer at 1.7× plain JSON.parse instead of 2.5×) and bodies read as bytes.
// 2026-12-06: 105,040 and 166,093, with lol_alloc in the sign-in module and fetch called from JS.
// 2026-12-06: 97,636 and 158,716, with the default entry's wasm inlined as ranked text.
// 2026-12-07: 94,268 and 153,031, with AuthError and KustoError boxed.
// 2026-12-07: 91,260 and 149,951, with the principal helpers in JS (pkg-template/principal.js).
// 2026-12-07: 90,320 and 149,025, with the frame and the popup created by js/windows.js.
// 2026-12-07: 88,421 and 145,208, with an async runtime of our own (browser::task), the window
// from one static, and the wasm's producers and target-features sections stripped.
const BUDGET_GZIP_BYTES = { "sign-in": 88_900, "sign-in + query": 145_700 };
const pkg = new URL("../build/pkg/", import.meta.url);
// The package's own JS that both module entries load (index.js or web.js adds the entry itself).
const SHARED_JS = ["errors.js", "tabs.js", "windows.js", "plain.js", "http.js", "task.js", "application.js", "principal.js", "sealed.js", "logger.js", "enums.js", "exports.js"];
const files = {
  "kusto_spa_auth_bg.wasm (sign-in module)": "kusto_spa_auth_bg.wasm",
  "kusto_spa_auth.js (its wasm-bindgen glue)": "kusto_spa_auth.js",
  "kusto_client_bg.wasm (Kusto module, loaded on first use)": "kusto_client_bg.wasm",
  "kusto_client.js (its wasm-bindgen glue)": "kusto_client.js",
  [`${SHARED_JS.join(", ")}, index.js, ranked.js`]: [...SHARED_JS, "index.js", "ranked.js"],
  "kusto_spa_auth_wasm.js (sign-in wasm inlined: ranked text)": "kusto_spa_auth_wasm.js",
  "kusto_client_wasm.js (Kusto wasm inlined: gzip, base64)": "kusto_client_wasm.js",
  "kusto-spa-auth.iife.js (script tag, all in one)": "kusto-spa-auth.iife.js",
};
const read = (names) => Buffer.concat([].concat(names).map((n) => readFileSync(new URL(n, pkg))));
const measure = (buf) => ({
  raw: buf.length,
  gzip: gzipSync(buf, { level: 9 }).length,
  brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});
const kb = (n) => `${(n / 1024).toFixed(1)} KB`.padStart(10);
const row = (label, m) => console.log(`${label.padEnd(60)}${kb(m.raw)}${kb(m.gzip)}${kb(m.brotli)}`);

console.log(`${"".padEnd(60)}${"raw".padStart(10)}${"gzip".padStart(10)}${"brotli".padStart(10)}`);
for (const [label, names] of Object.entries(files)) row(label, measure(read(names)));

// The apps of bench/apps, bundled as an app build would (tools/app-bundle.mjs).
const APPS = { "sign-in": "ours.js", "sign-in + query": "ours-query.js" };
const define = Object.fromEntries(["AUTHORITY", "CLIENT_ID", "SCOPE", "CLUSTER"].map((k) => [k, JSON.stringify(`https://${k.toLowerCase()}.example`)]));
const work = mkdtempSync(join(tmpdir(), "ksa-size-"));
const gz = (dir, names) => names.reduce((n, name) => n + gzipSync(readFileSync(join(dir, name)), { level: 9 }).length, 0);
const figures = [];
try {
  for (const [app, source] of Object.entries(APPS)) {
    for (const [entry, inline] of [["default entry", true], ["/web", false]]) {
      const outdir = join(work, `${source}-${inline}`);
      const { first, later } = await bundleApp({ esbuild, source: fileURLToPath(new URL(`../bench/apps/${source}`, import.meta.url)), pkg: fileURLToPath(pkg), inline, outdir, define });
      figures.push({ app, entry, first: gz(outdir, first), later: gz(outdir, later), firstScripts: first.filter((name) => name.endsWith(".js")) });
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
console.log(`\n${"app (esbuild --splitting --minify; gzip -9, bytes)".padEnd(60)}${"first".padStart(10)}${"later".padStart(10)}${"all".padStart(10)}`);
for (const f of figures) console.log(`${`${f.app}, ${f.entry}`.padEnd(60)}${String(f.first).padStart(10)}${String(f.later).padStart(10)}${String(f.first + f.later).padStart(10)}`);

if (process.argv.includes("--budget")) {
  let over = false;
  for (const [app, budget] of Object.entries(BUDGET_GZIP_BYTES)) {
    const all = Math.max(...figures.filter((f) => f.app === app).map((f) => f.first + f.later));
    over ||= all > budget;
    console.log(`size budget, ${app} app: ${all} bytes gzip, ${all > budget ? "OVER" : "within"} the budget of ${budget}`);
  }
  // A page's first load must be one script: a chunk that the app's entry shares with a lazily
  // loaded one (our JS imported by both, or esbuild's helpers for private fields) is fetched only
  // once the entry has arrived, and start-up waits for it.
  for (const f of figures.filter((f) => f.firstScripts.length > 1)) {
    over = true;
    console.log(`${f.app}, ${f.entry}: the first load is ${f.firstScripts.length} scripts (${f.firstScripts.join(", ")}), not one`);
  }
  if (over) process.exit(1);
}
