import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface OperationsAlarmsProps {
  /** by entry name */
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  /** @default - no reconciler alarms */
  readonly reconciler?: lambda.IFunction;
  /** alarms made elsewhere (the rules' DLQ) that should notify the same topic */
  readonly otherAlarms?: readonly cloudwatch.Alarm[];
  /** @default - alarms without actions (watch them on a dashboard) */
  readonly topic?: sns.ITopic;
}

/**
 * The alarms an operator needs: any function error or throttle (the controller acts rarely, so one
 * is worth a look), and a reconciler that falls behind. The reconciler runs every minute; it is
 * behind when it stops running (no invocations for 3 minutes: the schedule or permissions broke) or
 * when a run takes most of its minute (the next one would start before it catches up).
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
