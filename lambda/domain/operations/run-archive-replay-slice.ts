// mover invocation of an archive-replay task --> runArchiveReplaySlice --> the archive's objects in key order (ArchiveStore)
//   --> select (section 7) --> deliver (MessageDestination: SQS queues) --> counts + cursor + lease (one conditional write) --> events
import { archivePrefix } from '../archive/archive-line';
import { ArchiveStoreError } from '../archive/archive-store';
import { messageOfArchiveLine } from '../archive/archived-message';
import { CORRUPT_OBJECT, readArchiveObject } from '../archive/read-archive-object';
import { selectionOfRecord, selects } from '../message-selection';
import { canaryLeft } from '../mover/canary';
import { finishTask, handOn } from '../mover/end-slice';
import { failureReasonOf, NON_EXISTENT_QUEUE } from '../mover/failure-reason';
import { leaseEndsWithin, leaseMarginSeconds, leaseUntil, takeLease } from '../mover/lease';
import type { Delivery } from '../mover/message-destination';
import { LeaseLost, MAX_WRITE_ATTEMPTS, type MoverDependencies, type MoverOptions, type SliceSummary } from '../mover/mover-types';
import { SqsError } from '../sqs-error';
import type { TaskRecord } from '../task-record';
import { isFinal, TaskStatus } from '../task-status';
import { nextRecord } from '../transitions';

/** Objects listed per call: each holds one delivered batch (at most 10 messages). */
const LIST_PAGE = 100;
/** Deliveries of one object refused for now are asked again this many times, backing off, before the slice is re-driven. */
const DELIVERY_ATTEMPTS = 4;
const BACKOFF_MS = 200;

export interface ArchiveReplayCounts {
  readonly moved: number;
  readonly skipped: number;
  readonly unroutable: number;
}

/**
 * One slice of a replay from the archive (API.md section 12). The source is the archive task's objects,
 * read in key order (the order written), not a DLQ: nothing is received, held or deleted, and the
 * archive is not changed. Per object: its lines are selected (section 7's fields), each selected
 * message is sent to DestinationArn or the queue it failed in, and only then are the object's counts
 * and the cursor (its key) recorded, with the lease, in one conditional write; a cancel's claim makes
 * that write see CANCELLING and the slice stops. A crash between the sends and the write sends that
 * object again (at least once; on FIFO queues the deduplication id `<taskId>:<MessageId>` lets SQS drop
 * a repeat within its 5 minutes), never skips one. A queue that no longer exists leaves its messages
 * unroutable (they stay in the archive); any other refusal for good fails the task, once what the
 * object sent before it is counted. MaxMessages counts what was sent: while fewer were, the object's
 * next matches are sent, so none is passed over uncounted.
 */
export async function runArchiveReplaySlice(deps: MoverDependencies, taskId: string, options: MoverOptions): Promise<SliceSummary> {
  const summary: SliceSummary = { taskId, outcome: 'finished', batches: 0, moved: 0, skipped: 0, unroutable: 0, arrivedLater: 0, released: 0 };
  const taken = await takeLease(deps, taskId, options);
  if (typeof taken === 'string') {
    summary.outcome = taken;
    return summary;
  }
  let record = taken;
  const fail = (reason: string) => finishTask(deps, record, TaskStatus.FAILED, options, summary, reason);
  try {
    if (!deps.archive) return await fail('this mover has no archive bucket (ARCHIVE_BUCKET_NAME)');
    const archive = record.archiveTaskId ? await deps.store.get(record.archiveTaskId) : undefined;
    if (!archive) return await fail(`the archive task ${record.archiveTaskId ?? '(none)'} is no longer recorded`);
    const prefix = archivePrefix(archive.sourceArn, archive.taskId, new Date(archive.createdAt));
    const selection = selectionOfRecord(record);
    const rate = record.maxNumberOfMessagesPerSecond;
    const paceStartedAt = Date.now();
    let paced = 0;
    // a message written twice (a crash before its delete) is sent once per slice
    const sent = new Set<string>();
    for (;;) {
      let page;
      try {
        page = await deps.archive.list(prefix, { max: LIST_PAGE, ...(record.archiveCursor ? { after: record.archiveCursor } : {}) });
      } catch (error) {
        return await fail(archiveFailure(error));
      }
      for (const key of page.keys) {
        if (record.status === TaskStatus.CANCELLING) return await finishTask(deps, record, TaskStatus.CANCELLED, options, summary);
        if (canaryLeft(record) === 0) return await finishTask(deps, record, TaskStatus.COMPLETED, options, summary);
        const now = deps.clock.now();
        if (now.getTime() >= options.sliceEndsAt || leaseEndsWithin(record, now, leaseMarginSeconds(options))) return await handOn(deps, record, options, summary, []);
        let lines;
        try {
          lines = await readArchiveObject(deps.archive, key);
        } catch (error) {
          return await fail(archiveFailure(error));
        }
        const counts = { moved: 0, skipped: 0, unroutable: 0 };
        const deliveries: Delivery[] = [];
        for (const [index, line] of lines.entries()) {
          const message = messageOfArchiveLine(line);
          if (sent.has(message.messageId)) continue;
          if (!selects(selection, message)) {
            counts.skipped += 1;
            continue;
          }
          const target = record.destinationArn ?? message.sourceArn;
          if (!target) counts.unroutable += 1;
          else deliveries.push({ id: String(index), target, message });
        }
        const delivered = await deliverObject(deps, taskId, deliveries, canaryLeft(record), options);
        for (const delivery of deliveries) if (delivered.accepted.has(delivery.id)) sent.add(delivery.message.messageId);
        counts.moved = delivered.accepted.size;
        counts.unroutable += delivered.gone;
        // what was sent before a refusal for good is counted too, then the task fails
        record = await recordObject(deps, record, counts, key, options);
        summary.batches += 1;
        summary.moved += counts.moved;
        summary.skipped += counts.skipped;
        summary.unroutable += counts.unroutable;
        if (delivered.failure !== undefined) return await fail(delivered.failure);
        if (rate !== undefined && counts.moved > 0) {
          // MaxNumberOfMessagesPerSecond: never ahead of rate × elapsed time
          paced += counts.moved;
          const due = paceStartedAt + (paced / rate) * 1000 - Date.now();
          if (due > 0) await options.sleep(due);
        }
      }
      if (!page.more) break;
    }
    return await finishTask(deps, record, record.status === TaskStatus.CANCELLING ? TaskStatus.CANCELLED : TaskStatus.COMPLETED, options, summary);
  } catch (error) {
    if (error instanceof LeaseLost) {
      summary.outcome = 'lease-lost';
      return summary;
    }
    throw error;
  }
}

