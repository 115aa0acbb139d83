import { parsePeekRequest } from '../../../../lambda/domain/dlq/peek-request';
import { PEEK_BODY_LIMIT_BYTES, truncateBody } from '../../../../lambda/domain/dlq/peeked-message';

describe('truncateBody', () => {
  it('keeps a body of 8 KiB as it is', () => {
    const body = 'a'.repeat(PEEK_BODY_LIMIT_BYTES);
    expect(truncateBody(body)).toEqual({ body, truncated: false });
  });

  it('cuts a longer body to 8 KiB', () => {
    const { body, truncated } = truncateBody('a'.repeat(PEEK_BODY_LIMIT_BYTES + 1));
    expect(truncated).toBe(true);
    expect(body).toHaveLength(PEEK_BODY_LIMIT_BYTES);
  });

  it.each(['€', '😀', 'ß'])('never cuts inside the character %s', (char) => {
    // Prepare: one byte of ASCII shifts every character across the 8 KiB boundary
    const text = `x${char.repeat(PEEK_BODY_LIMIT_BYTES)}`;

    // Act
    const { body, truncated } = truncateBody(text);

    // Assess
    expect(truncated).toBe(true);
    expect(Buffer.byteLength(body, 'utf8')).toBeLessThanOrEqual(PEEK_BODY_LIMIT_BYTES);
    expect(Buffer.byteLength(body, 'utf8')).toBeGreaterThan(PEEK_BODY_LIMIT_BYTES - 4);
    expect(body).not.toContain('\uFFFD');
    expect(text.startsWith(body)).toBe(true);
  });
});

describe('parsePeekRequest', () => {
  it('defaults to 10 messages', () => {
    expect(parsePeekRequest('orders-dlq', {})).toEqual({ queueName: 'orders-dlq', maxMessages: 10 });
  });

  it.each([
    ['orders-dlq', { MaxMessages: 0 }, /MaxMessages/],
    ['orders-dlq', { MaxMessages: 101 }, /MaxMessages/],
    ['orders-dlq', { MaxMessages: '5' }, /MaxMessages/],
    ['orders-dlq', { MaxMessages: 2.5 }, /MaxMessages/],
    ['orders-dlq', { DryRun: true }, /does not take "DryRun"/],
    ['', {}, /must name a queue/],
    ['../x', {}, /must name a queue/],
    ['a'.repeat(81), {}, /must name a queue/],
  ])('fails %p %p', (name, params, message) => {
    expect(() => parsePeekRequest(name, params)).toThrow(message);
  });

  it('takes a FIFO queue name', () => {
    expect(parsePeekRequest('orders-dlq.fifo', { MaxMessages: 100 }).maxMessages).toBe(100);
  });
});
