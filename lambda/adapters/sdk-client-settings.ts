/** Marks an AWS SDK client for tracing: lambda/entry/with-tracing.ts's `traced`, passed down by each entry. */
export type TraceClient = <C extends object>(client: C) => C;

/** What an adapter that builds its own SDK client (on first use) builds it with. */
export interface SdkClientSettings {
  readonly region: string;
  /** retries and timeouts, as for the other clients */
  readonly clientOptions?: Record<string, unknown>;
  /** where given, the client's calls are X-Ray subsegments, as those of the clients the entries build */
  readonly traced?: TraceClient;
}

/** The client, marked for tracing where the settings ask for it. */
export function tracedIfAsked<C extends object>(client: C, settings: Pick<SdkClientSettings, 'traced'>): C {
  return settings.traced ? settings.traced(client) : client;
}
