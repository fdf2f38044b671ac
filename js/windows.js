// Creating the windows a sign-in runs in (src/browser/frame.rs, popup.rs): one call each from
// the wasm, where web-sys took a binding per DOM property and method.

/** A hidden iframe on `url`, added to the page; null where there is no document body. */
export function openHiddenFrame(url) {
  const body = globalThis.document?.body;
  if (!body) return null;
  const frame = document.createElement("iframe");
  // Property by property: a page's CSP may refuse style attributes, not the CSSOM.
  for (const [name, value] of [["visibility", "hidden"], ["position", "absolute"], ["width", "0"], ["height", "0"], ["border", "0"]]) frame.style.setProperty(name, value);
  frame.setAttribute("aria-hidden", "true");
  frame.src = url;
  body.appendChild(frame);
  return frame;
}

/**
 * An empty popup of `width` by `height`, centred on this window, or null where the browser did
 * not open one. Only inside the user's gesture: after an await, browsers block it.
 */
export function openPopup(width, height) {
  const left = (globalThis.screenX || 0) + Math.floor(Math.max((globalThis.outerWidth || 0) - width, 0) / 2);
  const top = (globalThis.screenY || 0) + Math.floor(Math.max((globalThis.outerHeight || 0) - height, 0) / 2);
  try {
    return globalThis.open("about:blank", "_blank", `popup=yes,width=${width},height=${height},left=${left},top=${top}`);
  } catch {
    return null;
  }
}
