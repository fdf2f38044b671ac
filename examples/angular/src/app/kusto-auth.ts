import { Injectable, signal } from '@angular/core';
import {
  AccountInfo,
  InteractionRequiredAuthError,
  PublicClientApplication,
} from 'kusto-spa-auth';

import { loadSettings } from './settings';

/** Owns the app's one PublicClientApplication and the signed-in account. */
@Injectable({ providedIn: 'root' })
export class KustoAuth {
  readonly settings = loadSettings();
  readonly cluster = new URL(this.settings.cluster).origin;
  /** The cluster's resource is its scheme and host (no port, no path), as Kusto's SDKs use it. */
  readonly scopes = [`${this.cluster.replace(/:\d+$/, '')}/.default`];
  readonly account = signal<AccountInfo | null>(null);
  readonly error = signal<string | null>(null);

  private pca?: PublicClientApplication;
  // One redirect URI for every route: the app's root (register it as a single-page application).
  private readonly root = document.baseURI;

  /** Runs once before the first route: finishes a sign-in that redirected back here. */
  async init(): Promise<void> {
    try {
      if (!this.settings.clientId) {
        throw new Error('Open this page with ?clientId=<application id>&authority=<authority>&cluster=<cluster URL>.');
      }
      this.pca = new PublicClientApplication({
        auth: {
          clientId: this.settings.clientId,
          authority: this.settings.authority,
          redirectUri: this.root,
          postLogoutRedirectUri: this.root,
        },
        cache: { cacheLocation: 'sessionStorage' },
      });
      await this.pca.initialize();
      const result = await this.pca.handleRedirectPromise();
      const account = result?.account ?? this.pca.getActiveAccount() ?? this.pca.getAllAccounts()[0] ?? null;
      this.pca.setActiveAccount(account);
      this.account.set(account);
    } catch (e) {
      this.error.set(describe(e));
    }
  }

  /** Signs in, then comes back to `returnTo` (a router URL). */
  async login(returnTo = '/'): Promise<void> {
    const redirectStartPage = new URL(returnTo.replace(/^\//, ''), this.root).href;
    try {
      await this.pca?.loginRedirect({ scopes: this.scopes, redirectStartPage });
    } catch (e) {
      this.error.set(describe(e));
    }
  }

  async logout(): Promise<void> {
    try {
      await this.pca?.logoutRedirect({ account: this.account(), postLogoutRedirectUri: this.root });
    } catch (e) {
      this.error.set(describe(e));
    }
  }

  /** Whether `url` (absolute, or relative to the page) goes to the configured cluster. */
  isKustoUrl(url: string): boolean {
    return new URL(url, document.baseURI).origin === this.cluster;
  }

  /** A token for the cluster, or null when the browser is on its way to the identity provider. */
  async accessToken(): Promise<string | null> {
    const account = this.account();
    if (!this.pca || !account) {
      await this.pca?.loginRedirect({ scopes: this.scopes });
      return null;
    }
    try {
      return (await this.pca.acquireTokenSilent({ scopes: this.scopes, account })).accessToken;
    } catch (e) {
      if (!(e instanceof InteractionRequiredAuthError)) throw e;
      await this.pca.acquireTokenRedirect({ scopes: this.scopes, account, claims: e.claims || undefined });
      return null;
    }
  }
}

/** The library's errors carry errorCode/errorMessage; anything else its message. */
export function describe(e: unknown): string {
  const error = e as { errorCode?: string; errorMessage?: string; message?: string };
  if (error?.errorCode) return `${error.errorCode}: ${error.errorMessage}`;
  return error?.message ?? String(e);
}
