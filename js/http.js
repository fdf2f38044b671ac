// Requests for both wasm modules (src/browser/http.rs decides what to send and what an answer
// or a failure means): fetch's options and headers take less code here than through web-sys.

/**
 * One request, never with cookies, given up after `timeoutMs`, cancelled by the caller's `signal`
 * (or undefined). `headers`: [name, value] pairs. Resolves to `{ status, body, wwwAuthenticate,
 * retryAfter }`, `body` as in readBounded; rejects with fetch's error, whose name tells a timeout
 * from a cancellation.
 */
export async function send(url, method, headers, body, timeoutMs, signal, maxBytes) {
  const timeout = AbortSignal.timeout(timeoutMs);
  const response = await fetch(url, { method, headers, body, credentials: "omit", signal: signal ? AbortSignal.any([timeout, signal]) : timeout });
  const header = (name) => response.headers.get(name) ?? undefined;
  return { status: response.status, wwwAuthenticate: header("WWW-Authenticate"), retryAfter: header("Retry-After"), body: await readBounded(response, maxBytes) };
}

// The body's bytes, or null once it passes `maxBytes` (the rest is not read), counted on the
// decoded bytes as they arrive: a Content-Length does not bound them (it counts compressed bytes,
// and may be absent), and response.text() would hold all of them before anyone could look.
// Bytes, not text: the module decodes them itself, which costs less than a string crossing into
// it (a 1 MB Kusto answer: about 3 ms less in make bench).
async function readBounded(response, maxBytes) {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}
