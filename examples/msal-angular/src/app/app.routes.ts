import { Routes } from '@angular/router';
import { MsalGuard } from '@azure/msal-angular';

import { Home } from './home';
import { StormEventsCount } from './storm-events-count';

export const routes: Routes = [
  { path: '', component: Home, title: 'kusto-spa-auth with msal-angular' },
  { path: 'query', component: StormEventsCount, canActivate: [MsalGuard], title: 'StormEvents | count' },
  { path: '**', redirectTo: '' },
];
