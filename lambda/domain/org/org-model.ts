import type { OrgAccount } from './org-account';
import type { OrgChange } from './org-change';
import type { OrgDlq } from './org-dlq';
import type { OrgTask } from './org-task';
import { dlqSupersedes, laterOf, taskSupersedes } from './supersedes';

/** The org view as plain data, keyed by `<account>/<taskId>`, queue ARN and account id. */
export interface OrgModel {
  readonly tasks: ReadonlyMap<string, OrgTask>;
  readonly dlqs: ReadonlyMap<string, OrgDlq>;
  readonly accounts: ReadonlyMap<string, OrgAccount>;
}

export const EMPTY_ORG_MODEL: OrgModel = { tasks: new Map(), dlqs: new Map(), accounts: new Map() };

export function orgTaskKey(task: Pick<OrgTask, 'accountId' | 'taskId'>): string {
  return `${task.accountId}/${task.taskId}`;
}

/**
 * The rule every store follows, as a pure function: a change applies only where it is newer than
 * what is held, so any order and any repetition of the same events ends in the same model.
 */
export function applyOrgChange(model: OrgModel, change: OrgChange): OrgModel {
  if (change.kind === 'ignored') return model;
  const accounts = new Map(model.accounts);
  accounts.set(change.accountId, notedAccount(model.accounts.get(change.accountId), {
    accountId: change.accountId,
    region: change.region,
    lastEventAt: change.time,
    ...(change.kind === 'inventory' ? { inventoryAsOf: change.asOf } : {}),
  }));
  if (change.kind === 'task') {
    const key = orgTaskKey(change.task);
    if (!taskSupersedes(model.tasks.get(key), change.task)) return { ...model, accounts };
    return { ...model, tasks: new Map(model.tasks).set(key, change.task), accounts };
  }
  const dlqs = new Map(model.dlqs);
  for (const dlq of [...change.dlqs, ...change.removedQueueArns.map((arn) => removedDlq(change, arn))]) {
    if (dlqSupersedes(dlqs.get(dlq.queueArn), dlq)) dlqs.set(dlq.queueArn, dlq);
  }
  return { ...model, dlqs, accounts };
}

/** The account's times only move forward. */
export function notedAccount(held: OrgAccount | undefined, incoming: OrgAccount): OrgAccount {
  const inventoryAsOf = laterOf(held?.inventoryAsOf, incoming.inventoryAsOf);
  return {
    accountId: incoming.accountId,
    region: incoming.region,
    lastEventAt: laterOf(held?.lastEventAt, incoming.lastEventAt)!,
    ...(inventoryAsOf ? { inventoryAsOf } : {}),
  };
}

/** A DLQ an inventory run no longer found: held as removed, so an older event cannot list it again. */
export function removedDlq(change: { readonly accountId: string; readonly region: string; readonly asOf: string }, queueArn: string): OrgDlq {
  return {
    accountId: change.accountId,
    region: change.region,
    queueArn,
    queueName: queueArn.slice(queueArn.lastIndexOf(':') + 1),
    asOf: change.asOf,
    approximateNumberOfMessages: 0,
    removed: true,
    view: {},
  };
}
