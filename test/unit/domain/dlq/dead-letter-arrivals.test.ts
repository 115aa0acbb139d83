import { countArrivals } from '../../../../lambda/domain/dlq/dead-letter-arrivals';
import type { DeadLetterQueue } from '../../../../lambda/domain/dlq/dead-letter-queue';

const ARN = 'arn:aws:sqs:us-east-1:111111111111:';

function dlq(name: string, visible: number, inFlight = 0): DeadLetterQueue {
  return { queueArn: `${ARN}${name}`, queueName: name, approximateNumberOfMessages: visible, approximateNumberOfMessagesNotVisible: inFlight, sourceQueueArns: [], origin: 'sqs', targets: [] };
}

describe('countArrivals', () => {
  const previous = { asOf: '2026-12-01T10:01:00.000Z', dlqs: [dlq('grew', 2), dlq('drained', 10), dlq('redriving', 50), dlq('received', 3, 2)] };

  it.each([
    ['the rise in depth', 'grew', dlq('grew', 7), new Map<string, number>(), 5],
    ['nothing when the depth only fell (a consumer, retention): arrivals are never invented', 'drained', dlq('drained', 4), new Map<string, number>(), 0],
    ['the rise plus what the controller moved out meanwhile', 'redriving', dlq('redriving', 30), new Map([[`${ARN}redriving`, 25]]), 5],
    ['in-flight messages as dead letters still: a peek does not look like a drop', 'received', dlq('received', 0, 5), new Map<string, number>(), 0],
    ['nothing for a DLQ the previous run did not know (no baseline)', 'new', dlq('new', 9), new Map<string, number>(), 0],
  ])('counts %s', (_, name, now, movedOut, expected) => {
    // Act
    const arrivals = countArrivals(previous, [now], movedOut);

    // Assess
    expect(arrivals.get(`${ARN}${name}`)).toBe(expected);
  });

  it('counts nothing on the first run', () => {
    expect([...countArrivals(undefined, [dlq('grew', 100)], new Map()).values()]).toEqual([0]);
  });
});
