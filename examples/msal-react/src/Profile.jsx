import { MsalAuthenticationTemplate, withMsal } from "@azure/msal-react";

// A page that needs a signed-in user (with ?username=..., that user). MsalAuthenticationTemplate
// signs in by itself: by redirect, by popup with ?interaction=popup, or with the IdP's session in
// a hidden frame with ?interaction=silent. It then gets a token for `scopes`.

function SigningIn({ inProgress }) {
  return <p id="signing-in">signing in ({inProgress})…</p>;
}

function SignInFailed({ error, login }) {
  return (
    <>
      <p id="profile-error">
        sign-in failed: {error.errorCode}: {error.errorMessage}
      </p>
      <button id="retry" onClick={() => login().catch(() => {})}>Try again</button>
    </>
  );
}

// withMsal gives a class or plain component the provider's context as `msalContext`.
const Account = withMsal(function Account({ msalContext, result }) {
  const account = result?.account ?? msalContext.accounts[0];
  return (
    <>
      <p id="profile-user">profile of {account.username}</p>
      <p id="profile-accounts">accounts signed in: {msalContext.accounts.length}</p>
      <p id="profile-token">{result ? `token for ${result.scopes.join(" ")}, from cache: ${result.fromCache}` : "getting a token…"}</p>
      <a id="home" href="?">Home</a>
    </>
  );
});

export default function Profile({ scopes, interactionType, username }) {
  return (
    <main>
      <h1>Profile</h1>
      <MsalAuthenticationTemplate
        interactionType={interactionType}
        authenticationRequest={{ scopes }}
        username={username}
        loadingComponent={SigningIn}
        errorComponent={SignInFailed}
      >
        {({ result }) => <Account result={result} />}
      </MsalAuthenticationTemplate>
    </main>
  );
}
