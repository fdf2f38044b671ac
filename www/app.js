// The demo app. Everything here is what an app written for @azure/msal-browser does, with the
// import changed, plus the KustoClient that turns a signed-in account into query results.
import { InteractionRequiredAuthError, KustoClient, KustoServiceError, principalDescriptor } from "/pkg/index.js";
import { createApp, loadSettings } from "./config.js";

const TOP_STATES = "StormEvents | summarize Events = count() by State | top 10 by Events";
const settings = await loadSettings();
const pca = createApp(settings);
const $ = (id) => document.getElementById(id);
const show = (id, visible) => { $(id).hidden = !visible; };
const scopesFor = (cluster) => [`${new URL(cluster).origin.replace(/:\d+$/, "")}/.default`];

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

function showError(error) {
  const box = $("error");
  const code = error instanceof KustoServiceError ? `${error.code} (${error.errorCode})` : error.errorCode ?? error.name;
  box.replaceChildren(el("strong", { textContent: code }), el("div", { textContent: error.errorMessage ?? error.message }));
  if (error instanceof InteractionRequiredAuthError) {
    box.append(el("button", { textContent: "Sign in again", onclick: () => signIn(error.claims) }));
  }
  show("error", true);
}

function clearError() {
  show("error", false);
}

function signIn(claims) {
  pca.loginRedirect({ scopes: scopesFor($("cluster").value || settings.cluster), claims: claims || undefined }).catch(showError);
}

function renderAccount(account) {
  show("sign-in", !account);
  show("sign-out", Boolean(account));
  show("who", Boolean(account));
  show("account", Boolean(account));
  show("query-card", Boolean(account));
  if (!account) return;
  $("who").textContent = account.username;
  $("account-name").textContent = account.name ?? "";
  $("account-username").textContent = account.username;
  $("account-tenant").textContent = account.tenantId || "(none)";
  try {
    $("account-principal").textContent = principalDescriptor(account);
  } catch (error) {
    $("account-principal").textContent = `(${error.errorCode})`;
  }
}

function renderToken(result) {
  show("token", Boolean(result));
  if (!result) return;
  $("token-scopes").textContent = result.scopes.join(" ");
  $("token-expires").textContent = result.expiresOn.toLocaleString();
  $("token-source").textContent = result.fromCache ? "cache" : "identity provider";
}

async function token(forceRefresh = false) {
  const account = pca.getActiveAccount();
  const result = await pca.acquireTokenSilent({ scopes: scopesFor($("cluster").value), account, forceRefresh });
  renderToken(result);
  return result;
}

function cellText(value) {
  return value === null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
}

function renderTable(table) {
  const numeric = table.columns.map((c) => ["long", "int", "real", "decimal"].includes(c.type));
  const head = el("tr", {}, ...table.columns.map((c, i) => el("th", { className: numeric[i] ? "num" : "" }, c.name, el("small", { textContent: c.type }))));
  const rows = table.rows.map((r) => el("tr", {}, ...r.map((v, i) => el("td", { className: numeric[i] ? "num" : "", textContent: cellText(v) }))));
  $("results").replaceChildren(el("table", {}, el("thead", {}, head), el("tbody", {}, ...rows)));
}

// A horizontal bar chart of the first string column against the first numeric one.
function renderChart(table) {
  const label = table.columns.findIndex((c) => c.type === "string");
  const value = table.columns.findIndex((c) => ["long", "int", "real"].includes(c.type));
  const NS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(NS, "svg");
  const rowHeight = 28, left = 150, width = 860, barSpace = width - left - 60;
  const max = Math.max(...table.rows.map((r) => Number(r[value])));
  svg.setAttribute("viewBox", `0 0 ${width} ${table.rows.length * rowHeight + 8}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `${table.columns[value].name} by ${table.columns[label].name}`);
  table.rows.forEach((r, i) => {
    const y = i * rowHeight + 4;
    const w = Math.max(2, (Number(r[value]) / max) * barSpace);
    const add = (tag, attrs, text) => {
      const node = document.createElementNS(NS, tag);
      for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
      if (text !== undefined) node.textContent = text;
      svg.append(node);
    };
    add("text", { x: left - 10, y: y + 17, "text-anchor": "end", class: "label" }, r[label]);
    add("rect", { x: left, y, width: w, height: rowHeight - 8, rx: 3, class: "bar", "data-label": r[label], "data-value": r[value] });
    add("text", { x: left + w + 6, y: y + 17, class: "value" }, String(r[value]));
  });
  $("chart").replaceChildren(svg);
  show("chart", true);
}

async function run(query, chart) {
  clearError();
  show("chart", false);
  $("results").replaceChildren();
  $("query-status").textContent = "running…";
  const started = performance.now();
  try {
    await token();
    const client = new KustoClient($("cluster").value, { pca, appName: "kusto-spa-auth demo" });
    const response = await client.query($("database").value, query);
    const table = response.primaryResults[0];
    if (chart) renderChart(table);
    renderTable(table);
    $("query-status").textContent = `${table.rows.length} row(s) in ${Math.round(performance.now() - started)} ms`;
  } catch (error) {
    $("query-status").textContent = "";
    showError(error);
  }
}

$("sign-in").onclick = () => signIn();
$("sign-out").onclick = () => pca.logoutRedirect({ account: pca.getActiveAccount() }).catch(showError);
$("renew").onclick = () => token(true).catch(showError);
$("query-form").onsubmit = (e) => {
  e.preventDefault();
  run($("query").value, false);
};
$("run-chart").onclick = () => {
  $("query").value = TOP_STATES;
  run(TOP_STATES, true);
};
$("cluster").value = settings.cluster;
$("database").value = settings.database;
$("query").value = "StormEvents | count";
$("config").textContent = `client ${settings.clientId} · authority ${settings.authority}`;

const redirectError = sessionStorage.getItem("demo.redirectError");
if (redirectError) {
  sessionStorage.removeItem("demo.redirectError");
  showError(JSON.parse(redirectError));
}
try {
  await pca.initialize();
  const result = await pca.handleRedirectPromise();
  if (result) pca.setActiveAccount(result.account);
  else if (!pca.getActiveAccount() && pca.getAllAccounts().length) pca.setActiveAccount(pca.getAllAccounts()[0]);
} catch (error) {
  showError(error);
}
const account = pca.getActiveAccount();
renderAccount(account);
if (account) await token().catch(showError);
document.body.dataset.ready = "true";
