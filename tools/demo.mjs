// `make demo`: the demo page with a local test identity provider (and, once available, a local
// Kusto endpoint) in one process; Ctrl-C stops everything.
//
// Environment: DEMO_PORT (8080), IDP_PORT (9400), KUSTO_PORT (9420); CLIENT_ID, AUTHORITY and
// CLUSTER point the page at a real Entra ID app and cluster instead (then no local IdP is used).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { startIdp } from "../tests/support/idp.mjs";
import { startStatic } from "../tests/support/static.mjs";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const env = process.env;
const port = Number(env.DEMO_PORT ?? 8080);
const configDir = mkdtempSync(path.join(tmpdir(), "ksa-demo-"));

const web = await startStatic({ root: path.join(root, "www"), mounts: { "/pkg/": path.join(root, "build", "pkg"), "/config/": configDir }, port });
const stops = [() => web.close()];
let config;
if (env.CLIENT_ID) {
  config = { clientId: env.CLIENT_ID, authority: env.AUTHORITY ?? "https://login.microsoftonline.com/organizations", cluster: env.CLUSTER ?? "https://help.kusto.windows.net" };
} else {
  const idp = await startIdp({ appOrigins: [web.origin], port: Number(env.IDP_PORT ?? 9400) });
  stops.push(() => idp.close());
  config = { clientId: idp.clientId, authority: idp.issuer, cluster: "https://help.kusto.windows.net", localIdp: true };
}
writeFileSync(path.join(configDir, "demo.json"), JSON.stringify(config, null, 2));

console.log(`
  kusto-spa-auth demo:  ${web.origin}/
  identity provider:    ${config.authority}${config.localIdp ? "  (local test IdP: any user name and password sign in)" : ""}
  Ctrl-C stops everything.
`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled(stops.map((s) => s()));
  rmSync(configDir, { recursive: true, force: true });
  process.exit(0);
}
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
