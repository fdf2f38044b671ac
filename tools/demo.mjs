// `make demo`: the demo page with a local test identity provider and a local Kusto endpoint, in
// one process; Ctrl-C stops everything.
//
// Environment: DEMO_PORT (8080), IDP_PORT (9400), KUSTO_PORT (9420); CLIENT_ID, AUTHORITY and
// CLUSTER point the page at a real Entra ID app and cluster instead (then no local IdP is used).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { startIdp } from "../tests/support/idp.mjs";
import { startKusto } from "../tests/support/kusto.mjs";
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
  const kusto = await startKusto({ issuer: idp.issuer, appOrigins: [web.origin], port: Number(env.KUSTO_PORT ?? 9420) });
  stops.push(() => kusto.close());
  config = { clientId: idp.clientId, authority: idp.issuer, cluster: kusto.url, database: "Samples", localIdp: true };
}
writeFileSync(path.join(configDir, "demo.json"), JSON.stringify(config, null, 2));

console.log(`
  kusto-spa-auth demo:  ${web.origin}/
  identity provider:    ${config.authority}${config.localIdp ? "  (local test IdP: any user name and password sign in)" : ""}
  Kusto cluster:        ${config.cluster}${config.localIdp ? "  (local endpoint with a StormEvents sample)" : ""}
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
