import { HttpClient } from '@angular/common/http';
import { Component, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { switchMap, tap } from 'rxjs';

import { describe } from './errors';
import { clusterOrigin, SETTINGS } from './settings';

interface KustoQuery {
  db: string;
  csl: string;
}

/** A frame of a Kusto v2 query response; the rows of interest are in the PrimaryResult table. */
interface V2Frame {
  FrameType: string;
  TableKind?: string;
  Rows?: unknown[][];
}

@Component({
  selector: 'app-storm-events-count',
  template: `
    @if (query(); as query) {
      <pre>{{ query.db }}: {{ query.csl }}</pre>
    }
    @if (count() !== undefined) {
      <p id="count">StormEvents | count = {{ count() }}</p>
    } @else if (error()) {
      <p id="query-error" role="alert">{{ error() }}</p>
    } @else {
      <p>Running the query…</p>
    }
  `,
})
export class StormEventsCount {
  protected readonly query = signal<KustoQuery | null>(null);
  protected readonly count = signal<unknown>(undefined);
  protected readonly error = signal<string | null>(null);

  constructor() {
    const http = inject(HttpClient);
    const cluster = clusterOrigin(inject(SETTINGS));
    // The query is an asset of the app: not in the protectedResourceMap, so it goes without a token.
    http
      .get<KustoQuery>('query.json')
      .pipe(
        tap((query) => this.query.set(query)),
        switchMap((query) => http.post<V2Frame[]>(`${cluster}/v2/rest/query`, query)),
        takeUntilDestroyed(),
      )
      .subscribe({
        next: (frames) => {
          const primary = frames.find((f) => f.FrameType === 'DataTable' && f.TableKind === 'PrimaryResult');
          if (primary?.Rows?.length) this.count.set(primary.Rows[0][0]);
          else this.error.set('The response has no PrimaryResult row.');
        },
        error: (e) => this.error.set(describe(e)),
      });
  }
}
