import { ageOrderKey } from '../../../../lambda/domain/org/org-dlq-order';

const dlq = (queueName: string, messages: number, age?: number) => ({ queueName, approximateNumberOfMessages: messages, ...(age === undefined ? {} : { oldestMessageAgeSeconds: age }) });

describe('ageOrderKey', () => {
  it('orders the oldest message first, ties by name, and DLQs without a known age or without messages last', () => {
    // Prepare
    const dlqs = [dlq('young', 3, 9), dlq('no-age', 5), dlq('old', 1, 1_209_600), dlq('empty', 0, 5000), dlq('b-mid', 2, 600), dlq('a-mid', 2, 600), dlq('ancient', 1, 99_999_999_999)];

    // Act
    const ordered = [...dlqs].sort((a, b) => (ageOrderKey(a) < ageOrderKey(b) ? -1 : 1)).map((entry) => entry.queueName);

    // Assess
    expect(ordered).toEqual(['ancient', 'old', 'a-mid', 'b-mid', 'young', 'empty', 'no-age']);
  });
});
