import { InteractionRequiredAuthError, KustoClient, PublicClientApplication } from "kusto-spa-auth";

// Settings: ?clientId=...&authority=...&cluster=..., kept for the sign-in round trip, which
// comes back to the bare redirect URI.
const saved = JSON.parse(sessionStorage.getItem("example.settings") || "{}");
const params = new URLSearchParams(location.search);
const settings = {
  clientId: params.get("clientId") || saved.clientId || "",
  authority: params.get("authority") || saved.authority || "https://login.microsoftonline.com/organizations",
  cluster: params.get("cluster") || saved.cluster || "https://help.kusto.windows.net",
};
sessionStorage.setItem("example.settings", JSON.stringify(settings));

const $ = (id) => document.getElementById(id);
// Kusto's resource is the cluster's origin without its port.
const scopes = [`${new URL(settings.cluster).origin.replace(/:\d+$/, "")}/.default`];
const describe = (e) => (e.errorCode ? `${e.errorCode}: ${e.errorMessage}` : String(e));

function show(text) {
  $("output").hidden = false;
  $("output").textContent = text;
}

function render(account) {
  $("signed-out").hidden = Boolean(account);
  $("signed-in").hidden = !account;
  $("user").textContent = account ? `signed in as ${account.username}` : "";
}

async function main() {
  $("cluster").textContent = settings.cluster;
  if (!settings.clientId) {
    show("Open this page with ?clientId=<application id> (and optionally &authority=...&cluster=...).");
    return;
  }
  const redirectUri = new URL("/", location.origin).href;
  const pca = new PublicClientApplication({
    auth: { clientId: settings.clientId, authority: settings.authority, redirectUri, postLogoutRedirectUri: redirectUri },
  });
  await pca.initialize();
  const result = await pca.handleRedirectPromise();
  if (result) pca.setActiveAccount(result.account);
  const account = pca.getActiveAccount() ?? pca.getAllAccounts()[0] ?? null;
  render(account);
  if (!account) {
    $("sign-in").onclick = () => pca.loginRedirect({ scopes });
    return;
  }

  const kusto = new KustoClient(settings.cluster, { pca, account });
  $("count").onclick = async () => {
    show("running…");
    try {
      const response = await kusto.query("Samples", "StormEvents | count");
      show(`StormEvents | count = ${response.primaryResults[0].rows[0][0]}`);
    } catch (e) {
      if (e instanceof InteractionRequiredAuthError) return pca.acquireTokenRedirect({ scopes, account, claims: e.claims });
      show(describe(e));
    }
  };
  $("sign-out").onclick = () => pca.logoutRedirect({ account });
}

main().catch((e) => show(`sign-in failed: ${describe(e)}`));
