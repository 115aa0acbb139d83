import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { DlqMessage, MessageAttribute } from '../../../../lambda/domain/dlq-message';
import { eventEntryOf } from '../../../../lambda/domain/replay/event-entry';
import { type ReplayContext, replayRoute } from '../../../../lambda/domain/replay/replay-route';
import { parseTargetArn } from '../../../../lambda/domain/replay/target-arn';

const fixture = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(__dirname, '../../../fixtures/replay', name), 'utf8'));

function message(body: string, messageAttributes: Record<string, MessageAttribute> = {}): DlqMessage {
  return { messageId: 'm-1', receiptHandle: 'h-1', body, messageAttributes, sentTimestamp: 1 };
}
function fromFixture(name: string, attributes: Record<string, MessageAttribute> = {}): DlqMessage {
  const { body, messageAttributes } = fixture(name) as { body: string; messageAttributes: Record<string, MessageAttribute> };
  return message(body, { ...messageAttributes, ...attributes });
}
const string = (value: string): MessageAttribute => ({ DataType: 'String', StringValue: value });

const NONE: ReplayContext = { owningFunctions: [] };
const ORDERS = 'arn:aws:lambda:us-west-1:111122223333:function:orders';

describe('replayRoute', () => {
  describe('a Lambda on-failure record (AWS\'s example)', () => {
    const { $comment: _comment, ...record } = fixture('lambda-on-failure-record.json');

    it('invokes the function the record names, with its version, with requestPayload', () => {
      // Act
      const route = replayRoute(message(JSON.stringify(record)), NONE);
      // Assess
      expect(route).toEqual({
        kind: 'function',
        targetArn: 'arn:aws:lambda:us-east-2:123456789012:function:my-function:$LATEST',
        payload: JSON.stringify(record.requestPayload),
        format: 'lambda-on-failure',
      });
    });

    it('sends the payload, not the record, to a DestinationArn', () => {
      const route = replayRoute(message(JSON.stringify(record)), { ...NONE, destinationArn: 'arn:aws:sqs:us-east-2:123456789012:orders' });
      expect(route).toMatchObject({ kind: 'queue', targetArn: 'arn:aws:sqs:us-east-2:123456789012:orders', payload: JSON.stringify(record.requestPayload) });
    });

    it('keeps a record of a stream source (no requestPayload) as unroutable', () => {
      const { requestPayload: _payload, ...streamRecord } = record;
      expect(replayRoute(message(JSON.stringify(streamRecord)), NONE)).toMatchObject({ kind: 'unroutable', reason: expect.stringMatching(/without requestPayload/) });
    });

    it('keeps a record of a successful invocation as unroutable', () => {
      const success = { ...record, requestContext: { ...(record.requestContext as object), condition: 'Success' } };
      expect(replayRoute(message(JSON.stringify(success)), NONE)).toMatchObject({ kind: 'unroutable', reason: expect.stringMatching(/successful/) });
    });
  });

  describe('a Lambda dead-letter message', () => {
    const dead = fromFixture('lambda-dead-letter-message.json');

    it('invokes the one function whose dead-letter queue this is, with the body as its event', () => {
      expect(replayRoute(dead, { owningFunctions: [ORDERS] })).toEqual({ kind: 'function', targetArn: ORDERS, payload: dead.body, format: 'lambda-dlq' });
    });

    it('is unroutable when several functions share the queue, unless DestinationArn names one', () => {
      const shared = { owningFunctions: [ORDERS, `${ORDERS}-v2`] };
      expect(replayRoute(dead, shared)).toMatchObject({ kind: 'unroutable', reason: expect.stringMatching(/2 functions share this queue.*DestinationArn/) });
      expect(replayRoute(dead, { ...shared, destinationArn: ORDERS })).toMatchObject({ kind: 'function', targetArn: ORDERS });
    });

    it('is unroutable when no function is known to own the queue', () => {
      expect(replayRoute(dead, NONE)).toMatchObject({ kind: 'unroutable', format: 'lambda-dlq' });
    });
  });

  describe('an EventBridge dead-letter message', () => {
    const dead = fromFixture('eventbridge-dead-letter-message.json');
    const withTarget = (targetArn: string) => fromFixture('eventbridge-dead-letter-message.json', { TARGET_ARN: string(targetArn) });

    it.each([
      ['a queue', 'arn:aws:sqs:us-west-1:111122223333:instance-changes', 'queue'],
      ['a function', 'arn:aws:lambda:us-west-1:111122223333:function:on-change', 'function'],
      ['a topic', 'arn:aws:sns:us-west-1:111122223333:changes', 'topic'],
      ['another bus', 'arn:aws:events:us-west-1:111122223333:event-bus/audit', 'bus'],
    ])('goes to its TARGET_ARN alone when that is %s, with the event as it is', (_name, targetArn, kind) => {
      expect(replayRoute(withTarget(targetArn), NONE)).toEqual({ kind, targetArn, payload: dead.body, format: 'eventbridge-dlq' });
    });

    it('is never put on the rule\'s own bus again', () => {
      const route = replayRoute(withTarget('arn:aws:events:us-west-1:111122223333:event-bus/orders'), NONE);
      expect(route).toMatchObject({ kind: 'unroutable', reason: expect.stringMatching(/bus of the rule itself/) });
    });

    it('keeps a FIFO queue target as unroutable when no rule target names its MessageGroupId: the message does not carry one', () => {
      expect(replayRoute(withTarget('arn:aws:sqs:us-west-1:111122223333:changes.fifo'), NONE)).toMatchObject({ kind: 'unroutable', reason: expect.stringMatching(/FIFO queue.*SqsParameters\.MessageGroupId/) });
    });

    it('sends to a FIFO queue target with the group its rule target names (SqsParameters.MessageGroupId)', () => {
      // Prepare
      const targetArn = 'arn:aws:sqs:us-west-1:111122223333:changes.fifo';
      const ruleArn = dead.messageAttributes.RULE_ARN!.StringValue!;
      const ruleTargets = [{ ruleArn, targetArn, messageGroupId: 'instances' }];
      // Act
      const route = replayRoute(withTarget(targetArn), { ...NONE, ruleTargets });
      const otherRule = replayRoute(withTarget(targetArn), { ...NONE, ruleTargets: [{ ...ruleTargets[0]!, ruleArn: `${ruleArn}-other` }] });
      // Assess: the group of that rule's target only
      expect(route).toEqual({ kind: 'queue', targetArn, payload: dead.body, format: 'eventbridge-dlq', messageGroupId: 'instances' });
      expect(otherRule).toMatchObject({ kind: 'unroutable' });
    });

    it('keeps a FIFO topic target as unroutable', () => {
      const route = replayRoute(withTarget('arn:aws:sns:us-west-1:111122223333:changes.fifo'), { ...NONE, ruleTargets: [{ ruleArn: dead.messageAttributes.RULE_ARN!.StringValue!, targetArn: 'arn:aws:sns:us-west-1:111122223333:changes.fifo', messageGroupId: 'g' }] });
      expect(route).toMatchObject({ kind: 'unroutable', reason: expect.stringMatching(/FIFO topic/) });
    });

    it('keeps other kinds of target (a state machine) as unroutable', () => {
      const route = replayRoute(withTarget('arn:aws:states:us-west-1:111122223333:stateMachine:orders'), NONE);
      expect(route).toMatchObject({ kind: 'unroutable', reason: expect.stringMatching(/\(states\)/) });
    });

    it.each(['Input', 'InputPath', 'InputTransformer'] as const)('keeps a target with %s as unroutable, saying why, unless DestinationArn names where the body goes as it is', (inputTransformation) => {
      // Prepare
      const ruleArn = dead.messageAttributes.RULE_ARN!.StringValue!;
      const targetArn = dead.messageAttributes.TARGET_ARN!.StringValue!;
      const context = { ...NONE, ruleTargets: [{ ruleArn, targetArn, inputTransformation }] };
      // Act
      const route = replayRoute(dead, context);
      const overridden = replayRoute(dead, { ...context, destinationArn: ORDERS });
      // Assess
      expect(route).toMatchObject({ kind: 'unroutable', format: 'eventbridge-dlq', reason: expect.stringMatching(new RegExp(`has ${inputTransformation}: EventBridge sent it the transformed input.*does not document`)) });
      expect(overridden).toEqual({ kind: 'function', targetArn: ORDERS, payload: dead.body, format: 'eventbridge-dlq' });
    });

    it('keeps a target the configuration does not allow as unroutable', () => {
      expect(replayRoute(dead, { ...NONE, allows: () => false })).toMatchObject({ kind: 'unroutable', reason: expect.stringMatching(/configuration/) });
    });

    it('goes to DestinationArn instead of TARGET_ARN', () => {
      expect(replayRoute(dead, { ...NONE, destinationArn: ORDERS })).toMatchObject({ kind: 'function', targetArn: ORDERS, payload: dead.body });
    });
  });

  it('keeps a message in no known format as unroutable, unless DestinationArn names a target', () => {
    const plain = message('hello');
    expect(replayRoute(plain, NONE)).toMatchObject({ kind: 'unroutable', format: 'unknown' });
    expect(replayRoute(plain, { ...NONE, destinationArn: 'arn:aws:sns:us-west-1:111122223333:changes' })).toMatchObject({ kind: 'topic', payload: 'hello' });
  });
});

describe('eventEntryOf', () => {
  it('rebuilds the PutEvents entry of AWS\'s example event', () => {
    const { body } = fixture('eventbridge-dead-letter-message.json') as { body: string };
    expect(eventEntryOf(body)).toEqual({
      source: 'aws.ec2',
      detailType: 'EC2 Instance State-change Notification',
      detail: '{"instance-id":"i-1234567890abcdef0","state":"terminated"}',
      resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
      time: Date.parse('2017-12-22T18:43:48Z'),
    });
  });

  it('says why a body is no event', () => {
    expect(eventEntryOf('{"detail":{}}')).toEqual({ reason: expect.stringMatching(/lacks source/) });
  });
});

describe('parseTargetArn', () => {
  it('keeps a function\'s version or alias', () => {
    expect(parseTargetArn('arn:aws:lambda:us-east-2:123456789012:function:my-function:live')).toMatchObject({ kind: 'function', name: 'my-function', qualifier: 'live' });
  });
});
