import type { OrgAccount } from './org-account';
import type { OrgChange } from './org-change';
import type { OrgDlq } from './org-dlq';
import type { OrgRecovery } from './org-recovery';
import type { OrgTask } from './org-task';
import { dlqSupersedes, inventorySupersedes, laterOf, newestTaskSupersedes, recoverySupersedes, taskSupersedes } from './supersedes';

/** The org view as plain data, keyed by `<account>/<taskId>`, queue ARN (DLQs, recoveries) and account id. */
export interface OrgModel {
  readonly tasks: ReadonlyMap<string, OrgTask>;
  readonly dlqs: ReadonlyMap<string, OrgDlq>;
  readonly recoveries: ReadonlyMap<string, OrgRecovery>;
  /** each DLQ's newest task, by queue ARN (its task's SourceArn) */
  readonly dlqTasks: ReadonlyMap<string, OrgTask>;
  readonly accounts: ReadonlyMap<string, OrgAccount>;
}

export const EMPTY_ORG_MODEL: OrgModel = { tasks: new Map(), dlqs: new Map(), recoveries: new Map(), dlqTasks: new Map(), accounts: new Map() };

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
  accounts.set(change.accountId, notedAccount(model.accounts.get(change.accountId), accountHeardIn(change)));
  if (change.kind === 'task') {
    const { task } = change;
    const key = orgTaskKey(task);
    const tasks = taskSupersedes(model.tasks.get(key), task) ? new Map(model.tasks).set(key, task) : model.tasks;
    const dlqTasks = newestTaskSupersedes(model.dlqTasks.get(task.sourceArn), task) ? new Map(model.dlqTasks).set(task.sourceArn, task) : model.dlqTasks;
    return { ...model, tasks, dlqTasks, accounts };
  }
  if (change.kind === 'recovery') {
    const { queueArn } = change.recovery;
    if (!recoverySupersedes(model.recoveries.get(queueArn), change.recovery)) return { ...model, accounts };
    return { ...model, recoveries: new Map(model.recoveries).set(queueArn, change.recovery), accounts };
  }
  const dlqs = new Map(model.dlqs);
  for (const dlq of [...change.dlqs, ...change.removedQueueArns.map((arn) => removedDlq(change, arn))]) {
    if (dlqSupersedes(dlqs.get(dlq.queueArn), dlq)) dlqs.set(dlq.queueArn, dlq);
  }
  return { ...model, dlqs, accounts };
}

/** What one event says about its account: a sign of life, and from an inventory its run and totals. */
export function accountHeardIn(change: Exclude<OrgChange, { kind: 'ignored' }>): OrgAccount {
  return {
    accountId: change.accountId,
    region: change.region,
    lastEventAt: change.time,
    ...(change.kind === 'inventory' ? { inventoryAsOf: change.asOf, ...(change.totals ? { inventoryTotals: change.totals } : {}) } : {}),
  };
}

/**
 * The account's times only move forward, and its inventory totals are those of its newest run (none
 * when that run sent none: older totals are never shown as the newer run's).
 */
export function notedAccount(held: OrgAccount | undefined, incoming: OrgAccount): OrgAccount {
  const inventory = inventorySupersedes(held?.inventoryAsOf, incoming.inventoryAsOf) ? incoming : held;
  return {
    accountId: incoming.accountId,
    region: incoming.region,
    lastEventAt: laterOf(held?.lastEventAt, incoming.lastEventAt)!,
    ...(inventory?.inventoryAsOf ? { inventoryAsOf: inventory.inventoryAsOf } : {}),
    ...(inventory?.inventoryTotals ? { inventoryTotals: inventory.inventoryTotals } : {}),
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
