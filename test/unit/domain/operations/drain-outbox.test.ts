import { drainOutboxes } from '../../../../lambda/domain/operations/drain-outbox';
import type { TaskRecord } from '../../../../lambda/domain/task-record';
import { nextRecord, withEvent } from '../../../../lambda/domain/transitions';
import { fakeDependencies, recordedTask } from '../../../support/fake-dependencies';

const AT = '2024-05-01T12:00:00.000Z';

/** A recorded task whose outbox holds its Started and Cancel Requested events. */
async function recordWithTwoEvents(deps: ReturnType<typeof fakeDependencies>): Promise<TaskRecord> {
  const started = withEvent(recordedTask('managed-a'), 'Message Move Task Started', AT);
  const claimed = nextRecord(started, { status: 'CANCELLING' }, AT, 'Message Move Task Cancel Requested');
  await deps.store.create(claimed);
  return claimed;
}

describe('drainOutboxes', () => {
  it('sends only the claimed events, then removes them from the item, and answers the count sent', async () => {
    // Prepare
    const deps = fakeDependencies();
    const record = await recordWithTwoEvents(deps);
    const [, requested] = record.outbox!;

    // Act
    const sent = await drainOutboxes(deps, [{ record, eventIds: [requested!.id] }]);

    // Assess
    expect(sent).toBe(1);
    expect(deps.events.published.map((event) => event.id)).toEqual([requested!.id]);
    const stored = await deps.store.get(record.taskId);
    expect(stored!.outbox!.map((event) => event.detailType)).toEqual(['Message Move Task Started']);
    expect(stored!.version).toBe(record.version + 1);
  });

  it('removes sent events from an item another writer changed meanwhile, by re-reading it', async () => {
    // Prepare: a progress write lands between the read and the removal
    const deps = fakeDependencies();
    const record = await recordWithTwoEvents(deps);
    await deps.store.replace(record, nextRecord(record, { approximateNumberOfMessagesMoved: 3 }, AT));

    // Act
    const sent = await drainOutboxes(deps, [{ record, eventIds: record.outbox!.map((event) => event.id) }]);

    // Assess
    expect(sent).toBe(2);
    const stored = await deps.store.get(record.taskId);
    expect(stored).toMatchObject({ approximateNumberOfMessagesMoved: 3, version: record.version + 2 });
    expect(stored!.outbox).toBeUndefined();
    expect(stored!.outboxPendingSince).toBeUndefined();
  });

  it('leaves every event on the item when EventBridge refuses, for the reconciler\'s re-drain', async () => {
    // Prepare
    const deps = fakeDependencies();
    const record = await recordWithTwoEvents(deps);
    deps.events.failures.push(new Error('PutEvents failed'));

    // Act
    const attempt = drainOutboxes(deps, [{ record, eventIds: record.outbox!.map((event) => event.id) }]);

    // Assess
    await expect(attempt).rejects.toThrow('PutEvents failed');
    expect(await deps.store.get(record.taskId)).toEqual(record);
  });

  it('sends nothing and writes nothing for claims without events', async () => {
    // Prepare
    const deps = fakeDependencies();
    const record = await recordWithTwoEvents(deps);

    // Act
    const sent = await drainOutboxes(deps, [{ record, eventIds: [] }]);

    // Assess
    expect(sent).toBe(0);
    expect(deps.events.published).toEqual([]);
    expect(await deps.store.get(record.taskId)).toEqual(record);
  });
});
