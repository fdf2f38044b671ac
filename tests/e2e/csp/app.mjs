// The page behind every entry: one PublicClientApplication, its redirect handled on load, a
// button for popups; the tests drive the rest through window.pca and window.lib. Settings come
// in the first page's query (?clientId=...&authority=...&iframeHashTimeout=...) and are kept in
// sessionStorage for the sign-in's way back, so the page itself fetches nothing.
export function start(lib) {
  const query = Object.fromEntries(new URLSearchParams(location.search));
  if (query.clientId) {
    sessionStorage.setItem("csp:settings", JSON.stringify(query));
    // Sign-in then starts on the redirect URI itself and ends there, without a handover.
    history.replaceState(null, "", location.pathname);
  }
  const settings = JSON.parse(sessionStorage.getItem("csp:settings") ?? "{}");
  const pca = new lib.PublicClientApplication({
    auth: { clientId: settings.clientId, authority: settings.authority, redirectUri: location.origin + location.pathname },
    cache: { cacheLocation: "localStorage" },
    system: { iframeHashTimeout: settings.iframeHashTimeout ? Number(settings.iframeHashTimeout) : undefined },
  });
  window.lib = lib;
  window.pca = pca;
  const settle = (p) => p.then((r) => ({ ok: true, username: r?.account.username ?? null }), (e) => ({ ok: false, errorCode: e.errorCode, errorMessage: e.errorMessage }));
  window.app = {
    redirect: settle(pca.initialize().then(() => pca.handleRedirectPromise())),
    // Popups must open inside a click: the tests set the call, then click the button.
    popupCall: { method: "loginPopup", request: {} },
    popupResult: null,
  };
  document.getElementById("popup").addEventListener("click", () => {
    window.app.popupResult = settle(pca[window.app.popupCall.method](window.app.popupCall.request));
  });
}
