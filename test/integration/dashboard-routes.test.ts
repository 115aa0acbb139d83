import { createHash } from 'node:crypto';

import { useTestStack } from '../support/local-stack-fixture';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

describe('the dashboard routes', () => {
  const t = useTestStack();

  it('serves GET / as HTML whose CSP admits exactly its own inline script and style', async () => {
    // Act
    const page = await t.get('/');

    // Assess
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy')!;
    const script = /<script>([\s\S]*?)<\/script>/.exec(page.text)![1]!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(page.text)![1]!;
    expect(csp).toContain(`script-src 'sha256-${sha256(script)}';`);
    expect(csp).toContain(`style-src 'sha256-${sha256(style)}';`);
    expect(csp).toMatch(/^default-src 'none';.*connect-src 'self';.*frame-ancestors 'none'$/);
    expect(page.text.match(/<script/g)).toHaveLength(1);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('lists managed queues with their message counts on GET /queues, with one ListQueues call', async () => {
    // Prepare
    const dlq = await t.seedDlq(5, 'queues-route');
    t.sqsProxy.calls.length = 0;

    // Act
    const answer = await t.get('/queues');

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.truncated).toBe(false);
    expect(answer.body.queues).toContainEqual({
      QueueArn: dlq.dlqArn,
      QueueName: dlq.dlqArn.split(':').pop(),
      ApproximateNumberOfMessages: 5,
      ApproximateNumberOfMessagesNotVisible: 0,
      RedriveRole: 'dlq',
    });
    // the source queue is marked, with the DLQ its redrive policy names: SQS would refuse to redrive it
    expect(answer.body.queues).toContainEqual(expect.objectContaining({ QueueArn: dlq.sourceQueueArn, RedriveRole: 'source', DeadLetterTargetArn: dlq.dlqArn }));
    const names = answer.body.queues.map((queue: { QueueName: string }) => queue.QueueName);
    expect(names).toEqual([...names].sort());
    // GetQueueAttributes goes to the queue's URL (the SDK's queue-URL endpoint), past the proxy
    expect(t.sqsProxy.count('AmazonSQS.ListQueues')).toBe(1);
  });
});
