import { InjectionToken } from '@angular/core';

// Which app registration, identity provider and cluster to use: ?clientId=...&authority=...&cluster=...
// in the URL, kept in sessionStorage because the sign-in round trip comes back without them.
export interface Settings {
  clientId: string;
  authority: string;
  cluster: string;
}

const KEY = 'kusto-msal-angular-example.settings';

const DEFAULTS: Settings = {
  clientId: '',
  authority: 'https://login.microsoftonline.com/common',
  cluster: 'https://help.kusto.windows.net',
};

export function loadSettings(): Settings {
  const saved: Partial<Settings> = JSON.parse(sessionStorage.getItem(KEY) ?? '{}');
  const params = new URLSearchParams(location.search);
  const pick = (name: keyof Settings) => params.get(name) || saved[name] || DEFAULTS[name];
  const settings = { clientId: pick('clientId'), authority: pick('authority'), cluster: pick('cluster') };
  sessionStorage.setItem(KEY, JSON.stringify(settings));
  return settings;
}

export const SETTINGS = new InjectionToken<Settings>('settings', { providedIn: 'root', factory: loadSettings });

/** The cluster's origin: the requests that get the user's token. */
export function clusterOrigin(settings: Settings): string {
  return new URL(settings.cluster).origin;
}

/** The cluster's resource is its scheme and host (no port, no path), as Kusto's SDKs use it. */
export function clusterScopes(settings: Settings): string[] {
  return [`${clusterOrigin(settings).replace(/:\d+$/, '')}/.default`];
}
