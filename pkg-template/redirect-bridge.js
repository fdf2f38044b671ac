// kusto-spa-auth/redirect-bridge: for a popup's redirect page that loads nothing else (the
// bridge page of an msal-browser 5 app). It hands the sign-in response in the page's address to
// the page that opened the popup, which reads it even when the identity provider's
// Cross-Origin-Opener-Policy cut the two apart, and closes the popup.
import { broadcastResponse } from "./tabs.js";

export async function broadcastResponseToMainFrame() {
  const { hash, search, href } = window.location;
  broadcastResponse(hash, search);
  // The code must not stay in the address bar or the history.
  window.history.replaceState(null, "", href.split(/[?#]/)[0]);
  // In a frame the parent page reads the response itself; a popup is done. (This page holds no
  // app: a tab a link opened on it has nothing to lose by closing.)
  if (window.parent === window) window.close();
}
