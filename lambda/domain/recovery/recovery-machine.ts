// (record, input, now, policy) --> decideRecovery --> the next record (its step says what to do next)
import type { TaskStatus } from '../task-status';
import { nextRate, type RecoveryPolicy } from './recovery-policy';
import {
  type AlarmValue,
  healthySince,
  type RecoveryChange,
  type RecoveryRecord,
  RecoveryState,
  type RecoveryStep,
} from './recovery-state';

/** What the tick found out before deciding; only what `observationNeeds` asked for is filled in. */
export interface RecoveryObservation {
  /** the status of the run's task (or of the task a `replace` step is replacing), as the task table has it */
  readonly taskStatus?: TaskStatus;
  readonly taskFailureReason?: string;
  /** ApproximateNumberOfMessages plus NotVisible of the DLQ, when read */
  readonly dlqMessages?: number;
  /** whether the DLQ has an active task (started by anyone), when read */
  readonly dlqBusy?: boolean;
}

export type RecoveryInput =
  /** a CloudWatch alarm state change; `at` is the state's own timestamp */
  | {
      readonly kind: 'alarm';
      readonly alarmName: string;
      readonly value: AlarmValue;
      readonly at: string;
      readonly reason?: string;
      /** the state it left (CloudWatch's previousState): an OK that left an ALARM we never saw still pauses */
      readonly previous?: { readonly value: AlarmValue; readonly at: string };
    }
  /** the scheduled tick: timed steps; `runId` names the run a resume would start */
  | { readonly kind: 'tick'; readonly runId: string; readonly observed: RecoveryObservation }
  | { readonly kind: 'hold'; readonly by: string; readonly reason: string }
  | { readonly kind: 'release'; readonly by: string; readonly reason: string }
  /** a person cancelled the DLQ's redrive (API or cancel event) */
  | { readonly kind: 'person-cancel'; readonly by: string; readonly reason?: string }
  /** the step's outcomes, reported by whoever did it */
  | { readonly kind: 'cancel-done' }
  /** one run takes the start on; refused while another's claim is newer than `staleBefore` */
  | { readonly kind: 'claim-start'; readonly staleBefore: string }
  | { readonly kind: 'started'; readonly taskId: string; readonly rate: number }
  | { readonly kind: 'replace-cancel-sent' }
  /** the step can never succeed (SQS refused for good): a person must look */
  | { readonly kind: 'step-failed'; readonly reason: string };

export type RecoveryRefusal = { readonly refused: string };

const HOUR_MS = 3_600_000;

/**
 * The state machine, as a pure function. The record it answers carries the step to do next; the
 * caller writes it (conditionally) before doing the step. Alarm inputs are decided by the alarm's
 * state timestamp: an older or equal one than the one known changes nothing, so any order of the
 * same events ends in the same state, and a repeat is a no-op. Answers `{ refused }` for a person's
 * request that does not apply (a release of a DLQ that is not HELD).
 */
export function decideRecovery(record: RecoveryRecord, input: RecoveryInput, now: Date, policy: RecoveryPolicy): RecoveryRecord | RecoveryRefusal {
  const at = now.toISOString();
  switch (input.kind) {
    case 'alarm':
      return onAlarm(record, input, now, policy);
    case 'tick':
      return onTick(record, input, now, policy);
    case 'hold':
      if (record.state === RecoveryState.HELD) return { ...record, reason: `held by ${input.by}: ${input.reason}` };
      return leave(keepCancel(record), RecoveryState.HELD, `held by ${input.by}: ${input.reason}`, at);
    case 'release': {
      if (record.state !== RecoveryState.HELD) return { refused: `the recovery of this DLQ is ${record.state}, not HELD: only a held DLQ can be released` };
      // the resume count starts again: the person decided the alarm is worth another try
      const released = moveTo({ ...record, resumes: [] }, RecoveryState.PAUSED, `released by ${input.by}: ${input.reason}`, at);
      return withResumeDue(released, policy, now);
    }
    case 'person-cancel':
      if (record.state === RecoveryState.HELD) return record;
      return leave(keepCancel(record), RecoveryState.HELD, `redrive cancelled by ${input.by}${input.reason ? `: ${input.reason}` : ''}; held until a person releases it`, at);
    case 'cancel-done':
      return record.step?.kind === 'cancel' ? { ...record, step: undefined } : record;
    case 'claim-start':
      if (record.step?.kind !== 'start') return { refused: 'no start is pending' };
      if (record.step.claimedAt !== undefined && record.step.claimedAt > input.staleBefore) return { refused: 'another run has taken this start on' };
      return { ...record, step: { ...record.step, claimedAt: at } };
    case 'replace-cancel-sent':
      return record.step?.kind === 'replace' ? { ...record, step: { ...record.step, cancelRequestedAt: at } } : record;
    case 'started': {
      if (record.step?.kind !== 'start' || record.state !== RecoveryState.RECOVERING) return record;
      const rampDue = input.rate < policy.maxRate ? new Date(now.getTime() + policy.rampEverySeconds * 1000).toISOString() : undefined;
      return {
        ...record,
        step: undefined,
        taskId: input.taskId,
        currentRate: input.rate,
        nextActionAt: rampDue,
        reason: `redriving at ${input.rate} messages/s${rampDue ? `; next ramp at ${rampDue}` : ' (maxRate)'}`,
      };
    }
    case 'step-failed':
      if (record.state === RecoveryState.HELD) return { ...record, step: undefined };
      return leave({ ...record, step: undefined }, RecoveryState.HELD, input.reason, at);
  }
}

