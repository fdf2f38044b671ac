import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { EventType, InteractionType, PublicClientApplication } from "@azure/msal-browser";
import { MsalProvider } from "@azure/msal-react";

import App, { clusterScope } from "./App.jsx";
import Profile from "./Profile.jsx";

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

// The profile page's ?interaction=popup|silent (redirect otherwise).
const INTERACTIONS = { popup: InteractionType.Popup, silent: InteractionType.Silent };

const root = createRoot(document.getElementById("root"));
if (!settings.clientId) {
  root.render(<p>Open this page with <code>?clientId=&lt;application id&gt;</code> (and optionally <code>&amp;authority=...&amp;cluster=...</code>).</p>);
} else {
  const redirectUri = new URL(import.meta.env.BASE_URL, location.origin).href;
  // Once, outside React: the provider and every hook share this instance.
  const pca = new PublicClientApplication({
    auth: { clientId: settings.clientId, authority: settings.authority, redirectUri, postLogoutRedirectUri: redirectUri },
  });
  // The account that signs in becomes the active one, which useAccount() returns. In
  // msal-browser 5 the payload of LOGIN_SUCCESS is that account.
  pca.addEventCallback((event) => {
    if (event.eventType === EventType.LOGIN_SUCCESS && event.payload) pca.setActiveAccount(event.payload);
  });
  root.render(
    <StrictMode>
      <MsalProvider instance={pca}>
        {params.get("page") === "profile" ? (
          <Profile
            scopes={[clusterScope(settings.cluster)]}
            interactionType={INTERACTIONS[params.get("interaction")] ?? InteractionType.Redirect}
            username={params.get("username") ?? undefined}
          />
        ) : (
          <App cluster={settings.cluster} database="Samples" />
        )}
      </MsalProvider>
    </StrictMode>,
  );
}
