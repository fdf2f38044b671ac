// Settings shared by the demo page and its redirect bridge: /config/demo.json, written by
// `make demo`. The page never reads them from its URL: a link could otherwise point the demo at
// another provider or cluster and have it send tokens there.
import { PublicClientApplication } from "/pkg/index.js";

export async function loadSettings() {
  const file = await fetch("/config/demo.json", { cache: "no-store" }).then((r) => (r.ok ? r.json() : {}), () => ({}));
  return {
    clientId: file.clientId,
    authority: file.authority ?? "https://login.microsoftonline.com/organizations",
    cluster: file.cluster ?? "https://help.kusto.windows.net",
    database: file.database ?? "Samples",
  };
}

export function createApp(settings) {
  return new PublicClientApplication({
    auth: {
      clientId: settings.clientId,
      authority: settings.authority,
      redirectUri: `${location.origin}/redirect.html`,
      postLogoutRedirectUri: `${location.origin}/`,
    },
    cache: { cacheLocation: "localStorage" },
  });
}
