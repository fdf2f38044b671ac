import { bootstrapApplication } from '@angular/platform-browser';
import { appConfig } from './app/app.config';
import { App } from './app/app';
import { loadSettings } from './app/settings';

// MSAL_INSTANCE is made as the app starts, and a PublicClientApplication needs a client id.
if (loadSettings().clientId) {
  bootstrapApplication(App, appConfig)
    .catch((err) => console.error(err));
} else {
  const error = document.createElement('p');
  error.id = 'error';
  error.role = 'alert';
  error.textContent = 'Open this page with ?clientId=<application id>&authority=<authority>&cluster=<cluster URL>.';
  document.body.append(error);
}
