import type { DeadLetterQueue } from '../../../../lambda/domain/dlq/dead-letter-queue';
import { keptOldestSent, oldestMessageExpiresAt, sampleIsDue, withExpiry } from '../../../../lambda/domain/dlq/message-expiry';
import { sqsDlq } from '../../../support/dead-letter-queue-fixture';

const NOW = Date.parse('2026-01-10T00:00:00Z');
const HOUR = 3_600_000;
const dlq = (name: string, messages: number, extra: Partial<DeadLetterQueue> = {}): DeadLetterQueue => sqsDlq(name, messages, { retentionSeconds: 4 * 24 * 3600, ...extra });

describe('oldestMessageExpiresAt', () => {
  it('dates a standard DLQ by the original send, not by CloudWatch\'s age since the move', () => {
    // a day in the source queue, then moved: SQS deletes it 3 days later with a 4-day retention
    const sent = NOW - 24 * HOUR;
    expect(oldestMessageExpiresAt({ retentionSeconds: 4 * 24 * 3600, oldestSentTimestamp: sent, oldestMessageAgeSeconds: 60, fifo: false }, NOW)).toBe(NOW + 3 * 24 * HOUR);
  });

  it('dates a FIFO DLQ from the move (CloudWatch\'s age), as its enqueue time resets', () => {
    expect(oldestMessageExpiresAt({ retentionSeconds: 4 * 24 * 3600, oldestSentTimestamp: NOW - 24 * HOUR, oldestMessageAgeSeconds: 3600, fifo: true }, NOW)).toBe(NOW - HOUR + 4 * 24 * HOUR);
  });

  it('dates a FIFO DLQ without CloudWatch by its send time (early, never late)', () => {
    expect(oldestMessageExpiresAt({ retentionSeconds: 60, oldestSentTimestamp: NOW, fifo: true }, NOW)).toBe(NOW + 60_000);
  });

  it('dates nothing it has no fact for', () => {
    expect(oldestMessageExpiresAt({ retentionSeconds: 60, oldestMessageAgeSeconds: 5, fifo: false }, NOW)).toBeUndefined();
  });
});

describe('sampleIsDue', () => {
  it.each([
    ['an empty DLQ', dlq('a', 0), undefined, false, false],
    ['a chained DLQ (a receive counts toward its maxReceiveCount)', dlq('a', 3), undefined, true, false],
    ['nothing known yet', dlq('a', 3), undefined, false, true],
    ['known and no new messages', dlq('a', 3), dlq('a', 3, { oldestSentTimestamp: NOW - HOUR }), false, false],
    ['new messages since the last run', dlq('a', 4), dlq('a', 3, { oldestSentTimestamp: NOW - HOUR }), false, true],
    ['the known oldest has expired', dlq('a', 3, { retentionSeconds: 60 }), dlq('a', 3, { oldestSentTimestamp: NOW - HOUR }), false, true],
  ])('%s: %p', (_, current, previous, chained, due) => {
    expect(sampleIsDue(current, previous, chained, NOW)).toBe(due);
  });
});

describe('keptOldestSent', () => {
  it('forgets the oldest once the DLQ reads empty', () => {
    expect(keptOldestSent(dlq('a', 0), dlq('a', 3, { oldestSentTimestamp: NOW - HOUR }), NOW)).toBeUndefined();
  });

  it('keeps it while messages remain and it has not expired', () => {
    expect(keptOldestSent(dlq('a', 2), dlq('a', 3, { oldestSentTimestamp: NOW - HOUR }), NOW)).toBe(NOW - HOUR);
  });
});

describe('withExpiry', () => {
  it('keeps the older of the kept and the sampled timestamps and sets the ISO expiry', () => {
    // Act
    const dated = withExpiry(dlq('a', 3, { retentionSeconds: 7200 }), NOW - HOUR, NOW - 2 * HOUR + 60_000, NOW);

    // Assess
    expect(dated.oldestSentTimestamp).toBe(NOW - 2 * HOUR + 60_000);
    expect(dated.oldestMessageExpiresAt).toBe(new Date(NOW + 60_000).toISOString());
  });

  it('gives an empty DLQ no expiry', () => {
    expect(withExpiry(dlq('a', 0), undefined, undefined, NOW)).not.toHaveProperty('oldestMessageExpiresAt');
  });
});
