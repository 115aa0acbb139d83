// alarm event / tick / person --> advanceRecovery --> decideRecovery --> conditional write --> the recorded step (cancel, start, replace) --> events
import type { ControllerDependencies } from '../ports';
import { parseQueueArn } from '../queue-arn';
import { decideRecovery, observationNeeds,type RecoveryInput, type RecoveryObservation, type RecoveryRefusal } from '../recovery/recovery-machine';
import type { RecoveryPolicy } from '../recovery/recovery-policy';
import { RECOVERY_EVENT_DETAIL_TYPE, type RecoveryDependencies } from '../recovery/recovery-ports';
import { initialRecoveryRecord, type RecoveryRecord, RecoveryState } from '../recovery/recovery-state';
import { SqsError } from '../sqs-error';
import { tryParseTaskHandle } from '../task-handle';
import { TaskStatus } from '../task-status';
import { cancelOne, isTransient } from './cancel-from-event';
import { cancelTask } from './cancel-task';
import { ALREADY_RUNNING } from './start-selective-task';
import { startTask } from './start-task';

/** Re-reads after losing a conditional write to another writer of the same DLQ's record. */
const MAX_WRITE_ATTEMPTS = 5;
/** Who the record names for recovery's own starts and ramp cancels. */
export const RECOVERY_ACTOR = 'redrive-controller recovery';

export type RecoveryOutcome = { readonly record: RecoveryRecord } | RecoveryRefusal;

/**
 * Applies one input to a DLQ's recovery: reads the record, decides, writes the decision in one
 * conditional write (of two runs at once, one writes; the other re-reads and decides again), then
 * does the step the record now promises and sends the promised events. A step is recorded before it
 * acts, so a crash between promise and deed is finished by the next run (the tick). Only the tick
 * starts and ramps; the events function and the API finish a pause's cancel and leave the rest to it.
 */
export async function advanceRecovery(
  deps: ControllerDependencies,
  recovery: RecoveryDependencies,
  policy: RecoveryPolicy,
  input: RecoveryInput | 'tick',
): Promise<RecoveryOutcome> {
  const decided = await update(deps, recovery, policy, async (record) => (input === 'tick' ? { kind: 'tick', runId: recovery.newRunId(), observed: await observe(deps, recovery, policy, record) } : input));
  if ('refused' in decided) return decided;
  // starts and ramps are the tick's (the reconciler, which may start tasks); others finish a pause's cancel only
  const record = input === 'tick' || decided.record.step?.kind === 'cancel' ? await finishStep(deps, recovery, policy, decided.record) : decided.record;
  return { record: await sendEvents(recovery, record) };
}

/** The DLQ's record as stored, or as it starts. */
export async function readRecovery(recovery: RecoveryDependencies, dlqArn: string, now: Date): Promise<RecoveryRecord> {
  return (await recovery.recoveries.get(dlqArn)) ?? initialRecoveryRecord(dlqArn, now.toISOString());
}

async function update(
  deps: ControllerDependencies,
  recovery: RecoveryDependencies,
  policy: RecoveryPolicy,
  inputOf: (record: RecoveryRecord) => Promise<RecoveryInput>,
): Promise<RecoveryOutcome> {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt += 1) {
    const now = deps.clock.now();
    const record = await readRecovery(recovery, policy.dlq, now);
    const decided = decideRecovery(record, await inputOf(record), now, policy);
    if ('refused' in decided) return decided;
    // nothing changed, but the first run writes the record, so GET /dlqs shows since when it is IDLE
    if (record.version > 0 && JSON.stringify(decided) === JSON.stringify(record)) return { record };
    const next = { ...decided, version: record.version + 1 };
    // conditional write: two runs at once, one acts
    if (await recovery.recoveries.put(next, record.version)) return { record: next };
  }
  throw new SqsError('ServiceUnavailable', `The recovery of ${policy.dlq} changed while it was being written; try again`, 503);
}

/** What the tick must know to decide: the run's task status, the DLQ's depth, whether it is busy. */
async function observe(deps: ControllerDependencies, recovery: RecoveryDependencies, policy: RecoveryPolicy, record: RecoveryRecord): Promise<RecoveryObservation> {
  const needs = observationNeeds(record, policy, deps.clock.now());
  const [task, messages, busy] = await Promise.all([
    needs.taskId ? deps.store.get(needs.taskId) : undefined,
    needs.depth ? recovery.depth.messages(policy.dlq) : undefined,
    needs.depth && record.state === RecoveryState.IDLE ? deps.store.findActiveTask(policy.dlq) : undefined,
  ]);
  return {
    ...(task ? { taskStatus: task.status, ...(task.failureReason ? { taskFailureReason: task.failureReason } : {}) } : {}),
    ...(needs.depth ? { dlqMessages: messages ?? 0 } : {}),
    ...(needs.depth && record.state === RecoveryState.IDLE ? { dlqBusy: busy !== undefined } : {}),
  };
}

