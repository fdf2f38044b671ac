import { Routes } from '@angular/router';

import { Home } from './home';
import { StormEventsCount } from './storm-events-count';
import { signedInGuard } from './signed-in.guard';

export const routes: Routes = [
  { path: '', component: Home, title: 'kusto-spa-auth with Angular' },
  { path: 'query', component: StormEventsCount, canActivate: [signedInGuard], title: 'StormEvents | count' },
  { path: '**', redirectTo: '' },
];
