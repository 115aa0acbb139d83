// adapter --> cancelFromEvent --> (find the queue's active task) --> cancelTask --> outcome
import { type CircuitBreakerAlarms, type EventCancelRequest, type IncomingEvent, readIncomingEvent } from '../event-requests';
import { type EventSenderPolicy, refuseEventSender } from '../event-sender';
import type { ControllerDependencies } from '../ports';
import { isNoSuchQueue, isThrottling, SqsError } from '../sqs-error';
import { type TaskHandle,tryParseTaskHandle } from '../task-handle';
import type { Actor } from '../task-record';
import { TaskStatus } from '../task-status';
import { cancelTask } from './cancel-task';

/**
 * What became of an event. Only `cancelled` changed anything. Every outcome is a normal return:
 * EventBridge delivers at least once, so a repeat must succeed quietly, and an event that can never
 * succeed must not be retried. Transient failures are thrown, for the platform's retries.
 */
export type EventOutcome =
  | { readonly outcome: 'cancelled'; readonly taskId: string; readonly approximateNumberOfMessagesMoved: number }
  /** the task was already CANCELLING or CANCELLED: a redelivery, or another cancel came first */
  | { readonly outcome: 'already-cancelled'; readonly taskId: string; readonly status: TaskStatus }
  /** the event asks nothing of us: an OK state, an unmapped alarm, a queue with no active task */
  | { readonly outcome: 'ignored'; readonly reason: string }
  /** the event can never succeed: malformed, unknown task, unmanaged queue, finished task */
  | { readonly outcome: 'dropped'; readonly reason: string; readonly taskId?: string }
  /** an alarm guarding several DLQs: what became of each, in the configured order */
  | { readonly outcome: 'several'; readonly outcomes: readonly EventOutcome[] };

export async function cancelFromEvent(
  deps: ControllerDependencies,
  event: IncomingEvent,
  alarms: CircuitBreakerAlarms,
  senders: EventSenderPolicy,
): Promise<EventOutcome> {
  const refusal = refuseEventSender(event, senders);
  if (refusal) return { outcome: 'dropped', reason: `sender not allowed: ${refusal}` };
  let reading;
  try {
    reading = readIncomingEvent(event, alarms);
  } catch (error) {
    if (error instanceof SqsError) return { outcome: 'dropped', reason: `malformed event: ${error.message}` };
    throw error;
  }
  if (reading.kind === 'ignore') return { outcome: 'ignored', reason: reading.reason };
  if (reading.kind === 'cancel') return cancelOne(deps, reading.request);

  // one at a time, so a transient failure stops the rest; the retry then finds the first ones
  // already CANCELLING, a quiet success
  const outcomes: EventOutcome[] = [];
  for (const request of reading.requests) outcomes.push(await cancelOne(deps, request));
  return outcomes.length === 1 ? outcomes[0]! : { outcome: 'several', outcomes };
}

/** Cancels one queue's (or handle's) task as an event asks; the circuit breaker and recovery's pause use it. */
export async function cancelOne(deps: ControllerDependencies, request: EventCancelRequest): Promise<EventOutcome> {
  let handle: TaskHandle;
  if (request.target.kind === 'handle') {
    handle = request.target.handle;
  } else {
    const { source } = request.target;
    try {
      deps.scope.checkSource(source, 'detail.SourceArn');
    } catch (error) {
      if (error instanceof SqsError) return { outcome: 'dropped', reason: error.message };
      throw error;
    }
    const task = await deps.store.findActiveTask(source.arn);
    if (task) {
      if (task.status !== TaskStatus.RUNNING) return { outcome: 'already-cancelled', taskId: task.taskId, status: task.status };
      handle = { handle: task.taskHandle, taskId: task.taskId, source };
    } else {
      // a redrive started in the console or CLI is recorded only at the reconciler's next run: ask
      // SQS, and let the cancel adopt it
      let running: TaskHandle | undefined;
      try {
        running = await runningInSqs(deps, source.arn);
      } catch (error) {
        if (error instanceof SqsError && !isTransient(error)) return { outcome: 'dropped', reason: `SQS refused to list the tasks of ${source.queueName}: ${error.code}: ${error.message}` };
        throw error;
      }
      if (!running) return { outcome: 'ignored', reason: `no active task is recorded or running for queue ${source.queueName}` };
      handle = running;
    }
  }

  const actor: Actor = { by: request.by, eventSource: request.eventSource, origin: 'event', ...(request.reason === undefined ? {} : { reason: request.reason }) };
  try {
    const result = await cancelTask(deps, { handle, ...(request.reason === undefined ? {} : { reason: request.reason }) }, actor);
    return { outcome: 'cancelled', taskId: handle.taskId, approximateNumberOfMessagesMoved: result.approximateNumberOfMessagesMoved };
  } catch (error) {
    if (!(error instanceof SqsError) || isTransient(error)) throw error;
    if (error.code === 'InvalidParameterValue') {
      // lost the conditional claim: a repeat of an event that already cancelled is no failure
      const record = await deps.store.get(handle.taskId);
      if (record && record.taskHandle === handle.handle && (record.status === TaskStatus.CANCELLING || record.status === TaskStatus.CANCELLED)) {
        return { outcome: 'already-cancelled', taskId: record.taskId, status: record.status };
      }
    }
    return { outcome: 'dropped', reason: error.message, taskId: handle.taskId };
  }
}

/** The queue's newest move task if SQS runs it (SQS runs at most one per queue). */
async function runningInSqs(deps: ControllerDependencies, sourceArn: string): Promise<TaskHandle | undefined> {
  let newest;
  try {
    [newest] = await deps.sqs.list(sourceArn, 1);
  } catch (error) {
    // no such queue: nothing runs there. Other refusals (AccessDenied) and SQS's faults go up: the
    // event is dropped with its reason, or retried
    if (error instanceof SqsError && isNoSuchQueue(error)) return undefined;
    throw error;
  }
  if (newest?.status !== TaskStatus.RUNNING || !newest.taskHandle) return undefined;
  const handle = tryParseTaskHandle(newest.taskHandle);
  return handle?.source.arn === sourceArn ? handle : undefined;
}

/** Worth another attempt later: SQS's own faults (5xx), unreachable SQS, throttling. */
export function isTransient(error: SqsError): boolean {
  return error.status >= 500 || isThrottling(error);
}
