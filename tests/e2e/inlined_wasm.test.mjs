// The default entry's inlined wasm (tools/ranked-module.mjs, pkg-template/ranked.js): any bytes
// come back as they went in, through text that no bundler has cause to escape.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { rankedModule } from '../../tools/ranked-module.mjs';
import { decode } from '../../pkg-template/ranked.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ksa-ranked-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

let written = 0;
/** The bytes through a module of rankedModule's text, imported as a bundler would. */
async function roundTrip(bytes) {
  const file = path.join(dir, `m${written++}.mjs`);
  writeFileSync(file, rankedModule(bytes));
  const module = await import(pathToFileURL(file));
  return { module, back: decode(module) };
}

test('every byte value, the rarest written as two characters, comes back in place', async () => {
  // Value v appears 256 - v times, so all 256 ranks are used, 167 of them past the one-character ones.
  // Shuffled: 7919 is prime to their number (32,896), so i -> 7919 i is a permutation.
  const values = Array.from({ length: 256 }, (_, v) => Array(256 - v).fill(v)).flat();
  const bytes = Uint8Array.from(values, (_, i) => values[(i * 7919) % values.length]);
  const { module, back } = await roundTrip(bytes);
  assert.deepEqual(back, bytes);
  assert.equal(module.byRank[0], 0, 'the most frequent value has the first rank');
  assert.ok(module.text.length > bytes.length, 'the rare values take two characters');
});

test('the text is printable ASCII with nothing a string literal or template escapes', async () => {
  const { module } = await roundTrip(Uint8Array.from({ length: 4096 }, (_, i) => (i * 131 + (i >> 5)) & 0xff));
  assert.match(module.text, /^[ !#%&'()*+,\-./0-9:;<=>?@A-Z[\]^_a-z{|}~]+$/);
  assert.equal(module.alphabet.length, 91);
});

test('no bytes and a single value', async () => {
  assert.deepEqual((await roundTrip(new Uint8Array(0))).back, new Uint8Array(0));
  assert.deepEqual((await roundTrip(new Uint8Array(1000).fill(0x80))).back, new Uint8Array(1000).fill(0x80));
});
