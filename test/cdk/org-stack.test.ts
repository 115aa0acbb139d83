import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { App, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';

import { ORG_TABLE } from '../../lambda/adapters/dynamodb/org-table-schema';
import { ORG_ENV } from '../../lambda/config/org-environment';
import { parseOrgConfig } from '../../lib/org/org-config';
import { RedriveOrgStack } from '../../lib/org/redrive-org-stack';
import { orgTableDefinition } from '../../local/org-table-definition';
import { exampleJson, ROOT, synthStack } from '../support/example-stack';
import { functionTracing } from '../support/function-tracing';

const ORG_ID = 'o-a1b2c3d4e5';

/** IAM's answer for one PutEvents on the bus, from its resource policy alone: an explicit deny wins, else an allow is needed. */
function busAdmits(statements: Array<{ Effect: string; Condition?: Record<string, Record<string, string>> }>, principalOrgId: string | undefined): boolean {
  const applies = (statement: { Condition?: Record<string, Record<string, string>> }) =>
    Object.entries(statement.Condition ?? {}).every(([operator, test]) =>
      Object.entries(test).every(([key, value]) => {
        if (key !== 'aws:PrincipalOrgID') throw new Error(`the test knows only aws:PrincipalOrgID, not ${key}`);
        if (operator === 'StringEquals') return principalOrgId === value;
        if (operator === 'StringNotEquals') return principalOrgId !== value;
        throw new Error(`the test knows only StringEquals and StringNotEquals, not ${operator}`);
      }),
    );
  if (statements.some((statement) => statement.Effect === 'Deny' && applies(statement))) return false;
  return statements.some((statement) => statement.Effect === 'Allow' && applies(statement));
}

describe('RedriveOrgStack (config/org/example.json)', () => {
  let template: Template;
  beforeAll(() => {
    // GIVEN
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const config = parseOrgConfig(JSON.parse(readFileSync(resolve(ROOT, 'config', 'org', 'example.json'), 'utf8')), 'example');
    // WHEN
    const stack = new RedriveOrgStack(app, 'RedriveOrg-test', { config });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    // an unexplained cdk-nag finding throws here
    app.synth();
    template = Template.fromStack(stack);
  });

  it('refuses an event from outside the organization at the bus policy, and admits the organization', () => {
    // THEN
    const policies = Object.values(template.findResources('AWS::Events::EventBusPolicy')).map((policy) => policy.Properties.Statement);
    expect(policies).toHaveLength(2);
    const statements = policies.map((statement) => ({ ...statement, Effect: statement.Effect }));
    expect(busAdmits(statements, ORG_ID)).toBe(true);
    expect(busAdmits(statements, 'o-someoneelse1')).toBe(false);
    expect(busAdmits(statements, undefined)).toBe(false);
  });

  it('traces both functions: X-Ray active, and Powertools Tracer not switched off (issue 26)', () => {
    // Act
    const functions = functionTracing(template);

    // Assess: org-api and org-ingest
    expect(functions).toHaveLength(2);
    expect(functions.filter((fn) => fn.mode !== 'Active' || fn.powertoolsTrace === 'false')).toEqual([]);
  });

  it('feeds the ingest function from the bus, with retries and a dead-letter queue', () => {
    // THEN
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['redrive-controller'] },
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 }, DeadLetterConfig: Match.anyValue() })],
    });
  });

  it("parks an event the ingest function fails on in the same dead-letter queue, and alarms on it and on the functions' errors", () => {
    // THEN: EventBridge's retries cover delivery only; Lambda's own retries end in the queue, not in nothing
    const [deadLetters] = Object.keys(template.findResources('AWS::SQS::Queue'));
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [deadLetters, 'Arn'] } } },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetters, 'QueueName'] } }], Threshold: 1 });
    const errorAlarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).filter((alarm) => alarm.Properties.MetricName === 'Errors');
    expect(errorAlarms).toHaveLength(2);
  });

  it('builds the read-model table from ORG_TABLE, with the same keys and indexes as the local stack', () => {
    // THEN
    const table = Object.values(template.findResources('AWS::DynamoDB::Table'))[0]!.Properties;
    const local = orgTableDefinition('t');
    const indexes = (list: Array<{ IndexName: string; KeySchema: unknown }>) => list.map((index) => ({ name: index.IndexName, keys: index.KeySchema })).sort((a, b) => a.name.localeCompare(b.name));
    expect(indexes(table.GlobalSecondaryIndexes)).toEqual(indexes(local.GlobalSecondaryIndexes as never));
    expect(table.GlobalSecondaryIndexes).toHaveLength(Object.keys(ORG_TABLE.indexes).length);
    expect(table.AttributeDefinitions).toEqual(expect.arrayContaining([{ AttributeName: 'messagesOrder', AttributeType: 'S' }, { AttributeName: 'ageOrder', AttributeType: 'S' }]));
  });

  it('lets the org API call only the three SQS actions of each configured account API, and read the table', () => {
    // THEN
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'redrive-org-api' });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'ReadOrgView', Action: 'dynamodb:Query' }),
          Match.objectLike({
            Sid: 'CallAccountApis',
            Action: 'execute-api:Invoke',
            Resource: ['StartMessageMoveTask', 'CancelMessageMoveTask', 'ListMessageMoveTasks'].map((action) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:execute-api:eu-west-1:111122223333:abc123defg/*/POST/${action}`]] })),
          }),
        ]),
      },
    });
  });

  it('puts the org API behind IAM authorization and its own allowed principals', () => {
    // THEN
    template.hasResourceProperties('AWS::ApiGateway::Method', { AuthorizationType: 'AWS_IAM' });
    template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      Policy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowConfiguredPrincipals', Condition: { ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::444455556666:role/platform-oncall-*'] } } })]) },
    });
  });

  it("routes the API's root (GET /, the dashboard in org mode) to the org API function, signed like every other route", () => {
    // THEN: no unsigned method anywhere; the root's method reaches the function
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method')) as Array<{ Properties: { AuthorizationType: string; HttpMethod: string; ResourceId: unknown; Integration?: { Uri?: unknown } } }>;
    expect(methods.filter((method) => method.Properties.HttpMethod !== 'OPTIONS').map((method) => method.Properties.AuthorizationType)).not.toContain('NONE');
    const root = methods.filter((method) => JSON.stringify(method.Properties.ResourceId).includes('RootResourceId'));
    expect(root.map((method) => method.Properties.HttpMethod)).toEqual(['ANY']);
    expect(root[0]!.Properties).toMatchObject({ AuthorizationType: 'AWS_IAM' });
    expect(JSON.stringify(root[0]!.Properties.Integration?.Uri)).toMatch(/OrgApiFunction/);
  });

  it('keeps the read model as an account keeps its task table: retained, protected, PITR, rows expiring by TTL in step with the accounts\' records', () => {
    // THEN
    const [table] = Object.values(template.findResources('AWS::DynamoDB::Table'));
    expect(table).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    expect(table!.Properties).toMatchObject({
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: ORG_TABLE.timeToLiveAttribute, Enabled: true },
    });
    // org ingest writes the attribute, for as many days as the accounts keep their records (default 90, as theirs)
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ [ORG_ENV.retentionDays]: '90' }) } });
  });

  it('takes the org view\'s retentionDays from its config, and refuses one out of range', () => {
    // GIVEN
    const example = JSON.parse(readFileSync(resolve(ROOT, 'config', 'org', 'example.json'), 'utf8'));
    // THEN
    expect(parseOrgConfig({ ...example, retentionDays: 30 }, 'example').retentionDays).toBe(30);
    expect(() => parseOrgConfig({ ...example, retentionDays: 0 }, 'example')).toThrow(/config\/org\/example\.json: retentionDays must be an integer from 1 to 3650; got number 0/);
  });

  it('fails on an org config without organizationId, naming the key', () => {
    // GIVEN
    const { organizationId: _id, ...rest } = JSON.parse(readFileSync(resolve(ROOT, 'config', 'org', 'example.json'), 'utf8'));
    // THEN
    expect(() => parseOrgConfig(rest, 'example')).toThrow(/config\/org\/example\.json: organizationId must be an AWS Organizations id/);
  });

  describe('accounts', () => {
    const example = () => JSON.parse(readFileSync(resolve(ROOT, 'config', 'org', 'example.json'), 'utf8'));
    const withAccounts = (...accounts: unknown[]) => ({ ...example(), accounts });
    const ONE = { AccountId: '111122223333', Region: 'eu-west-1', ApiUrl: 'https://abc123defg.execute-api.eu-west-1.amazonaws.com/v1' };

    it("takes an account stack's ApiUrl output as CDK writes it, with its trailing slash", () => {
      expect(parseOrgConfig(withAccounts({ ...ONE, ApiUrl: `${ONE.ApiUrl}/` }), 'example').accounts[0]!.apiUrl).toBe(ONE.ApiUrl);
    });

    it('refuses an ApiUrl of another region than Region: the call would be signed and granted for the wrong one', () => {
      expect(() => parseOrgConfig(withAccounts({ ...ONE, Region: 'us-east-1' }), 'example')).toThrow(/accounts\[0\]\.ApiUrl is an API in eu-west-1, but Region says us-east-1/);
    });

    it('refuses one account listed twice: actions and totals go by account', () => {
      const other = { ...ONE, Region: 'us-east-1', ApiUrl: 'https://zzz999.execute-api.us-east-1.amazonaws.com/v1' };
      expect(() => parseOrgConfig(withAccounts(ONE, other), 'example')).toThrow(/accounts\[1\]\.AccountId 111122223333 is already accounts\[0\]/);
    });
  });
});

describe("the account stack's org section", () => {
  it("forwards the controller's task and inventory events to the org bus through a role that may put events there only", () => {
    // GIVEN / WHEN
    const { template } = synthStack();
    const org = exampleJson().org;

    // THEN
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['redrive-controller'], account: ['111122223333'], 'detail-type': Match.arrayWith(['Message Move Task Started', 'Dead-Letter Queue Inventory Changed', 'Redrive Recovery State Changed']) },
      // an event the org bus does not take (a wrong busArn, its policy) lands in the rules' alarmed dead-letter queue
      Targets: [Match.objectLike({ Arn: org.busArn, RoleArn: Match.anyValue(), DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RulesDeadLetters'), 'Arn'] } } })],
    });
    template.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'PutOnOrgBus', Action: 'events:PutEvents', Resource: org.busArn })]) } });
    // the account's consent: the persons it accepts from the org view
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ ORG_CALLERS: org.apiRoleArns.join(','), ORG_ALLOWED_CALLERS: org.allowedCallers.join(',') }) } });
  });
});
