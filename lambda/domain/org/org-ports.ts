import type { Params } from '../requests';
import type { OrgAccount } from './org-account';
import type { OrgAccountEndpoint } from './org-directory';
import type { OrgDlq } from './org-dlq';
import type { OrgRecovery } from './org-recovery';
import type { OrgTask } from './org-task';
import type { OrgAction } from './owning-account';

/** Filters of GET /org/tasks; newest first. */
export interface OrgTaskQuery {
  readonly accountId?: string;
  readonly status?: string;
  readonly sourceArn?: string;
  readonly limit: number;
  readonly nextToken?: string;
}

export type OrgDlqSort = 'messages' | 'name' | 'age';

/** Filters of GET /org/dlqs; removed DLQs are never listed. */
export interface OrgDlqQuery {
  readonly accountId?: string;
  readonly sort: OrgDlqSort;
  /** a queue-name prefix */
  readonly prefix?: string;
  readonly limit: number;
  readonly nextToken?: string;
}

/** A listed DLQ with what the org view joins to it: its newest recovery state and its newest task. */
export interface OrgListedDlq extends OrgDlq {
  readonly recovery?: OrgRecovery;
  readonly newestTask?: OrgTask;
}

export interface OrgPage<T> {
  readonly items: readonly T[];
  readonly nextToken?: string;
}

/**
 * The org read model's table. Each write is conditional on being newer than what is held (see
 * supersedes.ts), so concurrent and repeated deliveries settle on the newest state.
 */
export interface OrgReadModelStore {
  /** false when the held version is as new or newer */
  putTaskIfNewer(task: OrgTask): Promise<boolean>;
  /** false when the held figures are from the same or a later inventory run */
  putDlqIfNewer(dlq: OrgDlq): Promise<boolean>;
  /** holds the task as its DLQ's newest (newestTaskSupersedes); false when the held one is newer or the same */
  putDlqTaskIfNewer(task: OrgTask): Promise<boolean>;
  /** false when the held recovery state of that DLQ is of the same or a higher version */
  putRecoveryIfNewer(recovery: OrgRecovery): Promise<boolean>;
  /** raises the account's lastEventAt (and inventoryAsOf, with that run's totals) to these, never lowers them */
  noteAccount(account: OrgAccount): Promise<void>;
  /** RUNNING and CANCELLING tasks per account id (accounts with none are left out) */
  countActiveTasks(): Promise<ReadonlyMap<string, number>>;
  queryTasks(query: OrgTaskQuery): Promise<OrgPage<OrgTask>>;
  queryDlqs(query: OrgDlqQuery): Promise<OrgPage<OrgListedDlq>>;
  listAccounts(): Promise<readonly OrgAccount[]>;
}

/** What an account's API answered, as it answered it. */
export interface AccountApiAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** An account's own API, called as the org function's role. Throws an Error when no answer came at all. */
export interface AccountApi {
  send(account: OrgAccountEndpoint, action: OrgAction, params: Params, onBehalfOf: string): Promise<AccountApiAnswer>;
}
