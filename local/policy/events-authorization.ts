import { jsonError } from './error-answers';
import { type Check, jsonBody, jsonTarget, type ServiceAnswer, type ServiceAuthorization, type ServiceRequest, type ServiceScope, UnreadableRequest } from './service-request';

/**
 * What IAM checks for an EventBridge `PutEvents` (`X-Amz-Target: AWSEvents.PutEvents`): for each
 * entry, `events:PutEvents` on the bus it names (`EventBusName`, a name or an ARN; `default` when
 * absent), with the entry's `events:source` and `events:detail-type` as context keys.
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-conditions.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html
 *
 * The reads an inventory makes: `events:ListRules` on `*` (no resource type), `events:ListTargetsByRule`
 * and `events:DescribeRule` on the rule's ARN (`rule/<name>` on the default bus, `rule/<bus>/<name>`
 * on another), as https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html lists them.
 *
 * Left out: every other EventBridge action (no local caller makes them); `events:eventBusInvocation`.
 */
export const eventsAuthorization: ServiceAuthorization = {
  service: 'events',
  checks(request: ServiceRequest, scope: ServiceScope): readonly Check[] {
    const operation = jsonTarget(request, 'AWSEvents');
    if (operation === 'ListRules') return [{ action: 'events:ListRules', resource: '*' }];
    if (operation === 'ListTargetsByRule' || operation === 'DescribeRule') {
      const body = jsonBody(request);
      const rule = body[operation === 'DescribeRule' ? 'Name' : 'Rule'];
      if (typeof rule !== 'string' || rule === '') throw new UnreadableRequest(`${operation} without its rule's name`);
      return [{ action: `events:${operation}`, resource: ruleArnOf(rule, body.EventBusName, scope) }];
    }
    if (operation !== 'PutEvents') throw new UnreadableRequest(`the local policy proxy reads AWSEvents.PutEvents, ListRules, ListTargetsByRule and DescribeRule only, not ${String(request.headers['x-amz-target'])}`);
    const entries = jsonBody(request).Entries;
    if (!Array.isArray(entries)) throw new UnreadableRequest('PutEvents without Entries');
    return entries.map((entry) => putEventsCheck(typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {}, scope));
  },
  denied(_request: ServiceRequest, message: string): ServiceAnswer {
    // EventBridge (JSON 1.1) answers a refused call with AccessDeniedException, 400 (its Common Errors)
    return jsonError(400, 'AccessDeniedException', message, { jsonVersion: '1.1' });
  },
};

/** One entry's check: PutEvents on its bus, with its source and detail-type (list-typed keys). */
export function putEventsCheck(entry: Record<string, unknown>, scope: ServiceScope): Check {
  const context: Record<string, string[]> = {};
  if (typeof entry.Source === 'string') context['events:source'] = [entry.Source];
  if (typeof entry.DetailType === 'string') context['events:detail-type'] = [entry.DetailType];
  return { action: 'events:PutEvents', resource: busArnOf(entry.EventBusName, scope), context };
}

/** A bus name or ARN (`arn:aws:events:<region>:<account>:event-bus/<name>`) → the bus's ARN; absent is `default`. */
export function busArnOf(value: unknown, scope: ServiceScope): string {
  if (typeof value === 'string' && value.startsWith('arn:')) return value;
  const name = typeof value === 'string' && value !== '' ? value : 'default';
  return `arn:aws:events:${scope.region}:${scope.accountId}:event-bus/${name}`;
}

/** A rule's ARN: `rule/<name>` on the default bus, `rule/<bus>/<name>` on another (the bus named or in its ARN). */
export function ruleArnOf(rule: string, bus: unknown, scope: ServiceScope): string {
  const busArn = busArnOf(bus, scope);
  const busName = busArn.slice(busArn.indexOf(':event-bus/') + ':event-bus/'.length);
  const [, , , region, account] = busArn.split(':');
  return `arn:aws:events:${region}:${account}:rule/${busName === 'default' ? '' : `${busName}/`}${rule}`;
}
