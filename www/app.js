// The demo app: everything here is what an application written for @azure/msal-browser does,
// with the import changed.
import { PublicClientApplication, InteractionRequiredAuthError } from "/pkg/index.js";

// Settings: /config/demo.json (written by `make demo`), overridable with URL parameters
// ?clientId=...&authority=...&cluster=...
const params = new URLSearchParams(location.search);
const file = await fetch("/config/demo.json", { cache: "no-store" }).then((r) => (r.ok ? r.json() : {}), () => ({}));
const config = {
  clientId: params.get("clientId") ?? file.clientId,
  authority: params.get("authority") ?? file.authority ?? "https://login.microsoftonline.com/organizations",
  cluster: params.get("cluster") ?? file.cluster ?? "https://help.kusto.windows.net",
};
const scopes = [`${new URL(config.cluster).origin}/.default`];

const $ = (id) => document.getElementById(id);
const show = (id, visible) => { $(id).hidden = !visible; };

const pca = new PublicClientApplication({
  auth: { clientId: config.clientId, authority: config.authority, redirectUri: `${location.origin}/`, postLogoutRedirectUri: `${location.origin}/` },
  cache: { cacheLocation: "localStorage" },
});

function showError(error) {
  const el = $("error");
  el.replaceChildren();
  const title = document.createElement("strong");
  title.textContent = error.errorCode ?? error.name ?? "Error";
  const text = document.createElement("div");
  text.textContent = error.errorMessage ?? error.message;
  el.append(title, text);
  if (error instanceof InteractionRequiredAuthError) {
    const again = document.createElement("button");
    again.textContent = "Sign in again";
    again.onclick = signIn;
    el.append(again);
  }
  show("error", true);
}

function render(account, token) {
  show("sign-in", !account);
  show("sign-out", Boolean(account));
  show("account", Boolean(account));
  show("token", Boolean(token));
  if (account) {
    $("account-name").textContent = account.name ?? "";
    $("account-username").textContent = account.username;
    $("account-tenant").textContent = account.tenantId || "(none)";
    $("account-environment").textContent = account.environment;
  }
  if (token) {
    $("token-scopes").textContent = token.scopes.join(" ");
    $("token-expires").textContent = token.expiresOn.toLocaleString();
    $("token-cached").textContent = token.fromCache ? "yes" : "no, fetched just now";
  }
}

async function getToken(forceRefresh = false) {
  const account = pca.getActiveAccount();
  try {
    return await pca.acquireTokenSilent({ scopes, account, forceRefresh });
  } catch (error) {
    showError(error);
    return null;
  }
}

function signIn() {
  pca.loginRedirect({ scopes }).catch(showError);
}

$("sign-in").onclick = signIn;
$("sign-out").onclick = () => pca.logoutRedirect({ account: pca.getActiveAccount() }).catch(showError);
$("refresh").onclick = async () => render(pca.getActiveAccount(), await getToken(true));
$("config").textContent = `client ${config.clientId} · authority ${config.authority} · cluster ${config.cluster}`;

try {
  await pca.initialize();
  const result = await pca.handleRedirectPromise();
  if (result) pca.setActiveAccount(result.account);
  else if (!pca.getActiveAccount() && pca.getAllAccounts().length) pca.setActiveAccount(pca.getAllAccounts()[0]);
} catch (error) {
  showError(error);
}
const account = pca.getActiveAccount();
render(account, account ? await getToken() : null);
