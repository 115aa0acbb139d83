import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export const RECONCILER_METRICS_NAMESPACE = 'RedriveController';

export interface OperationsAlarmsProps {
  /** by entry name */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /** @default - no reconciler alarms */
  readonly reconciler?: lambda.IFunction;
  /** the reconciler's log group, for the errors its runs count (they do not fail the run) @default - none */
  readonly reconcilerLogGroup?: logs.ILogGroup;
  /** alarms made elsewhere (the rules' DLQ) that should notify the same topic */
  readonly otherAlarms?: readonly cloudwatch.Alarm[];
  /** @default - alarms without actions (watch them on a dashboard) */
  readonly topic?: sns.ITopic;
}

/**
 * The alarms an operator needs: any function error or throttle (the controller acts rarely, so one
 * is worth a look), and a reconciler that falls behind. The reconciler runs every minute; it is
 * behind when it stops running (no invocations for 3 minutes: the schedule or permissions broke) or
 * when a run takes most of its minute (the next one would start before it catches up). A run that
 * meets errors (a queue it cannot list, a write or send that failed) still finishes and logs them
 * as `errors` in its summary line: errors in 3 runs in a row mean they are not passing.
 */
export class OperationsAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: OperationsAlarmsProps) {
    super(scope, id);
    const period = Duration.minutes(1);
    for (const [name, fn] of Object.entries(props.functions)) {
      this.add(`${name}Errors`, `redrive-controller ${name}: the function failed`, fn.metricErrors({ period, statistic: 'Sum' }), 1, 1);
      this.add(`${name}Throttles`, `redrive-controller ${name}: Lambda throttled the function`, fn.metricThrottles({ period, statistic: 'Sum' }), 1, 1);
    }
    if (props.reconciler) {
      this.alarms.push(
        new cloudwatch.Alarm(this, 'ReconcilerStalled', {
          alarmDescription: 'redrive-controller reconciler: no run for 3 minutes; the task table is drifting from SQS',
          metric: props.reconciler.metricInvocations({ period, statistic: 'Sum' }),
          threshold: 1,
          evaluationPeriods: 3,
          comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.BREACHING,
        }),
      );
      if (props.reconcilerLogGroup) {
        const filter = new logs.MetricFilter(this, 'ReconcilerErrorsFilter', {
          logGroup: props.reconcilerLogGroup,
          filterPattern: logs.FilterPattern.numberValue('$.errors', '>', 0),
          // one namespace per stack: two controllers in one account and region must not share the metric
          metricNamespace: `${RECONCILER_METRICS_NAMESPACE}/${Stack.of(this).stackName}`,
          metricName: 'ReconcilerErrors',
          metricValue: '$.errors',
        });
        this.add('ReconcilerErrors', 'redrive-controller reconciler: runs keep meeting errors (see the "reconcile finished with errors" log lines)', filter.metric({ period, statistic: 'Sum' }), 1, 3);
      }
      this.add('ReconcilerSlow', 'redrive-controller reconciler: runs take over 40 s of their 60 s slot', props.reconciler.metricDuration({ period, statistic: 'Maximum' }), 40_000, 3);
    }
    if (props.topic) {
      const action = new actions.SnsAction(props.topic);
      for (const alarm of [...this.alarms, ...(props.otherAlarms ?? [])]) alarm.addAlarmAction(action);
    }
  }

  private add(id: string, description: string, metric: cloudwatch.IMetric, threshold: number, evaluationPeriods: number): void {
    this.alarms.push(
      new cloudwatch.Alarm(this, id, {
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }
}
