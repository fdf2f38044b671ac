#!/usr/bin/env bash
# Installs what building, testing and the demo need, from the package registries only
# (Debian, crates.io, npm). Idempotent: what is already there at the right version is kept.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '== %s\n' "$*"; }

# openssl makes the benchmark's throwaway https certificate for its identity provider.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! command -v openssl >/dev/null; then
  say "installing Debian's chromium, chromium-driver and openssl"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver openssl >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# rust-src: the release build compiles the standard library with the crate (tools/build-pkg.mjs);
# rustfmt and clippy: the first stage of `make test` (make lint).
for component in rust-src rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "adding the $component component"
    rustup component add "$component"
  fi
done

# wasm-pack and the build use the wasm-bindgen on PATH only if it matches Cargo.lock exactly.
[ -f Cargo.lock ] || cargo generate-lockfile
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (compiles from source, a few minutes)"
  cargo install wasm-bindgen-cli --version "$want" --force
fi

if ! command -v wasm-pack >/dev/null; then
  say "installing wasm-pack (compiles from source, a few minutes)"
  cargo install wasm-pack --locked
fi

# Every directory with its own lockfile: the build tools, the tests, the benchmark, the examples.
for lock in tools/package-lock.json tests/package-lock.json bench/package-lock.json examples/*/package-lock.json; do
  [ -f "$lock" ] || continue
  dir=$(dirname "$lock")
  if [ ! -d "$dir/node_modules" ] || [ "$lock" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "installing node packages in $dir/ from its lockfile"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
