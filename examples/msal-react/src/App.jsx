import { useEffect, useMemo, useState } from "react";
import { InteractionRequiredAuthError, InteractionStatus } from "@azure/msal-browser";
import { AuthenticatedTemplate, UnauthenticatedTemplate, useIsAuthenticated, useMsal } from "@azure/msal-react";
import { KustoClient } from "kusto-spa-auth";

// Kusto's resource is the cluster's origin without its port.
export const clusterScope = (cluster) => `${new URL(cluster).origin.replace(/:\d+$/, "")}/.default`;

const describe = (e) => (e.errorCode ? `${e.errorCode}: ${e.errorMessage}` : String(e));

export default function App({ cluster, database }) {
  const { instance, accounts, inProgress } = useMsal();
  const signedIn = useIsAuthenticated();
  const account = accounts[0];
  const scopes = useMemo(() => [clusterScope(cluster)], [cluster]);
  const [token, setToken] = useState({});
  const [signInError, setSignInError] = useState(null);
  const [output, setOutput] = useState("");

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
  }, [instance, account, inProgress, scopes]);

  async function count() {
    setOutput("running…");
    try {
      const kusto = new KustoClient(cluster, { pca: instance, account });
      const response = await kusto.query(database, "StormEvents | count");
      setOutput(`StormEvents | count = ${response.primaryResults[0].rows[0][0]}`);
    } catch (e) {
      setOutput(describe(e));
    }
  }

  let tokenText = "getting a token…";
  if (token.result) tokenText = `token for ${token.result.scopes.join(" ")}, expires ${token.result.expiresOn.toLocaleTimeString()}`;
  else if (token.error) tokenText = `no token: ${describe(token.error)}`;

  return (
    <main>
      <h1>@azure/msal-react on kusto-spa-auth</h1>
      <p>
        Cluster <code>{cluster}</code>, database <code>{database}</code>.
      </p>
      <p id="progress">{inProgress}</p>
      <p id="authenticated">{signedIn ? "authenticated" : "not authenticated"}</p>
      <p>
        <a id="profile-link" href="?page=profile">Profile</a> (signs in by itself)
      </p>
      {signInError && <p id="sign-in-error">sign-in failed: {describe(signInError)}</p>}
      <UnauthenticatedTemplate>
        <p id="status">signed out</p>
        <button id="sign-in" onClick={() => instance.loginRedirect({ scopes })}>Sign in</button>
        <button id="sign-in-popup" onClick={() => instance.loginPopup({ scopes }).catch(setSignInError)}>
          Sign in with a popup
        </button>
      </UnauthenticatedTemplate>
      <AuthenticatedTemplate>
        <p id="user">signed in as {account?.username}</p>
        <p id="token">{tokenText}</p>
        {token.error instanceof InteractionRequiredAuthError && (
          <button id="sign-in-again" onClick={() => instance.acquireTokenRedirect({ scopes, account })}>Sign in again</button>
        )}
        <button id="count" onClick={count} disabled={!token.result}>StormEvents | count</button>
        <button id="sign-out" onClick={() => instance.logoutRedirect({ account })}>Sign out</button>
        {output && <pre id="output">{output}</pre>}
      </AuthenticatedTemplate>
    </main>
  );
}
