import { MAX_BATCH_BYTES, messageSize, sendBatches } from '../../../lambda/domain/send-batches';

const message = (bodyBytes: number, name = 'm') => ({ name, body: 'x'.repeat(bodyBytes), messageAttributes: {} });

describe('sendBatches', () => {
  it('cuts ten 150 KB messages into calls of at most 1 MiB, in order', () => {
    // Prepare
    const messages = Array.from({ length: 10 }, (_, index) => message(150_000, `m${index}`));
    // Act
    const batches = sendBatches(messages);
    // Assess
    expect(batches.map((batch) => batch.length)).toEqual([6, 4]);
    expect(batches.flat().map((entry) => entry.name)).toEqual(messages.map((entry) => entry.name));
    for (const batch of batches) expect(batch.reduce((sum, entry) => sum + messageSize(entry), 0)).toBeLessThanOrEqual(MAX_BATCH_BYTES);
  });

  it('keeps at most 10 small messages a call', () => {
    expect(sendBatches(Array.from({ length: 25 }, () => message(10))).map((batch) => batch.length)).toEqual([10, 10, 5]);
  });

  it('sends a message of the full 1 MiB alone', () => {
    expect(sendBatches([message(10), message(MAX_BATCH_BYTES), message(10)]).map((batch) => batch.length)).toEqual([1, 1, 1]);
  });

  it('counts attributes\' names, types and values, in bytes', () => {
    const size = messageSize({ body: 'é', messageAttributes: { tenant: { DataType: 'String', StringValue: 'ab' }, blob: { DataType: 'Binary', BinaryValue: new Uint8Array(3) } } });
    expect(size).toBe(2 + 'tenant'.length + 'String'.length + 2 + 'blob'.length + 'Binary'.length + 3);
  });
});
