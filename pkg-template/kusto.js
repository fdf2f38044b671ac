// KustoClient as apps see it. The client is a wasm module of its own (kusto_client), loaded the
// first time an app uses one, so that an app that only signs in downloads none of it. Each entry
// (index.js, web.js) subclasses LazyKustoClient with a static load() that imports the module its
// way: as a class declaration it is dropped from the build of an app that never names
// KustoClient, and with it the dynamic import of the Kusto chunk.
import { createAuthError, createKustoServiceError, untilTrap } from "./errors.js";
import { send } from "./http.js";
import { plainJson } from "./plain.js";
import { NEVER, runTask, sleep } from "./task.js";

let loading;

/** The Kusto module's wasm-backed class, loaded once through `Client.load()`. */
function kustoModule(Client) {
  // The Kusto module calls these of ours; handed over, not imported, so that bundlers leave them
  // in the app's own chunk (tools/build-pkg.mjs, provideImports).
  loading ??= Client.load({ createAuthError, createKustoServiceError, send, plainJson, runTask, sleep, NEVER }).catch((cause) => {
    loading = undefined; // a later call tries again: back online, or the deployment fixed
    const why = cause instanceof Error ? cause.message : String(cause);
    throw createAuthError(
      "BrowserAuthError",
      "kusto_module_load_failed",
      `The Kusto module (kusto_client) could not be loaded: ${why}. Check that the page can reach the package's files (network, a 404 after a deployment) and that its Content-Security-Policy allows 'wasm-unsafe-eval'. Nothing signed in or cached is affected.`,
      "",
      "",
      "",
    );
  });
  return loading;
}

/** Queries a Kusto cluster with tokens from a PublicClientApplication or the app's own source. */
export class LazyKustoClient {
  /** The arguments are checked when the Kusto module has loaded: a mistake in them rejects every call. */
  constructor(cluster, options) {
    this._client = kustoModule(new.target).then((Client) => new Client(cluster, options));
    this._client.catch(() => {}); // reported by each call, not as an unhandled rejection
  }

  /** Loads the Kusto module now (say, once the page is idle), so that the first query need not wait for it. */
  static preload() {
    return kustoModule(this).then(() => undefined);
  }

  query(database, query, options) {
    return untilTrap(() => this._client.then((c) => c.query(database, query, options)));
  }

  execute(database, command, options) {
    return untilTrap(() => this._client.then((c) => c.execute(database, command, options)));
  }

  authMetadata() {
    return untilTrap(() => this._client.then((c) => c.authMetadata()));
  }

  scopes() {
    return untilTrap(() => this._client.then((c) => c.scopes()));
  }
}
