// Bundles an app on kusto-spa-auth as a typical app build would (esbuild, minified ESM, code
// splitting), and sorts what it ships into what a page loads first (the entry chunk, what it
// imports statically, the wasm those fetch at start) and what it loads later (dynamic imports:
// the Kusto client). Shared by tools/size.mjs and bench/run.mjs, each with its own esbuild.
import { copyFileSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";

const WASM = /\b(kusto_spa_auth_bg|kusto_client_bg)\.wasm\b/g;

/**
 * @param {object} o
 * @param {typeof import("esbuild")} o.esbuild
 * @param {string} o.source  the app's entry file
 * @param {string} o.pkg  the built package (build/pkg)
 * @param {boolean} o.inline  resolve `kusto-spa-auth` and `kusto-spa-auth/web` both to the default entry
 * @param {string} o.outdir
 * @param {Record<string, string>} [o.define]
 * @returns {Promise<{ first: string[], later: string[] }>}  file names in outdir (app.js first)
 */
export async function bundleApp({ esbuild, source, pkg, inline, outdir, define = {} }) {
  const resolveOurs = {
    name: "kusto-spa-auth-from-build",
    setup(build) {
      build.onResolve({ filter: /^kusto-spa-auth(\/web)?$/ }, (args) => ({
        path: join(pkg, args.path.endsWith("/web") && !inline ? "web.js" : "index.js"),
      }));
    },
  };
  const { metafile } = await esbuild.build({
    entryPoints: { app: source },
    bundle: true,
    splitting: true,
    minify: true,
    format: "esm",
    target: "es2020",
    // The ./web entry awaits its wasm at the top level.
    supported: { "top-level-await": true },
    platform: "browser",
    define,
    outdir,
    metafile: true,
    plugins: [resolveOurs],
    logLevel: "error",
  });
  const outputs = Object.fromEntries(Object.entries(metafile.outputs).map(([file, o]) => [basename(file), o]));
  // What the entry chunk imports statically loads with it; what it (or those) import dynamically
  // loads later. A chunk no live code imports (esbuild keeps the chunks of dynamic imports that
  // tree shaking removed) is never loaded, and not counted.
  const reach = (kinds, from, seen = new Set()) => {
    for (const name of from) {
      if (seen.has(name)) continue;
      seen.add(name);
      reach(kinds, outputs[name].imports.filter((i) => kinds.includes(i.kind) && !i.external).map((i) => basename(i.path)), seen);
    }
    return seen;
  };
  const first = reach(["import-statement"], ["app.js"]);
  const later = new Set([...reach(["import-statement", "dynamic-import"], ["app.js"])].filter((n) => !first.has(n)));
  const js = [...first, ...later];
  // The wasm files the chunks fetch (`new URL("…_bg.wasm", import.meta.url)`), beside them.
  for (const name of js) {
    for (const [wasm] of readFileSync(join(outdir, name), "utf8").matchAll(WASM)) {
      copyFileSync(join(pkg, wasm), join(outdir, wasm));
      (first.has(name) ? first : later).add(wasm);
    }
  }
  return { first: [...first], later: [...later] };
}
