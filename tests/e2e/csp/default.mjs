import * as lib from "/pkg/index.js";
import { start } from "./app.mjs";

start(lib);
