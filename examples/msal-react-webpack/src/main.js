// A stock @azure/msal-react app, written with createElement so that webpack needs no JSX
// loader. webpack.config.js maps @azure/msal-browser to kusto-spa-auth.
import { createElement as h, StrictMode, useEffect, useMemo, useState } from "react";
import { createRoot } from "react-dom/client";
import { EventType, InteractionRequiredAuthError, InteractionStatus, PublicClientApplication } from "@azure/msal-browser";
import { AuthenticatedTemplate, MsalProvider, UnauthenticatedTemplate, useIsAuthenticated, useMsal } from "@azure/msal-react";
import { KustoClient } from "kusto-spa-auth";

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

// Kusto's resource is the cluster's origin without its port.
const scopes = [`${new URL(settings.cluster).origin.replace(/:\d+$/, "")}/.default`];
const describe = (e) => (e.errorCode ? `${e.errorCode}: ${e.errorMessage}` : String(e));

function App({ cluster, database }) {
  const { instance, accounts, inProgress } = useMsal();
  const signedIn = useIsAuthenticated();
  const account = accounts[0];
  const [token, setToken] = useState({});
  const [signInError, setSignInError] = useState(null);
  const [output, setOutput] = useState("");
  const kusto = useMemo(() => account && new KustoClient(cluster, { pca: instance, account }), [cluster, instance, account]);

  // The provider completes a returning sign-in; a failed one is for the app to show.
  useEffect(() => {
    instance.initialize().then(() => instance.handleRedirectPromise()).catch(setSignInError);
  }, [instance]);

  // A token for the cluster once the account is known and nothing else is under way.
  useEffect(() => {
    if (!account || inProgress !== InteractionStatus.None) return;
    let current = true;
    instance.acquireTokenSilent({ scopes, account }).then(
      (result) => current && setToken({ result }),
      (error) => current && setToken({ error }),
    );
    return () => {
      current = false;
    };
  }, [instance, account, inProgress]);

  async function count() {
    setOutput("running…");
    try {
      const response = await kusto.query(database, "StormEvents | count");
      setOutput(`StormEvents | count = ${response.primaryResults[0].rows[0][0]}`);
    } catch (e) {
      setOutput(describe(e));
    }
  }

  let tokenText = "getting a token…";
  if (token.result) tokenText = `token for ${token.result.scopes.join(" ")}`;
  else if (token.error) tokenText = `no token: ${describe(token.error)}`;

  return h("main", null,
    h("h1", null, "@azure/msal-react on kusto-spa-auth (webpack)"),
    h("p", null, "Cluster ", h("code", null, cluster), ", database ", h("code", null, database), "."),
    h("p", { id: "progress" }, inProgress),
    h("p", { id: "authenticated" }, signedIn ? "authenticated" : "not authenticated"),
    signInError && h("p", { id: "sign-in-error" }, `sign-in failed: ${describe(signInError)}`),
    h(UnauthenticatedTemplate, null,
      h("p", { id: "status" }, "signed out"),
      h("button", { id: "sign-in", onClick: () => instance.loginRedirect({ scopes }) }, "Sign in")),
    h(AuthenticatedTemplate, null,
      h("p", { id: "user" }, `signed in as ${account?.username}`),
      h("p", { id: "token" }, tokenText),
      token.error instanceof InteractionRequiredAuthError &&
        h("button", { id: "sign-in-again", onClick: () => instance.acquireTokenRedirect({ scopes, account }) }, "Sign in again"),
      h("button", { id: "count", onClick: count, disabled: !token.result }, "StormEvents | count"),
      h("button", { id: "sign-out", onClick: () => instance.logoutRedirect({ account }) }, "Sign out"),
      output && h("pre", { id: "output" }, output)));
}

const root = createRoot(document.getElementById("root"));
if (!settings.clientId) {
  root.render(h("p", null, "Open this page with ?clientId=<application id> (and optionally &authority=...&cluster=...)."));
} else {
  const redirectUri = new URL("/", location.origin).href;
  // Once, outside React: the provider and every hook share this instance.
  const pca = new PublicClientApplication({
    auth: { clientId: settings.clientId, authority: settings.authority, redirectUri, postLogoutRedirectUri: redirectUri },
  });
  // The account that signs in becomes the active one (in msal-browser 5, LOGIN_SUCCESS's payload).
  pca.addEventCallback((event) => {
    if (event.eventType === EventType.LOGIN_SUCCESS && event.payload) pca.setActiveAccount(event.payload);
  });
  root.render(h(StrictMode, null, h(MsalProvider, { instance: pca }, h(App, { cluster: settings.cluster, database: "Samples" }))));
}
