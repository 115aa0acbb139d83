import { type IncomingEvent,readIncomingEvent } from '../../../lambda/domain/event-requests';
import { encodeTaskHandle } from '../../../lambda/domain/task-handle';

const ARN = 'arn:aws:sqs:us-east-1:123456789012:orders-dlq';
const event = (overrides: Partial<IncomingEvent>): IncomingEvent => ({
  source: 'com.example.runbook',
  account: '123456789012',
  region: 'us-east-1',
  detailType: 'Cancel Message Move Task',
  detail: {},
  ruleName: 'cancel-rule',
  ...overrides,
});

describe('readIncomingEvent', () => {
  it('reads a cancel by handle with its reason, naming the sending account and rule as the actor, the source apart', () => {
    // Prepare
    const handle = encodeTaskHandle('t-1', ARN);

    // Act
    const reading = readIncomingEvent(event({ detail: { TaskHandle: handle, Reason: 'on-call' } }), {});

    // Assess
    expect(reading).toMatchObject({
      kind: 'cancel',
      request: { target: { kind: 'handle', handle: { taskId: 't-1', handle } }, reason: 'on-call', by: 'account 123456789012 via rule cancel-rule', eventSource: 'com.example.runbook' },
    });
  });

  it('reads a cancel by queue', () => {
    expect(readIncomingEvent(event({ detail: { SourceArn: ARN } }), {})).toMatchObject({
      kind: 'cancel',
      request: { target: { kind: 'queue', source: { arn: ARN, queueName: 'orders-dlq' } } },
    });
  });

  it.each([
    ['null', null, /detail must be a JSON object/],
    ['an array', [ARN], /detail must be a JSON object/],
    ['neither field', { Reason: 'x' }, /detail.TaskHandle .* or detail.SourceArn .* is required/],
    ['both fields', { TaskHandle: 'a', SourceArn: ARN }, /not both/],
    ['a reason over 1,024 characters', { SourceArn: ARN, Reason: 'x'.repeat(1025) }, /Reason must be at most 1024 characters/],
    ['an inherited field only', Object.create({ SourceArn: ARN }), /is required/],
  ])('rejects a cancel detail of %s', (_, detail, message) => {
    expect(() => readIncomingEvent(event({ detail }), {})).toThrow(message);
  });

  it('cuts an alarm reason to the 1,024 characters a Reason may hold', () => {
    // Prepare
    const alarm = event({
      source: 'aws.cloudwatch',
      detailType: 'CloudWatch Alarm State Change',
      detail: { alarmName: 'a', state: { value: 'ALARM', reason: 'y'.repeat(2000) } },
    });

    // Act
    const reading = readIncomingEvent(alarm, { a: [ARN] });

    // Assess
    expect(reading.kind === 'cancel-each' && reading.requests[0]?.reason).toHaveLength(1024);
  });

  it('rejects an alarm event without an alarm name', () => {
    const alarm = event({ source: 'aws.cloudwatch', detailType: 'CloudWatch Alarm State Change', detail: { state: { value: 'ALARM' } } });
    expect(() => readIncomingEvent(alarm, { a: [ARN] })).toThrow(/detail.alarmName must be an alarm name/);
  });

  it('ignores an alarm-shaped event from a source other than CloudWatch', () => {
    const forged = event({ source: 'com.example.forger', detailType: 'CloudWatch Alarm State Change', detail: { alarmName: 'a', state: { value: 'ALARM' } } });
    expect(readIncomingEvent(forged, { a: [ARN] })).toMatchObject({ kind: 'ignore', reason: expect.stringMatching(/not an event this controller acts on/) });
  });
});
