/**
 * One account's DLQ recovery state as the org view holds it, from the account's `Redrive Recovery
 * State Changed` events: the newest by the version in the event's id. `runId` is kept only while
 * RECOVERING, as the account's own record does (the event that ends a run still names it).
 */
export interface OrgRecovery {
  readonly accountId: string;
  readonly region: string;
  readonly queueArn: string;
  /** the account's recovery record version the change was written at */
  readonly version: number;
  readonly state: string;
  /** ISO-8601: when the DLQ entered the state */
  readonly since: string;
  readonly reason: string;
  readonly runId?: string;
}
