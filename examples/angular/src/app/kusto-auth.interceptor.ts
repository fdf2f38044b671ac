import { HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { defer, NEVER, switchMap } from 'rxjs';

import { KustoAuth } from './kusto-auth';

/** Adds the user's token to requests for the Kusto cluster, and to nothing else. */
export const kustoAuthInterceptor: HttpInterceptorFn = (req, next) => {
  const auth = inject(KustoAuth);
  if (!auth.isKustoUrl(req.url)) return next(req);
  return defer(() => auth.accessToken()).pipe(
    // No token: the page is leaving for the identity provider, so the request is not sent.
    switchMap((token) => (token === null ? NEVER : next(req.clone({ setHeaders: { Authorization: `Bearer ${token}` } })))),
  );
};
