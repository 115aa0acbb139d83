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
 * The control plane's reads an inventory makes: `lambda:ListFunctions` on `*` (it has no resource
 * type), `lambda:GetFunctionConfiguration`, `lambda:GetFunctionEventInvokeConfig` and
 * `lambda:ListFunctionEventInvokeConfigs` on the function's ARN, as the Service Authorization Reference lists them:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html
 *
 * Left out: every other Lambda action (no local caller makes them).
 */
export const lambdaAuthorization: ServiceAuthorization = {
  service: 'lambda',
  checks(request: ServiceRequest, scope: ServiceScope): readonly Check[] {
    const url = new URL(request.url, 'http://local');
    const qualifier = url.searchParams.get('Qualifier');
    const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/.exec(url.pathname);
    if (request.method === 'POST' && match) return [{ action: 'lambda:InvokeFunction', resource: functionArnOf(decodeURIComponent(match[1]!), qualifier, scope) }];
    if (request.method === 'GET') {
      if (/^\/2015-03-31\/functions\/?$/.test(url.pathname)) return [{ action: 'lambda:ListFunctions', resource: '*' }];
      const read = /^\/(?:2015-03-31\/functions\/([^/]+)\/configuration|2019-09-25\/functions\/([^/]+)\/event-invoke-config(\/list)?)\/?$/.exec(url.pathname);
      if (read) {
        const action = read[1] ? 'lambda:GetFunctionConfiguration' : read[3] ? 'lambda:ListFunctionEventInvokeConfigs' : 'lambda:GetFunctionEventInvokeConfig';
        return [{ action, resource: functionArnOf(decodeURIComponent((read[1] ?? read[2])!), qualifier, scope) }];
      }
    }
    throw new UnreadableRequest(`the local policy proxy reads Lambda's Invoke, ListFunctions, GetFunctionConfiguration and the event-invoke-config reads only, not ${request.method} ${url.pathname}`);
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
