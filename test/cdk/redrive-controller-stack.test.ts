import { isDeepStrictEqual } from 'node:util';

import { Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';

import { TASK_TABLE } from '../../lambda/adapters/dynamodb/task-table-schema';
import { ENV } from '../../lambda/config/environment';
import { taskTableDefinition } from '../../local/task-table-definition';
import { exampleConfig, synthStack } from '../support/example-stack';
import { functionTracing } from '../support/function-tracing';

const ACCOUNT_QUEUE = 'arn:aws:sqs:eu-west-1:111122223333';

/** every statement of the role policies attached to a function's role */
function policyStatements(template: Template, functionId: string): Array<{ Action: string | string[]; Resource: unknown; Sid?: string }> {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(functionId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement);
}

function logicalId(template: Template, type: string, match: (resource: any) => boolean): string {
  const found = Object.entries(template.findResources(type)).filter(([, resource]) => match(resource));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]![0];
}

describe('RedriveControllerStack with the example config', () => {
  let template: Template;
  beforeAll(() => {
    ({ template } = synthStack());
  });

  it('deploys the task table as local/ defines it: keys, indexes, TTL, PITR, on demand, retained', () => {
    // Prepare
    const local = taskTableDefinition('ignored');

    // Act
    const tables = template.findResources('AWS::DynamoDB::Table');
    const [table] = Object.values(tables);

    // Assess
    expect(Object.keys(tables)).toHaveLength(1);
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    const props = table.Properties;
    expect(props.KeySchema).toEqual(local.KeySchema);
    expect([...props.AttributeDefinitions].sort((a: any, b: any) => a.AttributeName.localeCompare(b.AttributeName))).toEqual(
      [...local.AttributeDefinitions!].sort((a, b) => a.AttributeName!.localeCompare(b.AttributeName!)),
    );
    expect(props.GlobalSecondaryIndexes).toEqual(local.GlobalSecondaryIndexes);
    expect(props).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: TASK_TABLE.timeToLiveAttribute, Enabled: true },
      DeletionProtectionEnabled: true,
    });
    // AWS-managed key: SSESpecification absent or without a customer key
    expect(props.SSESpecification?.KMSMasterKeyId).toBeUndefined();
  });

  it('traces every function: X-Ray active, and Powertools Tracer not switched off (issue 26)', () => {
    // Act
    const functions = functionTracing(template);

    // Assess: api, reconciler, events, inventory and mover
    expect(functions.length).toBeGreaterThanOrEqual(5);
    expect(functions.filter((fn) => fn.mode !== 'Active' || fn.powertoolsTrace === 'false')).toEqual([]);
  });

  it("deploys the operations dashboard over its own functions, and the alarm on new dead letters notifying the config's alarmTopicArn (issue 26)", () => {
    // Prepare
    const topic = 'arn:aws:sns:eu-west-1:111122223333:dead-letters';
    const { template: withTopic } = synthStack({ config: exampleConfig({ alarmTopicArn: topic }) });

    // Act
    const dashboards = Object.values(withTopic.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboards[0]?.Properties.DashboardBody);

    // Assess: one dashboard, drawing each of the stack's functions (by its Ref in the body)
    expect(dashboards).toHaveLength(1);
    for (const { id } of functionTracing(withTopic)) expect(body).toContain(id);
    withTopic.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'NewDeadLetterMessages', Namespace: 'RedriveController', AlarmActions: [topic] });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'NewDeadLetterMessages', AlarmActions: Match.absent() });
  });

  it('runs the api function on Node.js 22 / ARM64 with the config in its environment', () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 25,
      Handler: 'index.handler',
      Environment: {
        Variables: Match.objectLike({
          [ENV.accountId]: '111122223333',
          [ENV.managedQueues]: `${ACCOUNT_QUEUE}:orders-dlq,${ACCOUNT_QUEUE}:payments-dlq*`,
          [ENV.allowedDestinations]: `${ACCOUNT_QUEUE}:orders-replay`,
          [ENV.logLevel]: 'INFO',
          [ENV.serviceName]: 'redrive-controller',
          [ENV.eventBusName]: 'redrive-controller-events',
          [ENV.retentionDays]: '90',
          [ENV.requireReason]: 'false',
          [ENV.circuitBreakerAlarms]: JSON.stringify({ 'orders-consumer-errors': [`${ACCOUNT_QUEUE}:orders-dlq`] }),
          [ENV.tableName]: { Ref: Match.stringLikeRegexp('^TaskTable') },
          NODE_OPTIONS: '--enable-source-maps',
        }),
      },
    });
  });

  it("limits the api function's rights to the configured queues, its table and its bus", () => {
    // Prepare
    const fn = logicalId(template, 'AWS::Lambda::Function', (r) => r.Properties.Timeout === 25);
    const role = template.findResources('AWS::Lambda::Function')[fn]!.Properties.Role['Fn::GetAtt'][0] as string;

    // Act
    const statements = policyStatements(template, role);

    // Assess
    const bySid = Object.fromEntries(statements.filter((s) => s.Sid).map((s) => [s.Sid, s]));
    expect(bySid.MoveTasksOnManagedQueues).toMatchObject({
      Action: ['sqs:StartMessageMoveTask', 'sqs:CancelMessageMoveTask', 'sqs:ListMessageMoveTasks', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
      Resource: [`${ACCOUNT_QUEUE}:orders-dlq`, `${ACCOUNT_QUEUE}:payments-dlq*`],
    });
    expect(bySid.SendToRedriveDestinations).toMatchObject({
      Action: 'sqs:SendMessage',
      Resource: [`${ACCOUNT_QUEUE}:orders`, `${ACCOUNT_QUEUE}:payments-*`, `${ACCOUNT_QUEUE}:orders-replay`],
    });
    expect(JSON.stringify(bySid.TaskTable?.Resource)).toMatch(/TaskTable.*Arn/);
    // X-Ray active tracing's grant (lib/controller-function.ts) is CDK's, unnamed
    const tracing = { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' };
    const others = statements.filter((s) => !s.Sid && !isDeepStrictEqual(s, tracing));
    const resources = JSON.stringify(others.map((s) => s.Resource));
    expect(others.flatMap((s) => [s.Action].flat()).every((action) => /^events:/.test(action))).toBe(true);
    // the controller's own outbound bus (test/cdk/outbound-event-bus.test.ts), not the account's default bus
    expect(resources).toContain('OutboundEventsBus');
    expect(resources).not.toContain(':event-bus/default');
    // "*" only where IAM has no narrower resource: sqs:ListQueues, for GET /queues, and X-Ray's two actions
    expect(statements.filter((s) => [s.Resource].flat().includes('*'))).toEqual([tracing, { Sid: 'FindQueues', Effect: 'Allow', Action: 'sqs:ListQueues', Resource: '*' }]);
  });

  it('grants KMS only for configured queue keys, and only through SQS', () => {
    // Prepare
    const key = 'arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555';

    // Act
    const { template: withKeys } = synthStack({ config: exampleConfig({ queueKmsKeyArns: [key] }) });

    // Assess
    withKeys.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Sid: 'QueueKeysThroughSqs', Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: key, Condition: { StringEquals: { 'kms:ViaService': 'sqs.eu-west-1.amazonaws.com' } } },
        ]),
      },
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('kms:Decrypt');
  });

  it('alarms on function errors and throttles and on the rules dead-letter queue', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Namespace: 'AWS/Lambda', Threshold: 1 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Throttles', Namespace: 'AWS/Lambda', Threshold: 1 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', Namespace: 'AWS/SQS', Threshold: 1 });
  });

  it('outputs the API URL, the table name and the function name', () => {
    // Assess
    const outputs = template.toJSON().Outputs;
    expect(Object.keys(outputs).sort()).toEqual(expect.arrayContaining(['ApiUrl', 'ApiFunctionName', 'TaskTableName']));
  });

  it('creates five rules: the reconciler\'s and the inventory\'s schedules, the cancel and circuit-breaker rules of events, and the org forwarding rule', () => {
    // Assess
    template.resourceCountIs('AWS::Events::Rule', 5);
  });
});

