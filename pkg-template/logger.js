// MSAL's Logger: loggerOptions' callback behind its level and PII filter. The library's own
// messages and those of wrapper libraries (msal-angular's getLogger().clone(...)) go through it.

import { LEVEL_NAMES } from "./enums.js";

export class Logger {
  #options;
  #tag;

  constructor(loggerOptions, packageName = "kusto-spa-auth", packageVersion = "") {
    this.#options = loggerOptions ?? {};
    this.#tag = packageVersion ? `${packageName}@${packageVersion}` : packageName;
  }

  /** A logger with the same options for another package (and correlation id). */
  clone(packageName, packageVersion, correlationId) {
    return new Logger({ ...this.#options, correlationId: correlationId ?? this.#options.correlationId }, packageName, packageVersion);
  }

  isPiiLoggingEnabled() {
    return Boolean(this.#options.piiLoggingEnabled);
  }

  /** Calls loggerCallback if the level passes (default Info) and PII is allowed. */
  executeCallback(level, message, containsPii) {
    const { loggerCallback, logLevel = 2 } = this.#options;
    if (typeof loggerCallback !== "function" || level > logLevel || (containsPii && !this.isPiiLoggingEnabled())) return;
    loggerCallback(level, message, containsPii);
  }

  #log(level, message, containsPii, correlationId = this.#options.correlationId) {
    const context = correlationId ? ` [${correlationId}]` : "";
    this.executeCallback(level, `[${this.#tag}]${context} ${message}`, containsPii);
  }

  // error(message, correlationId), errorPii(...), warning, warningPii, ... tracePii: MSAL's methods.
  static {
    LEVEL_NAMES.forEach((name, level) => {
      const method = name.toLowerCase();
      this.prototype[method] = function (message, correlationId) {
        this.#log(level, message, false, correlationId);
      };
      this.prototype[`${method}Pii`] = function (message, correlationId) {
        this.#log(level, message, true, correlationId);
      };
    });
  }
}

/**
 * What the wasm logs, handed to `logger` by level: any object with MSAL's Logger methods will do,
 * as setLogger may be given msal-browser's own.
 */
export function logTo(logger, level, message, containsPii) {
  const method = LEVEL_NAMES[level]?.toLowerCase();
  if (method) logger[containsPii ? `${method}Pii` : method]?.(message);
}
