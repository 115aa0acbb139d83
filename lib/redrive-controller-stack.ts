import { type CfnElement, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';

import { ENV, formatCircuitBreakerAlarms, formatRecoveryPolicies, joinQueuePatterns, withRecoveryAlarms } from '../lambda/config/environment';
import { ArchiveBucket } from './archive-bucket';
import { CancelEventBus } from './cancel-event-bus';
import { circuitBreakerAlarms, type ControllerConfig } from './config/controller-config';
import { API_STAGE, ControllerApi } from './controller-api';
import { ControllerFunction } from './controller-function';
import { dlqDiscoveryFindings, dlqDiscoveryStatements } from './dlq-discovery-access';
import { LAMBDA_ENTRIES } from './lambda-bundling';
import { acknowledge, EXPLAINED_FINDINGS } from './nag-suppressions';
import { OperationsAlarms } from './operations-alarms';
import { OperationsDashboard } from './operations-dashboard';
import { OrgForwarding } from './org-forwarding';
import { OutboundEventBus } from './outbound-event-bus';
import { type MoveTaskAction, peekStatement, queueAccessStatements, queueAttributesStatement, recoveryStatements, sentTimestampSampleStatement } from './queue-access';
import { RedriveRules } from './redrive-rules';
import { wireSelectiveMover } from './selective-mover';
import { TaskTable } from './task-table';

/** The DynamoDB actions the stores' code calls (lambda/adapters/dynamodb/). */
export type TableAction = 'dynamodb:GetItem' | 'dynamodb:PutItem' | 'dynamodb:Query' | 'dynamodb:BatchGetItem' | 'dynamodb:DeleteItem' | 'dynamodb:UpdateItem';

export interface EntryAccess {
  readonly moveTasks: readonly MoveTaskAction[];
  readonly listQueues?: boolean;
  /** exactly the DynamoDB actions its code calls, on the task table and its indexes */
  readonly table: readonly TableAction[];
  /** POST /dlqs/{queueName}/peek: receive and hand back messages of managed DLQs */
  readonly peek?: boolean;
  /** GetQueueAttributes on every queue of the account, and CloudWatch GetMetricData */
  readonly inventory?: boolean;
  /** publishes the controller's events on its outbound bus (lib/outbound-event-bus.ts) @default true */
  readonly putEvents?: boolean;
  /** its queue rights come from elsewhere (the selective mover: lib/mover-access.ts) */
  readonly queueAccessOwn?: boolean;
  /** with recovery policies: starts (and ramps) recovery's redrives of the policies' DLQs (lib/queue-access.ts) */
  readonly recoveryStarts?: boolean;
  /** the archive bucket (lib/archive-bucket.ts): writes its objects, reads and lists them */
  readonly archive?: readonly ('write' | 'read')[];
}

// the task store reads a record (GetItem), writes one with a condition (PutItem) and queries an
// index: active tasks of a queue (api, events), the active and stale-outbox indexes (reconciler)
const TASK_STORE: readonly TableAction[] = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'];
// GET /dlqs reads the inventory's pointer (GetItem) and its chunks (BatchGetItem); GET /dlqs/{queueName}/history its hour items (BatchGetItem)
const INVENTORY_READ: readonly TableAction[] = ['dynamodb:GetItem', 'dynamodb:BatchGetItem'];
// the inventory job reads the previous run (its pointer with GetItem, its chunks with BatchGetItem),
// writes chunks and moves the pointer (PutItem), then deletes the old chunks; it reads the active and
// newest tasks (Query) for what they moved out, and appends each DLQ's history point (UpdateItem)
const INVENTORY_WRITE: readonly TableAction[] = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:UpdateItem'];

/**
 * What each entry may do: the one place that says which function gets which rights (a new job adds
 * its line here; docs/permissions.md is checked against the result). An entry without a line fails synth.
 */
export const ENTRY_ACCESS: Readonly<Record<string, EntryAccess>> = {
  // GET /queues lists the managed queues for the dashboard and the CLI; GET /dlqs reads the inventory
  // GET /archives/{taskId}/messages reads the archive
  api: { moveTasks: ['start', 'cancel', 'list'], listQueues: true, peek: true, table: [...new Set([...TASK_STORE, ...INVENTORY_READ])], archive: ['read'] },
  // finds managed DLQs with tasks the table does not know (adoption)
  // its tick drives recovery's timed steps: with recovery policies it may start redrives of their DLQs
  reconciler: { moveTasks: ['cancel', 'list'], listQueues: true, table: TASK_STORE, recoveryStarts: true },
  events: { moveTasks: ['cancel', 'list'], table: TASK_STORE },
  // GET /dlqs's inventory: lists queues, reads attributes and metrics; touches no message; sends its change events
  inventory: { moveTasks: [], listQueues: true, inventory: true, table: INVENTORY_WRITE },
  // the selective mover's queue rights are in lib/mover-access.ts (wireSelectiveMover); it deletes held batches
  // an archive task's mover writes one object per batch; a replay from the archive reads them
  mover: { moveTasks: [], queueAccessOwn: true, table: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'], archive: ['write', 'read'] },
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
  readonly cancelBus: CancelEventBus;
  /** the bus the controller publishes its events on; only its functions may put events there */
  readonly outboundBus: OutboundEventBus;
  readonly alarms: OperationsAlarms;
  /** the `org` config section's forwarding rule; @default - none */
  readonly orgForwarding?: OrgForwarding;
  /** the archive of dead letters and its Athena table (API.md section 12) */
  readonly archive: ArchiveBucket;

  constructor(scope: Construct, id: string, props: RedriveControllerStackProps) {
    super(scope, id, { ...props, env: { account: props.config.account, region: props.config.region } });
    const { config } = props;
    const entries = props.entries ?? (LAMBDA_ENTRIES as Readonly<Record<string, string>>);
    const logRetention = config.logRetentionDays as logs.RetentionDays;

    this.table = new TaskTable(this, 'TaskTable', {
      ...(config.tableKmsKeyArn ? { encryptionKey: kms.Key.fromKeyArn(this, 'TableKey', config.tableKmsKeyArn) } : {}),
    });
    const archiveKeyArn = config.archiveKmsKeyArn ?? config.tableKmsKeyArn;
    this.archive = new ArchiveBucket(this, 'Archive', {
      retentionDays: config.archiveRetentionDays,
      ...(archiveKeyArn ? { encryptionKey: kms.Key.fromKeyArn(this, 'ArchiveKey', archiveKeyArn) } : {}),
    });
    const alarmMap = withRecoveryAlarms(circuitBreakerAlarms(config.circuitBreakers), config.recoveryPolicies);
    const environment = {
      [ENV.tableName]: this.table.table.tableName,
      [ENV.accountId]: config.account,
      [ENV.managedQueues]: joinQueuePatterns(config.managedQueues),
      [ENV.allowedDestinations]: joinQueuePatterns(config.allowedDestinations),
      ...(config.replayTargets.length > 0 ? { [ENV.replayTargets]: config.replayTargets.join(',') } : {}),
      [ENV.logLevel]: config.logLevel,
      [ENV.eventBusName]: config.eventBusName,
      [ENV.retentionDays]: String(config.retentionDays),
      [ENV.requireReason]: String(config.api.requireReason),
      // one alarm map: the circuit breakers' alarms and the recovery policies'
      [ENV.circuitBreakerAlarms]: formatCircuitBreakerAlarms(alarmMap),
      ...(config.recoveryPolicies.length > 0 ? { [ENV.recoveryPolicies]: formatRecoveryPolicies(config.recoveryPolicies) } : {}),
    };

    const queuePrefixes = [...config.managedQueues, ...config.sourceQueues, ...config.allowedDestinations].filter((arn) => arn.endsWith('*'));
    const functions: Record<string, lambda.IFunction> = {};
    const logGroups: Record<string, logs.ILogGroup> = {};
    const publishers: iam.IRole[] = [];
    for (const [name, entry] of Object.entries(entries)) {
      const access = ENTRY_ACCESS[name];
      if (!access) throw new Error(`no ENTRY_ACCESS for Lambda entry "${name}"; say what it may do in lib/redrive-controller-stack.ts`);
      const controllerFunction = new ControllerFunction(this, `${pascal(name)}Function`, {
        entryName: name,
        entry,
        environment: name === 'events' ? { ...environment, [ENV.eventSenderAccounts]: config.events.senderAccounts.join(',') } : environment,
        logRetention,
        // a flood of events throttles (and is retried by EventBridge) instead of fanning out into SQS calls
        ...(name === 'events' ? { reservedConcurrentExecutions: config.events.reservedConcurrency } : {}),
        // the mover's throughput is its CPU, and Lambda's CPU is its memory (docs/performance.md)
        ...(name === 'mover' ? { memorySize: config.mover.memorySize } : {}),
      });
      const fn = controllerFunction.function;
      logGroups[name] = controllerFunction.logGroup;
      acknowledge(fn, EXPLAINED_FINDINGS.function(this, this.table.table.node.defaultChild as CfnElement, queuePrefixes));
      if (!access.queueAccessOwn) for (const statement of queueAccessStatements(config, access.moveTasks)) fn.addToRolePolicy(statement);
      if (access.recoveryStarts) for (const statement of recoveryStatements(config)) fn.addToRolePolicy(statement);
      if (access.listQueues) {
        // ListQueues has no resource type: IAM accepts only "*" for it
        fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'FindQueues', actions: ['sqs:ListQueues'], resources: ['*'] }));
        acknowledge(fn, EXPLAINED_FINDINGS.listQueues);
      }
      fn.addToRolePolicy(
        new iam.PolicyStatement({
          sid: 'TaskTable',
          actions: [...access.table],
          resources: [this.table.table.tableArn, `${this.table.table.tableArn}/index/*`],
        }),
      );
      if (this.table.table.encryptionKey) this.table.table.encryptionKey.grantEncryptDecrypt(fn);
      if (access.peek) fn.addToRolePolicy(peekStatement(config));
      if (access.inventory) {
        fn.addToRolePolicy(queueAttributesStatement(config));
        fn.addToRolePolicy(sentTimestampSampleStatement(config));
        // GetMetricData has no resource type either
        fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'ReadQueueMetrics', actions: ['cloudwatch:GetMetricData'], resources: ['*'] }));
        acknowledge(fn, EXPLAINED_FINDINGS.inventory(config));
        // the functions' and rule targets' DLQs (API.md section 11): list and read calls only
        for (const statement of dlqDiscoveryStatements(config)) fn.addToRolePolicy(statement);
        acknowledge(fn, dlqDiscoveryFindings(config));
      }
      if (access.archive?.length) {
        (fn as lambda.Function).addEnvironment(ENV.archiveBucketName, this.archive.bucket.bucketName);
        if (access.archive.includes('write')) this.archive.grantWrite(fn);
        if (access.archive.includes('read')) this.archive.grantRead(fn);
      }
      if (name === 'reconciler' && config.archiveBeforeExpiry !== undefined) {
        // archiveBeforeExpiry (API.md section 12): its tick reads the DLQ inventory and starts archive+delete tasks,
        // checking each DLQ as any archive start does; the mover writes the archive
        (fn as lambda.Function).addEnvironment(ENV.archiveBeforeExpirySeconds, String(config.archiveBeforeExpiry));
        (fn as lambda.Function).addEnvironment(ENV.archiveBucketName, this.archive.bucket.bucketName);
        fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'ReadDlqInventory', actions: ['dynamodb:BatchGetItem'], resources: [this.table.table.tableArn] }));
        fn.addToRolePolicy(new iam.PolicyStatement({ sid: 'CheckExpiringDlqs', actions: ['sqs:GetQueueUrl', 'sqs:ListDeadLetterSourceQueues', 'sqs:GetQueueAttributes'], resources: [...config.managedQueues] }));
      }
      if (access.putEvents !== false) publishers.push((fn as lambda.Function).role!);
      functions[name] = fn;
      new CfnOutput(this, `${pascal(name)}FunctionName`, { value: fn.functionName, description: `the ${name} function` });
    }
    this.functions = functions;
    wireSelectiveMover(config, functions);
    // the controller's events on a bus of its own, which only its functions may put events on
    this.outboundBus = new OutboundEventBus(this, 'OutboundEvents', { busName: config.eventBusName, publishers });

    this.cancelBus = new CancelEventBus(this, 'CancelEvents', {
      busName: config.events.busName,
      allowedSenders: config.events.allowedSenders,
      ...(config.events.organizationId ? { organizationId: config.events.organizationId } : {}),
    });
    if (functions.api) {
      // the org view's role calls this API on behalf of people (docs/organization.md): admitted like a configured principal
      const apiSettings = config.org ? { ...config.api, allowedPrincipals: [...config.api.allowedPrincipals, ...config.org.apiRoleArns] } : config.api;
      this.api = new ControllerApi(this, 'Api', { handler: functions.api, settings: apiSettings, logRetention });
      // the function refuses events not from this API's stage (defence in depth: direct invokes)
      const apiFunction = functions.api as lambda.Function;
      apiFunction.addEnvironment(ENV.apiGatewayId, this.api.api.restApiId);
      apiFunction.addEnvironment(ENV.apiGatewayStage, API_STAGE);
      // the function checks the readers itself too: a path or a DryRun the resource policy cannot tell
      apiFunction.addEnvironment(ENV.messageReaders, config.api.messageReaders.join(','));
      if (config.org) {
        apiFunction.addEnvironment(ENV.orgCallers, config.org.apiRoleArns.join(','));
        // the persons this account accepts from the org view (default: its own allowedPrincipals)
        apiFunction.addEnvironment(ENV.orgAllowedCallers, config.org.allowedCallers.join(','));
      }
      new CfnOutput(this, 'ApiUrl', { value: this.api.api.url, description: 'the API; sign requests with SigV4 for execute-api' });
    }
    this.rules = new RedriveRules(this, 'Rules', {
      eventBus: this.cancelBus.bus,
      senderAccounts: config.events.senderAccounts,
      home: { account: config.account, region: config.region, partition: config.partition },
      ...(functions.reconciler ? { reconciler: functions.reconciler } : {}),
      ...(functions.inventory ? { inventory: functions.inventory } : {}),
      ...(functions.events ? { eventsHandler: functions.events } : {}),
      cancelSources: config.eventSources,
      alarmNames: Object.keys(alarmMap),
      alarmOkToo: config.recoveryPolicies.length > 0,
    });
    this.alarms = new OperationsAlarms(this, 'Alarms', {
      functions,
      ...(functions.reconciler ? { reconciler: functions.reconciler, reconcilerLogGroup: logGroups.reconciler } : {}),
      otherAlarms: [this.rules.deadLetterAlarm],
      ...(config.alarmTopicArn ? { topic: sns.Topic.fromTopicArn(this, 'AlarmTopic', config.alarmTopicArn) } : {}),
    });
    // metrics, history and the alarm on new dead letters (docs/metrics.md)
    new OperationsDashboard(this, 'Operations', {
      functions,
      ...(config.alarmTopicArn ? { topic: sns.Topic.fromTopicArn(this, 'NewDeadLettersTopic', config.alarmTopicArn) } : {}),
    });
    if (config.org) this.orgForwarding = new OrgForwarding(this, 'OrgForwarding', { sourceBus: this.outboundBus.bus, orgBusArn: config.org.busArn, account: config.account, deadLetterQueue: this.rules.deadLetterQueue });
    new CfnOutput(this, 'ArchiveBucketName', { value: this.archive.bucket.bucketName, description: 'the archive of dead letters (docs/archive.md)' });
    new CfnOutput(this, 'TaskTableName', { value: this.table.table.tableName, description: 'the task table (retained when the stack is deleted)' });
  }
}

function pascal(name: string): string {
  return name.replace(/(^|[-_])(\w)/g, (_, __, letter: string) => letter.toUpperCase());
}
