import { ARCHIVE_NOT_CONFIGURED, DECISION_INTERRUPTED, decisionDestination } from '../../../../lambda/domain/decisions/decision-destination';
import type { DlqMessage } from '../../../../lambda/domain/dlq-message';
import type { Delivery, DeliveryReport, MessageDestination } from '../../../../lambda/domain/mover/message-destination';
import type { TaskRecord } from '../../../../lambda/domain/task-record';

const message: DlqMessage = {
  messageId: 'm-1', receiptHandle: 'h-1', body: 'original', sentTimestamp: 1, messageGroupId: 'g-1',
  messageAttributes: { tenant: { DataType: 'String', StringValue: 'acme' } },
};
const delivery: Delivery = { id: 'd0', target: 'arn:aws:sqs:us-east-1:123456789012:orders', message };
const record = (messageAction?: TaskRecord['messageAction']) => ({ taskId: 't', messageAction } as TaskRecord);

/** A destination that records what it was handed and accepts it, or refuses it for now. */
function recording(accept = true): MessageDestination & { handed: Delivery[] } {
  const handed: Delivery[] = [];
  return {
    handed,
    async deliver(_taskId: string, deliveries: readonly Delivery[]): Promise<DeliveryReport> {
      handed.push(...deliveries);
      return accept ? { accepted: deliveries.map((entry) => entry.id), refused: [] } : { accepted: [], refused: deliveries.map((entry) => ({ id: entry.id, code: 'SlowDown', permanent: false })) };
    },
  };
}

describe('decisionDestination', () => {
  it('edit: archives the original, then sends only the edited copy (same group), and accepts once both are done', async () => {
    // Prepare
    const queue = recording();
    const archive = recording();

    // Act
    const report = await decisionDestination(record('edit'), queue, archive, { body: 'edited' }).deliver('t', [delivery]);

    // Assess
    expect(report).toEqual({ accepted: ['d0'], refused: [] });
    expect(archive.handed.map((entry) => entry.message.body)).toEqual(['original']);
    expect(queue.handed.map((entry) => [entry.message.body, entry.message.messageGroupId, entry.message.messageAttributes])).toEqual([['edited', 'g-1', message.messageAttributes]]);
  });

  it('edit: sends nothing when the archive refuses the original, so the message stays for another try', async () => {
    // Prepare
    const queue = recording();

    // Act
    const report = await decisionDestination(record('edit'), queue, recording(false), { body: 'edited' }).deliver('t', [delivery]);

    // Assess
    expect(report.accepted).toEqual([]);
    expect(report.refused).toEqual([{ id: 'd0', code: 'SlowDown', permanent: false }]);
    expect(queue.handed).toEqual([]);
  });

  it('edit: is not accepted when the queue refuses the edited copy (the DLQ keeps the message; never dropped)', async () => {
    const report = await decisionDestination(record('edit'), recording(false), recording(), { body: 'edited', messageAttributes: {} }).deliver('t', [delivery]);
    expect(report.accepted).toEqual([]);
  });

  it('edit without its body (a re-drive after the call ended) refuses for good and sends nothing, not even the original', async () => {
    // Prepare
    const queue = recording();
    const archive = recording();

    // Act
    const report = await decisionDestination(record('edit'), queue, archive, undefined).deliver('t', [delivery]);

    // Assess
    expect(report.refused).toEqual([{ id: 'd0', code: DECISION_INTERRUPTED, permanent: true }]);
    expect([...queue.handed, ...archive.handed]).toEqual([]);
  });

  it('discard: the archive alone', async () => {
    const queue = recording();
    const archive = recording();
    await decisionDestination(record('discard'), queue, archive, undefined).deliver('t', [delivery]);
    expect([queue.handed.length, archive.handed.length]).toEqual([0, 1]);
  });

  it('discard and edit without an archive: refused for good', async () => {
    const report = await decisionDestination(record('discard'), recording(), undefined, undefined).deliver('t', [delivery]);
    expect(report.refused[0]).toMatchObject({ code: ARCHIVE_NOT_CONFIGURED, permanent: true });
  });

  it('retry and selective tasks: the queue destination itself', () => {
    const queue = recording();
    expect(decisionDestination(record('retry'), queue, undefined, undefined)).toBe(queue);
    expect(decisionDestination(record(undefined), queue, undefined, undefined)).toBe(queue);
  });
});
