// kusto-spa-auth/react with `strict` on: must compile (no JSX, so no JSX settings are needed).
import { createElement, type ReactElement } from "react";
import { InteractionRequiredAuthError, InteractionType, PublicClientApplication, type AccountInfo } from "kusto-spa-auth";
import {
  AuthenticatedTemplate,
  InteractionStatus,
  MsalAuthenticationTemplate,
  MsalProvider,
  UnauthenticatedTemplate,
  useAccount,
  useIsAuthenticated,
  useMsal,
  useMsalAuthentication,
  useToken,
  withMsal,
  type IMsalContext,
  type MsalAuthenticationResult,
  type WithMsalProps,
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

function Required(): ReactElement {
  const { result, error, login, acquireToken }: MsalAuthenticationResult = useMsalAuthentication(InteractionType.Popup, { scopes }, { username: "ada@contoso.com" });
  const again = () => void (error ? login(InteractionType.Redirect) : acquireToken(InteractionType.Popup, { scopes, claims: "{}" }));
  return createElement("p", { onClick: again }, result?.accessToken ?? error?.errorCode ?? "…");
}

const Accounts = withMsal(({ msalContext, label }: WithMsalProps & { label: string }) => createElement("p", null, `${label} ${msalContext.accounts.length}`));
const Loading = ({ inProgress }: IMsalContext) => createElement("p", null, inProgress);
const Failed = ({ error, login }: IMsalContext & MsalAuthenticationResult) => createElement("button", { onClick: () => void login() }, error?.errorMessage);

export const root: ReactElement = createElement(
  MsalProvider,
  { instance: pca },
  createElement(Status),
  createElement(Required),
  createElement(MsalAuthenticationTemplate, {
    interactionType: InteractionType.Redirect,
    authenticationRequest: { scopes },
    loadingComponent: Loading,
    errorComponent: Failed,
    homeAccountId: "uid.utid",
    children: ({ result }: MsalAuthenticationResult) => createElement(Accounts, { label: result?.account.username ?? "" }),
  }),
);
