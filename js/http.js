// Reading a response body within a bound, counted on the decoded bytes as they arrive: a
// Content-Length does not bound them (it counts compressed bytes, and may be absent), and
// response.text() would hold all of them before anyone could look.

// The body as text, or null once it passes `maxBytes` (the rest is not read).
export async function readBounded(response, maxBytes) {
  const reader = response.body?.getReader();
  if (!reader) return "";
  const decoder = new TextDecoder();
  let size = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    size += value.byteLength;
    if (size > maxBytes) {
      reader.cancel().catch(() => {});
      return null;
    }
    text += decoder.decode(value, { stream: true });
  }
}
