// adapter --> listDlqs --> the stored inventory + the table's active tasks (no SQS call)
import type { DeadLetterQueue } from '../dlq/dead-letter-queue';
import type { DlqInventoryStore } from '../dlq/dlq-ports';
import { type DlqQuery,pageDlqs } from '../dlq/dlq-query';
import type { TaskStore } from '../ports';
import type { RecoveryDependencies } from '../recovery/recovery-ports';
import { initialRecoveryRecord, type RecoveryRecord } from '../recovery/recovery-state';
import { SqsError } from '../sqs-error';
import type { TaskRecord } from '../task-record';

export interface ListedDlq extends DeadLetterQueue {
  /** the DLQ's RUNNING or CANCELLING task, as the task table has it now */
  readonly activeTask?: TaskRecord;
  /** the DLQ's recovery, when a policy names it */
  readonly recovery?: RecoveryRecord;
}

export interface DlqPage {
  readonly dlqs: ListedDlq[];
  readonly asOf: string;
  readonly nextToken?: string;
}

/**
 * One page of GET /dlqs. The figures are the inventory job's (at most one run old, `asOf`); the
 * active task is read from the table now (one index query per active status), so a redrive just
 * started shows at once.
 */
export async function listDlqs(deps: { readonly store: TaskStore; readonly inventory: DlqInventoryStore; readonly recovery?: RecoveryDependencies }, query: DlqQuery): Promise<DlqPage> {
  const [inventory, active] = await Promise.all([deps.inventory.load(), deps.store.listActive()]);
  if (!inventory) {
    throw new SqsError('ServiceUnavailable', 'The DLQ inventory has not been built yet: the inventory job runs every minute; try again shortly', 503);
  }
  const activeBySource = new Map<string, TaskRecord>();
  // newest first, so the newest active task of a queue wins
  for (const task of [...active].sort((a, b) => a.createdAt.localeCompare(b.createdAt))) activeBySource.set(task.sourceArn, task);
  const page = pageDlqs(inventory.dlqs, query);
  // the page's DLQs with a policy: one BatchGetItem; a DLQ whose record is not written yet is IDLE
  const withPolicy = page.dlqs.map((dlq) => dlq.queueArn).filter((arn) => deps.recovery?.policies.has(arn));
  const recoveries = new Map(withPolicy.length > 0 ? (await deps.recovery!.recoveries.getMany(withPolicy)).map((record) => [record.dlqArn, record]) : []);
  return {
    dlqs: page.dlqs.map((dlq) => {
      const task = activeBySource.get(dlq.queueArn);
      const recovery = deps.recovery?.policies.has(dlq.queueArn) ? (recoveries.get(dlq.queueArn) ?? initialRecoveryRecord(dlq.queueArn, inventory.asOf)) : undefined;
      return { ...dlq, ...(task ? { activeTask: task } : {}), ...(recovery ? { recovery } : {}) };
    }),
    asOf: inventory.asOf,
    ...(page.nextToken ? { nextToken: page.nextToken } : {}),
  };
}
