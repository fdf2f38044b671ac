import { inject } from '@angular/core';
import { CanActivateFn } from '@angular/router';

import { KustoAuth } from './kusto-auth';

/** Routes for signed-in users: anyone else signs in first and comes back to the route. */
export const signedInGuard: CanActivateFn = (_route, state) => {
  const auth = inject(KustoAuth);
  if (auth.account()) return true;
  if (!auth.error()) void auth.login(state.url);
  return false;
};
