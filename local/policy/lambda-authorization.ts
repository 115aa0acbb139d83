import { jsonError } from './error-answers';
import type { Check, ServiceAnswer, ServiceAuthorization, ServiceRequest, ServiceScope } from './service-request';
import { UnreadableRequest } from './service-request';

/**
 * What IAM checks for Lambda's Invoke (`POST /2015-03-31/functions/<name>/invocations`):
 * `lambda:InvokeFunction` on the function's ARN. The path's name may be a name, a partial ARN
 * (`<account>:function:<name>`) or a full ARN, each with an optional `:<qualifier>`; a `Qualifier`
 * query parameter qualifies it too. A qualified ARN is checked as written, as IAM matches ARNs.
 * https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html
 *
 * Left out: every other Lambda action (the functions only invoke).
 */
export const lambdaAuthorization: ServiceAuthorization = {
  service: 'lambda',
  checks(request: ServiceRequest, scope: ServiceScope): readonly Check[] {
    const url = new URL(request.url, 'http://local');
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/.exec(url.pathname);
    if (request.method !== 'POST' || !match) throw new UnreadableRequest(`the local policy proxy reads Lambda's Invoke only, not ${request.method} ${url.pathname}`);
    return [{ action: 'lambda:InvokeFunction', resource: functionArnOf(decodeURIComponent(match[1]!), url.searchParams.get('Qualifier'), scope) }];
  },
  denied(_request: ServiceRequest, message: string): ServiceAnswer {
    // Lambda is REST-JSON: the error's name travels in x-amzn-errortype, with HTTP 403
    return jsonError(403, 'AccessDeniedException', message, { headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' }, messageField: 'Message' });
  },
};

export function functionArnOf(name: string, qualifier: string | null, scope: ServiceScope): string {
  const full = /^arn:[^:]+:lambda:[^:]+:\d{12}:function:.+$/.test(name);
  const partial = /^(\d{12}):function:(.+)$/.exec(name);
  const arn = full ? name : partial ? `arn:aws:lambda:${scope.region}:${partial[1]}:function:${partial[2]}` : `arn:aws:lambda:${scope.region}:${scope.accountId}:function:${name}`;
  return qualifier ? `${arn}:${qualifier}` : arn;
}