describe('RedriveControllerStack: its functions, rules and alarms', () => {
  let template: Template;
  beforeAll(() => {
    ({ template } = synthStack());
  });

  it('schedules the reconciler every minute and routes cancel events and circuit-breaker alarms to events', () => {
    // Assess: api, reconciler, events, the inventory and the selective mover
    template.resourceCountIs('AWS::Lambda::Function', 5);
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 minute)', State: 'ENABLED' });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: Match.stringLikeRegexp('^CancelEventsBus') },
      EventPattern: { account: ['111122223333', '444455556666'], region: ['eu-west-1'], 'detail-type': ['Cancel Message Move Task'], source: ['com.example.incidents'] },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.absent(),
      EventPattern: {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        account: ['111122223333'],
        region: ['eu-west-1'],
        resources: ['arn:aws:cloudwatch:eu-west-1:111122223333:alarm:orders-consumer-errors'],
        // the example config has a recovery policy: ALARM pauses, OK lets it resume
        detail: { state: { value: ['ALARM', 'OK'] } },
      },
    });
  });

  it('gives the functions the one alarm map and the recovery policies; only the reconciler may start recovery\'s redrives, of the policies\' DLQs', () => {
    // Prepare
    const functions = template.findResources('AWS::Lambda::Function');
    const reconciler = Object.values(functions).find((fn) => /reconciler/.test(JSON.stringify(fn.Properties.Description ?? '')))!;
    const role = reconciler.Properties.Role['Fn::GetAtt'][0] as string;

    // Act
    const bySid = Object.fromEntries(policyStatements(template, role).filter((s) => s.Sid).map((s) => [s.Sid, s]));

    // Assess
    const env = reconciler.Properties.Environment.Variables;
    expect(JSON.parse(env.CIRCUIT_BREAKER_ALARMS)).toEqual({ 'orders-consumer-errors': [`${ACCOUNT_QUEUE}:orders-dlq`] });
    expect(JSON.parse(env.RECOVERY_POLICIES)).toEqual([expect.objectContaining({ dlq: `${ACCOUNT_QUEUE}:orders-dlq`, alarms: ['orders-consumer-errors'], startRate: 10, maxRate: 200 })]);
    expect(bySid.RecoveryStartsOnPolicyDlqs).toMatchObject({ Action: ['sqs:StartMessageMoveTask', 'sqs:GetQueueUrl'], Resource: `${ACCOUNT_QUEUE}:orders-dlq` });
    expect(bySid.RecoverySendsBackToSources).toMatchObject({ Action: 'sqs:SendMessage', Resource: [`${ACCOUNT_QUEUE}:orders`, `${ACCOUNT_QUEUE}:payments-*`] });
    expect(bySid.MoveTasksOnManagedQueues!.Action).not.toContain('sqs:StartMessageMoveTask');
  });

  it('alarms when the reconciler stops running or runs too long', () => {
    // Assess
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Invocations', ComparisonOperator: 'LessThanThreshold', Threshold: 1, EvaluationPeriods: 3, TreatMissingData: 'breaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Duration', Statistic: 'Maximum', Threshold: 40_000 });
  });

  it('grants the queue keys only to the functions that start tasks (the api; the reconciler for recovery): listing and cancelling move no message', () => {
    // Prepare
    const key = 'arn:aws:kms:eu-west-1:111122223333:key/11111111-2222-3333-4444-555555555555';

    // Act
    const { template: withKeys } = synthStack({ config: exampleConfig({ queueKmsKeyArns: [key] }) });
    const { template: noRecovery } = synthStack({ config: exampleConfig({ queueKmsKeyArns: [key], recoveryPolicies: [] }) });

    // Assess
    const granted = (template: Template) => ['Api', 'Reconciler', 'Events'].filter((name) => JSON.stringify(policyStatements(template, `${name}Function`)).includes('kms:'));
    expect(granted(withKeys)).toEqual(['Api', 'Reconciler']);
    expect(granted(noRecovery)).toEqual(['Api']);
  });

  it('alarms when reconciler runs keep logging errors, counted from their summary line', () => {
    // Assess
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.errors > 0 }',
      LogGroupName: { Ref: Match.stringLikeRegexp('^ReconcilerFunctionLogs') },
      MetricTransformations: [{ MetricNamespace: 'RedriveController/RedriveController-test', MetricName: 'ReconcilerErrors', MetricValue: '$.errors' }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ReconcilerErrors', Namespace: 'RedriveController/RedriveController-test', Statistic: 'Sum', Threshold: 1, EvaluationPeriods: 3, TreatMissingData: 'notBreaching',
    });
  });

  it('lets only the api (GET /queues), the reconciler and the inventory list queues, and no function but the api and (for recovery) the reconciler start tasks', () => {
    // Prepare
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).map((policy) => JSON.stringify(policy.Properties.PolicyDocument));

    // Assess
    expect(policies.filter((policy) => policy.includes('sqs:ListQueues'))).toHaveLength(3);
    expect(policies.filter((policy) => policy.includes('sqs:StartMessageMoveTask'))).toHaveLength(2);
    expect(policies.filter((policy) => policy.includes('sqs:CancelMessageMoveTask'))).toHaveLength(3);
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('passes the example stack with every entry: each finding is fixed or explained', () => {
    // Act
    const synth = () => synthStack();

    // Assess
    expect(synth).not.toThrow();
  });

  it('fails synth on a finding nobody explained', () => {
    // Prepare
    const tamper = (stack: Stack) =>
      new iam.Role(stack, 'Careless', { assumedBy: new iam.AccountRootPrincipal() }).addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));

    // Act
    const synth = () => synthStack({ tamper });

    // Assess
    expect(synth).toThrow(/AwsSolutions-IAM5/);
  });

  it('fails fast on an entry without an access profile', () => {
    // Act
    const synth = () => synthStack({ entries: { api: 'lambda/entry/api.ts', janitor: 'lambda/entry/api.ts' } });

    // Assess
    expect(synth).toThrow(/no ENTRY_ACCESS for Lambda entry "janitor"/);
  });
});
