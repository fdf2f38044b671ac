import { Component, inject } from '@angular/core';

import { SETTINGS } from './settings';

@Component({
  selector: 'app-home',
  template: `
    <p>
      Sign in with msal-angular on kusto-spa-auth, then <strong>StormEvents | count</strong> queries the
      cluster through Angular's HttpClient; MsalInterceptor adds the token to the cluster's requests only.
    </p>
    <dl>
      <dt>Cluster</dt>
      <dd>{{ settings.cluster }}</dd>
      <dt>Authority</dt>
      <dd>{{ settings.authority }}</dd>
    </dl>
  `,
})
export class Home {
  protected readonly settings = inject(SETTINGS);
}
