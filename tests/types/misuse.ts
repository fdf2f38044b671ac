// Must NOT compile: each statement misuses the API (checked by tests/e2e/types.test.mjs).
import { PublicClientApplication, KustoClient, EventMessageUtils, BrowserAuthErrorCodes } from "kusto-spa-auth";
import { useMsal, useMsalAuthentication, useToken } from "kusto-spa-auth/react";

const pca = new PublicClientApplication({ auth: { clientId: 42 } });
pca.acquireTokenSilent({ scopes: "https://help.kusto.windows.net/.default" });
new KustoClient("https://help.kusto.windows.net", { tokenProvider: "not a function" });
const rows: number = pca.getAllAccounts();
pca.addEventCallback((message) => message.eventType === "msal:unknownEvent");
pca.acquireTokenPopup({ prompt: "login" });
useToken({ account: null });
const status: "busy" = useMsal().inProgress;
useMsalAuthentication("sometimes");
pca.acquireTokenSilent({ scopes: [], cacheLookupPolicy: 9 });
EventMessageUtils.getInteractionStatusFromEvent({ eventType: "msal:loginStart", interactionType: "popup" }, "busy");
const code: "no_such_code" = BrowserAuthErrorCodes.interactionInProgress;
