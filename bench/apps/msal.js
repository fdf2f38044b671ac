// The typical sign-in app on @azure/msal-browser: create the client, handle the redirect, list
// accounts, a silent token with a redirect fallback. `window.app` lets the benchmark drive it.
import { InteractionRequiredAuthError, PublicClientApplication } from "@azure/msal-browser";

const scopes = [SCOPE];
const pca = new PublicClientApplication({
  // A provider that is not Entra ID must be named in knownAuthorities and spoken to as plain OIDC.
  auth: {
    clientId: CLIENT_ID,
    authority: AUTHORITY,
    knownAuthorities: [new URL(AUTHORITY).host],
    redirectUri: location.origin + location.pathname,
  },
  cache: { cacheLocation: "localStorage" },
  system: { protocolMode: "OIDC" },
});

async function start() {
  await pca.initialize();
  const result = await pca.handleRedirectPromise();
  if (result) pca.setActiveAccount(result.account);
  return pca.getActiveAccount() ?? pca.getAllAccounts()[0] ?? null;
}

async function token() {
  const account = pca.getActiveAccount() ?? pca.getAllAccounts()[0];
  if (!account) return pca.loginRedirect({ scopes });
  try {
    return (await pca.acquireTokenSilent({ scopes, account })).accessToken;
  } catch (e) {
    if (e instanceof InteractionRequiredAuthError) return pca.acquireTokenRedirect({ scopes, account });
    throw e;
  }
}

window.app = { pca, scopes, token };
window.app.ready = start().then((account) => {
  window.app.initMs = performance.now();
  window.app.account = account;
});
