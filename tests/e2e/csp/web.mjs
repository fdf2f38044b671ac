import * as lib from "/pkg/web.js";
import { start } from "./app.mjs";

start(lib);
