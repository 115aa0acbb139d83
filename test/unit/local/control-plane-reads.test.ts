import { answerRuleRead } from '../../../local/event-bus-rules-api';
import { answerControlPlane, type LocalFunctionConfiguration } from '../../../local/lambda-control-plane';

const fn = (name: string): [string, LocalFunctionConfiguration] => [name, { functionName: name, functionArn: `arn:aws:lambda:us-east-1:123456789012:function:${name}`, role: 'arn:aws:iam::123456789012:role/r' }];
const FUNCTIONS = new Map(Array.from({ length: 120 }, (_, at) => fn(`fn-${String(at).padStart(3, '0')}`)));

describe('answerControlPlane', () => {
  it('pages ListFunctions 50 at a time, however many are asked, until no NextMarker', () => {
    // Act
    const pages: { Functions: { FunctionName: string }[]; NextMarker?: string }[] = [];
    let marker: string | undefined;
    do {
      const answer = answerControlPlane('GET', `/2015-03-31/functions/?MaxItems=1000${marker ? `&Marker=${marker}` : ''}`, FUNCTIONS)!;
      pages.push(answer.body as (typeof pages)[number]);
      marker = pages.at(-1)!.NextMarker;
    } while (marker);

    // Assess
    expect(pages.map((page) => page.Functions.length)).toEqual([50, 50, 20]);
    expect(new Set(pages.flatMap((page) => page.Functions.map((each) => each.FunctionName))).size).toBe(120);
  });

  it.each([
    ['an unknown function', '/2019-09-25/functions/nobody/event-invoke-config', 404, 'ResourceNotFoundException'],
    ['a function without an event-invoke config', '/2019-09-25/functions/fn-001/event-invoke-config', 404, 'ResourceNotFoundException'],
    ['a version other than $LATEST', '/2015-03-31/functions/fn-001/configuration?Qualifier=3', 404, 'ResourceNotFoundException'],
    ['MaxItems out of range', '/2015-03-31/functions/?MaxItems=0', 400, 'InvalidParameterValueException'],
    ['a marker that names nothing', '/2015-03-31/functions/?Marker=%25%25', 400, 'InvalidParameterValueException'],
  ])('answers %s as Lambda does', (_case, url, status, type) => {
    const answer = answerControlPlane('GET', url, FUNCTIONS)!;
    expect([answer.status, (answer.body as { __type: string }).__type]).toEqual([status, type]);
  });
});

describe('answerRuleRead', () => {
  const rule = (name: string, eventBusName = 'default') => ({ name, eventBusName, pattern: { source: ['x'] }, target: async () => undefined, targets: [{ Id: 't', Arn: 'arn:aws:sqs:us-east-1:123456789012:q' }] });
  const state = { buses: new Set(['default', 'orders']), rules: [...Array.from({ length: 7 }, (_, at) => rule(`r-${at}`)), rule('other', 'orders')], accountId: '123456789012', region: 'us-east-1' };

  it('pages ListRules of one bus by Limit and NextToken', () => {
    // Act
    const first = answerRuleRead('AWSEvents.ListRules', { Limit: 5 }, state)!.body as { Rules: { Name: string }[]; NextToken?: string };
    const second = answerRuleRead('AWSEvents.ListRules', { Limit: 5, NextToken: first.NextToken }, state)!.body as { Rules: { Name: string }[]; NextToken?: string };
    const orders = answerRuleRead('AWSEvents.ListRules', { EventBusName: 'orders' }, state)!.body as { Rules: { Name: string; Arn: string }[] };

    // Assess
    expect([first.Rules.length, second.Rules.length, second.NextToken]).toEqual([5, 2, undefined]);
    expect(orders.Rules).toEqual([expect.objectContaining({ Name: 'other', Arn: 'arn:aws:events:us-east-1:123456789012:rule/orders/other', EventBusName: 'orders' })]);
  });

  it.each([
    ['an unknown bus', 'AWSEvents.ListRules', { EventBusName: 'nope' }, 'Event bus nope does not exist.'],
    ['a rule on another bus', 'AWSEvents.ListTargetsByRule', { Rule: 'other' }, 'Rule other does not exist on EventBus default.'],
  ])('answers %s with ResourceNotFoundException', (_case, target, body, message) => {
    expect(answerRuleRead(target, body, state)).toEqual({ status: 400, body: { __type: 'ResourceNotFoundException', message } });
  });

  it('leaves other operations to the bus', () => {
    expect(answerRuleRead('AWSEvents.PutEvents', {}, state)).toBeUndefined();
  });
});
