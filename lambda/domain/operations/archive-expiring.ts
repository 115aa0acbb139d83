// reconciler tick --> archiveExpiring --> the stored inventory (OldestMessageExpiresAt) --> an archive+delete task per
//   DLQ whose messages expire within archiveBeforeExpiry, unless the DLQ has an active task
import { expiringDlqs, expiryReason } from '../decisions/expiring-messages';
import type { DeadLetterQueue } from '../dlq/dead-letter-queue';
import type { DlqInventoryStore } from '../dlq/dlq-ports';
import type { Clock, OperationLog, TaskStore } from '../ports';
import type { TaskRecord } from '../task-record';
import { TaskStatus } from '../task-status';

/** Starts an archive task with Delete (the archive's own operation), as the controller. */
export interface ExpiryArchiver {
  /** answers the task id; throws SqsError, e.g. when a task is already active on the DLQ */
  archiveAndDelete(dlqArn: string, selection: { readonly sentBefore: number }, reason: string): Promise<string>;
}

export interface ArchiveExpiringDependencies {
  readonly inventory: DlqInventoryStore;
  /** `query`: a DLQ's newest task, to know whether an archive of ours ran since the inventory was taken; @default - not asked */
  readonly store: Pick<TaskStore, 'listActive'> & Partial<Pick<TaskStore, 'query'>>;
  readonly archiver: ExpiryArchiver;
  readonly clock: Clock;
  readonly log: OperationLog;
}

export interface ArchiveExpiringSummary {
  readonly expiring: number;
  readonly started: number;
  /** an active task on the DLQ already (an archive this tick started before, or anyone's redrive) */
  readonly busy: number;
  readonly errors: number;
}

/**
 * One tick of `archiveBeforeExpiry`: reads the inventory (no SQS call), starts one archive+delete task
 * for each DLQ whose oldest message expires within the window, selecting by SentTimestamp only the
 * messages that do. A DLQ with an active task is left for the next tick (one active task per DLQ).
 */
export async function archiveExpiring(deps: ArchiveExpiringDependencies, windowSeconds: number): Promise<ArchiveExpiringSummary> {
  const inventory = await deps.inventory.load();
  if (!inventory) return { expiring: 0, started: 0, busy: 0, errors: 0 };
  const expiring = expiringDlqs(inventory.dlqs, windowSeconds, deps.clock.now().getTime());
  if (expiring.length === 0) return { expiring: 0, started: 0, busy: 0, errors: 0 };
  // a replay from the archive never touches the DLQ: the expiry archive runs beside it (beside-archive-replay.ts)
  const active = new Set((await deps.store.listActive()).filter((task) => task.kind !== 'archive-replay').map((task) => task.sourceArn));
  let started = 0;
  let busy = 0;
  let errors = 0;
  const byArn = new Map(inventory.dlqs.map((dlq) => [dlq.queueArn, dlq]));
  for (const dlq of expiring) {
    if (active.has(dlq.queueArn) || (await archivedSince(deps, byArn.get(dlq.queueArn)!, inventory.asOf))) {
      busy += 1;
      continue;
    }
    try {
      // recorded like any task (its Reason says why) and announced by its Started event
      await deps.archiver.archiveAndDelete(dlq.queueArn, { sentBefore: dlq.sentBefore }, expiryReason(dlq, windowSeconds));
      started += 1;
    } catch (error) {
      errors += 1;
      deps.log.warn('archiveBeforeExpiry: could not start the archive task; the next tick tries again', { queueArn: dlq.queueArn, error: String(error) });
    }
  }
  return { expiring: expiring.length, started, busy, errors };
}

/**
 * An archive of ours already covers what the inventory says expires, so a stale inventory must not
 * start another on every tick: either it started after the inventory was taken (its SentBefore reached
 * further), or it completed after the inventory last sampled the DLQ and selected the oldest
 * SentTimestamp the inventory still shows. The inventory keeps that timestamp until it would have
 * expired (message-expiry.ts: keptOldestSent), though the archive deleted the message. A message sent
 * that early which arrived later (a standard DLQ keeps SentTimestamp) raises the count, so the next
 * inventory run samples again, after the archive: then one more archive runs.
 */
async function archivedSince(deps: ArchiveExpiringDependencies, dlq: DeadLetterQueue, asOf: string): Promise<boolean> {
  if (!deps.store.query) return false;
  const { tasks } = await deps.store.query({ sourceArn: dlq.queueArn, limit: 1 });
  const newest = tasks.find((task) => task.sourceArn === dlq.queueArn);
  if (newest === undefined || newest.origin !== 'expiry') return false;
  return newest.createdAt > asOf || coversOldest(newest, dlq);
}

function coversOldest(archive: TaskRecord, dlq: DeadLetterQueue): boolean {
  if (archive.status !== TaskStatus.COMPLETED || archive.sentBefore === undefined || dlq.oldestSentTimestamp === undefined) return false;
  const finished = archive.completedAt ?? archive.updatedAt;
  return archive.sentBefore > dlq.oldestSentTimestamp && (dlq.sentTimestampsSampledAt === undefined || dlq.sentTimestampsSampledAt < finished);
}
