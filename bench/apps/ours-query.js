// Sign in and run `StormEvents | count` with kusto-spa-auth. `window.app` lets the benchmark
// drive it.
import { KustoClient, PublicClientApplication } from "kusto-spa-auth/web";

const pca = new PublicClientApplication({
  auth: { clientId: CLIENT_ID, authority: AUTHORITY, redirectUri: location.origin + location.pathname },
  cache: { cacheLocation: "localStorage" },
});
const kusto = new KustoClient(CLUSTER, { pca });

async function start() {
  await pca.initialize();
  const result = await pca.handleRedirectPromise();
  if (result) pca.setActiveAccount(result.account);
  const account = pca.getActiveAccount() ?? pca.getAllAccounts()[0];
  if (!account) return pca.loginRedirect({ scopes: await kusto.scopes() });
  pca.setActiveAccount(account);
  const response = await kusto.query("Samples", "StormEvents | count");
  document.body.textContent = `StormEvents | count = ${response.primaryResults[0].rows[0][0]}`;
}

window.app = { pca, kusto, ready: start() };
