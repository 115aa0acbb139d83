import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

import { ControllerCounter, DlqMetric, METRICS_NAMESPACE, QUEUE_NAME_DIMENSION } from '../lambda/domain/controller-metrics';

export interface OperationsDashboardProps {
  /** by entry name: their errors and durations are drawn */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /** where the alarm on new dead letters notifies; @default - the alarm only changes state */
  readonly topic?: sns.ITopic;
}

const PERIOD = Duration.minutes(1);
const counter = (name: ControllerCounter | DlqMetric) => new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName: name, period: PERIOD, statistic: 'Sum', label: name });
/**
 * Every DLQ's series of one metric. SEARCH finds the QueueName series that had data in the last two
 * weeks, however many DLQs there are (a dashboard graph draws up to 500 of them):
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/search-expression-syntax.html
 */
const perDlq = (name: DlqMetric, statistic: 'Maximum' | 'Minimum') =>
  new cloudwatch.MathExpression({ expression: `SEARCH('{${METRICS_NAMESPACE},${QUEUE_NAME_DIMENSION}} MetricName="${name}"', '${statistic}', 60)`, usingMetrics: {}, label: '', period: PERIOD });

/**
 * The controller's CloudWatch dashboard (docs/metrics.md) and its alarm on new dead letters. The
 * alarm watches the inventory's account-wide NewDeadLetterMessages (no dimension): one metric, however
 * many DLQs, where an alarm on metric math over every DLQ's series would be limited to 10 metrics and a
 * Metrics Insights alarm is charged per metric it analyses.
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;
  readonly newDeadLettersAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    this.newDeadLettersAlarm = new cloudwatch.Alarm(this, 'NewDeadLetters', {
      alarmDescription: 'redrive-controller: dead letters arrived in a DLQ (the inventory\'s NewDeadLetterMessages; see the Dead-Letter Queue Received Messages events for which)',
      metric: new cloudwatch.Metric({ namespace: METRICS_NAMESPACE, metricName: DlqMetric.NewDeadLetterMessages, period: PERIOD, statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (props.topic) this.newDeadLettersAlarm.addAlarmAction(new actions.SnsAction(props.topic));
    const functions = Object.entries(props.functions);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.hours(24),
      widgets: [
        [
          new cloudwatch.GraphWidget({ title: 'Redrives', left: [counter(ControllerCounter.RedrivesStarted), counter(ControllerCounter.RedrivesCancelled), counter(ControllerCounter.RedrivesFailed)], width: 8 }),
          new cloudwatch.GraphWidget({ title: 'Messages', left: [counter(ControllerCounter.MessagesMoved), counter(ControllerCounter.MessagesArchived), counter(ControllerCounter.MessagesReplayed)], width: 8 }),
          new cloudwatch.AlarmWidget({ title: 'New dead letters (all DLQs)', alarm: this.newDeadLettersAlarm, width: 8 }),
        ],
        [
          new cloudwatch.GraphWidget({ title: 'DLQs by depth', left: [perDlq(DlqMetric.DeadLetterMessages, 'Maximum')], width: 8, legendPosition: cloudwatch.LegendPosition.RIGHT }),
          new cloudwatch.GraphWidget({ title: 'DLQs by age of the oldest message (s)', left: [perDlq(DlqMetric.OldestDeadLetterAgeSeconds, 'Maximum')], width: 8, legendPosition: cloudwatch.LegendPosition.RIGHT }),
          new cloudwatch.GraphWidget({ title: 'DLQs by time until the oldest expires (s)', left: [perDlq(DlqMetric.SecondsUntilOldestExpires, 'Minimum')], width: 8, legendPosition: cloudwatch.LegendPosition.RIGHT }),
        ],
        [
          new cloudwatch.GraphWidget({ title: 'Function errors', left: functions.map(([name, fn]) => fn.metricErrors({ period: PERIOD, statistic: 'Sum', label: name })), width: 12 }),
          new cloudwatch.GraphWidget({ title: 'Function duration (p99, ms)', left: functions.map(([name, fn]) => fn.metricDuration({ period: PERIOD, statistic: 'p99', label: name })), width: 12 }),
        ],
      ],
    });
  }
}
