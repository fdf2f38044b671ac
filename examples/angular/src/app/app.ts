import { Component, inject } from '@angular/core';
import { RouterLink, RouterOutlet } from '@angular/router';

import { KustoAuth } from './kusto-auth';

@Component({
  selector: 'app-root',
  imports: [RouterLink, RouterOutlet],
  template: `
    <h1>kusto-spa-auth with Angular</h1>
    <nav>
      <a routerLink="/">Home</a>
      <a routerLink="/query">StormEvents | count</a>
    </nav>
    <p>
      @if (auth.account(); as account) {
        <span id="status">signed in as {{ account.username }}</span>
        <button id="sign-out" type="button" (click)="auth.logout()">Sign out</button>
      } @else {
        <span id="status">signed out</span>
        <button id="sign-in" type="button" [disabled]="!!auth.error()" (click)="auth.login()">Sign in</button>
      }
    </p>
    @if (auth.error(); as error) {
      <p id="error" role="alert">{{ error }}</p>
    }
    <router-outlet />
  `,
})
export class App {
  protected readonly auth = inject(KustoAuth);
}
