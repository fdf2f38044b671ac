import { useEffect, useMemo, useState } from "react";
import { InteractionRequiredAuthError, KustoClient } from "kusto-spa-auth";
import { AuthenticatedTemplate, UnauthenticatedTemplate, useAccount, useMsal, useToken } from "kusto-spa-auth/react";

// Kusto's resource is the cluster's origin without its port.
export const clusterScope = (cluster) => `${new URL(cluster).origin.replace(/:\d+$/, "")}/.default`;

const describe = (e) => (e.errorCode ? `${e.errorCode}: ${e.errorMessage}` : String(e));

export default function App({ cluster, database }) {
  const { instance, inProgress } = useMsal();
  const account = useAccount();
  const scopes = useMemo(() => [clusterScope(cluster)], [cluster]);
  const token = useToken({ scopes });
  const kusto = useMemo(() => new KustoClient(cluster, { pca: instance, account }), [cluster, instance, account]);
  const [signInError, setSignInError] = useState(null);
  const [output, setOutput] = useState("");

  // The provider completes a returning sign-in; a failed one is for the app to show.
  useEffect(() => {
    instance.initialize().then(() => instance.handleRedirectPromise()).catch(setSignInError);
  }, [instance]);

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
  if (token.result) tokenText = `token for ${scopes.join(" ")}, expires ${token.result.expiresOn.toLocaleTimeString()}`;
  else if (token.error) tokenText = `no token: ${describe(token.error)}`;

  return (
    <main>
      <h1>kusto-spa-auth with React</h1>
      <p>
        Cluster <code>{cluster}</code>, database <code>{database}</code>.
      </p>
      <p id="progress">{inProgress}</p>
      <p>
        <a id="profile-link" href="?page=profile">Profile</a> (signs in by itself)
      </p>
      {signInError && <p id="sign-in-error">sign-in failed: {describe(signInError)}</p>}
      <UnauthenticatedTemplate>
        <p id="status">signed out</p>
        <button id="sign-in" onClick={() => instance.loginRedirect({ scopes })}>Sign in</button>
        <button id="sign-in-popup" onClick={() => instance.loginPopup({ scopes }).then((r) => instance.setActiveAccount(r.account), setSignInError)}>
          Sign in with a popup
        </button>
      </UnauthenticatedTemplate>
      <AuthenticatedTemplate>
        <p id="user">signed in as {account?.username}</p>
        <p id="token">{tokenText}</p>
        {token.error instanceof InteractionRequiredAuthError && (
          <button onClick={() => instance.acquireTokenRedirect({ scopes, account, claims: token.error.claims })}>Sign in again</button>
        )}
        <button id="count" onClick={count} disabled={!token.result}>StormEvents | count</button>
        <button id="sign-out" onClick={() => instance.logoutRedirect({ account })}>Sign out</button>
        <button id="sign-out-popup" onClick={() => instance.logoutPopup({ account }).catch((e) => setOutput(describe(e)))}>
          Sign out with a popup
        </button>
        {output && <pre id="output">{output}</pre>}
      </AuthenticatedTemplate>
    </main>
  );
}
