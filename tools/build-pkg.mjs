// Builds the npm package into build/pkg from the release wasm:
// cargo (wasm32) -> wasm-bindgen (--target web) -> wasm-opt -Oz --converge -> package files.
// Usage: node tools/build-pkg.mjs [--dev]   (--dev: debug build, no wasm-opt; faster)
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { fileURLToPath, pathToFileURL } from "node:url";

import { transformSync } from "esbuild";

import { rankedModule } from "./ranked-module.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dev = process.argv.includes("--dev");
const run = (cmd, args, env = process.env) => execFileSync(cmd, args, { cwd: root, stdio: "inherit", env });

const profile = dev ? "debug" : "release";
// The release build compiles the standard library with the crate (needs rustup's rust-src), so
// that a panic is a bare trap, with no panic messages, locations or formatting code linked, and
// std picks its smaller algorithms (optimize_for_size): 5.0 KB gzip in all. A panic already
// ended the module with `panic = "abort"`, and wasm has nowhere to print its message, so nothing
// observable is lost. These flags are unstable, hence RUSTC_BOOTSTRAP; a toolchain that changes
// them fails this build rather than silently growing the module.
const [buildArgs, buildEnv] = dev ? [[], process.env] : [
  ["--release", "-Zbuild-std=std,panic_abort", "-Zbuild-std-features=optimize_for_size"],
  { ...process.env, RUSTC_BOOTSTRAP: "1", RUSTFLAGS: "-Zunstable-options -Cpanic=immediate-abort" },
];
// Two modules from the one crate (src/api/mod.rs): sign-in, and the Kusto client, which apps
// load only when they first query.
const modules = [
  { name: "kusto_spa_auth", feature: "auth" },
  // Loaded on first use: given what it calls of our JS by kusto.js (see provideImports).
  { name: "kusto_client", feature: "kusto", provided: ["createAuthError", "createKustoServiceError", "send", "plainJson", "runTask", "sleep", "NEVER"] },
];
const bindgenOut = join(root, "build", "wasm");
rmSync(bindgenOut, { recursive: true, force: true });
for (const module of modules) buildModule(module);

/** cargo -> wasm-bindgen -> wasm-opt for one module; its glue and wasm in build/wasm/<name>/. */
function buildModule(module) {
  run("cargo", ["build", "--lib", "--target", "wasm32-unknown-unknown", "--no-default-features", "--features", module.feature, ...buildArgs], buildEnv);
  module.out = join(bindgenOut, module.name);
  run("wasm-bindgen", [
    "--target", "web",
    "--omit-default-module-path",
    "--out-dir", module.out,
    "--out-name", module.name,
    join(root, "target", "wasm32-unknown-unknown", profile, "kusto_spa_auth.wasm"),
  ]);
  module.wasmPath = join(module.out, `${module.name}_bg.wasm`);
  module.glue = readFileSync(join(module.out, `${module.name}.js`), "utf8");
  if (!dev) {
    // Binaryen from npm: Debian's wasm-opt is too old for what rustc emits.
    const wasmOpt = (...args) => execFileSync(join(root, "tools", "node_modules", ".bin", "wasm-opt"), [
      "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext",
      "--enable-mutable-globals", "--enable-reference-types", "--enable-multivalue",
      module.wasmPath, "-o", module.wasmPath, ...args,
    ], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    // The producers and target-features sections name the toolchain for tools; browsers ignore them.
    wasmOpt("-Oz", "--converge", "--strip-producers", "--strip-target-features");
    module.glue = renameImportsAndExports(module, JSON.parse(wasmOpt("--minify-imports-and-exports-and-modules")));
  }
}

/** wasm-bindgen names every import and export after its Rust path plus a 16-digit hash; as
 * one or two letters they cost about 2 KB gzip less in the wasm and again in the glue. */
function renameImportsAndExports({ name, glue, wasmPath }, { imports, exports }) {
  const renamed = new Map([...imports.map(([, from, to]) => [from, to]), ...exports]);
  const provided = new Set();
  // Binaryen renames the import module too; the glue has exactly one.
  const wasmModules = new Set(WebAssembly.Module.imports(new WebAssembly.Module(readFileSync(wasmPath))).map((i) => i.module));
  const importObject = `"./${name}_bg.js": import0,`;
  if (wasmModules.size !== 1 || !glue.includes(importObject)) throw new Error(`${name}: the glue's import object is not the one expected`);
  const out = glue
    .replace(importObject, `"${[...wasmModules][0]}": import0,`)
    // The glue's import object: `        name: function(` (one level inside __wbg_get_imports).
    .replace(/^( {8})([A-Za-z0-9_$]+)(?=: )/gm, (all, indent, name) => {
      if (!renamed.has(name)) return all;
      provided.add(name);
      return `${indent}"${renamed.get(name)}"`;
    })
    // Calls into the module.
    .replace(/\bwasm\.([A-Za-z0-9_$]+)/g, (all, name) => (renamed.has(name) ? `wasm["${renamed.get(name)}"]` : all));
  // Every import must be found (or instantiation fails); exports the glue never calls may stay.
  const missed = imports.filter(([, from]) => !provided.has(from)).map(([, from]) => from);
  if (missed.length) throw new Error(`${name}: the glue does not provide the renamed imports ${missed.join(", ")}`);
  return out;
}

const pkg = join(root, "build", "pkg");
rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg, { recursive: true });

