/**
 * A DLQ's recovery state (API.md section 8).
 * Lifecycle: IDLE → PAUSED (an alarm goes to ALARM) → RECOVERING (every alarm OK for
 * resumeAfterOkSeconds: a redrive at startRate, ramped while healthy) → IDLE (the DLQ is empty or the
 * task COMPLETED), or → PAUSED again on the next ALARM. A person's cancel or hold, a failed task, or
 * more than maxResumesPerHour resumes → HELD; only a person's release leaves HELD (→ PAUSED).
 * `autoStart` adds IDLE → RECOVERING for a DLQ holding messages while every alarm is OK.
 */
export const RecoveryState = {
  IDLE: 'IDLE',
  PAUSED: 'PAUSED',
  RECOVERING: 'RECOVERING',
  HELD: 'HELD',
} as const;

export type RecoveryState = (typeof RecoveryState)[keyof typeof RecoveryState];

export const ALARM_VALUES = ['ALARM', 'OK'] as const;
export type AlarmValue = (typeof ALARM_VALUES)[number];

/** An alarm's newest known state, by the alarm's own state timestamp (never by arrival). */
export interface AlarmReading {
  readonly value: AlarmValue;
  /** the state's timestamp (ISO), as CloudWatch stamped it */
  readonly at: string;
}

/**
 * Work the record promises before it is done, so a crash between promise and deed is finished by
 * the next run: `cancel` the DLQ's active task (a pause); `start` the run's next task at `rate`;
 * `replace` the run's task `taskId` by one at `rate` (SQS fixes a task's rate): cancel it, and once
 * SQS says CANCELLED, start the next (nothing is moved twice or lost across the step).
 */
export type RecoveryStep =
  | { readonly kind: 'cancel'; readonly reason: string; readonly at: string }
  | {
      readonly kind: 'start';
      readonly rate: number;
      readonly at: string;
      /** when a run took this start on; another run waits until the grace has passed since */
      readonly claimedAt?: string;
    }
  | { readonly kind: 'replace'; readonly taskId: string; readonly rate: number; readonly at: string; readonly cancelRequestedAt?: string };

/** An outgoing `Redrive Recovery State Changed` event, kept on the record until sent. */
export interface RecoveryChange {
  readonly id: string;
  readonly from: RecoveryState;
  readonly to: RecoveryState;
  readonly reason: string;
  readonly at: string;
  readonly runId?: string;
}

/** One DLQ's recovery, one item in the task table, changed only by conditional writes on `version`. */
export interface RecoveryRecord {
  readonly dlqArn: string;
  readonly state: RecoveryState;
  readonly since: string;
  readonly reason: string;
  /** when the next timed step is due (a resume, a ramp) */
  readonly nextActionAt?: string;
  readonly currentRate?: number;
  readonly runId?: string;
  /** the run's current task */
  readonly taskId?: string;
  readonly alarms: Readonly<Record<string, AlarmReading>>;
  /** when the resumes of the last hour happened (ISO), for maxResumesPerHour */
  readonly resumes: readonly string[];
  readonly step?: RecoveryStep;
  readonly outbox: readonly RecoveryChange[];
  /** 0: never written */
  readonly version: number;
}

export function initialRecoveryRecord(dlqArn: string, at: string): RecoveryRecord {
  return { dlqArn, state: RecoveryState.IDLE, since: at, reason: 'no alarm seen yet', alarms: {}, resumes: [], outbox: [], version: 0 };
}

/** The policy's alarms now in ALARM, by name. An alarm never heard from counts as OK. */
export function firingAlarms(record: RecoveryRecord, alarmNames: readonly string[]): string[] {
  return alarmNames.filter((name) => record.alarms[name]?.value === 'ALARM');
}

/** When the last of the policy's alarms went OK (every one is OK), or undefined while one fires. */
export function healthySince(record: RecoveryRecord, alarmNames: readonly string[]): string | undefined {
  if (firingAlarms(record, alarmNames).length > 0) return undefined;
  const oks = alarmNames.map((name) => record.alarms[name]?.at).filter((at): at is string => at !== undefined).sort();
  return oks.at(-1) ?? '1970-01-01T00:00:00.000Z';
}
