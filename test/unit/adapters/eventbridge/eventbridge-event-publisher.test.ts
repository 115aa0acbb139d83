import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';

import { EventBridgeEventPublisher } from '../../../../lambda/adapters/eventbridge/eventbridge-event-publisher';
import { withEvent } from '../../../../lambda/domain/transitions';
import { recordedTask } from '../../../support/fake-dependencies';

// mocks the class's prototype: the publisher's lazily created client is covered too
const eventBridge = mockClient(EventBridgeClient);

const events = (count: number) =>
  Array.from({ length: count }, (_, index) => withEvent(recordedTask('managed-dlq', { taskId: `t${index}` }), 'Message Move Task Started', '2024-05-01T12:00:00.000Z').outbox![0]!);

const accepted = (count: number) => ({ FailedEntryCount: 0, Entries: Array.from({ length: count }, (_, index) => ({ EventId: `e${index}` })) });

describe('EventBridgeEventPublisher', () => {
  const publisher = new EventBridgeEventPublisher({ eventBusName: 'default', region: 'us-east-1' });
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
});
