import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';

import { OperationsDashboard } from '../../lib/operations-dashboard';

function build(withTopic: boolean): Template {
  // GIVEN
  const stack = new Stack(new App(), 'Test', { env: { account: '111122223333', region: 'eu-west-1' } });
  const fn = new lambda.Function(stack, 'Api', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') });
  // WHEN
  new OperationsDashboard(stack, 'Operations', {
    functions: { api: fn },
    ...(withTopic ? { topic: sns.Topic.fromTopicArn(stack, 'Topic', 'arn:aws:sns:eu-west-1:111122223333:ops') } : {}),
  });
  return Template.fromStack(stack);
}

describe('OperationsDashboard', () => {
  it('alarms on the account-wide NewDeadLetterMessages and notifies alarmTopicArn', () => {
    // THEN
    build(true).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'RedriveController',
      MetricName: 'NewDeadLetterMessages',
      Dimensions: Match.absent(),
      Statistic: 'Sum',
      Period: 60,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: ['arn:aws:sns:eu-west-1:111122223333:ops'],
    });
  });

  it('has no alarm action without a topic', () => {
    build(false).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'NewDeadLetterMessages', AlarmActions: Match.absent() });
  });

  it('draws the redrives, the messages, the DLQs by depth, age and expiry, and the functions\' errors and durations', () => {
    // THEN
    const dashboards = build(false).findResources('AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(Object.values(dashboards)[0]!.Properties.DashboardBody);
    for (const name of ['RedrivesStarted', 'RedrivesCancelled', 'RedrivesFailed', 'MessagesMoved', 'MessagesArchived', 'MessagesReplayed']) expect(body).toContain(`\\"${name}\\"`);
    for (const name of ['DeadLetterMessages', 'OldestDeadLetterAgeSeconds', 'SecondsUntilOldestExpires']) expect(body).toContain(`SEARCH('{RedriveController,QueueName} MetricName=\\\\\\"${name}\\\\\\"'`);
    expect(body).toContain('\\"Errors\\"');
    expect(body).toContain('\\"Duration\\"');
  });
});
