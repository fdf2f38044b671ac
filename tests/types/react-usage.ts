// kusto-spa-auth/react with `strict` on: must compile (no JSX, so no JSX settings are needed).
import { createElement, type ReactElement } from "react";
import { InteractionRequiredAuthError, PublicClientApplication, type AccountInfo } from "kusto-spa-auth";
import {
  AuthenticatedTemplate,
  InteractionStatus,
  MsalProvider,
  UnauthenticatedTemplate,
  useAccount,
  useIsAuthenticated,
  useMsal,
  useToken,
} from "kusto-spa-auth/react";

const pca = new PublicClientApplication({ auth: { clientId: "app" } });
const scopes = ["https://help.kusto.windows.net/.default"];

function Status(): ReactElement {
  const { instance, accounts, inProgress } = useMsal();
  const account: AccountInfo | null = useAccount() ?? useAccount({ username: "ada@contoso.com" });
  const signedIn: boolean = useIsAuthenticated({ homeAccountId: accounts[0]?.homeAccountId });
  const token = useToken({ scopes, account: account ?? undefined });
  const busy = inProgress !== InteractionStatus.None && inProgress !== InteractionStatus.Startup;
  const text = token.result ? token.result.accessToken : token.error instanceof InteractionRequiredAuthError ? token.error.errorCode : "…";
  return createElement(
    "p",
    { onClick: () => void instance.loginPopup({ scopes }) },
    `${signedIn} ${busy} ${text}`,
    createElement(AuthenticatedTemplate, { username: account?.username }, "in"),
    createElement(UnauthenticatedTemplate, null, "out"),
  );
}

export const root: ReactElement = createElement(MsalProvider, { instance: pca }, createElement(Status));
