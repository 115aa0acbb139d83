import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

import type { ApiConfig } from './config/controller-config';
import { acknowledge, EXPLAINED_FINDINGS } from './nag-suppressions';

export interface ControllerApiProps {
  readonly handler: lambda.IFunction;
  readonly settings: ApiConfig;
  readonly logRetention: logs.RetentionDays;
}

/**
 * The REST API in front of the api function: every path and method (root and `{proxy+}`) needs a
 * SigV4-signed request (IAM authorization), and the resource policy admits only the configured
 * principals (or organization), whatever their identity policies say. CORS preflights, when
 * configured, are the only unsigned methods: browsers never sign a preflight.
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
        stageName: 'v1',
        throttlingRateLimit: settings.rateLimit,
        throttlingBurstLimit: settings.burstLimit,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields({
          caller: true,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: true,
        }),
      },
      ...(settings.corsOrigins
        ? {
            defaultCorsPreflightOptions: {
              allowOrigins: [...settings.corsOrigins],
              allowMethods: ['GET', 'POST', 'OPTIONS'],
              allowHeaders: ['Content-Type', 'Authorization', 'X-Amz-Date', 'X-Amz-Security-Token', 'X-Amz-Target', 'X-Amz-Content-Sha256'],
            },
          }
        : {}),
    });
    acknowledge(this.api, EXPLAINED_FINDINGS.api);
    acknowledge(this.api.node.findChild('CloudWatchRole'), EXPLAINED_FINDINGS.apiGatewayLogsRole);
    for (const method of this.api.methods.filter((m) => m.httpMethod === 'OPTIONS')) acknowledge(method, EXPLAINED_FINDINGS.corsPreflight);
  }
}

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
  const preflight = 'execute-api:/*/OPTIONS/*';
  if (settings.corsOrigins) {
    // browsers send preflights unsigned; API Gateway answers them itself (a mock integration)
    statements.push(new iam.PolicyStatement({ sid: 'AllowCorsPreflight', actions: invoke.actions, principals: invoke.principals, resources: [preflight] }));
  }
  // conditions in one statement are ANDed: denied only when matching none of the allowances
  statements.push(
    new iam.PolicyStatement({
      sid: 'DenyEveryoneElse',
      effect: iam.Effect.DENY,
      actions: invoke.actions,
      principals: invoke.principals,
      ...(settings.corsOrigins ? { notResources: [preflight] } : { resources: invoke.resources }),
      conditions: denyUnless,
    }),
  );
  return new iam.PolicyDocument({ statements });
}