/** The policy's next due step, for the tick's log and the dashboard's "what happens next". */
export function observationNeeds(record: RecoveryRecord, policy: RecoveryPolicy, now: Date): { taskId?: string; depth: boolean } {
  if (record.state === RecoveryState.HELD) return { depth: false };
  if (record.step?.kind === 'replace') return { taskId: record.step.taskId, depth: false };
  if (record.step) return { depth: false };
  const healthy = healthySince(record, policy.alarms) !== undefined;
  switch (record.state) {
    case RecoveryState.RECOVERING:
      return record.taskId ? { taskId: record.taskId, depth: false } : { depth: false };
    case RecoveryState.PAUSED:
      return { depth: healthy && resumeDue(record, policy, now) };
    case RecoveryState.IDLE:
      return { depth: healthy && policy.autoStart };
  }
}

function onAlarm(record: RecoveryRecord, input: Extract<RecoveryInput, { kind: 'alarm' }>, now: Date, policy: RecoveryPolicy): RecoveryRecord {
  const known = record.alarms[input.alarmName];
  // by the alarm's own clock: a repeat or an older state changes nothing
  if (known && known.at >= input.at) return record;
  // an OK whose ALARM came late (or never): the ALARM is applied first, so the order of arrival does not matter
  const { previous } = input;
  if (input.value === 'OK' && previous?.value === 'ALARM' && previous.at < input.at && !(known && known.at >= previous.at)) {
    record = onAlarm(record, { kind: 'alarm', alarmName: input.alarmName, value: 'ALARM', at: previous.at }, now, policy);
  }
  const alarms = { ...record.alarms, [input.alarmName]: { value: input.value, at: input.at } };
  const next = { ...record, alarms };
  const at = now.toISOString();
  if (input.value === 'ALARM') {
    const why = `alarm ${input.alarmName} went to ALARM at ${input.at}${input.reason ? `: ${input.reason}` : ''}`.slice(0, 1024);
    // the circuit breaker: whatever runs on the DLQ stops, whatever the state (a held DLQ stays held)
    const cancel: RecoveryStep = { kind: 'cancel', reason: why, at };
    if (record.state === RecoveryState.HELD) return { ...next, step: cancel };
    if (record.state === RecoveryState.PAUSED) return { ...next, step: cancel, reason: why, nextActionAt: undefined };
    return leave({ ...next, step: cancel }, RecoveryState.PAUSED, why, at);
  }
  if (record.state !== RecoveryState.PAUSED) return next;
  return withResumeDue(next, policy, now);
}

function onTick(record: RecoveryRecord, input: Extract<RecoveryInput, { kind: 'tick' }>, now: Date, policy: RecoveryPolicy): RecoveryRecord {
  const at = now.toISOString();
  const { observed } = input;
  if (record.state === RecoveryState.HELD) return record;
  const step = record.step;
  if (step?.kind === 'replace') {
    switch (observed.taskStatus) {
      case 'CANCELLED':
        return { ...record, step: { kind: 'start', rate: step.rate, at } };
      case 'COMPLETED':
        return leave({ ...record, step: undefined }, RecoveryState.IDLE, 'the DLQ is empty: the run\'s task COMPLETED', at);
      case 'FAILED':
        return leave({ ...record, step: undefined }, RecoveryState.HELD, `the run's task FAILED${observed.taskFailureReason ? `: ${observed.taskFailureReason}` : ''}`, at);
      default:
        return record;
    }
  }
  if (step) return record;
  switch (record.state) {
    case RecoveryState.PAUSED: {
      if (healthySince(record, policy.alarms) === undefined) return record;
      const due = record.nextActionAt === undefined ? withResumeDue(record, policy, now) : record;
      return resumeDue(due, policy, now) ? resume(due, input, now, policy, 'every alarm OK') : due;
    }
    case RecoveryState.IDLE:
      if (!policy.autoStart || healthySince(record, policy.alarms) === undefined || observed.dlqBusy) return record;
      if (observed.dlqMessages === undefined || observed.dlqMessages === 0) return record;
      return resume(record, input, now, policy, `autoStart: ${observed.dlqMessages} messages in the DLQ and every alarm OK`);
    case RecoveryState.RECOVERING:
      switch (observed.taskStatus) {
        case 'COMPLETED':
          return leave(record, RecoveryState.IDLE, 'the DLQ is empty: the run\'s task COMPLETED', at);
        case 'FAILED':
          return leave(record, RecoveryState.HELD, `the run's task FAILED${observed.taskFailureReason ? `: ${observed.taskFailureReason}` : ''}`, at);
        case 'CANCELLED':
        case 'CANCELLING':
          return leave(record, RecoveryState.HELD, 'the run\'s task was cancelled outside the recovery; held until a person releases it', at);
        case 'RUNNING':
          if (record.taskId === undefined || record.currentRate === undefined || record.currentRate >= policy.maxRate) return record;
          if (record.nextActionAt === undefined || record.nextActionAt > at) return record;
          return {
            ...record,
            nextActionAt: undefined,
            step: { kind: 'replace', taskId: record.taskId, rate: nextRate(policy, record.currentRate), at },
            reason: `ramping from ${record.currentRate} to ${nextRate(policy, record.currentRate)} messages/s`,
          };
        default:
          return record;
      }
  }
}

