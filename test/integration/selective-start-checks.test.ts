// Selective starts and dry runs on the local stack, against SQS's own start for the same input.
import { randomUUID } from 'node:crypto';

import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';

import { startTestStack, type TestStack } from '../support/local-stack-fixture';
import { count, seedDlqWith } from '../support/selective-dlq';

describe('selective starts refused as SQS refuses its own', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t.stop();
  });

  const arnOf = async (url: string) => (await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const errorOf = (answer: { status: number; body: Record<string, unknown> }) => ({ status: answer.status, type: answer.body.__type, message: answer.body.message });
  /** SQS's start, the selective start and the dry run for the same queues: each one's error */
  async function threeWays(input: Record<string, unknown>) {
    const native = await t.post('/StartMessageMoveTask', input);
    const selective = await t.post('/StartMessageMoveTask', { ...input, MaxMessages: 100 });
    const dryRun = await t.post('/StartMessageMoveTask', { ...input, DryRun: true });
    return { native: errorOf(native), selective: errorOf(selective), dryRun: errorOf(dryRun) };
  }

  it('refuses a live work queue (no DLQ), moving nothing out of it', async () => {
    // Prepare: a queue no redrive policy names, holding 5 work messages, and an allowed destination
    const name = `live-${randomUUID().slice(0, 8)}`;
    const liveUrl = (await t.sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
    const otherUrl = (await t.sqs.send(new CreateQueueCommand({ QueueName: `${name}-other` }))).QueueUrl!;
    for (let n = 0; n < 5; n += 1) await t.sqs.send(new SendMessageCommand({ QueueUrl: liveUrl, MessageBody: `work ${n}` }));
    // Act
    const answers = await threeWays({ SourceArn: await arnOf(liveUrl), DestinationArn: await arnOf(otherUrl) });
    // Assess
    const refusal = { status: 400, type: 'com.amazonaws.sqs#InvalidParameterValue', message: 'Source queue must be configured as a Dead Letter Queue.' };
    expect(answers).toEqual({ native: refusal, selective: refusal, dryRun: refusal });
    expect({ moved: await count(t.sqs, otherUrl), left: await count(t.sqs, liveUrl) }).toEqual({ moved: 0, left: 5 });
  });

  it('refuses DestinationArn = SourceArn with SQS\'s message', async () => {
    // Prepare
    const dlq = await seedDlqWith(t.sqs, 'self', [{ body: 'one' }]);
    // Act
    const answers = await threeWays({ SourceArn: dlq.dlqArn, DestinationArn: dlq.dlqArn });
    // Assess
    const refusal = { status: 400, type: 'com.amazonaws.sqs#InvalidParameterValue', message: 'Source queue arn and destination queue arn cannot be the same.' };
    expect(answers).toEqual({ native: refusal, selective: refusal, dryRun: refusal });
  });

  it('refuses a destination that does not exist, with SQS\'s code', async () => {
    // Prepare
    const dlq = await seedDlqWith(t.sqs, 'nodest', [{ body: 'one' }]);
    // Act
    const answers = await threeWays({ SourceArn: dlq.dlqArn, DestinationArn: dlq.dlqArn.replace(/-dlq$/, '-gone') });
    // Assess: SQS answers 404 for its own; the controller answers every caller fault 400 (API.md section 2)
    const message = 'The resource that you specified for the DestinationArn parameter doesn\'t exist.';
    expect(answers).toEqual({
      native: { status: 400, type: 'com.amazonaws.sqs#ResourceNotFoundException', message },
      selective: { status: 400, type: 'com.amazonaws.sqs#ResourceNotFoundException', message },
      dryRun: { status: 400, type: 'com.amazonaws.sqs#ResourceNotFoundException', message },
    });
  });

  it('refuses a FIFO destination for a standard DLQ', async () => {
    // Prepare
    const dlq = await seedDlqWith(t.sqs, 'mixed', [{ body: 'one' }]);
    const fifoUrl = (await t.sqs.send(new CreateQueueCommand({ QueueName: `mixed-${randomUUID().slice(0, 8)}.fifo`, Attributes: { FifoQueue: 'true' } }))).QueueUrl!;
    // Act
    const answers = await threeWays({ SourceArn: dlq.dlqArn, DestinationArn: await arnOf(fifoUrl) });
    // Assess
    const refusal = { status: 400, type: 'com.amazonaws.sqs#InvalidParameterValue', message: 'The source queue and destination queue must be of the same queue type.' };
    expect(answers).toEqual({ native: refusal, selective: refusal, dryRun: refusal });
  });
});
