import type { DeadLetterQueue } from '../../../../lambda/domain/dlq/dead-letter-queue';
import { DLQS_PER_EVENT, inventoryChanges } from '../../../../lambda/domain/dlq/inventory-event';

function dlq(name: string, messages: number): DeadLetterQueue {
  return { queueArn: `arn:aws:sqs:us-east-1:111111111111:${name}`, queueName: name, approximateNumberOfMessages: messages, approximateNumberOfMessagesNotVisible: 0, sourceQueueArns: [], origin: 'sqs', targets: [] };
}

describe('inventoryChanges', () => {
  it('sends only the DLQs whose figures changed, and the ones gone, within the hour', () => {
    // Prepare
    const previous = { asOf: '2026-12-01T10:01:00.000Z', dlqs: [dlq('same', 1), dlq('grew', 1), dlq('gone', 3)] };

    // Act
    const changes = inventoryChanges(previous, { asOf: '2026-12-01T10:02:00.000Z', dlqs: [dlq('same', 1), dlq('grew', 5), dlq('new', 2)] });

    // Assess
    expect(changes).toEqual([
      { asOf: '2026-12-01T10:02:00.000Z', dlqs: [dlq('grew', 5), dlq('new', 2)], removedQueueArns: ['arn:aws:sqs:us-east-1:111111111111:gone'], complete: false, totals: { deadLetterQueues: 3, approximateNumberOfMessages: 8, approximateNumberOfMessagesNotVisible: 0 } },
    ]);
  });

  it('sends one event with nothing in it when nothing changed: the account is still heard from', () => {
    // Act
    const changes = inventoryChanges({ asOf: '2026-12-01T10:01:00.000Z', dlqs: [dlq('same', 1)] }, { asOf: '2026-12-01T10:02:00.000Z', dlqs: [dlq('same', 1)] });

    // Assess
    expect(changes).toEqual([{ asOf: '2026-12-01T10:02:00.000Z', dlqs: [], removedQueueArns: [], complete: false, totals: { deadLetterQueues: 1, approximateNumberOfMessages: 1, approximateNumberOfMessagesNotVisible: 0 } }]);
  });

  it('sends every DLQ on the first run and the first run of each hour, in events of at most DLQS_PER_EVENT', () => {
    // Prepare
    const dlqs = Array.from({ length: DLQS_PER_EVENT * 2 + 1 }, (_, at) => dlq(`q-${at}`, at));

    // Act
    const first = inventoryChanges(undefined, { asOf: '2026-12-01T10:02:00.000Z', dlqs });
    const nextHour = inventoryChanges({ asOf: '2026-12-01T10:59:00.000Z', dlqs }, { asOf: '2026-12-01T11:00:00.000Z', dlqs });

    // Assess
    for (const changes of [first, nextHour]) {
      expect(changes.map((change) => change.dlqs.length)).toEqual([DLQS_PER_EVENT, DLQS_PER_EVENT, 1]);
      expect(changes.every((change) => change.complete)).toBe(true);
    }
  });

  it("carries the run's totals over all its DLQs on every event of the run, changed or not", () => {
    // Prepare: one DLQ changed among DLQS_PER_EVENT + 1, each holding 2 messages and 1 in flight
    const before = Array.from({ length: DLQS_PER_EVENT + 1 }, (_, at) => ({ ...dlq(`q-${at}`, 2), approximateNumberOfMessagesNotVisible: 1 }));
    const after = before.map((queue, at) => (at === 0 ? { ...queue, approximateNumberOfMessages: 7 } : queue));
    const expected = { deadLetterQueues: DLQS_PER_EVENT + 1, approximateNumberOfMessages: 2 * DLQS_PER_EVENT + 7, approximateNumberOfMessagesNotVisible: DLQS_PER_EVENT + 1 };

    // Act
    const changed = inventoryChanges({ asOf: '2026-12-01T10:01:00.000Z', dlqs: before }, { asOf: '2026-12-01T10:02:00.000Z', dlqs: after });
    const complete = inventoryChanges(undefined, { asOf: '2026-12-01T10:02:00.000Z', dlqs: after });

    // Assess
    expect(changed.map((change) => [change.dlqs.length, change.totals])).toEqual([[1, expected]]);
    expect(complete.map((change) => change.totals)).toEqual([expected, expected]);
  });
});
