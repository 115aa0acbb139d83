// POST /dlqs/{queueName}/messages/{messageId} --> decideMessage --> queue checks (checkArchiveQueues), one active task per DLQ -->
//   a task record (Kind message) --> the mover, run now (its one pass, MessageId filter, MaxMessages 1) --> the outcome
import { randomUUID } from 'node:crypto';

import type { MessageDecision } from '../decisions/message-decision';
import type { ControllerDependencies, WireEdit } from '../ports';
import { parseQueueArn,queueArnOfName } from '../queue-arn';
import { SqsError } from '../sqs-error';
import { TaskEventType } from '../task-event';
import { encodeTaskHandle } from '../task-handle';
import type { TaskRecord } from '../task-record';
import { TaskStatus } from '../task-status';
import { withEvent } from '../transitions';
import { checkArchiveQueues } from './check-archive-queues';
import { drainOutboxes } from './drain-outbox';
import { recordedReplaySource } from './replay-source';
import { takeSourceClaim } from './source-claim';
import { ALREADY_RUNNING, refuseIfActive, startedRunning } from './start-selective-task';

export interface DecisionResult {
  readonly taskId: string;
  readonly outcome: 'done' | 'not-found';
}

/**
 * One message at a time (API.md section 12): the mover's own pass over the DLQ, selecting only this
 * MessageId, at most one message, with the action's destination (decision-destination.ts). Every other
 * message the pass receives is held for the pass and released as it ends, untouched; the pass ends as
 * soon as the message is done (MaxMessages 1), or once every message present at the start was seen
 * (`not-found`). Recorded as a task with who and why; the edit's body goes with the call, never into
 * the table.
 * A Lambda or EventBridge DLQ (no SQS redrive policy names it) is taken as an archive takes it; there a
 * retry or an edit goes where the message says it failed, as a replay's messages do (API.md section 11):
 * the task is a replay's, so the mover routes it with the replay's router.
 */
export async function decideMessage(deps: ControllerDependencies, decision: MessageDecision, wireEdit: WireEdit | undefined, caller: string): Promise<DecisionResult> {
  const mover = deps.mover;
  if (!mover?.decide || !deps.messages || !deps.holds) throw new SqsError('UnsupportedOperation', 'One message at a time is not available in this deployment (it runs on the selective mover)');
  const source = parseQueueArn(queueArnOfName(deps.scope.region, deps.scope.accountId, decision.queueName), 'queueName');
  deps.scope.checkSource(source, 'queueName');
  if (decision.destination) deps.scope.checkDestination(decision.destination, 'DestinationArn');
  const replay = await checkArchiveQueues(deps, { source, ...(decision.destination ? { destination: decision.destination } : {}) });
  // a discard goes to the archive alone: it needs no route, so it stays a selective pass
  const routed = replay && decision.action !== 'discard' ? replay : undefined;
  if (routed && decision.edit?.messageAttributes) {
    throw new SqsError('InvalidParameterValue', `MessageAttributes: ${decision.queueName} is a ${routed.origin === 'lambda' ? 'Lambda' : 'EventBridge'} dead-letter queue, and the target that failed receives the edited event alone, without message attributes; edit the Body only`);
  }
  await refuseIfActive(deps, source.arn);

  const taskId = randomUUID();
  if (!(await takeSourceClaim(deps, source.arn, taskId, 'selective'))) throw new SqsError('InvalidParameterValue', ALREADY_RUNNING);
  const now = deps.clock.now();
  const at = now.toISOString();
  const record: TaskRecord = withEvent({
    taskId,
    taskHandle: encodeTaskHandle(taskId, source.arn),
    // runs on the mover as a selective task (or, routed to the target that failed, a replay) does; shown as Kind message (task-view.ts)
    kind: routed ? 'replay' : 'selective',
    ...(routed ? recordedReplaySource(routed) : {}),
    messageId: decision.messageId,
    messageAction: decision.action,
    sourceArn: source.arn,
    ...(decision.destination ? { destinationArn: decision.destination.arn } : {}),
    maxMessages: 1,
    ...startedRunning(now),
    startedBy: caller,
    startReason: decision.reason,
    origin: 'api',
    version: 1,
  }, TaskEventType.Started, at);
  if (!(await deps.store.create(record))) throw new SqsError('InternalFailure', `task id ${taskId} is already recorded`, 500);
  await drainOutboxes(deps, [{ record, eventIds: (record.outbox ?? []).map((event) => event.id) }]).catch((error: unknown) => {
    deps.log.warn('message task started; its event is left in the outbox for the reconciler', { taskId, error: String(error) });
  });
  try {
    await mover.decide(taskId, wireEdit);
  } catch (error) {
    // the reconciler re-drives a task left RUNNING; an edit re-driven without its body fails, sending nothing
    deps.log.error('the mover did not run the message task', { taskId, error: String(error) });
    throw new SqsError('ServiceUnavailable', `The decision on ${decision.messageId} did not finish (task ${taskId}); GET /tasks/${taskId} tells how it ended`, 503);
  }
  const done = await deps.store.get(taskId);
  if (done?.status === TaskStatus.COMPLETED && done.approximateNumberOfMessagesMoved === 0 && (done.numberOfMessagesUnroutable ?? 0) > 0) {
    // found, but it names no target to send it to: it stays, and the caller learns why rather than "not-found"
    throw new SqsError('InvalidParameterValue', `Message ${decision.messageId} was found but names no target this controller can send it to (no source queue it failed in, or a target it may not deliver to; a dry run of ${decision.queueName} tells which); it stays in the DLQ. Give DestinationArn, or discard it`);
  }
  if (done?.status === TaskStatus.COMPLETED) return { taskId, outcome: done.approximateNumberOfMessagesMoved > 0 ? 'done' : 'not-found' };
  if (done?.status === TaskStatus.FAILED) {
    throw new SqsError('ServiceUnavailable', `The decision on ${decision.messageId} failed (${done.failureReason ?? 'no reason recorded'}); the message stays in the DLQ (task ${taskId})`, 503);
  }
  throw new SqsError('ServiceUnavailable', `The decision on ${decision.messageId} is not finished (task ${taskId} is ${done?.status ?? 'unknown'}); GET /tasks/${taskId} tells how it ends`, 503);
}
