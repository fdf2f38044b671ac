// The typical sign-in app on oidc-client-ts: create the client, handle the redirect, the user,
// a silent token (cached, else refresh token) with a redirect fallback. `window.app` lets the
// benchmark drive it. The app renews on demand in token(), so no background renewal timer.
import { UserManager, WebStorageStateStore } from "oidc-client-ts";

const um = new UserManager({
  authority: AUTHORITY,
  client_id: CLIENT_ID,
  redirect_uri: location.origin + location.pathname,
  scope: `openid profile offline_access ${SCOPE}`,
  userStore: new WebStorageStateStore({ store: localStorage }),
  automaticSilentRenew: false,
});

async function start() {
  const params = new URLSearchParams(location.search);
  if (params.has("code") || params.has("error")) {
    await um.signinRedirectCallback();
    history.replaceState(null, "", location.pathname);
  }
  return um.getUser();
}

async function silent() {
  const user = await um.getUser();
  return user && !user.expired ? user : um.signinSilent();
}

async function token() {
  const user = await um.getUser();
  if (!user) return um.signinRedirect();
  if (!user.expired) return user.access_token;
  try {
    return (await um.signinSilent()).access_token;
  } catch {
    return um.signinRedirect();
  }
}

window.app = { um, silent, token };
window.app.ready = start().then((user) => {
  window.app.initMs = performance.now();
  window.app.account = user?.profile ?? null;
});
