/**
 * One account's task as the org view holds it: the task's record as its account's events carried it
 * (`view`, GET /tasks' shape), with the version the account wrote it at. The model keeps only the newest.
 */
export interface OrgTask {
  readonly accountId: string;
  readonly region: string;
  readonly taskId: string;
  /** the task item's version at the transition the event announced */
  readonly version: number;
  readonly status: string;
  readonly sourceArn: string;
  readonly createdAt: string;
  /**
   * the org view's clock when this event arrived (ms since the epoch): the next version of the task
   * may be higher by at most the writes its item can take since then (taskSupersedes)
   */
  readonly receivedMs?: number;
  /** the entry as the account's GET /tasks answers it */
  readonly view: Readonly<Record<string, unknown>>;
}
