// The TypeScript declarations: a strict usage of the whole API compiles, and misuse does not.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TYPES = path.join(ROOT, 'tests', 'types');
const TSC = path.join(ROOT, 'tools', 'node_modules', 'typescript', 'bin', 'tsc');

function tsc(config) {
  const run = spawnSync(process.execPath, [TSC, '-p', path.join(TYPES, config)], { encoding: 'utf8' });
  return { status: run.status, output: run.stdout + run.stderr };
}

test('a strict usage of the whole public API type-checks', () => {
  const { status, output } = tsc('tsconfig.json');
  assert.equal(status, 0, output);
});

test('misuse fails to compile, once per misused line', () => {
  const { status, output } = tsc('tsconfig.misuse.json');
  assert.notEqual(status, 0);
  const lines = new Set([...output.matchAll(/misuse\.ts\((\d+),\d+\): error/g)].map((m) => Number(m[1])));
  assert.deepEqual([...lines].sort((a, b) => a - b), [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], output);
});
