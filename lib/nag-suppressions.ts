import { Validations, type CfnElement, type Stack } from 'aws-cdk-lib';

/**
 * cdk-nag AwsSolutions findings this design accepts, each with its reason. Anything not listed
 * here fails `npm run synth` and the CDK tests.
 */
export function suppressExplainedFindings(stack: Stack, wildcards: { readonly queuePrefixes: readonly string[]; readonly table: CfnElement }): void {
  const tableArn = `<${stack.getLogicalId(wildcards.table)}.Arn>`;
  for (const finding of [
    {
      id: `AwsSolutions-IAM5[Resource::${tableArn}/index/*]`,
      reason: "The task table's indexes: the store queries by-source, by-status and by-created (TASK_TABLE); IAM names indexes only under the table.",
    },
    ...wildcards.queuePrefixes.map((prefix) => ({
      id: `AwsSolutions-IAM5[Resource::${prefix}]`,
      reason: 'A configured name prefix (managedQueues / sourceQueues / allowedDestinations): the platform team chose to manage every queue so named.',
    })),
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'sqs:ListQueues (reconciler only) has no resource type: IAM accepts only "*" for it.',
    },
    {
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'AWSLambdaBasicExecutionRole only lets a function write its own logs; the redrive, table and bus rights are inline and scoped.',
    },
    {
      id: 'AwsSolutions-L1',
      reason: 'Pinned to Node.js 22, the runtime the bundle targets (esbuild target node22) and the tests run on; moving up is a tested change.',
    },
    {
      id: 'AwsSolutions-APIG2',
      reason: 'The proxy function validates every request before any AWS call and answers SQS-shaped errors (docs/api.md); API Gateway models would duplicate that and answer differently.',
    },
    {
      id: 'AwsSolutions-APIG3',
      reason: 'Every method requires SigV4 (IAM) and the resource policy admits only configured principals; a WAF adds cost without narrowing who can call.',
    },
    {
      id: 'AwsSolutions-APIG6',
      reason: 'Access logs record every request; execution logging needs the account-wide API Gateway CloudWatch role, a singleton this stack must not own.',
    },
    {
      id: 'AwsSolutions-COG4',
      reason: 'Callers are IAM principals (dashboards, operators) signing with SigV4; there are no Cognito users.',
    },
    {
      id: 'AwsSolutions-APIG4',
      reason: 'Only CORS preflight (OPTIONS, a mock integration that never reaches the function) is unauthorized: browsers never sign preflights. Every other method uses IAM authorization.',
    },
    {
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the rules\' targets.',
    },
  ]) {
    Validations.of(stack).acknowledge(finding);
  }
}
