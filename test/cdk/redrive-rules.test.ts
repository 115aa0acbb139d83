import { Match, type Template } from 'aws-cdk-lib/assertions';

import { synthStack } from '../support/example-stack';

describe('RedriveRules', () => {
  let template: Template;
  beforeAll(() => {
    ({ template } = synthStack({ entries: { api: 'lambda/entry/api.ts', reconciler: 'lambda/entry/api.ts', events: 'lambda/entry/api.ts' } }));
  });

  it('retries event delivery, then parks the event in an encrypted dead-letter queue', () => {
    // Prepare
    const [queueId] = Object.keys(template.findResources('AWS::SQS::Queue'));

    // Assess
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ 'detail-type': ['Cancel Message Move Task'] }),
      Targets: [Match.objectLike({
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EventsFunction'), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
      })],
    });
  });

  it('hands the events function the rule name with the event, and parks its failed invocations in the same queue', () => {
    // Prepare
    const [queueId] = Object.keys(template.findResources('AWS::SQS::Queue'));

    // Assess: the cancel rule and the circuit breaker's alarm rule wrap the event with the rule name
    for (const pattern of [{ 'detail-type': ['Cancel Message Move Task'] }, { source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'] }]) {
      template.hasResourceProperties('AWS::Events::Rule', {
        EventPattern: Match.objectLike(pattern),
        Targets: [Match.objectLike({
          InputTransformer: { InputPathsMap: { f1: '$' }, InputTemplate: '{"ruleName":"<aws.events.rule-name>","event":<f1>}' },
        })],
      });
    }
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        resources: ['arn:aws:cloudwatch:eu-west-1:111122223333:alarm:orders-consumer-errors'],
        // the example's recovery policy watches this alarm: OK too, so recovery can resume
        detail: { state: { value: ['ALARM', 'OK'] } },
      }),
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
    });
  });

  it('invokes the reconciler every minute without retries that would overlap the next run', () => {
    // Assess
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ReconcilerFunction'), 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 0 } })],
    });
  });

  it("turns off Lambda's own retries of a failed reconciler run, which would overlap the next one", () => {
    // Assess
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: Match.stringLikeRegexp('^ReconcilerFunction') },
      MaximumRetryAttempts: 0,
    });
  });

  it('lets EventBridge invoke each target function', () => {
    // Assess
    template.resourcePropertiesCountIs('AWS::Lambda::Permission', { Action: 'lambda:InvokeFunction', Principal: 'events.amazonaws.com' }, 3);
  });
});
