import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';

import { EventBridgeEventPublisher } from '../../../../lambda/adapters/eventbridge/eventbridge-event-publisher';
import { untraced } from '../../../../lambda/adapters/sdk-client-settings';
import { withEvent } from '../../../../lambda/domain/transitions';
import { recordedTask } from '../../../support/fake-dependencies';

// mocks the class's prototype: the publisher's lazily created client is covered too
const eventBridge = mockClient(EventBridgeClient);

const events = (count: number) =>
  Array.from({ length: count }, (_, index) => withEvent(recordedTask('managed-dlq', { taskId: `t${index}` }), 'Message Move Task Started', '2024-05-01T12:00:00.000Z').outbox![0]!);

const accepted = (count: number) => ({ FailedEntryCount: 0, Entries: Array.from({ length: count }, (_, index) => ({ EventId: `e${index}` })) });

describe('EventBridgeEventPublisher', () => {
  const publisher = new EventBridgeEventPublisher({ eventBusName: 'default', region: 'us-east-1', traced: untraced });
  beforeEach(() => eventBridge.reset());

  it('answers the events of earlier batches when a later PutEvents call throws', async () => {
    // Prepare
    const twelve = events(12);
    eventBridge.on(PutEventsCommand).resolvesOnce(accepted(10)).rejectsOnce(new Error('socket hang up'));
    // Act
    const { sent } = await publisher.publish(twelve);
    // Assess
    expect(sent).toEqual(twelve.slice(0, 10).map((event) => event.id));
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(2);
  });

  it('throws when the first call throws and nothing was sent', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).rejects(new Error('socket hang up'));
    // Act
    const publishing = publisher.publish(events(3));
    // Assess
    await expect(publishing).rejects.toThrow('socket hang up');
  });

  it('answers only the entries EventBridge accepted', async () => {
    // Prepare
    const two = events(2);
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ EventId: 'e0' }, { ErrorCode: 'InternalFailure' }] });
    // Act
    const { sent } = await publisher.publish(two);
    // Assess
    expect(sent).toEqual([two[0]!.id]);
  });

  describe('publishActivities (the inventory\'s arrival alerts)', () => {
    const alerts = (count: number) => Array.from({ length: count }, (_, index) => ({ detailType: 'Dead-Letter Queue Received Messages', resources: [`arn:aws:sqs:us-east-1:123456789012:dlq-${index}`], detail: { NewMessages: index + 1 } }));

    it('sends 10 events a PutEvents call, each once', async () => {
      // Prepare
      eventBridge.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => accepted(input.Entries.length));
      // Act
      const answer = await publisher.publishActivities(alerts(23));
      // Assess
      const calls = eventBridge.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries!);
      expect(answer).toEqual({ sent: 23 });
      expect(calls.map((entries) => entries.length).sort((a, b) => a - b)).toEqual([3, 10, 10]);
      expect(calls.flat().map((entry) => entry.Resources![0]).sort()).toEqual(alerts(23).map((alert) => alert.resources[0]).sort());
    });

    it('counts only the accepted entries, and says why the others were not, without throwing', async () => {
      // Prepare: the first call throws, the second refuses one entry
      eventBridge
        .on(PutEventsCommand)
        .rejectsOnce(new Error('socket hang up'))
        .resolvesOnce({ FailedEntryCount: 1, Entries: [{ EventId: 'e0' }, { ErrorCode: 'ThrottlingException' }] });
      // Act
      const answer = await publisher.publishActivities(alerts(12));
      // Assess
      expect(answer.sent).toBe(1);
      expect(answer.error).toMatch(/socket hang up|ThrottlingException/);
    });
  });
});
