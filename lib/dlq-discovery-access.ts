import * as iam from 'aws-cdk-lib/aws-iam';

import type { Finding } from './nag-suppressions';

interface Home {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
}

/**
 * What the inventory job needs to discover the functions' and rule targets' DLQs (docs/dlq-discovery.md),
 * read-only and as narrow as IAM allows (Service Authorization Reference:
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awslambda.html and
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html):
 * - lambda:ListFunctions, events:ListEventBuses and events:ListRules have no resource type: only "*";
 * - lambda:ListFunctionEventInvokeConfigs takes the `function` resource: this account's and region's functions;
 * - events:ListTargetsByRule takes the `rule-on-default-event-bus` and `rule-on-custom-event-bus` resources: this account's and region's rules.
 * GetFunctionEventInvokeConfig is not granted: one List call per function reads every qualifier's configuration.
 */
export function dlqDiscoveryStatements(home: Home): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({ sid: 'DiscoverDlqOwnersList', actions: ['lambda:ListFunctions', 'events:ListEventBuses', 'events:ListRules'], resources: ['*'] }),
    new iam.PolicyStatement({
      sid: 'DiscoverFunctionDestinations',
      actions: ['lambda:ListFunctionEventInvokeConfigs'],
      resources: [`arn:${home.partition}:lambda:${home.region}:${home.account}:function:*`],
    }),
    new iam.PolicyStatement({
      sid: 'DiscoverRuleTargetDlqs',
      actions: ['events:ListTargetsByRule'],
      resources: [`arn:${home.partition}:events:${home.region}:${home.account}:rule/*`],
    }),
  ];
}

/** cdk-nag's findings on those statements, each with why. */
export function dlqDiscoveryFindings(home: Home): Finding[] {
  return [
    {
      id: `AwsSolutions-IAM5[Resource::arn:${home.partition}:lambda:${home.region}:${home.account}:function:*]`,
      reason: "Discovery reads which queue each function of the account fails into (lambda:ListFunctionEventInvokeConfigs only, a read): any function's on-failure destination can be a managed queue.",
    },
    {
      id: `AwsSolutions-IAM5[Resource::arn:${home.partition}:events:${home.region}:${home.account}:rule/*]`,
      reason: "Discovery reads which queue each rule target of the account fails into (events:ListTargetsByRule only, a read): any rule's target can have a managed queue as its dead-letter queue.",
    },
  ];
}
