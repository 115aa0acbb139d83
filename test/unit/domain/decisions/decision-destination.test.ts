import { ARCHIVE_NOT_CONFIGURED, DECISION_INTERRUPTED, decisionDestination, EDIT_UNROUTABLE } from '../../../../lambda/domain/decisions/decision-destination';
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

  describe('on a Lambda DLQ (a replay\'s task: the delivery routed to the function that failed)', () => {
    const fn = 'arn:aws:lambda:us-east-1:123456789012:function:orders';
    const onFailure = (payload: unknown) => JSON.stringify({ version: '1.0', requestContext: { functionArn: `${fn}:$LATEST`, condition: 'RetriesExhausted' }, requestPayload: payload });
    const received: DlqMessage = { messageId: 'm-2', receiptHandle: 'h-2', body: onFailure({ order: 1 }), sentTimestamp: 1, messageAttributes: {} };
    // as deliverInTime hands it on: the function's event alone, the DLQ's message beside it
    const routed: Delivery = { id: 'd0', target: `${fn}:$LATEST`, message: { ...received, body: JSON.stringify({ order: 1 }) }, received };
    const replayRecord = { taskId: 't', kind: 'replay', messageAction: 'edit', replayOrigin: 'lambda', replayFunctions: [fn] } as unknown as TaskRecord;
    const everything = { allows: () => true };

    it('edit: archives the on-failure record as the DLQ held it, and invokes its function with the edited record\'s requestPayload', async () => {
      // Prepare
      const queue = recording();
      const archive = recording();

      // Act
      const report = await decisionDestination(replayRecord, queue, archive, { body: onFailure({ order: 2 }) }, everything).deliver('t', [routed]);

      // Assess
      expect(report.accepted).toEqual(['d0']);
      expect(archive.handed.map((entry) => entry.message.body)).toEqual([received.body]);
      expect(queue.handed.map((entry) => [entry.target, entry.message.body])).toEqual([[`${fn}:$LATEST`, JSON.stringify({ order: 2 })]]);
    });

    it('edit: refuses for good an edited copy that names no target (the original archived, nothing sent, the message stays)', async () => {
      // Prepare
      const queue = recording();

      // Act
      const report = await decisionDestination(replayRecord, queue, recording(), { body: 'no longer a record' }, everything).deliver('t', [routed]);

      // Assess
      expect(report).toEqual({ accepted: [], refused: [{ id: 'd0', code: EDIT_UNROUTABLE, permanent: true }] });
      expect(queue.handed).toEqual([]);
    });
  });
});
