import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient, ResourceNotFoundException, TooManyRequestsException } from '@aws-sdk/client-lambda';
import { NotFoundException, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';

import { EventBusDestination } from '../../../../lambda/adapters/replay/event-bus-destination';
import { LambdaFunctionDestination } from '../../../../lambda/adapters/replay/lambda-function-destination';
import { RoutingDestination } from '../../../../lambda/adapters/replay/routing-destination';
import { SnsTopicDestination } from '../../../../lambda/adapters/replay/sns-topic-destination';
import { untraced } from '../../../../lambda/adapters/sdk-client-settings';
import { NON_EXISTENT_QUEUE } from '../../../../lambda/domain/mover/failure-reason';
import type { Delivery, MessageDestination } from '../../../../lambda/domain/mover/message-destination';

const FN = 'arn:aws:lambda:us-east-1:111122223333:function:orders:live';
const TOPIC = 'arn:aws:sns:us-east-1:111122223333:changes';
const BUS = 'arn:aws:events:us-east-1:111122223333:event-bus/audit';
const QUEUE = 'arn:aws:sqs:us-east-1:111122223333:orders';
const settings = { region: 'us-east-1', clientOptions: { credentials: { accessKeyId: 'k', secretAccessKey: 's' } }, traced: untraced };
const EVENT = JSON.stringify({ version: '0', id: 'e-1', 'detail-type': 'Order Placed', source: 'shop.orders', account: '111122223333', time: '2026-01-01T00:00:00Z', region: 'us-east-1', resources: ['arn:aws:s3:::orders'], detail: { orderId: 7 } });

const delivery = (id: string, target: string, body = `{"n":"${id}"}`): Delivery => ({ id, target, message: { messageId: id, receiptHandle: `h-${id}`, body, messageAttributes: {}, sentTimestamp: 1 } });
const fault = <E extends Error>(error: E, status: number): E => Object.assign(error, { $metadata: { httpStatusCode: status } });

describe('LambdaFunctionDestination', () => {
  const lambda = mockClient(LambdaClient);
  afterEach(() => lambda.reset());

  it('invokes the qualified function asynchronously with the payload, one event per message, in order', async () => {
    // Prepare
    lambda.on(InvokeCommand).resolves({ StatusCode: 202 });
    // Act
    const report = await new LambdaFunctionDestination(settings).deliver('t-1', [delivery('a', FN), delivery('b', FN)]);
    // Assess
    expect(report).toEqual({ accepted: ['a', 'b'], refused: [] });
    const inputs = lambda.commandCalls(InvokeCommand).map((call) => call.args[0].input);
    expect(inputs.map((input) => [input.FunctionName, input.InvocationType, new TextDecoder().decode(input.Payload as Uint8Array)])).toEqual([
      [FN, 'Event', '{"n":"a"}'],
      [FN, 'Event', '{"n":"b"}'],
    ]);
  });

  it('refuses throttling for now, and the rest of that function without calling it', async () => {
    lambda.on(InvokeCommand).rejects(fault(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }), 429));
    const report = await new LambdaFunctionDestination(settings).deliver('t-1', [delivery('a', FN), delivery('b', FN)]);
    expect(report.refused).toEqual([
      { id: 'a', code: 'TooManyRequestsException', permanent: false },
      { id: 'b', code: 'TooManyRequestsException', permanent: false },
    ]);
    expect(lambda.commandCalls(InvokeCommand)).toHaveLength(1);
  });

  it('reports a function that does not exist as gone, and access denied as permanent', async () => {
    lambda.on(InvokeCommand, { FunctionName: FN }).rejects(fault(new ResourceNotFoundException({ message: 'Function not found', $metadata: {} }), 404));
    lambda.on(InvokeCommand, { FunctionName: `${FN}2` }).rejects(fault(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }), 403));
    const report = await new LambdaFunctionDestination(settings).deliver('t-1', [delivery('a', FN), delivery('b', `${FN}2`)]);
    expect(report.refused).toEqual(expect.arrayContaining([
      { id: 'a', code: 'ResourceNotFoundException', permanent: false, gone: true },
      { id: 'b', code: 'AccessDeniedException', permanent: true },
    ]));
  });
});