// The glue imports our JS modules (js/) from hashed snippet paths; give each its own name, which
// both modules share (one errors.js: one set of error classes for instanceof).
const snippets = (dir) => readdirSync(dir).flatMap((name) => {
  const path = join(dir, name);
  return statSync(path).isDirectory() ? snippets(path) : [path];
});
for (const module of modules) {
  let glue = module.glue;
  for (const path of snippets(join(module.out, "snippets"))) {
    const name = basename(path);
    glue = glue.replaceAll(`./${path.slice(module.out.length + 1)}`, `./${name}`);
    cpSync(path, join(pkg, name));
  }
  if (glue.includes("snippets/")) throw new Error(`${module.name}: the glue still imports a snippet path`);
  if (module.provided) glue = provideImports(module, glue);
  writeFileSync(join(pkg, `${module.name}.js`), glue);
  cpSync(module.wasmPath, join(pkg, `${module.name}_bg.wasm`));
}
/** The glue of a module loaded on first use, with our JS modules handed to it by its loader
 * (`provide`) instead of imported: a module that both it and the sign-in glue imported would make
 * bundlers that split (esbuild) put it in a chunk of its own, which every page then waits for
 * after the entry chunk. */
function provideImports({ name, provided }, glue) {
  const names = [];
  const out = glue.replace(/^import \{ ([\w, ]+) \} from '\.\/\w+\.js';\n/gm, (all, list) => {
    names.push(...list.split(", "));
    return "";
  });
  if (names.sort().join() !== [...provided].sort().join()) throw new Error(`${name}: the glue imports ${names}, not the ${provided} its loader provides`);
  if (/^import /m.test(out)) throw new Error(`${name}: the glue still imports a module`);
  return `let ${names.join(", ")};\n/** Our JS modules' functions that the glue calls, from the module that loads it. */\nexport function provide(js) {\n  ({ ${names.join(", ")} } = js);\n}\n${out}`;
}

// The default entry's inlined copies. Sign-in is instantiated synchronously at import, so its
// wasm is a string that index.js decodes with a table: each byte value is a rank (the most
// frequent first), written as one character of a 91-character printable ASCII alphabet for the
// first 89 ranks (94% of the wasm's bytes), as two for the rest. Nothing in it is escaped or
// re-escaped by a bundler, whatever its charset, and gzip still sees the wasm's own patterns:
// 0.4% over the wasm on the wire, where its bytes as their own characters cost 8% and base64
// 30%. The Kusto module loads asynchronously anyway, so its wasm is gzipped first,
// base64-encoded, and inflated by the browser's DecompressionStream: under 1% over the wasm.
const [auth, kusto] = modules.map((m) => readFileSync(join(pkg, `${m.name}_bg.wasm`)));
const inlined = join(pkg, "kusto_spa_auth_wasm.js");
writeFileSync(inlined, rankedModule(auth));
{
  const { decode } = await import(pathToFileURL(join(root, "pkg-template", "ranked.js")));
  if (!Buffer.from(decode(await import(pathToFileURL(inlined)))).equals(auth)) throw new Error("kusto_spa_auth_wasm.js does not decode to the sign-in wasm");
}
writeFileSync(join(pkg, "kusto_client_wasm.js"), `export default "${gzipSync(kusto, { level: 9 }).toString("base64")}";\n`);

// Every file of pkg-template/ is the package's as it is; package.json is written below.
for (const file of readdirSync(join(root, "pkg-template")).filter((f) => f !== "package.json")) {
  cpSync(join(root, "pkg-template", file), join(pkg, file));
}
// The version the package exports, the crate's.
const version = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(join(root, "Cargo.toml"), "utf8"))[1];
const exportsJs = readFileSync(join(pkg, "exports.js"), "utf8");
if (!exportsJs.includes('version = "unbuilt"')) throw new Error("exports.js no longer declares the version this build writes in");
writeFileSync(join(pkg, "exports.js"), exportsJs.replace('version = "unbuilt"', `version = ${JSON.stringify(version)}`));
// The script-tag build: one classic script, one global (KustoSpaAuth), the wasm inlined.
run(join(root, "tools", "node_modules", ".bin", "esbuild"), [
  join(pkg, "index.js"), "--bundle", "--format=iife", "--global-name=KustoSpaAuth", "--target=es2020",
  "--minify", "--legal-comments=none", `--outfile=${join(pkg, "kusto-spa-auth.iife.js")}`, "--log-level=warning",
]);

// The module files as shipped: minified, each with its source map (the readable sources are
// pkg-template/, js/ and wasm-bindgen's glue). Apps that bundle minify anyway; this is for those
// that load the files as they are, and it halves their gzip size. React components keep their
// names for React's developer tools. --dev keeps them readable.
if (!dev) {
  const minified = readdirSync(pkg).filter((f) => f.endsWith(".js") && !["kusto_spa_auth_wasm.js", "kusto_client_wasm.js", "kusto-spa-auth.iife.js"].includes(f));
  for (const file of minified) {
    // The map names the readable file src/<file>, not its own output.
    const { code, map } = transformSync(readFileSync(join(pkg, file), "utf8"), {
      minify: true, keepNames: file === "react.js", legalComments: "none", sourcemap: "external", sourcefile: `src/${file}`,
    });
    writeFileSync(join(pkg, file), `${code}//# sourceMappingURL=${file}.map\n`);
    writeFileSync(join(pkg, `${file}.map`), map);
  }
}

const manifest = JSON.parse(readFileSync(join(root, "pkg-template", "package.json"), "utf8"));
manifest.version = version;
writeFileSync(join(pkg, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
// The publishable tarball, which the examples install from.
execFileSync("npm", ["pack", "--pack-destination", join(root, "build"), "--loglevel=error"], { cwd: pkg, stdio: ["ignore", "ignore", "inherit"] });
console.log(`build/pkg: kusto-spa-auth ${version} (${profile}), wasm ${auth.length} + ${kusto.length} bytes (sign-in + Kusto); build/kusto-spa-auth-${version}.tgz`);
