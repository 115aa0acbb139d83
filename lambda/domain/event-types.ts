/**
 * The EventBridge events the controller acts on, as plain data: read by the domain (parsing), by
 * `lambda/config/event-patterns.ts` (the rules' patterns) and so by the CDK stack and the local stack.
 */

/** detail-type of the controller's own cancel event (API.md section 4) */
export const CANCEL_DETAIL_TYPE = 'Cancel Message Move Task';

/** CloudWatch's alarm state change event, the circuit breaker's trigger */
export const ALARM_SOURCE = 'aws.cloudwatch';
export const ALARM_DETAIL_TYPE = 'CloudWatch Alarm State Change';
export const ALARM_STATE = 'ALARM';
