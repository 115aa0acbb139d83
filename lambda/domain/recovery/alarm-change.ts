// CloudWatch's alarm state change detail --> readAlarmChange --> the recovery machine's alarm input
import type { RecoveryInput } from './recovery-machine';
import { ALARM_VALUES, type AlarmValue } from './recovery-state';

export type AlarmChange = Extract<RecoveryInput, { kind: 'alarm' }>;

/**
 * The alarm input of a state change, decided by the state's own timestamp (`detail.state.timestamp`,
 * e.g. `2024-05-01T12:00:00.000+0000`), never by when the event arrived. Answers a reason instead
 * when the change is none recovery acts on (INSUFFICIENT_DATA) or it carries no usable timestamp.
 */
export function readAlarmChange(detail: unknown): AlarmChange | { readonly ignored: string } {
  const params = record(detail);
  const alarmName = params?.alarmName;
  if (typeof alarmName !== 'string' || alarmName === '') return { ignored: 'the detail names no alarm' };
  const state = record(params?.state);
  const value = state?.value;
  if (!isAlarmValue(value)) return { ignored: `alarm ${alarmName} changed to ${JSON.stringify(value)}, which recovery does not act on` };
  const at = timestamp(state?.timestamp);
  if (at === undefined) return { ignored: `alarm ${alarmName}'s state carries no timestamp to order it by` };
  const previousState = record(params?.previousState);
  const previousAt = timestamp(previousState?.timestamp);
  const reason = typeof state?.reason === 'string' && state.reason !== '' ? state.reason.slice(0, 512) : undefined;
  return {
    kind: 'alarm',
    alarmName,
    value,
    at,
    ...(reason ? { reason } : {}),
    ...(isAlarmValue(previousState?.value) && previousAt !== undefined ? { previous: { value: previousState.value, at: previousAt } } : {}),
  };
}

function isAlarmValue(value: unknown): value is AlarmValue {
  return typeof value === 'string' && (ALARM_VALUES as readonly string[]).includes(value);
}

/** CloudWatch writes `+0000`; the record keeps ISO-8601 UTC, so timestamps compare as text. */
function timestamp(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isFinite(parsed) ? new Date(parsed).toISOString() : undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
