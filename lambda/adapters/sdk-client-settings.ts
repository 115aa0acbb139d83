/** Marks an AWS SDK client for tracing: lambda/entry/with-tracing.ts's `traced`, passed down by each entry. */
export type TraceClient = <C extends object>(client: C) => C;

/** What an adapter that builds its own SDK client (on first use) builds it with. */
export interface SdkClientSettings {
  readonly region: string;
  /** retries and timeouts, as for the other clients */
  readonly clientOptions?: Record<string, unknown>;
  /**
   * The entry's `traced` (its client's calls are X-Ray subsegments where tracing is on, as those of the
   * clients the entries build), or `untraced`. Required, so that no adapter's client is left out by mistake.
   */
  readonly traced: TraceClient;
}

/** For clients that are never traced: tests, tools. */
export const untraced: TraceClient = (client) => client;
