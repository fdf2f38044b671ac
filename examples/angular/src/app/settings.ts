// Which app registration, identity provider and cluster to use: ?clientId=...&authority=...&cluster=...
// in the URL, kept in sessionStorage because the sign-in round trip comes back without them.
export interface Settings {
  clientId: string;
  authority: string;
  cluster: string;
}

const KEY = 'kusto-angular-example.settings';

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
