import { type CfnElement, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

import { ENV, formatCircuitBreakerAlarms, joinQueuePatterns } from '../lambda/config/environment';
import type { ControllerConfig } from './config/controller-config';
import { ControllerApi } from './controller-api';
import { ControllerFunction } from './controller-function';
import { LAMBDA_ENTRIES } from './lambda-bundling';
import { acknowledge, EXPLAINED_FINDINGS } from './nag-suppressions';
import { OperationsAlarms } from './operations-alarms';
import { type MoveTaskAction, queueAccessStatements } from './queue-access';
import { RedriveRules } from './redrive-rules';
import { wireSelectiveMover } from './selective-mover';
import { TaskTable } from './task-table';

/** What each entry may do beyond its table and bus; an entry without a line here fails synth. */
export const ENTRY_ACCESS: Readonly<Record<string, { readonly moveTasks: readonly MoveTaskAction[]; readonly listQueues?: boolean; readonly queueAccessOwn?: boolean }>> = {
  // GET /queues lists the managed queues for the dashboard and the CLI
  api: { moveTasks: ['start', 'cancel', 'list'], listQueues: true },
  // finds managed DLQs with tasks the table does not know (adoption)
  reconciler: { moveTasks: ['cancel', 'list'], listQueues: true },
  events: { moveTasks: ['cancel', 'list'] },
  // the selective mover's own rights are in lib/mover-access.ts (wireSelectiveMover)
  mover: { moveTasks: [], queueAccessOwn: true },
};

export interface RedriveControllerStackProps extends StackProps {
  readonly config: ControllerConfig;
  /** Lambda entries to deploy, by name. @default LAMBDA_ENTRIES */
  readonly entries?: Readonly<Record<string, string>>;
}

/**
 * One account's controller: the task table, a function per Lambda entry, the IAM-authorized API in
 * front of `api`, the rules that drive `reconciler` and `events`, and the alarms. Grants are made
 * here, where both sides meet.
 */
export class RedriveControllerStack extends Stack {
  readonly table: TaskTable;
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  readonly api?: ControllerApi;
  readonly rules: RedriveRules;
  readonly alarms: OperationsAlarms;

  constructor(scope: Construct, id: string, props: RedriveControllerStackProps) {
    super(scope, id, { ...props, env: { account: props.config.account, region: props.config.region } });
    const { config } = props;
    const entries = props.entries ?? (LAMBDA_ENTRIES as Readonly<Record<string, string>>);
    const logRetention = config.logRetentionDays as logs.RetentionDays;

    this.table = new TaskTable(this, 'TaskTable', {
      ...(config.tableKmsKeyArn ? { encryptionKey: kms.Key.fromKeyArn(this, 'TableKey', config.tableKmsKeyArn) } : {}),
    });
    const eventBus = events.EventBus.fromEventBusName(this, 'EventBus', config.eventBusName);
    const environment = {
      [ENV.tableName]: this.table.table.tableName,
      [ENV.accountId]: config.account,
      [ENV.managedQueues]: joinQueuePatterns(config.managedQueues),
      [ENV.allowedDestinations]: joinQueuePatterns(config.allowedDestinations),
      [ENV.logLevel]: config.logLevel,
      [ENV.eventBusName]: config.eventBusName,
      [ENV.retentionDays]: String(config.retentionDays),
      [ENV.circuitBreakerAlarms]: formatCircuitBreakerAlarms(Object.fromEntries(config.circuitBreakers.map((breaker) => [breaker.alarmName, breaker.queue]))),
    };

    const queuePrefixes = [...config.managedQueues, ...config.sourceQueues, ...config.allowedDestinations].filter((arn) => arn.endsWith('*'));
    const functions: Record<string, lambda.IFunction> = {};
    const logGroups: Record<string, logs.ILogGroup> = {};
    for (const [name, entry] of Object.entries(entries)) {
      const access = ENTRY_ACCESS[name];
      if (!access) throw new Error(`no ENTRY_ACCESS for Lambda entry "${name}"; say what it may do in lib/redrive-controller-stack.ts`);
      const controllerFunction = new ControllerFunction(this, `${pascal(name)}Function`, { entryName: name, entry, environment, logRetention });
      const fn = controllerFunction.function;
      logGroups[name] = controllerFunction.logGroup;
      acknowledge(fn, EXPLAINED_FINDINGS.function(this, this.table.table.node.defaultChild as CfnElement, queuePrefixes));
      if (!access.queueAccessOwn) for (const statement of queueAccessStatements(config, access.moveTasks)) fn.addToRolePolicy(statement);
      if (access.listQueues) {
        // ListQueues has no resource type: IAM accepts only "*" for it
        fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'FindQueues', actions: ['sqs:ListQueues'], resources: ['*'] }));
        acknowledge(fn, EXPLAINED_FINDINGS.listQueues);
      }
      this.table.table.grantReadWriteData(fn);
      eventBus.grantPutEventsTo(fn);
      functions[name] = fn;
      new CfnOutput(this, `${pascal(name)}FunctionName`, { value: fn.functionName, description: `the ${name} function` });
    }
    this.functions = functions;
    wireSelectiveMover(config, functions);

    if (functions.api) {
      this.api = new ControllerApi(this, 'Api', { handler: functions.api, settings: config.api, logRetention });
      new CfnOutput(this, 'ApiUrl', { value: this.api.api.url, description: 'the API; sign requests with SigV4 for execute-api' });
    }
    this.rules = new RedriveRules(this, 'Rules', {
      eventBus,
      ...(functions.reconciler ? { reconciler: functions.reconciler } : {}),
      ...(functions.events ? { eventsHandler: functions.events } : {}),
      cancelSources: config.eventSources,
      alarmNames: config.circuitBreakers.map((breaker) => breaker.alarmName),
    });
    this.alarms = new OperationsAlarms(this, 'Alarms', {
      functions,
      ...(functions.reconciler ? { reconciler: functions.reconciler, reconcilerLogGroup: logGroups.reconciler } : {}),
      otherAlarms: [this.rules.deadLetterAlarm],
      ...(config.alarmTopicArn ? { topic: sns.Topic.fromTopicArn(this, 'AlarmTopic', config.alarmTopicArn) } : {}),
    });
    new CfnOutput(this, 'TaskTableName', { value: this.table.table.tableName, description: 'the task table (retained when the stack is deleted)' });
  }
}

function pascal(name: string): string {
  return name.replace(/(^|[-_])(\w)/g, (_, __, letter: string) => letter.toUpperCase());
}
