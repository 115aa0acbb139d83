import { Match, type Template } from 'aws-cdk-lib/assertions';

import { ENV } from '../../lambda/config/environment';
import { exampleConfig, synthStack } from '../support/example-stack';

const ALL_ENTRIES = { api: 'lambda/entry/api.ts', reconciler: 'lambda/entry/api.ts', events: 'lambda/entry/api.ts' };
const ON_CANCEL_BUS = { Properties: { EventBusName: { Ref: Match.stringLikeRegexp('^CancelEventsBus') } } };
const SENDERS = ['arn:aws:iam::111122223333:role/deploy-pipeline', 'arn:aws:iam::444455556666:role/incident-runbook'];

describe('CancelEventBus', () => {
  let template: Template;
  beforeAll(() => {
    ({ template } = synthStack({ entries: ALL_ENTRIES }));
  });

  it('creates the controller its own bus, named as the contract says', () => {
    // and its outbound bus for the events it publishes (test/cdk/outbound-event-bus.test.ts)
    template.resourceCountIs('AWS::Events::EventBus', 2);
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'redrive-controller' });
  });

  it('admits PutEvents only from the configured senders and denies everyone else explicitly', () => {
    // Act
    const statements = Object.values(template.findResources('AWS::Events::EventBusPolicy', ON_CANCEL_BUS)).map((policy) => policy.Properties.Statement);

    // Assess
    const busArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^CancelEventsBus'), 'Arn'] };
    expect(statements).toHaveLength(2);
    template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      EventBusName: { Ref: Match.stringLikeRegexp('^CancelEventsBus') },
      Statement: { Sid: 'cdk-AllowConfiguredSenders', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'events:PutEvents', Resource: busArn, Condition: { ArnLike: { 'aws:PrincipalArn': SENDERS } } },
    });
    template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: { Sid: 'cdk-DenyEveryoneElse', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'events:PutEvents', Resource: busArn, Condition: { ArnNotLike: { 'aws:PrincipalArn': SENDERS } } },
    });
  });

  it('denies every sender when none is listed, and admits an organization when one is', () => {
    // Act
    const { template: nobody } = synthStack({ config: exampleConfig({ events: undefined }), entries: ALL_ENTRIES });
    const { template: organization } = synthStack({
      config: exampleConfig({ events: { allowedSenders: [], organizationId: 'o-a1b2c3d4e5', senderAccounts: ['777788889999'] } }),
      entries: ALL_ENTRIES,
    });

    // Assess
    const nobodyStatements = Object.values(nobody.findResources('AWS::Events::EventBusPolicy', ON_CANCEL_BUS)).map((policy) => policy.Properties.Statement);
    expect(nobodyStatements).toEqual([expect.objectContaining({ Sid: 'cdk-DenyEveryoneElse', Effect: 'Deny' })]);
    expect(nobodyStatements[0].Condition).toBeUndefined();
    organization.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: { Sid: 'cdk-DenyEveryoneElse', Effect: 'Deny', Condition: { StringNotEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } } },
    });
    organization.hasResourceProperties('AWS::Events::Rule', { EventPattern: Match.objectLike({ account: ['111122223333', '777788889999'] }) });
  });

  it('matches account and region in every event pattern: cancel rules on the own bus, alarms on the default bus by ARN', () => {
    // Act
    const patterns = Object.values(template.findResources('AWS::Events::Rule'))
      .map((rule) => rule.Properties)
      // the org forwarding rule sends the controller's own events out; it acts on nothing (test/cdk/org-stack.test.ts)
      .filter((rule) => rule.EventPattern && !rule.EventPattern.source?.includes('redrive-controller'));

    // Assess
    expect(patterns).toHaveLength(2);
    for (const rule of patterns) {
      expect(rule.EventPattern.account).toEqual(expect.arrayContaining(['111122223333']));
      expect(rule.EventPattern.region).toEqual(['eu-west-1']);
    }
    const cancel = patterns.find((rule) => rule.EventPattern['detail-type'][0] === 'Cancel Message Move Task');
    expect(cancel.EventBusName).toEqual({ Ref: expect.stringMatching(/^CancelEventsBus/) });
    expect(cancel.EventPattern.account).toEqual(['111122223333', '444455556666']);
    const alarm = patterns.find((rule) => rule.EventPattern.source?.[0] === 'aws.cloudwatch');
    expect(alarm.EventBusName).toBeUndefined();
    expect(alarm.EventPattern.account).toEqual(['111122223333']);
    expect(alarm.EventPattern.resources).toEqual(['arn:aws:cloudwatch:eu-west-1:111122223333:alarm:orders-consumer-errors']);
  });

  it("gives the events function a small reserved concurrency and the senders' accounts", () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^redrive-controller events'),
      ReservedConcurrentExecutions: 2,
      Environment: { Variables: Match.objectLike({ [ENV.eventSenderAccounts]: '111122223333,444455556666' }) },
    });
    const { template: five } = synthStack({ config: exampleConfig({ events: { allowedSenders: [], reservedConcurrency: 5 } }), entries: ALL_ENTRIES });
    five.hasResourceProperties('AWS::Lambda::Function', { Description: Match.stringLikeRegexp('^redrive-controller events'), ReservedConcurrentExecutions: 5 });
  });

  it('tells the api function the REST API and stage it serves', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^redrive-controller API'),
      Environment: { Variables: Match.objectLike({ [ENV.apiGatewayId]: { Ref: Match.stringLikeRegexp('^Api') }, [ENV.apiGatewayStage]: 'v1' }) },
    });
  });
});