/** One object's sends: the ids accepted, how many named a queue that is gone, and the code of a refusal for good (the task fails). */
interface ObjectDelivery {
  readonly accepted: Set<string>;
  gone: number;
  failure?: string;
}

/**
 * Sends one object's selected messages, at most `cap` accepted (MaxMessages): while fewer were accepted
 * (some named a queue that is gone) the object's next matches are sent, so none is passed over uncounted.
 * Answers what was accepted even when a refusal for good stops it, so those sends are counted.
 */
async function deliverObject(deps: MoverDependencies, taskId: string, deliveries: readonly Delivery[], cap: number, options: MoverOptions): Promise<ObjectDelivery> {
  const result: ObjectDelivery = { accepted: new Set<string>(), gone: 0 };
  let next = 0;
  while (next < deliveries.length && result.accepted.size < cap && result.failure === undefined) {
    const batch = deliveries.slice(next, next + (cap - result.accepted.size));
    next += batch.length;
    await deliverBatch(deps, taskId, batch, options, result);
  }
  return result;
}

/**
 * Sends some of an object's messages; the entries refused for now are asked again, backing off. Adds the
 * accepted ids and how many named a queue that is gone, or stops at a refusal for good; still refused
 * after the attempts: throws, so the slice is re-driven and the object sent again.
 */
async function deliverBatch(deps: MoverDependencies, taskId: string, deliveries: readonly Delivery[], options: MoverOptions, result: ObjectDelivery): Promise<void> {
  let pending = deliveries;
  for (let attempt = 0; pending.length > 0; attempt += 1) {
    if (attempt > 0) await options.sleep(BACKOFF_MS * 2 ** (attempt - 1));
    const report = await deps.destination.deliver(taskId, pending);
    for (const id of report.accepted) result.accepted.add(id);
    const retry = new Set<string>();
    for (const refusal of report.refused) {
      if (refusal.gone === true || refusal.code === NON_EXISTENT_QUEUE) result.gone += 1;
      else if (refusal.permanent) result.failure ??= refusal.code;
      else retry.add(refusal.id);
    }
    if (result.failure !== undefined) return;
    pending = pending.filter((delivery) => retry.has(delivery.id));
    if (pending.length > 0 && attempt + 1 >= DELIVERY_ATTEMPTS) {
      throw new SqsError('ServiceUnavailable', `task ${taskId}: the destination refused ${pending.length} messages ${DELIVERY_ATTEMPTS} times (${report.refused[0]?.code}); the slice is re-driven`, 503);
    }
  }
}

/** One object's counts and the cursor past it, added to whatever the record is now (a cancel may have written), with the lease. */
async function recordObject(deps: MoverDependencies, record: TaskRecord, counts: ArchiveReplayCounts, key: string, options: MoverOptions): Promise<TaskRecord> {
  let current: TaskRecord | undefined = record;
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS && current && !isFinal(current.status); attempt += 1) {
    if (current.leaseOwner !== options.owner) throw new LeaseLost();
    const now = deps.clock.now();
    const next = nextRecord(
      current,
      {
        approximateNumberOfMessagesMoved: current.approximateNumberOfMessagesMoved + counts.moved,
        numberOfMessagesSkipped: (current.numberOfMessagesSkipped ?? 0) + counts.skipped,
        numberOfMessagesUnroutable: (current.numberOfMessagesUnroutable ?? 0) + counts.unroutable,
        archiveCursor: key,
        leaseExpiresAt: leaseUntil(now, options),
      },
      now.toISOString(),
    );
    if (await deps.store.replace(current, next)) return next;
    current = await deps.store.get(record.taskId);
  }
  deps.log.error('replay from the archive: an object\'s counts could not be recorded', { taskId: record.taskId, key, moved: counts.moved });
  throw new LeaseLost();
}

/** The archive refused a read for good (access denied, no such bucket, a KMS key, a corrupt object: named): the task fails; anything else is re-driven. */
function archiveFailure(error: unknown): string {
  // not written by the archive: asking again will not change it; the reason names the object
  if (error instanceof ArchiveStoreError && error.code === CORRUPT_OBJECT) return `S3 ${error.code}: ${error.message}`;
  if (error instanceof ArchiveStoreError && error.permanent) return `S3 ${error.code}`;
  if (error instanceof ArchiveStoreError) throw error;
  return failureReasonOf(error);
}
