// Decodes the default entry's inlined wasm, written by tools/build-pkg.mjs: byte values ranked
// by frequency, each rank one character of `alphabet`, or two for the rarest (one of the last
// two characters, then any).
export function decode({ alphabet, byRank, text }) {
  const index = new Uint8Array(128);
  for (let i = 0; i < alphabet.length; i++) index[alphabet.charCodeAt(i)] = i;
  const direct = alphabet.length - 2;
  // At most a byte per character: the bytes are the start of it.
  const bytes = new Uint8Array(text.length);
  let n = 0;
  for (let i = 0; i < text.length; n++) {
    let rank = index[text.charCodeAt(i++)];
    if (rank >= direct) rank = direct + (rank - direct) * alphabet.length + index[text.charCodeAt(i++)];
    bytes[n] = byRank[rank];
  }
  return bytes.subarray(0, n);
}
