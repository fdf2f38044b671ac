import { start } from "./app.mjs";

start(window.KustoSpaAuth);
