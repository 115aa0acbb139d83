import { Match, type Template } from 'aws-cdk-lib/assertions';

import { DECISION_RESOURCES, PEEK_RESOURCES } from '../../lib/controller-api';
import { exampleConfig, exampleJson, synthStack } from '../support/example-stack';

const ENTRIES = { api: 'lambda/entry/api.ts', inventory: 'lambda/entry/api.ts' };

/** every statement of the role policies attached to a function's role */
function statementsOf(template: Template, functionId: string): Array<{ Sid?: string; Action: string | string[]; Resource: unknown }> {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(functionId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}
const actionsOf = (statements: Array<{ Action: string | string[] }>) => statements.flatMap((statement) => [statement.Action].flat());

describe('the DLQ inventory and peek in the stack', () => {
  const readers = ['arn:aws:iam::111122223333:role/dlq-reader'];
  let template: Template;
  beforeAll(() => {
    ({ template } = synthStack({ entries: ENTRIES, config: exampleConfig({ api: { ...exampleJson().api, messageReaders: readers } }) }));
  });

  it('deploys the inventory function and runs it every minute, without retries that would overlap the next run', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('^redrive-controller inventory'), Runtime: 'nodejs22.x', Timeout: 50 });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^InventoryFunction'), 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 0 } })],
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { FunctionName: { Ref: Match.stringLikeRegexp('^InventoryFunction') }, MaximumRetryAttempts: 0 });
  });

  it('lets the inventory list queues, read attributes of the account\'s queues and read metrics, send its change events, and only receive (visibility 0) on managed queues', () => {
    // Act
    const statements = statementsOf(template, 'InventoryFunction');
    const actions = actionsOf(statements);

    // Assess
    expect(statements).toContainEqual(expect.objectContaining({ Sid: 'ReadQueueAttributes', Action: 'sqs:GetQueueAttributes', Resource: 'arn:aws:sqs:eu-west-1:111122223333:*' }));
    expect(statements).toContainEqual(expect.objectContaining({ Sid: 'ReadQueueMetrics', Action: 'cloudwatch:GetMetricData', Resource: '*' }));
    expect(actions).toContain('sqs:ListQueues');
    // the inventory's change events feed the org view (docs/events.md)
    expect(actions).toContain('events:PutEvents');
    // dates the oldest message (OldestMessageExpiresAt): one receive with visibility 0, on managed queues only
    expect(statements).toContainEqual(expect.objectContaining({ Sid: 'SampleSentTimestamps', Action: 'sqs:ReceiveMessage', Resource: ['arn:aws:sqs:eu-west-1:111122223333:orders-dlq', 'arn:aws:sqs:eu-west-1:111122223333:payments-dlq*'] }));
    for (const forbidden of ['sqs:DeleteMessage', 'sqs:SendMessage', 'sqs:ChangeMessageVisibility', 'sqs:StartMessageMoveTask', 'sqs:CancelMessageMoveTask']) {
      expect(actions).not.toContain(forbidden);
    }
    expect(actions.some((action) => action.startsWith('kms:'))).toBe(false);
  });

  it('lets the api peek at managed queues only: find, check, receive and hand back, never delete beyond the move task', () => {
    // Act
    const peek = statementsOf(template, 'ApiFunction').find((statement) => statement.Sid === 'PeekManagedDlqs');

    // Assess
    expect(peek).toEqual(expect.objectContaining({
      Action: ['sqs:GetQueueUrl', 'sqs:ListDeadLetterSourceQueues', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage', 'sqs:ChangeMessageVisibility'],
      Resource: ['arn:aws:sqs:eu-west-1:111122223333:orders-dlq', 'arn:aws:sqs:eu-west-1:111122223333:payments-dlq*'],
    }));
  });

  it('admits only the message readers to the peek method in the resource policy', () => {
    // Assess
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Policy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'AllowMessageReadersToPeek', Effect: 'Allow', Resource: [...PEEK_RESOURCES, ...DECISION_RESOURCES], Condition: { ArnLike: { 'aws:PrincipalArn': readers } } }),
          Match.objectLike({ Sid: 'DenyPeekToOthers', Effect: 'Deny', Resource: [...PEEK_RESOURCES, ...DECISION_RESOURCES], Condition: { ArnNotLike: { 'aws:PrincipalArn': readers } } }),
        ]),
      },
    });
  });

  it('tells the api function the message readers, so it checks them itself (any path, every DryRun)', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ MESSAGE_READERS: readers.join(','), API_GATEWAY_STAGE: 'v1' }) } });
  });

  it('denies the peek method to everyone when no message reader is configured', () => {
    // Act
    const { template: noReaders } = synthStack({ entries: ENTRIES, config: exampleConfig({ api: { ...exampleJson().api, messageReaders: [] } }) });

    // Assess
    const statements = Object.values(noReaders.findResources('AWS::ApiGateway::RestApi'))[0]!.Properties.Policy.Statement as Array<Record<string, unknown>>;
    expect(statements.find((statement) => statement.Sid === 'AllowMessageReadersToPeek')).toBeUndefined();
    expect(statements.find((statement) => statement.Sid === 'DenyPeekToOthers')).toEqual({ Sid: 'DenyPeekToOthers', Effect: 'Deny', Action: 'execute-api:Invoke', Principal: { AWS: '*' }, Resource: [...PEEK_RESOURCES, ...DECISION_RESOURCES] });
  });

  it('fails synth on a message reader that is no IAM principal ARN', () => {
    expect(() => exampleConfig({ api: { ...exampleJson().api, messageReaders: ['alice'] } })).toThrow(/api.messageReaders\[0\] must be an IAM role or user ARN/);
  });
});
