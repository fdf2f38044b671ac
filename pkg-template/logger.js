// MSAL's Logger: loggerOptions' callback behind its level and PII filter. The library's own
// messages and those of wrapper libraries (msal-angular's getLogger().clone(...)) go through it.

import { LEVEL_NAMES } from "./enums.js";

export class Logger {
  constructor(loggerOptions, packageName = "kusto-spa-auth", packageVersion = "") {
    this._options = loggerOptions ?? {};
    this._tag = packageVersion ? `${packageName}@${packageVersion}` : packageName;
  }

  /** A logger with the same options for another package (and correlation id). */
  clone(packageName, packageVersion, correlationId) {
    return new Logger({ ...this._options, correlationId: correlationId ?? this._options.correlationId }, packageName, packageVersion);
  }

  isPiiLoggingEnabled() {
    return Boolean(this._options.piiLoggingEnabled);
  }

  /** Calls loggerCallback if the level passes (default Info) and PII is allowed. */
  executeCallback(level, message, containsPii) {
    const { loggerCallback, logLevel = 2 } = this._options;
    if (typeof loggerCallback !== "function" || level > logLevel || (containsPii && !this.isPiiLoggingEnabled())) return;
    loggerCallback(level, message, containsPii);
  }

  _log(level, message, containsPii, correlationId = this._options.correlationId) {
    const context = correlationId ? ` [${correlationId}]` : "";
    this.executeCallback(level, `[${this._tag}]${context} ${message}`, containsPii);
  }

  // error(message, correlationId), errorPii(...), warning, warningPii, ... tracePii: MSAL's methods.
  static {
    LEVEL_NAMES.forEach((name, level) => {
      const method = name.toLowerCase();
      this.prototype[method] = function (message, correlationId) {
        this._log(level, message, false, correlationId);
      };
      this.prototype[`${method}Pii`] = function (message, correlationId) {
        this._log(level, message, true, correlationId);
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
