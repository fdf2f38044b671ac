import { HTTP_INTERCEPTORS, provideHttpClient, withFetch, withInterceptorsFromDi } from '@angular/common/http';
import { ApplicationConfig, inject, provideBrowserGlobalErrorListeners } from '@angular/core';
import { provideRouter } from '@angular/router';
import {
  MSAL_GUARD_CONFIG,
  MSAL_INSTANCE,
  MSAL_INTERCEPTOR_CONFIG,
  MsalBroadcastService,
  MsalGuard,
  MsalGuardConfiguration,
  MsalInterceptor,
  MsalInterceptorConfiguration,
  MsalService,
} from '@azure/msal-angular';
import { BrowserCacheLocation, InteractionType, IPublicClientApplication, PublicClientApplication } from '@azure/msal-browser';

import { routes } from './app.routes';
import { clusterOrigin, clusterScopes, SETTINGS } from './settings';

// One redirect URI for every route: the app's root (register it as a single-page application).
const root = document.baseURI;

/**
 * As in any msal-angular app. package.json installs kusto-spa-auth under the name
 * @azure/msal-browser, so this PublicClientApplication, and every import of @azure/msal-browser
 * in msal-angular, is kusto-spa-auth's.
 */
export function msalInstanceFactory(): IPublicClientApplication {
  const { clientId, authority } = inject(SETTINGS);
  return new PublicClientApplication({
    auth: { clientId, authority, redirectUri: root, postLogoutRedirectUri: root },
    cache: { cacheLocation: BrowserCacheLocation.SessionStorage },
  });
}

/** MsalGuard signs a signed-out user in by redirect, for the cluster, and comes back to the route. */
export function msalGuardConfigFactory(): MsalGuardConfiguration {
  return {
    interactionType: InteractionType.Redirect,
    authRequest: { scopes: clusterScopes(inject(SETTINGS)) },
  };
}

/**
 * MsalInterceptor adds the token to requests for the cluster's origin (any path), and to no other
 * request. With strict matching, the path of a key must match the request's whole path: hence `/*`.
 */
export function msalInterceptorConfigFactory(): MsalInterceptorConfiguration {
  const settings = inject(SETTINGS);
  return {
    interactionType: InteractionType.Redirect,
    protectedResourceMap: new Map([[`${clusterOrigin(settings)}/*`, clusterScopes(settings)]]),
    strictMatching: true,
  };
}

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideRouter(routes),
    provideHttpClient(withInterceptorsFromDi(), withFetch()),
    { provide: HTTP_INTERCEPTORS, useClass: MsalInterceptor, multi: true },
    { provide: MSAL_INSTANCE, useFactory: msalInstanceFactory },
    { provide: MSAL_GUARD_CONFIG, useFactory: msalGuardConfigFactory },
    { provide: MSAL_INTERCEPTOR_CONFIG, useFactory: msalInterceptorConfigFactory },
    MsalService,
    MsalGuard,
    MsalBroadcastService,
  ],
};
