/**
 * How an API Gateway REST API reads a request's path before routing it and building its method ARN,
 * as recorded against AWS for a Lambda proxy integration on `/{proxy+}` (LocalStack's AWS-validated
 * snapshot `tests/aws/services/apigateway/test_apigateway_lambda.snapshot.json`,
 * `test_lambda_aws_proxy_integration`):
 *
 * | sent (after the stage)          | `path`                         | `pathParameters.proxy`        |
 * | ------------------------------- | ------------------------------ | ----------------------------- |
 * | `/proxy-value/`                 | `/proxy-value/`                | `proxy-value`                 |
 * | `/proxy-value//double-slash`    | `/proxy-value//double-slash`   | `proxy-value//double-slash`   |
 * | `//proxy-value`                 | `/proxy-value`                 | `proxy-value`                 |
 * | `/api/user/test%2Balias@x.com`  | `/api/user/test%2Balias@x.com` | `api/user/test%2Balias@x.com` |
 *
 * So: leading slashes collapse to one; a trailing slash stays in `path` but not in the greedy
 * parameter (routing ignores it); inner `//` stays; percent-encoding is never decoded; case is never
 * changed (nothing folds it; resource paths match case-sensitively). Dot segments (`/a/../b`) are
 * passed as sent: AWS's handling of them is not recorded, and resolving them here could let the
 * gateway evaluate a path the function never sees.
 * The method ARN names the path as `path` has it, trailing slash included (API.md section 10):
 * `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>`.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html
 */
export interface GatewayPath {
  /** the event's `path` and the method ARN's path */
  readonly path: string;
  /** the greedy `{proxy+}` parameter: `path` without its leading slash and without a trailing one */
  readonly proxy: string;
}

/** The path of a request target (origin form `/a/b?q`, or absolute form `http://host/a/b?q`), as API Gateway reads it. */
export function gatewayPath(requestTarget: string): GatewayPath {
  let raw = requestTarget.split('?')[0]!.split('#')[0]!;
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(raw);
  if (absolute) raw = raw.slice(absolute[0].length);
  const path = `/${raw.replace(/^\/+/, '')}`;
  return { path, proxy: path.slice(1).replace(/\/$/, '') };
}

/** The ARN IAM evaluates `execute-api:Invoke` on for a request. */
export function methodArn(where: { readonly region: string; readonly accountId: string; readonly apiId: string; readonly stage: string }, method: string, path: string): string {
  return `arn:aws:execute-api:${where.region}:${where.accountId}:${where.apiId}/${where.stage}/${method.toUpperCase()}${path}`;
}