/** PAUSED or IDLE → RECOVERING at startRate, unless the DLQ is empty (→ IDLE) or it resumed too often (→ HELD). */
function resume(record: RecoveryRecord, input: Extract<RecoveryInput, { kind: 'tick' }>, now: Date, policy: RecoveryPolicy, why: string): RecoveryRecord {
  const at = now.toISOString();
  const hourAgo = new Date(now.getTime() - HOUR_MS).toISOString();
  const resumes = record.resumes.filter((resumedAt) => resumedAt > hourAgo);
  if (resumes.length >= policy.maxResumesPerHour) {
    return leave({ ...record, resumes }, RecoveryState.HELD, `${resumes.length} resumes within an hour (maxResumesPerHour ${policy.maxResumesPerHour}): the alarm flaps; held until a person releases it`, at);
  }
  if (input.observed.dlqMessages === 0) {
    return record.state === RecoveryState.IDLE ? record : leave({ ...record, resumes }, RecoveryState.IDLE, `${why}; the DLQ is empty, nothing to redrive`, at);
  }
  return moveTo(
    { ...record, resumes: [...resumes, at], runId: input.runId, taskId: undefined, currentRate: undefined, nextActionAt: undefined, step: { kind: 'start', rate: policy.startRate, at } },
    RecoveryState.RECOVERING,
    `${why}: redriving at ${policy.startRate} messages/s`,
    at,
  );
}

function resumeDue(record: RecoveryRecord, policy: RecoveryPolicy, now: Date): boolean {
  const healthy = healthySince(record, policy.alarms);
  if (healthy === undefined) return false;
  const due = record.nextActionAt ?? new Date(Date.parse(healthy) + policy.resumeAfterOkSeconds * 1000).toISOString();
  return due <= now.toISOString();
}

/** PAUSED with every alarm OK: the resume is due resumeAfterOkSeconds after the last alarm went OK. */
function withResumeDue(record: RecoveryRecord, policy: RecoveryPolicy, now: Date): RecoveryRecord {
  const healthy = healthySince(record, policy.alarms);
  if (healthy === undefined) return { ...record, nextActionAt: undefined };
  const due = new Date(Math.max(Date.parse(healthy) + policy.resumeAfterOkSeconds * 1000, now.getTime())).toISOString();
  return { ...record, nextActionAt: due };
}

/** A state change: `since`, `reason`, and its event promised in the outbox (id stable across re-sends). */
function moveTo(record: RecoveryRecord, to: RecoveryState, reason: string, at: string, runId = record.runId): RecoveryRecord {
  const change: RecoveryChange = { id: `${record.dlqArn}:recovery:${record.version + 1}`, from: record.state, to, reason, at, ...(runId ? { runId } : {}) };
  return { ...record, state: to, since: at, reason, outbox: [...record.outbox, change] };
}

/** A state change that ends any run; the event still names the run that ended. */
function leave(record: RecoveryRecord, to: RecoveryState, reason: string, at: string): RecoveryRecord {
  return moveTo(withoutRun(record), to, reason, at, record.runId);
}

/** Leaving a run: no task, rate or timed step of it remains (the run id stays in the event, not the state). */
function withoutRun(record: RecoveryRecord): RecoveryRecord {
  return { ...record, runId: undefined, taskId: undefined, currentRate: undefined, nextActionAt: undefined };
}

/** A person's hold or cancel drops pending start and ramp steps, but never a pause's cancel. */
function keepCancel(record: RecoveryRecord): RecoveryRecord {
  return record.step?.kind === 'cancel' ? record : { ...record, step: undefined };
}
