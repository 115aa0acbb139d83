// what differs between the mover's kinds of task (isMoverTask in task-record.ts names them): where a match goes, and whether it leaves the DLQ
import { ArchiveDestination } from '../archive/archive-destination';
import type { DlqMessage } from '../dlq-message';
import { type MessageSelection, selects, type Verdict, verdictOf } from '../message-selection';
import { SqsError } from '../sqs-error';
import type { TaskRecord } from '../task-record';
import type { MessageDestination } from './message-destination';
import type { MoverDependencies } from './mover-types';

/** An archive task without Delete: each archived message is held for the pass and released at its end, the DLQ unchanged. */
export function keepsMessages(record: TaskRecord): boolean {
  return record.kind === 'archive' && record.deleteAfterArchive !== true;
}

/** Archive: every selected message has a route (the archive). Else: DestinationArn, or the queue it failed in. */
export function verdictFor(selection: MessageSelection, record: TaskRecord, message: DlqMessage): Verdict {
  if (record.kind === 'archive') return selects(selection, message) ? 'move' : 'skip';
  return verdictOf(selection, message, record.destinationArn, record.sourceArn);
}

/** A delivery's target: the DLQ itself for the archive (each line names it as QueueArn), else the queue the message goes to. */
export function deliveryTarget(record: TaskRecord, message: DlqMessage): string {
  if (record.kind === 'archive') return record.sourceArn;
  return record.destinationArn ?? message.sourceArn ?? record.sourceArn;
}

/** Where the task's matches go: the archive bucket, one object per batch under the task's prefix, or SQS queues. */
export function destinationFor(deps: MoverDependencies, record: TaskRecord): MessageDestination {
  if (record.kind !== 'archive') return deps.destination;
  if (!deps.archive) throw new SqsError('UnsupportedOperation', 'this mover has no archive bucket (ARCHIVE_BUCKET_NAME)');
  return new ArchiveDestination(deps.archive, { taskId: record.taskId, queueArn: record.sourceArn, startedAt: new Date(record.createdAt) }, deps.clock);
}
