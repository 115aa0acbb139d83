/**
 * The EventBridge patterns of the controller's rules, as plain data: the CDK stack deploys them and
 * the local event bus matches with them.
 */
export const CANCEL_DETAIL_TYPE = 'Cancel Message Move Task';

export interface EventPattern {
  readonly [key: string]: unknown;
}

/** Cancel requests: `detail-type` Cancel Message Move Task, from the allowed sources only. */
export function cancelEventPattern(options: { readonly sources?: readonly string[] } = {}): EventPattern {
  return {
    'detail-type': [CANCEL_DETAIL_TYPE],
    ...(options.sources && options.sources.length > 0 ? { source: [...options.sources] } : {}),
  };
}

/** The circuit breaker: these CloudWatch alarms entering ALARM. */
export function alarmEventPattern(options: { readonly alarmNames: readonly string[] }): EventPattern {
  return {
    source: ['aws.cloudwatch'],
    'detail-type': ['CloudWatch Alarm State Change'],
    detail: { alarmName: [...options.alarmNames], state: { value: ['ALARM'] } },
  };
}
