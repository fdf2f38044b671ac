// Sign in and run `StormEvents | count` with the official Kusto SDK's browser build
// (azure-kusto-data: its user prompt goes through @azure/identity and msal-browser).
import { Client, KustoConnectionStringBuilder } from "azure-kusto-data";

const kcsb = KustoConnectionStringBuilder.withUserPrompt(CLUSTER, {
  clientId: CLIENT_ID,
  redirectUri: location.origin + location.pathname,
});
const client = new Client(kcsb);

async function start() {
  const response = await client.execute("Samples", "StormEvents | count");
  document.body.textContent = `StormEvents | count = ${response.primaryResults[0].toJSON().data[0].Count}`;
}

window.app = { client, ready: start() };
