import type { APIGatewayProxyResult } from 'aws-lambda';

import type { IdentityPolicies } from './policy/caller';
import { identityPoliciesOf } from './policy/caller';
import { evaluateAuthorization, type PolicyDocument } from './policy/policy-evaluator';

/**
 * The API's resource policy, evaluated as API Gateway does for a method with IAM authorization:
 * `execute-api:Invoke` on the method ARN, for the caller, with the caller's identity policies where
 * the local stack knows them (same account: either may allow; an explicit deny in either wins).
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html
 */
export async function invokeDenial(options: {
  readonly policy: PolicyDocument;
  readonly identityPolicies?: IdentityPolicies;
  readonly principal: string;
  readonly methodArn: string;
  readonly apiArn: string;
  /** the API's account */
  readonly accountId: string;
}): Promise<APIGatewayProxyResult | undefined> {
  const evaluation = await evaluateAuthorization(
    { principal: options.principal, action: 'execute-api:Invoke', resource: evaluable(options.methodArn) },
    { identityPolicies: identityPoliciesOf(options.identityPolicies, options.principal, options.accountId), resourcePolicy: expandExecuteApiShorthand(options.policy, options.apiArn) },
  );
  if (evaluation.decision === 'Allowed') return undefined;
  // API Gateway's own 403 (its ACCESS_DENIED gateway response), not the controller's error format
  const reason = evaluation.decision === 'ExplicitlyDenied' ? ' with an explicit deny' : '';
  return {
    statusCode: 403,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' },
    body: JSON.stringify({ Message: `User: ${options.principal} is not authorized to perform: execute-api:Invoke on resource: ${options.methodArn}${reason}` }),
  };
}

/**
 * The root resource's method ARN (`.../<stage>/<METHOD>/`, the SDK's and Query style's `POST /`) has
 * an empty resource path, for which the evaluator finds no execute-api resource type and refuses to
 * evaluate. It is evaluated with a one-character path instead: a policy's `*` matches both alike, and
 * none of the stack's policies names the root path exactly.
 */
function evaluable(methodArn: string): string {
  return /:[^:/]+\/[^/]+\/[A-Z]+\/$/.test(methodArn) ? `${methodArn}~` : methodArn;
}

/**
 * A RestApi's policy may name its own methods as `execute-api:/<stage>/<METHOD>/<path>`; API Gateway
 * reads that as the API's ARN. The evaluator does not know the shorthand (it would never match), so
 * it is spelled out first.
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-create-attach.html
 */
export function expandExecuteApiShorthand(policy: PolicyDocument, apiArn: string): PolicyDocument {
  // one expanded document per policy and API, so the evaluator's remembered decisions apply
  const byApi = expanded.get(policy) ?? new Map<string, PolicyDocument>();
  expanded.set(policy, byApi);
  const known = byApi.get(apiArn);
  if (known) return known;
  const document = expandOnce(policy, apiArn);
  byApi.set(apiArn, document);
  return document;
}

const expanded = new WeakMap<PolicyDocument, Map<string, PolicyDocument>>();

function expandOnce(policy: PolicyDocument, apiArn: string): PolicyDocument {
  const expand = (value: unknown): unknown => {
    if (typeof value === 'string') return value.startsWith('execute-api:/') ? `${apiArn}${value.slice('execute-api:'.length)}` : value;
    return Array.isArray(value) ? value.map(expand) : value;
  };
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  return {
    ...policy,
    Statement: statements.map((statement: Record<string, unknown>) => ({
      ...statement,
      ...('Resource' in statement ? { Resource: expand(statement.Resource) } : {}),
      ...('NotResource' in statement ? { NotResource: expand(statement.NotResource) } : {}),
    })),
  };
}
