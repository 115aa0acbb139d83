import { jsonError, queryError } from './error-answers';
import { type Check, jsonBody, jsonTarget, queryParameters, type ServiceAnswer, type ServiceAuthorization, type ServiceRequest, type ServiceScope, UnreadableRequest } from './service-request';

/**
 * What IAM checks for a CloudWatch request, in JSON (`X-Amz-Target: GraniteServiceVersion20100801.<Action>`,
 * what the SDK v3 sends) or Query (`Action=<Action>`). Metric actions (`GetMetricData`,
 * `GetMetricStatistics`, `ListMetrics`, `PutMetricData`) have no resource type: `*`; `PutMetricData`
 * carries `cloudwatch:namespace`. Alarm actions are checked on each alarm they name
 * (`arn:aws:cloudwatch:<region>:<account>:alarm:<name>`).
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html
 *
 * Left out: dashboards, insight rules and metric streams (resources of their own; the functions use none).
 */
export const cloudWatchAuthorization: ServiceAuthorization = {
  service: 'cloudwatch',
  checks(request: ServiceRequest, scope: ServiceScope): readonly Check[] {
    const json = jsonTarget(request, 'GraniteServiceVersion20100801');
    const parameters = json === undefined ? queryParameters(request) : undefined;
    const operation = json ?? parameters?.get('Action') ?? undefined;
    if (!operation) throw new UnreadableRequest('a CloudWatch request names its action in X-Amz-Target (JSON) or Action (Query)');
    const body = json !== undefined ? jsonBody(request) : {};
    const alarmNames = json !== undefined ? alarmNamesOfJson(body) : [...parameters!.entries()].filter(([name]) => /^AlarmNames\.member\.\d+$|^AlarmName$/.test(name)).map(([, value]) => value);
    const action = `cloudwatch:${operation}`;
    if (alarmNames.length > 0) return alarmNames.map((name) => ({ action, resource: `arn:aws:cloudwatch:${scope.region}:${scope.accountId}:alarm:${name}` }));
    const namespace = json !== undefined ? body.Namespace : parameters!.get('Namespace');
    return [{ action, resource: '*', ...(operation === 'PutMetricData' && typeof namespace === 'string' ? { context: { 'cloudwatch:namespace': namespace } } : {}) }];
  },
  denied(request: ServiceRequest, message: string): ServiceAnswer {
    return jsonTarget(request, 'GraniteServiceVersion20100801') !== undefined
      ? jsonError(403, 'com.amazon.coral.service#AccessDeniedException', message, { headers: { 'x-amzn-query-error': 'AccessDenied;Sender' } })
      : queryError(403, 'AccessDenied', message);
  },
};

function alarmNamesOfJson(body: Record<string, unknown>): string[] {
  const names = Array.isArray(body.AlarmNames) ? body.AlarmNames : typeof body.AlarmName === 'string' ? [body.AlarmName] : [];
  return names.filter((name): name is string => typeof name === 'string');
}
