import { parseHistoryRequest } from '../../../../lambda/domain/dlq/history-request';
import { SqsError } from '../../../../lambda/domain/sqs-error';

describe('parseHistoryRequest', () => {
  it('takes hours from 1 to 168, 24 when not given', () => {
    expect(parseHistoryRequest('orders-dlq', {})).toEqual({ queueName: 'orders-dlq', hours: 24 });
    expect(parseHistoryRequest('orders-dlq', { hours: '1' }).hours).toBe(1);
    expect(parseHistoryRequest('orders-dlq.fifo', { hours: '168' }).hours).toBe(168);
  });

  it.each([['0'], ['169'], ['1.5'], ['-1'], ['abc'], ['']])('refuses hours=%p with InvalidParameterValue', (hours) => {
    expect(() => parseHistoryRequest('orders-dlq', { hours })).toThrow(new SqsError('InvalidParameterValue', `hours must be an integer from 1 to 168, got ${JSON.stringify(hours)}`));
  });

  it('refuses a path that names no queue, and other parameters', () => {
    expect(() => parseHistoryRequest('a b', {})).toThrow(/must name a queue/);
    expect(() => parseHistoryRequest('orders-dlq', { days: '1' })).toThrow(/takes only hours/);
  });
});
