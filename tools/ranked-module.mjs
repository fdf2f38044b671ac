// The default entry's inlined wasm: bytes as text of printable ASCII (see tools/build-pkg.mjs
// and pkg-template/ranked.js).

/** The text of a JS module that holds `bytes` for pkg-template/ranked.js's decode. */
export function rankedModule(bytes) {
  const count = new Array(256).fill(0);
  for (const b of bytes) count[b]++;
  const byRank = Array.from({ length: 256 }, (_, b) => b).sort((a, b) => count[b] - count[a]);
  const alphabet = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).filter((c) => !'"\\`$'.includes(c));
  const direct = alphabet.length - 2;
  const code = [];
  byRank.forEach((b, rank) => {
    const over = rank - direct;
    code[b] = over < 0 ? alphabet[rank] : alphabet[direct + Math.floor(over / alphabet.length)] + alphabet[over % alphabet.length];
  });
  const text = Array.from(bytes, (b) => code[b]).join("");
  return `// Bytes as text, for ranked.js's decode (tools/ranked-module.mjs).\nexport const alphabet = ${JSON.stringify(alphabet.join(""))};\nexport const byRank = ${JSON.stringify(byRank)};\nexport const text = "${text}";\n`;
}
