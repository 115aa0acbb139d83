import { type CfnElement, type Stack,Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export interface Finding {
  readonly id: string;
  readonly reason: string;
}

/**
 * cdk-nag AwsSolutions findings this design accepts, each on the construct it concerns and with
 * its reason. Any other finding interrupts `npm run synth` and fails the CDK tests.
 */
export const EXPLAINED_FINDINGS = {
  function(stack: Stack, table: CfnElement, queuePrefixes: readonly string[]): Finding[] {
    return [
      {
        id: 'AwsSolutions-L1',
        reason: 'Pinned to Node.js 22, the runtime the bundle targets (esbuild node22) and the tests run; moving to a newer one is a tested change, not a drift.',
      },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'AWSLambdaBasicExecutionRole only lets a function write its own logs; the redrive, table and bus rights are inline and scoped.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(table)}.Arn>/index/*]`,
        reason: "The task table's indexes: the store queries by-source, by-status, by-created and by-outbox (TASK_TABLE); IAM names indexes only under their table.",
      },
      ...queuePrefixes.map((prefix) => ({
        id: `AwsSolutions-IAM5[Resource::${prefix}]`,
        reason: 'A configured queue name prefix (managedQueues, sourceQueues or allowedDestinations): the platform team chose to cover every queue so named.',
      })),
    ];
  },
  /** Every ControllerFunction's (both stacks): acknowledged where lib/controller-function.ts turns tracing on. */
  tracing: [
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        "xray:PutTraceSegments and xray:PutTelemetryRecords (X-Ray active tracing; CDK grants them with Tracing.ACTIVE) have no resource type, so IAM accepts only '*' for them: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html",
    },
  ],
  listQueues: [{ id: 'AwsSolutions-IAM5[Resource::*]', reason: "sqs:ListQueues (GET /queues, and the reconciler finding queues) has no resource type: IAM accepts only '*' for it." }],
  inventory(home: { readonly partition: string; readonly region: string; readonly account: string }): Finding[] {
    return [
      {
        id: `AwsSolutions-IAM5[Resource::arn:${home.partition}:sqs:${home.region}:${home.account}:*]`,
        reason: "The inventory job reads every queue's attributes (sqs:GetQueueAttributes only): redrive policies, which say which queues are DLQs, live on the source queues, and those can be any queue of the account.",
      },
      {
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason: "cloudwatch:GetMetricData, sqs:ListQueues, lambda:ListFunctions, events:ListEventBuses and events:ListRules (list calls only, the last three for the discovery of the functions' and rule targets' DLQs) have no resource type: IAM accepts only '*' for them.",
      },
    ];
  },
  api: [
    {
      id: 'AwsSolutions-APIG2',
      reason: 'The proxy function validates every request before any AWS call and answers SQS-shaped errors (docs/api.md); API Gateway models would answer differently.',
    },
    {
      id: 'AwsSolutions-APIG3',
      reason: 'Every method requires SigV4 (IAM) and the resource policy admits only configured principals; a WAF adds cost without narrowing who can call.',
    },
    {
      id: 'AwsSolutions-APIG6',
      reason: 'Access logs record who called what and its status; execution logging would also log request and response bodies (task handles, reasons) at extra cost.',
    },
    { id: 'AwsSolutions-COG4', reason: 'Callers are IAM principals (dashboards, operators) signing with SigV4; there are no Cognito users.' },
  ],
  apiGatewayLogsRole: [
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason: "API Gateway's account-wide logging role, which stage access logs require; AWS's managed policy lets API Gateway write logs only.",
    },
  ],
  deadLetterQueue: [{ id: 'AwsSolutions-SQS3', reason: "This queue is itself the dead-letter queue of the rules' targets." }],
} as const;

export function acknowledge(scope: IConstruct, findings: readonly Finding[]): void {
  for (const finding of findings) Validations.of(scope).acknowledge(finding);
}
