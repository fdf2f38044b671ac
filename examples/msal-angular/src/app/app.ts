import { Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink, RouterOutlet } from '@angular/router';
import { MsalBroadcastService, MsalService } from '@azure/msal-angular';
import { AccountInfo, EventMessage, EventType, InteractionStatus, InteractionType } from '@azure/msal-browser';
import { filter } from 'rxjs';

import { describe } from './errors';
import { clusterScopes, SETTINGS } from './settings';

// Failures the user should see: interactive ones (MsalInterceptor follows a failed silent request
// with a redirect by itself).
const FAILURES: EventType[] = [EventType.ACQUIRE_TOKEN_FAILURE, EventType.LOGOUT_FAILURE];

@Component({
  selector: 'app-root',
  imports: [RouterLink, RouterOutlet],
  template: `
    <h1>kusto-spa-auth with msal-angular</h1>
    <nav>
      <a routerLink="/">Home</a>
      <a routerLink="/query">StormEvents | count</a>
    </nav>
    <p>
      @if (account(); as account) {
        <span id="status">signed in as {{ account.username }}</span>
        <button id="sign-out" type="button" (click)="logout()">Sign out</button>
      } @else {
        <span id="status">signed out</span>
        <button id="sign-in" type="button" (click)="login()">Sign in</button>
      }
    </p>
    @if (error(); as error) {
      <p id="error" role="alert">{{ error }}</p>
    }
    <router-outlet />
  `,
})
export class App {
  private readonly msal = inject(MsalService);
  private readonly scopes = clusterScopes(inject(SETTINGS));
  protected readonly account = signal<AccountInfo | null>(null);
  protected readonly error = signal<string | null>(null);

  constructor() {
    const broadcast = inject(MsalBroadcastService);
    // Finishes a sign-in that redirected back to this page (MsalGuard waits for the same result).
    this.msal.handleRedirectObservable().pipe(takeUntilDestroyed()).subscribe({
      next: (result) => {
        if (result) this.msal.instance.setActiveAccount(result.account);
      },
      error: (e) => this.error.set(describe(e)),
    });
    // A sign-in that just finished makes its account the active one (the payload is the account).
    broadcast.msalSubject$
      .pipe(filter((message: EventMessage) => message.eventType === EventType.LOGIN_SUCCESS), takeUntilDestroyed())
      .subscribe((message) => this.msal.instance.setActiveAccount(message.payload as AccountInfo));
    broadcast.msalSubject$
      .pipe(filter((message) => FAILURES.includes(message.eventType) && message.interactionType !== InteractionType.Silent), takeUntilDestroyed())
      .subscribe((message) => this.error.set(describe(message.error)));
    // Once no interaction is under way, the status shows the signed-in account, if any.
    broadcast.inProgress$
      .pipe(filter((status) => status === InteractionStatus.None), takeUntilDestroyed())
      .subscribe(() => this.showAccount());
  }

  private showAccount(): void {
    const instance = this.msal.instance;
    let account = instance.getActiveAccount();
    if (!account && instance.getAllAccounts().length > 0) {
      account = instance.getAllAccounts()[0];
      instance.setActiveAccount(account);
    }
    this.account.set(account);
  }

  protected login(): void {
    this.msal.loginRedirect({ scopes: this.scopes }).subscribe({ error: (e) => this.error.set(describe(e)) });
  }

  protected logout(): void {
    this.msal.logoutRedirect({ postLogoutRedirectUri: document.baseURI }).subscribe({ error: (e) => this.error.set(describe(e)) });
  }
}
