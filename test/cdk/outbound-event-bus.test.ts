import { Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';

import { ENV } from '../../lambda/config/environment';
import { LAMBDA_ENTRIES } from '../../lib/lambda-bundling';
import { OutboundEventBus } from '../../lib/outbound-event-bus';
import type { RedriveControllerStack } from '../../lib/redrive-controller-stack';
import { synthStack } from '../support/example-stack';

const BUS = Match.stringLikeRegexp('^OutboundEventsBus');

describe('OutboundEventBus', () => {
  let stack: RedriveControllerStack;
  let template: Template;
  let roleIds: string[];
  beforeAll(() => {
    ({ stack, template } = synthStack({ entries: LAMBDA_ENTRIES }));
    roleIds = Object.values(template.findResources('AWS::Lambda::Function'))
      .filter((fn) => fn.Properties.Environment?.Variables?.[ENV.eventBusName])
      .map((fn) => fn.Properties.Role['Fn::GetAtt'][0] as string)
      .sort();
  });

  it('creates the controller\'s own bus for its events, named by eventBusName, and every function publishes there', () => {
    // Assess
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'redrive-controller-events' });
    expect(roleIds).toHaveLength(Object.keys(LAMBDA_ENTRIES).length);
    const busNames = Object.values(template.findResources('AWS::Lambda::Function')).map((fn) => fn.Properties.Environment.Variables[ENV.eventBusName]);
    expect(new Set(busNames)).toEqual(new Set(['redrive-controller-events']));
  });

  it('denies PutEvents on it to every principal but the controller functions\' roles', () => {
    // Act
    const policies = Object.values(template.findResources('AWS::Events::EventBusPolicy', { Properties: { EventBusName: { Ref: BUS } } }));

    // Assess: one statement, an explicit Deny, which identity policies of the account cannot override
    expect(policies).toHaveLength(1);
    const statement = policies[0]!.Properties.Statement;
    expect(statement).toMatchObject({ Sid: 'cdk-DenyAllButControllerFunctions', Effect: 'Deny', Principal: { AWS: '*' }, Action: 'events:PutEvents' });
    expect(statement.Resource).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^OutboundEventsBus/), 'Arn'] });
    const exempt = (statement.Condition.ArnNotEquals['aws:PrincipalArn'] as Array<{ 'Fn::GetAtt': [string, string] }>).map((arn) => {
      expect(arn['Fn::GetAtt'][1]).toBe('Arn');
      return arn['Fn::GetAtt'][0];
    });
    expect(exempt.sort()).toEqual(roleIds);
    expect(Object.keys(statement.Condition)).toEqual(['ArnNotEquals']);
  });

  it('grants the functions PutEvents on it and on no other bus', () => {
    // Act
    const putEvents = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Array<{ Action: string | string[]; Resource: unknown }>)
      .filter((statement) => [statement.Action].flat().includes('events:PutEvents'));

    // Assess: the org forwarding role puts on the org bus, the mover's replays on the buses of config replayTargets
    // (docs/replay.md); every other grant is on the outbound bus
    const onOutbound = putEvents.filter((statement) => JSON.stringify(statement.Resource).includes('OutboundEventsBus'));
    expect(onOutbound).toHaveLength(roleIds.length);
    const elsewhere = new Set(putEvents.filter((statement) => !onOutbound.includes(statement)).map((statement) => statement.Resource));
    expect(elsewhere).toEqual(new Set([stack.orgForwarding?.orgBusArn, 'arn:aws:events:eu-west-1:111122223333:event-bus/audit']));
  });

  it('carries the org forwarding rule: the org view hears only events the controller\'s functions put', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: BUS },
      EventPattern: Match.objectLike({ source: ['redrive-controller'], account: ['111122223333'] }),
      Targets: [Match.objectLike({ Arn: 'arn:aws:events:eu-west-1:444455556666:event-bus/redrive-org' })],
    });
  });

  it('fails without a publisher', () => {
    expect(() => new OutboundEventBus(new Stack(), 'Bus', { busName: 'x', publishers: [] })).toThrow(/needs at least one publisher role/);
  });
});
