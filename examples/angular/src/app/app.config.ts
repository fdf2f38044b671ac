import { provideHttpClient, withFetch, withInterceptors } from '@angular/common/http';
import {
  ApplicationConfig,
  inject,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
} from '@angular/core';
import { provideRouter } from '@angular/router';

import { routes } from './app.routes';
import { KustoAuth } from './kusto-auth';
import { kustoAuthInterceptor } from './kusto-auth.interceptor';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    // Before the router runs: the guard needs to know whether a sign-in just finished.
    provideAppInitializer(() => inject(KustoAuth).init()),
    provideRouter(routes),
    provideHttpClient(withFetch(), withInterceptors([kustoAuthInterceptor])),
  ],
};