describe('SnsTopicDestination', () => {
  const sns = mockClient(SNSClient);
  afterEach(() => sns.reset());

  it('publishes the payload as the message', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'x' });
    const report = await new SnsTopicDestination(settings).deliver('t-1', [delivery('a', TOPIC, EVENT)]);
    expect(report.accepted).toEqual(['a']);
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input).toEqual({ TopicArn: TOPIC, Message: EVENT });
  });

  it('reports a topic that does not exist as gone', async () => {
    sns.on(PublishCommand).rejects(fault(new NotFoundException({ message: 'Topic does not exist', $metadata: {} }), 404));
    const report = await new SnsTopicDestination(settings).deliver('t-1', [delivery('a', TOPIC)]);
    expect(report.refused).toEqual([{ id: 'a', code: 'NotFoundException', permanent: false, gone: true }]);
  });
});

describe('EventBusDestination', () => {
  const events = mockClient(EventBridgeClient);
  afterEach(() => events.reset());

  it('puts the event on the bus rebuilt as an entry, 10 a call', async () => {
    events.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({ Entries: input.Entries.map(() => ({ EventId: 'new' })) }));
    const deliveries = Array.from({ length: 12 }, (_, at) => delivery(`e${at}`, BUS, EVENT));
    const report = await new EventBusDestination(settings).deliver('t-1', deliveries);
    expect(report.accepted).toHaveLength(12);
    const calls = events.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries!);
    expect(calls.map((entries) => entries.length)).toEqual([10, 2]);
    expect(calls[0]![0]).toEqual({
      EventBusName: BUS,
      Source: 'shop.orders',
      DetailType: 'Order Placed',
      Detail: '{"orderId":7}',
      Resources: ['arn:aws:s3:::orders'],
      Time: new Date('2026-01-01T00:00:00Z'),
    });
  });

  it('refuses an entry PutEvents failed with its code, and the rest of the bus after it', async () => {
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException' }, { EventId: 'ok' }] });
    const deliveries = Array.from({ length: 11 }, (_, at) => delivery(`e${at}`, BUS, EVENT));
    const report = await new EventBusDestination(settings).deliver('t-1', deliveries.slice(0, 2).concat(deliveries.slice(2)));
    expect(report.refused[0]).toEqual({ id: 'e0', code: 'ThrottlingException', permanent: false });
    expect(report.accepted).toContain('e1');
    // the second call (the 11th entry) is not made
    expect(events.commandCalls(PutEventsCommand)).toHaveLength(1);
    expect(report.refused.map((entry) => entry.id)).toContain('e10');
  });
});

describe('RoutingDestination', () => {
  it('sends each delivery to the destination of its target\'s kind, and passes their refusals on', async () => {
    // Prepare: a destination per kind that records what it got
    const got: Record<string, string[]> = {};
    const recording = (kind: string, refuse = false): MessageDestination => ({
      deliver: async (_taskId, deliveries) => {
        got[kind] = deliveries.map((entry) => entry.id);
        return refuse ? { accepted: [], refused: deliveries.map((entry) => ({ id: entry.id, code: NON_EXISTENT_QUEUE, permanent: true })) } : { accepted: deliveries.map((entry) => entry.id), refused: [] };
      },
    });
    const routing = new RoutingDestination({ function: recording('function'), queue: recording('queue', true), topic: recording('topic'), bus: recording('bus') });
    // Act
    const report = await routing.deliver('t-1', [delivery('f', FN), delivery('q', QUEUE), delivery('t', TOPIC), delivery('b', BUS), delivery('x', 'arn:aws:states:us-east-1:111122223333:stateMachine:s')]);
    // Assess
    expect(got).toEqual({ function: ['f'], queue: ['q'], topic: ['t'], bus: ['b'] });
    expect([...report.accepted].sort()).toEqual(['b', 'f', 't']);
    expect(report.refused).toEqual(expect.arrayContaining([
      { id: 'q', code: NON_EXISTENT_QUEUE, permanent: true },
      { id: 'x', code: 'UnsupportedTarget', permanent: true },
    ]));
  });
});
