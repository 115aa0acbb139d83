import type { OrgAccount } from '../../../domain/org/org-account';
import type { OrgAccountEndpoint } from '../../../domain/org/org-directory';
import type { OrgListedDlq } from '../../../domain/org/org-ports';
import type { OrgTask } from '../../../domain/org/org-task';
import { ACTIVE_STATUSES } from '../../../domain/task-status';
import { inventoryTotalsView } from '../inventory-totals-view';

/** GET /org/tasks entries: the account's GET /tasks entry, plus whose it is. */
export function orgTaskView(task: OrgTask): Record<string, unknown> {
  return { ...task.view, AccountId: task.accountId, Region: task.region };
}

/**
 * GET /org/dlqs entries: the account's GET /dlqs entry, its active task (its figures as of the task's
 * last transition event), its recovery state as the account's events
 * told it (without NextActionAt and CurrentRate, which they do not carry), whose it is, and the
 * inventory run its figures are from.
 */
export function orgDlqView(dlq: OrgListedDlq): Record<string, unknown> {
  const recovery = dlq.recovery;
  const task = dlq.newestTask;
  // a DLQ's one active task is always its newest
  const active = task && (ACTIVE_STATUSES as readonly string[]).includes(task.status) ? task : undefined;
  return {
    ...dlq.view,
    ActiveTask: active
      ? {
          taskId: active.taskId,
          Kind: active.view.Kind ?? 'native',
          Status: active.status,
          ApproximateNumberOfMessagesMoved: active.view.ApproximateNumberOfMessagesMoved,
          ApproximateNumberOfMessagesToMove: active.view.ApproximateNumberOfMessagesToMove,
        }
      : undefined,
    Recovery: recovery ? { State: recovery.state, Since: recovery.since, Reason: recovery.reason, RunId: recovery.runId } : undefined,
    AccountId: dlq.accountId,
    Region: dlq.region,
    asOf: dlq.asOf,
  };
}

/**
 * GET /org/accounts entries: what the configuration says, when the account was last heard from, and
 * its totals once its inventory has reported them (ActiveRedrives: its RUNNING and CANCELLING tasks).
 */
export function orgAccountView(endpoint: OrgAccountEndpoint | undefined, heard: OrgAccount | undefined, activeRedrives: number): Record<string, unknown> {
  return {
    AccountId: endpoint?.accountId ?? heard?.accountId,
    Region: endpoint?.region ?? heard?.region,
    ApiUrl: endpoint?.apiUrl,
    LastEventAt: heard?.lastEventAt || undefined,
    InventoryAsOf: heard?.inventoryAsOf,
    SqsEndpoint: endpoint?.sqsEndpoint,
    Totals: heard?.inventoryTotals ? { ...inventoryTotalsView(heard.inventoryTotals), ActiveRedrives: activeRedrives } : undefined,
  };
}
