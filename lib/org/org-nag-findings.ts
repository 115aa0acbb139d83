import type { Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';

/** cdk-nag findings the org stack accepts, with their reasons (as lib/nag-suppressions.ts for the account stack). */
export const ORG_FINDINGS = {
  function(stack: Stack, table: dynamodb.Table) {
    return [
      { id: 'AwsSolutions-L1', reason: 'Pinned to Node.js 22, the runtime the bundle targets (esbuild node22) and the tests run.' },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason: 'AWSLambdaBasicExecutionRole only lets a function write its own logs; the table and API rights are inline and scoped.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${stack.getLogicalId(table.node.defaultChild as never)}.Arn>/index/*]`,
        reason: "The org view's indexes: one per filter of GET /org/tasks and /org/dlqs (ORG_TABLE); IAM names indexes only under their table.",
      },
    ];
  },
  accountApis(resources: readonly string[]) {
    return resources.map((resource) => ({
      id: `AwsSolutions-IAM5[Resource::${resource}/POST/StartMessageMoveTask]`,
      reason: "Any stage of the account's own API, the three SQS actions only: the account's resource policy and rules decide the rest.",
    })).flatMap((finding) => ['StartMessageMoveTask', 'CancelMessageMoveTask', 'ListMessageMoveTasks'].map((action) => ({ ...finding, id: finding.id.replace('StartMessageMoveTask', action) })));
  },
};