/** Does the step the record promises; answers the record as it stands afterwards. */
async function finishStep(deps: ControllerDependencies, recovery: RecoveryDependencies, policy: RecoveryPolicy, record: RecoveryRecord): Promise<RecoveryRecord> {
  const step = record.step;
  if (!step) return record;
  const source = parseQueueArn(policy.dlq, 'the recovery policy\'s dlq');
  const now = deps.clock.now();
  const graceCutoff = new Date(now.getTime() - recovery.inFlightGraceSeconds * 1000).toISOString();
  switch (step.kind) {
    case 'cancel': {
      // the circuit breaker's own cancel: the queue's active task, recorded or only in SQS
      const outcome = await cancelOne(deps, { target: { kind: 'queue', source }, by: RECOVERY_ACTOR, eventSource: 'recovery', reason: step.reason });
      if (outcome.outcome === 'dropped') deps.log.warn('recovery pause: the active task could not be cancelled', { dlqArn: policy.dlq, reason: outcome.reason });
      return settle(deps, recovery, policy, record, { kind: 'cancel-done' });
    }
    case 'replace': {
      if (step.cancelRequestedAt !== undefined && step.cancelRequestedAt > graceCutoff) return record;
      const task = await deps.store.get(step.taskId);
      if (task?.status !== TaskStatus.RUNNING) return record; // CANCELLING: the next tick sees CANCELLED
      const handle = tryParseTaskHandle(task.taskHandle);
      if (handle) {
        try {
          await cancelTask(deps, { handle, reason: `recovery ramp: replaced by a task at ${step.rate} messages/s` }, { by: RECOVERY_ACTOR, origin: 'recovery' });
        } catch (error) {
          // lost to another cancel, or the task ended meanwhile: the tick reads how it ended
          if (!(error instanceof SqsError) || isTransient(error)) throw error;
        }
      }
      return settle(deps, recovery, policy, record, { kind: 'replace-cancel-sent' });
    }
    case 'start': {
      if (step.claimedAt !== undefined && step.claimedAt > graceCutoff) return record;
      // conditional write: of two runs at once, one starts
      const claimed = await update(deps, recovery, policy, async () => ({ kind: 'claim-start', staleBefore: graceCutoff }));
      if ('refused' in claimed || claimed.record.step?.kind !== 'start') return record;
      return startRun(deps, recovery, policy, claimed.record, claimed.record.step.rate);
    }
  }
}

/** The claimed start: SQS's native task at `rate`, recorded with the run's id. */
async function startRun(deps: ControllerDependencies, recovery: RecoveryDependencies, policy: RecoveryPolicy, record: RecoveryRecord, rate: number): Promise<RecoveryRecord> {
  const source = parseQueueArn(policy.dlq, 'the recovery policy\'s dlq');
  let taskId: string;
  try {
    ({ taskId } = await startTask(deps, { source, maxNumberOfMessagesPerSecond: rate }, {
      by: RECOVERY_ACTOR,
      origin: 'recovery',
      reason: `recovery run ${record.runId ?? ''}: ${rate} messages/s`.trim(),
      ...(record.runId ? { runId: record.runId } : {}),
    }));
  } catch (error) {
    if (!(error instanceof SqsError) || isTransient(error)) throw error;
    // our own earlier start whose answer was lost, or someone else's: the run follows the active task
    const active = error.message === ALREADY_RUNNING ? await deps.store.findActiveTask(policy.dlq) : undefined;
    if (!active) return settle(deps, recovery, policy, record, { kind: 'step-failed', reason: `SQS refused the recovery's start: ${error.code}: ${error.message}` });
    taskId = active.taskId;
  }
  const settled = await settle(deps, recovery, policy, record, { kind: 'started', taskId, rate });
  if (settled.taskId !== taskId) {
    // the record moved on while SQS started the task (an alarm paused it, a person held it): stop it
    await cancelOne(deps, { target: { kind: 'queue', source }, by: RECOVERY_ACTOR, eventSource: 'recovery', reason: 'started while the recovery was paused or held' });
  }
  return settled;
}

/** Records a step's outcome (and does the step that follows from it, if any). */
async function settle(deps: ControllerDependencies, recovery: RecoveryDependencies, policy: RecoveryPolicy, record: RecoveryRecord, input: RecoveryInput): Promise<RecoveryRecord> {
  const settled = await update(deps, recovery, policy, async () => input);
  return 'refused' in settled ? record : settled.record;
}

/** Sends the record's promised events; a failure leaves them for the next run (each carries a stable eventId). */
async function sendEvents(recovery: RecoveryDependencies, record: RecoveryRecord): Promise<RecoveryRecord> {
  if (record.outbox.length === 0) return record;
  const sent = new Set<string>();
  for (const change of record.outbox) {
    try {
      await recovery.activity.publishActivity({
        detailType: RECOVERY_EVENT_DETAIL_TYPE,
        resources: [record.dlqArn],
        detail: { eventId: change.id, QueueArn: record.dlqArn, From: change.from, To: change.to, Reason: change.reason, RunId: change.runId, At: change.at },
      });
      sent.add(change.id);
    } catch {
      break;
    }
  }
  if (sent.size === 0) return record;
  const next = { ...record, outbox: record.outbox.filter((change) => !sent.has(change.id)), version: record.version + 1 };
  // lost to another write: that writer's record still holds them, and sends them again (same ids)
  return (await recovery.recoveries.put(next, record.version)) ? next : record;
}
