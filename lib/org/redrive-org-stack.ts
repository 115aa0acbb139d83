import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

import { ORG_ENV } from '../../lambda/config/org-environment';
import { EVENT_SOURCE } from '../../lambda/domain/task-event';
import { API_STAGE, ControllerApi } from '../controller-api';
import { ControllerFunction } from '../controller-function';
import { ORG_LAMBDA_ENTRIES } from '../lambda-bundling';
import { acknowledge, EXPLAINED_FINDINGS } from '../nag-suppressions';
import { OperationsAlarms } from '../operations-alarms';
import type { OrgConfig } from './org-config';
import { OrgEventBus } from './org-event-bus';
import { ORG_FINDINGS } from './org-nag-findings';
import { OrgTable } from './org-table';

/** The org API's role name: each account's config names it (org.apiRoleArns), so it never changes. */
export const ORG_API_ROLE_NAME = 'redrive-org-api';

export interface RedriveOrgStackProps extends StackProps {
  readonly config: OrgConfig;
}

/**
 * The org view, deployed once (a tooling account): the organization's bus, the read model fed from
 * it, and the org API (IAM authorization) that answers GET /org/* and routes actions to each
 * account's own API, signed as its role. Each account stays the authority over its redrives.
 */
export class RedriveOrgStack extends Stack {
  readonly bus: OrgEventBus;
  readonly table: OrgTable;
  readonly api: ControllerApi;
  readonly apiRole: iam.Role;
  readonly functions: Readonly<Record<'org-api' | 'org-ingest', lambda.IFunction>>;

  constructor(scope: Construct, id: string, props: RedriveOrgStackProps) {
    super(scope, id, { ...props, env: { account: props.config.account, region: props.config.region } });
    const { config } = props;
    const logRetention = config.logRetentionDays as logs.RetentionDays;
    this.bus = new OrgEventBus(this, 'OrgBus', { busName: config.busName, organizationId: config.organizationId });
    this.table = new OrgTable(this, 'OrgTable');
    const environment = {
      [ORG_ENV.tableName]: this.table.table.tableName,
      [ORG_ENV.accounts]: JSON.stringify(config.accounts.map((account) => ({ AccountId: account.accountId, Region: account.region, ApiUrl: account.apiUrl }))),
      [ORG_ENV.logLevel]: 'INFO',
      [ORG_ENV.retentionDays]: String(config.retentionDays),
    };
    this.apiRole = new iam.Role(this, 'OrgApiRole', {
      roleName: ORG_API_ROLE_NAME,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: "redrive-controller org API: reads the org view, calls each account's API",
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
    });
    const make = (name: 'org-api' | 'org-ingest', role?: iam.IRole) => {
      const made = new ControllerFunction(this, name === 'org-api' ? 'OrgApiFunction' : 'OrgIngestFunction', { entryName: name, entry: ORG_LAMBDA_ENTRIES[name], environment, logRetention, ...(role ? { role } : {}) });
      acknowledge(made.function, ORG_FINDINGS.function(this, this.table.table));
      return made.function;
    };
    const apiFunction = make('org-api', this.apiRole);
    const ingestFunction = make('org-ingest');
    this.functions = { 'org-api': apiFunction, 'org-ingest': ingestFunction };
    const indexes = `${this.table.table.tableArn}/index/*`;
    apiFunction.addToRolePolicy(new iam.PolicyStatement({ sid: 'ReadOrgView', actions: ['dynamodb:Query'], resources: [this.table.table.tableArn, indexes] }));
    ingestFunction.addToRolePolicy(new iam.PolicyStatement({ sid: 'WriteOrgView', actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: [this.table.table.tableArn] }));
    // the three SQS actions on each account's API, and nothing else of it
    apiFunction.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'CallAccountApis',
        actions: ['execute-api:Invoke'],
        resources: config.accounts.flatMap((account) => ['StartMessageMoveTask', 'CancelMessageMoveTask', 'ListMessageMoveTasks'].map((action) => `arn:${this.partition}:execute-api:${account.region}:${account.accountId}:${apiIdOf(account.apiUrl)}/*/POST/${action}`)),
      }),
    );
    // the org API's role is its own construct: its findings are acknowledged on it
    acknowledge(this.apiRole, ORG_FINDINGS.function(this, this.table.table));
    acknowledge(this.apiRole, ORG_FINDINGS.accountApis(config.accounts.map((account) => `arn:<AWS::Partition>:execute-api:${account.region}:${account.accountId}:${apiIdOf(account.apiUrl)}/*`)));

    const deadLetters = new sqs.Queue(this, 'IngestDeadLetters', { encryption: sqs.QueueEncryption.SQS_MANAGED, enforceSSL: true, retentionPeriod: Duration.days(14), removalPolicy: RemovalPolicy.DESTROY });
    acknowledge(deadLetters, EXPLAINED_FINDINGS.deadLetterQueue);
    new events.Rule(this, 'IngestRule', {
      eventBus: this.bus.bus,
      description: "redrive-controller org view: every account's controller events into the read model",
      eventPattern: { source: [EVENT_SOURCE] },
      // a retry is harmless: the read model applies an event only when it is newer
      targets: [new targets.LambdaFunction(ingestFunction, { retryAttempts: 8, maxEventAge: Duration.hours(24), deadLetterQueue: deadLetters })],
    });
    // EventBridge invokes asynchronously: its retries cover delivery only. An event the function
    // throws on (the table throttled or down) is retried by Lambda, then parked beside the undelivered
    // ones; redriving that queue into the function later is safe for the same reason.
    ingestFunction.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(6), onFailure: new destinations.SqsDestination(deadLetters) });
    const deadLetterAlarm = new cloudwatch.Alarm(this, 'IngestDeadLettersAlarm', {
      alarmDescription: 'redrive-controller org view: an account event could not be applied; the org view may be behind for it',
      metric: deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    new OperationsAlarms(this, 'Alarms', { functions: this.functions, otherAlarms: [deadLetterAlarm] });

    this.api = new ControllerApi(this, 'OrgApi', {
      handler: apiFunction,
      settings: { ...config.api, messageReaders: [], requireReason: false },
      logRetention,
    });
    (apiFunction as lambda.Function).addEnvironment(ORG_ENV.apiGatewayId, this.api.api.restApiId);
    (apiFunction as lambda.Function).addEnvironment(ORG_ENV.apiGatewayStage, API_STAGE);

    new CfnOutput(this, 'OrgApiUrl', { value: this.api.api.url, description: 'the org API; sign requests with SigV4 for execute-api' });
    new CfnOutput(this, 'OrgBusArn', { value: this.bus.bus.eventBusArn, description: "each account's config org.busArn" });
    new CfnOutput(this, 'OrgApiRoleArn', { value: this.apiRole.roleArn, description: "each account's config org.apiRoleArns" });
  }
}

function apiIdOf(apiUrl: string): string {
  return new URL(apiUrl).hostname.split('.')[0]!;
}
