// Settings shared by the demo page and its redirect bridge: /config/demo.json (written by
// `make demo`), overridden by URL parameters ?clientId=...&authority=...&cluster=...
import { PublicClientApplication } from "/pkg/index.js";

const KEY = "demo.settings";

export async function loadSettings() {
  const params = new URLSearchParams(location.search);
  const file = await fetch("/config/demo.json", { cache: "no-store" }).then((r) => (r.ok ? r.json() : {}), () => ({}));
  // URL parameters survive the sign-in round trip through sessionStorage.
  const remembered = JSON.parse(sessionStorage.getItem(KEY) ?? "{}");
  const pick = (name, fallback) => params.get(name) ?? remembered[name] ?? file[name] ?? fallback;
  const settings = {
    clientId: pick("clientId"),
    authority: pick("authority", "https://login.microsoftonline.com/organizations"),
    cluster: pick("cluster", "https://help.kusto.windows.net"),
    database: pick("database", "Samples"),
  };
  if (["clientId", "authority", "cluster", "database"].some((k) => params.has(k))) sessionStorage.setItem(KEY, JSON.stringify(settings));
  return settings;
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
