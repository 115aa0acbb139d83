// POST /dlqs/{queueName}/messages/{messageId} --> decideMessage --> queue checks, one active task per DLQ -->
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
import { checkSelectiveQueues } from './check-selective-queues';
import { drainOutboxes } from './drain-outbox';
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
 */
export async function decideMessage(deps: ControllerDependencies, decision: MessageDecision, wireEdit: WireEdit | undefined, caller: string): Promise<DecisionResult> {
  const mover = deps.mover;
  if (!mover?.decide || !deps.messages || !deps.holds) throw new SqsError('UnsupportedOperation', 'One message at a time is not available in this deployment (it runs on the selective mover)');
  const source = parseQueueArn(queueArnOfName(deps.scope.region, deps.scope.accountId, decision.queueName), 'queueName');
  deps.scope.checkSource(source, 'queueName');
  if (decision.destination) deps.scope.checkDestination(decision.destination, 'DestinationArn');
  await checkSelectiveQueues(deps, { source, ...(decision.destination ? { destination: decision.destination } : {}) });
  await refuseIfActive(deps, source.arn);

  const taskId = randomUUID();
  if (!(await takeSourceClaim(deps, source.arn, taskId, 'selective'))) throw new SqsError('InvalidParameterValue', ALREADY_RUNNING);
  const now = deps.clock.now();
  const at = now.toISOString();
  const record: TaskRecord = withEvent({
    taskId,
    taskHandle: encodeTaskHandle(taskId, source.arn),
    // runs on the mover as a selective task does; shown as Kind message (task-view.ts)
    kind: 'selective',
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
  if (done?.status === TaskStatus.COMPLETED) return { taskId, outcome: done.approximateNumberOfMessagesMoved > 0 ? 'done' : 'not-found' };
  if (done?.status === TaskStatus.FAILED) {
    throw new SqsError('ServiceUnavailable', `The decision on ${decision.messageId} failed (${done.failureReason ?? 'no reason recorded'}); the message stays in the DLQ (task ${taskId})`, 503);
  }
  throw new SqsError('ServiceUnavailable', `The decision on ${decision.messageId} is not finished (task ${taskId} is ${done?.status ?? 'unknown'}); GET /tasks/${taskId} tells how it ends`, 503);
}
