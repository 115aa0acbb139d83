import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

import type { ApiConfig } from './config/controller-config';
import { acknowledge, EXPLAINED_FINDINGS } from './nag-suppressions';

/** The API's one stage: the URL's path and, for the api function, the requestContext.stage it expects. */
export const API_STAGE = 'v1';

export interface ControllerApiProps {
  readonly handler: lambda.IFunction;
  readonly settings: ApiConfig;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The REST API in front of the api function: every path and method (root and `{proxy+}`) needs a
 * SigV4-signed request (IAM authorization), and the resource policy admits only the configured
 * principals (or organization), whatever their identity policies say. No method is unsigned, and
 * API Gateway's test invoke is not allowed to run the function.
 */
export class ControllerApi extends Construct {
  readonly api: apigateway.LambdaRestApi;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ControllerApiProps) {
    super(scope, id);
    const { settings } = props;
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY });
    this.api = new apigateway.LambdaRestApi(this, 'Api', {
      handler: props.handler,
      proxy: true,
      description: 'redrive-controller: SQS message move tasks with an audit trail',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      defaultMethodOptions: { authorizationType: apigateway.AuthorizationType.IAM },
      policy: resourcePolicy(settings),
      // stage access logs need API Gateway's account-wide CloudWatch Logs role: without one set in the
      // account and region, the deploy fails. The setting outlives the stack, so the role is retained.
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: API_STAGE,
        throttlingRateLimit: settings.rateLimit,
        throttlingBurstLimit: settings.burstLimit,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: accessLogFormat(),
      },
      // API Gateway's TestInvokeMethod (any principal with apigateway:POST) would run the function
      // without the method's IAM authorization or the resource policy
      integrationOptions: { allowTestInvoke: false },
    });
    acknowledge(this.api, EXPLAINED_FINDINGS.api);
    acknowledge(this.api.node.findChild('CloudWatchRole'), EXPLAINED_FINDINGS.apiGatewayLogsRole);
  }
}

/**
 * The peek method, in any stage: POST /dlqs/{queueName}/peek (the proxy resource's path), with and
 * without a trailing slash. API Gateway builds the method ARN from the path as sent, trailing slash
 * included, and the function strips one before routing, so `/dlqs/x/peek/` reaches peek too. The
 * function checks the readers again (MESSAGE_READERS) for any path that reaches it.
 */
export const PEEK_RESOURCES = [
  'execute-api:/*/POST/dlqs/*/peek',
  'execute-api:/*/POST/dlqs/*/peek/',
  // the archive's messages are dead letters too (API.md section 12): readers only
  'execute-api:/*/GET/archives/*/messages',
  'execute-api:/*/GET/archives/*/messages/',
  // a replay from the archive sends those bodies on
  'execute-api:/*/POST/archives/*/replay',
  'execute-api:/*/POST/archives/*/replay/',
] as const;
/** One message at a time (POST /dlqs/{queueName}/messages/{messageId}): message readers only, as peek. */
export const DECISION_RESOURCES = ['execute-api:/*/POST/dlqs/*/messages/*', 'execute-api:/*/POST/dlqs/*/messages/*/'] as const;

/**
 * Allow the listed principals (and the organization), and deny everyone else explicitly: in the
 * same account an identity policy alone would otherwise be enough to call the API.
 */
function resourcePolicy(settings: ApiConfig): iam.PolicyDocument {
  const invoke = { actions: ['execute-api:Invoke'], resources: ['execute-api:/*'], principals: [new iam.AnyPrincipal()] };
  const statements: iam.PolicyStatement[] = [];
  const denyUnless: Record<string, Record<string, unknown>> = {};
  if (settings.allowedPrincipals.length > 0) {
    statements.push(new iam.PolicyStatement({ sid: 'AllowConfiguredPrincipals', ...invoke, conditions: { ArnLike: { 'aws:PrincipalArn': [...settings.allowedPrincipals] } } }));
    denyUnless.ArnNotLike = { 'aws:PrincipalArn': [...settings.allowedPrincipals] };
  }
  if (settings.organizationId) {
    statements.push(new iam.PolicyStatement({ sid: 'AllowOrganization', ...invoke, conditions: { StringEquals: { 'aws:PrincipalOrgID': settings.organizationId } } }));
    denyUnless.StringNotEquals = { 'aws:PrincipalOrgID': settings.organizationId };
  }
  // bodies can hold personal data: only the message readers may peek, whatever else admits a caller
  const peek = [...PEEK_RESOURCES, ...DECISION_RESOURCES];
  if (settings.messageReaders.length > 0) {
    statements.push(new iam.PolicyStatement({ sid: 'AllowMessageReadersToPeek', actions: invoke.actions, principals: invoke.principals, resources: peek, conditions: { ArnLike: { 'aws:PrincipalArn': [...settings.messageReaders] } } }));
  }
  statements.push(
    new iam.PolicyStatement({
      sid: 'DenyPeekToOthers',
      effect: iam.Effect.DENY,
      actions: invoke.actions,
      principals: invoke.principals,
      resources: peek,
      ...(settings.messageReaders.length > 0 ? { conditions: { ArnNotLike: { 'aws:PrincipalArn': [...settings.messageReaders] } } } : {}),
    }),
  );
  // conditions in one statement are ANDed: denied only when matching none of the allowances
  statements.push(
    new iam.PolicyStatement({
      sid: 'DenyEveryoneElse',
      effect: iam.Effect.DENY,
      actions: invoke.actions,
      principals: invoke.principals,
      // peek has its own allow and deny above: a message reader need not be an allowed principal
      notResources: peek,
      conditions: denyUnless,
    }),
  );
  return new iam.PolicyDocument({ statements });
}

/**
 * One JSON line per request: who called (IAM user ARN and account, as SigV4 authorization found
 * them) and, for a refusal, why IAM authorization or the resource policy said no.
 */
function accessLogFormat(): apigateway.AccessLogFormat {
  return apigateway.AccessLogFormat.custom(
    JSON.stringify({
      requestId: '$context.requestId',
      requestTime: '$context.requestTime',
      ip: '$context.identity.sourceIp',
      caller: '$context.identity.caller',
      user: '$context.identity.user',
      userArn: '$context.identity.userArn',
      accountId: '$context.identity.accountId',
      httpMethod: '$context.httpMethod',
      resourcePath: '$context.resourcePath',
      protocol: '$context.protocol',
      status: '$context.status',
      responseLength: '$context.responseLength',
      errorResponseType: '$context.error.responseType',
      errorMessage: '$context.error.message',
      authorizeError: '$context.authorize.error',
      authorizerError: '$context.authorizer.error',
    }),
  );
}
