import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

import { alarmEventPattern, cancelEventPattern, RULE_NAME_VARIABLE } from '../lambda/config/event-patterns';
import { acknowledge, EXPLAINED_FINDINGS } from './nag-suppressions';

export interface RedriveRulesProps {
  /** the controller's own bus, where cancel events arrive (its policy admits only the allowed senders) */
  readonly eventBus: events.IEventBus;
  /** accounts whose cancel events the rule matches (EventBridge sets `account`: the sender cannot choose it) */
  readonly senderAccounts: readonly string[];
  /** the stack's own account, partition and region: alarm rules match alarm ARNs there */
  readonly home: { readonly account: string; readonly region: string; readonly partition: string };
  /** @default - no schedule */
  readonly reconciler?: lambda.IFunction;
  /** the DLQ inventory job, scheduled like the reconciler; @default - no inventory schedule */
  readonly inventory?: lambda.IFunction;
  /** @default - no cancel or alarm rules */
  readonly eventsHandler?: lambda.IFunction;
  /** sources the cancel rule routes (routing only, not authentication); @default - any source */
  readonly cancelSources?: readonly string[];
  /** CloudWatch alarms whose ALARM state cancels redrives; @default - no alarm rule */
  readonly alarmNames?: readonly string[];
  /** recovery policies exist: the alarm rule also matches OK, so recovery can resume; @default false */
  readonly alarmOkToo?: boolean;
}

/**
 * What invokes the controller besides the API: the reconciler every minute, cancel events, and
 * the circuit breaker's alarm state changes. Delivery is retried, then parked in one encrypted
 * DLQ whose depth is alarmed: an event that could not cancel a redrive must not vanish.
 */
export class RedriveRules extends Construct {
  readonly deadLetterQueue: sqs.Queue;
  readonly deadLetterAlarm: cloudwatch.Alarm;
  readonly rules: events.Rule[] = [];

  constructor(scope: Construct, id: string, props: RedriveRulesProps) {
    super(scope, id);
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(this.deadLetterQueue, EXPLAINED_FINDINGS.deadLetterQueue);
    const targetOptions = { retryAttempts: 8, maxEventAge: Duration.hours(1), deadLetterQueue: this.deadLetterQueue };

    if (props.reconciler) {
      this.rules.push(
        new events.Rule(this, 'ReconcileSchedule', {
          description: 'redrive-controller: reconcile the task table with SQS',
          schedule: events.Schedule.rate(Duration.minutes(1)),
          // a missed minute is made up by the next run: no retries that would overlap it
          targets: [new targets.LambdaFunction(props.reconciler, { retryAttempts: 0, deadLetterQueue: this.deadLetterQueue })],
        }),
      );
      // the target's retryAttempts covers EventBridge's delivery only; Lambda retries a failed
      // asynchronous run twice on its own, which would overlap the next scheduled run
      props.reconciler.configureAsyncInvoke({ retryAttempts: 0 });
    }
    if (props.inventory) {
      this.rules.push(
        new events.Rule(this, 'InventorySchedule', {
          description: 'redrive-controller: refresh the DLQ inventory (GET /dlqs)',
          schedule: events.Schedule.rate(Duration.minutes(1)),
          // as the reconciler: the next run replaces a missed one
          targets: [new targets.LambdaFunction(props.inventory, { retryAttempts: 0, deadLetterQueue: this.deadLetterQueue })],
        }),
      );
      props.inventory.configureAsyncInvoke({ retryAttempts: 0 });
    }
    if (props.eventsHandler) {
      // the function records `cancelledBy` as "account <account> via rule <name>": EventBridge fills in the name
      const deliveryTargetOptions = {
        ...targetOptions,
        event: events.RuleTargetInput.fromObject({ ruleName: RULE_NAME_VARIABLE, event: events.EventField.fromPath('$') }),
      };
      // EventBridge invokes asynchronously: its retries cover delivery only. Errors the function
      // throws (throttling, SQS unreachable) are retried by Lambda, then parked in the same DLQ.
      props.eventsHandler.configureAsyncInvoke({
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
        onFailure: new destinations.SqsDestination(this.deadLetterQueue),
      });
      this.rules.push(
        new events.Rule(this, 'CancelEvents', {
          description: 'redrive-controller: cancel a message move task on request',
          eventBus: props.eventBus,
          eventPattern: asCdkPattern(
            cancelEventPattern({
              accounts: props.senderAccounts,
              region: props.home.region,
              ...(props.cancelSources && props.cancelSources.length > 0 ? { sources: props.cancelSources } : {}),
            }),
          ),
          targets: [new targets.LambdaFunction(props.eventsHandler, deliveryTargetOptions)],
        }),
      );
      if (props.alarmNames && props.alarmNames.length > 0) {
        // CloudWatch publishes alarm state changes to the default bus only, where only AWS emits aws.*
        this.rules.push(
          new events.Rule(this, 'CircuitBreakerAlarms', {
            description: 'redrive-controller: cancel redrives when a mapped alarm goes to ALARM',
            eventPattern: asCdkPattern(alarmEventPattern({ alarmNames: props.alarmNames, ...props.home, withOk: props.alarmOkToo === true })),
            targets: [new targets.LambdaFunction(props.eventsHandler, deliveryTargetOptions)],
          }),
        );
      }
    }

    this.deadLetterAlarm = new cloudwatch.Alarm(this, 'DeadLettersAlarm', {
      alarmDescription: 'redrive-controller: an event or scheduled run could not be delivered to its function',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}

/** The shared patterns are EventBridge's JSON; CDK renders keys it does not rename ('detail-type') as written. */
function asCdkPattern(pattern: object): events.EventPattern {
  return pattern as unknown as events.EventPattern;
}
