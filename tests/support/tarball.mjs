// The packed package (build/kusto-spa-auth-VERSION.tgz) as the examples meet it, and the servers
// an example's end-to-end test runs against.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { launch } from './browser.mjs';
import { startIdp } from './idp.mjs';
import { startKusto } from './kusto.mjs';
import { startStatic } from './static.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const VERSION = /^version\s*=\s*"([^"]+)"/m.exec(readFileSync(path.join(ROOT, 'Cargo.toml'), 'utf8'))[1];

/**
 * A private copy of the tarball in a new temporary directory, unpacked there as `package/`: what
 * a test installs and what it compares with stay the same bytes even if a build rewrites the
 * tarball meanwhile. `dispose()` removes the directory.
 */
export function copyTarball(prefix) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const file = path.join(dir, `kusto-spa-auth-${VERSION}.tgz`);
  copyFileSync(path.join(ROOT, 'build', path.basename(file)), file);
  execFileSync('tar', ['-xzf', file, '-C', dir]);
  return {
    dir,
    file,
    /** A file of the package, as packed. */
    read: (name) => readFileSync(path.join(dir, 'package', name)),
    /**
     * The sign-in wasm as the default entry inlines it (kusto_spa_auth_wasm.js's text: printable
     * ASCII that no bundler escapes), which a bundle of that entry holds whole.
     */
    inlinedWasmMark: () => /\btext = "([^"]+)"/.exec(readFileSync(path.join(dir, 'package', 'kusto_spa_auth_wasm.js'), 'utf8'))[1],
    /** The inlined Kusto wasm (gzip, base64), which only the Kusto chunk of a bundle holds. */
    inlinedKustoWasm: () => /"([A-Za-z0-9+/=]+)"/.exec(readFileSync(path.join(dir, 'package', 'kusto_client_wasm.js'), 'utf8'))[1],
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Installs the tarball copy into an example, as its user would: `npm install` of the file,
 * kept out of package.json and the lockfile (its integrity changes with every build). With `as`,
 * the package goes in under that name instead of its own (`as@file:...`, what an npm alias such
 * as `"@azure/msal-browser": "npm:kusto-spa-auth@..."` installs). Checks that the manifests are
 * untouched and that `files` of the installed package are the tarball's.
 */
export function installInto(example, tarball, files, { as } = {}) {
  const manifests = ['package.json', 'package-lock.json'];
  const committed = manifests.map((f) => readFileSync(path.join(example, f)));
  const spec = as ? `${as}@file:${tarball.file}` : tarball.file;
  execFileSync('npm', ['install', '--no-save', '--offline', '--no-audit', '--no-fund', '--loglevel=error', spec], {
    cwd: example, stdio: ['ignore', 'ignore', 'inherit'],
  });
  assert.deepEqual(manifests.map((f) => readFileSync(path.join(example, f))), committed, 'the install left package.json and the lockfile alone');
  for (const file of files) {
    assert.ok(readFileSync(path.join(example, 'node_modules', as ?? 'kusto-spa-auth', file)).equals(tarball.read(file)), `${file} is the tarball's`);
  }
}

/**
 * An example app as its user gets it, for the before/after hooks of its test: a private copy of
 * the tarball installed into `example` (checking `files`), built by `build(dist)` into a
 * temporary directory and served by startSite with the options `serve(dist)`. Holds what
 * `build` returned as `built`; `close()` stops the servers and removes the copy. `install` holds
 * installInto's options.
 */
export async function buildExample(example, files, build, serve = (dist) => ({ root: dist }), install = {}) {
  const tarball = copyTarball(`ksa-${path.basename(example)}-`);
  try {
    installInto(example, tarball, files, install);
    const dist = path.join(tarball.dir, 'dist');
    const built = await build(dist);
    const site = await startSite(serve(dist));
    return {
      ...site, tarball, dist, built,
      async close() {
        await site.close();
        tarball.dispose();
      },
    };
  } catch (e) {
    tarball.dispose();
    throw e;
  }
}

/** Serves a built app (startStatic options) with the test IdP, the local Kusto endpoint and a browser. */
export async function startSite(staticOptions) {
  const web = await startStatic(staticOptions);
  const idp = await startIdp({ appOrigins: [web.origin] });
  const kusto = await startKusto({ issuer: idp.issuer, appOrigins: [web.origin] });
  const browser = await launch();
  return {
    web, idp, kusto, browser,
    async close() {
      await browser.close();
      await kusto.close();
      await idp.close();
      await web.close();
    },
  };
}

/**
 * buildExample for a Vite example: `vite build` on the system's Node 20, as an app's own build
 * would run, with `viteArgs` added (e.g. --sourcemap).
 */
export function buildViteExample(example, files, viteArgs = []) {
  assert.ok(existsSync(path.join(example, 'node_modules', '.bin', 'vite')), `${path.relative(ROOT, example)} has no node_modules: run tools/setup.sh`);
  return buildExample(example, files, (out) => execFileSync('/usr/bin/node', [path.join('node_modules', '.bin', 'vite'), 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn', ...viteArgs], {
    cwd: example, stdio: ['ignore', 'inherit', 'inherit'], timeout: 180_000,
  }));
}
