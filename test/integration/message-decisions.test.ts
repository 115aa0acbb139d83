import { randomUUID } from 'node:crypto';

import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';

import { startTestStack, type TestStack } from '../support/local-stack-fixture';
import { runCli } from '../support/run-cli';

interface Peeked { MessageId: string; Body: string }

/** POST /dlqs/{queueName}/messages/{messageId} on the local stack (API.md section 12, docs/decisions.md). */
describe('one message at a time', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t?.stop();
  });

  const nameOf = (arn: string) => arn.split(':').pop()!;
  const peekIds = async (dlqArn: string): Promise<Peeked[]> => {
    const answer = await t.post(`/dlqs/${nameOf(dlqArn)}/peek`, { MaxMessages: 100 });
    expect(answer.status).toBe(200);
    return answer.body.Messages as Peeked[];
  };
  /** Everything a queue holds now, received and kept hidden (the test is done with it). */
  const drain = async (queueUrl: string): Promise<string[]> => {
    const bodies: string[] = [];
    for (let round = 0; round < 20; round += 1) {
      const output = await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 60, WaitTimeSeconds: round === 0 ? 1 : 0 }));
      if (!output.Messages?.length) break;
      bodies.push(...output.Messages.map((message) => message.Body!));
    }
    return bodies;
  };

  it('retries one message among many: it arrives in its source queue once, the others stay in the DLQ, visible and unchanged', async () => {
    // Prepare
    const dlq = await t.seedDlq(12, 'decide-retry');
    const messages = await peekIds(dlq.dlqArn);
    const chosen = messages.find((message) => message.Body === 'message 7')!;

    // Act
    const answer = await t.post(`/dlqs/${nameOf(dlq.dlqArn)}/messages/${chosen.MessageId}`, { Action: 'retry', Reason: 'consumer fixed' });

    // Assess: done, recorded with who and why
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ TaskId: expect.any(String), Outcome: 'done' });
    const task = await t.get(`/tasks/${answer.body.TaskId}`);
    expect(task.body).toMatchObject({ Kind: 'message', Action: 'retry', MessageId: chosen.MessageId, Status: 'COMPLETED', startReason: 'consumer fixed', startedBy: expect.stringContaining('role/local') });
    // the others are visible again at once (peek receives them all) and unchanged
    const left = await peekIds(dlq.dlqArn);
    expect(left.map((message) => message.Body).sort()).toEqual(messages.filter((message) => message !== chosen).map((message) => message.Body).sort());
    expect(await drain(dlq.sourceQueueUrl)).toEqual(['message 7']);
  });

  it('answers not-found after one pass that did not see the message, and leaves every message visible', async () => {
    // Prepare
    const dlq = await t.seedDlq(5, 'decide-missing');

    // Act
    const answer = await t.post(`/dlqs/${nameOf(dlq.dlqArn)}/messages/${randomUUID()}`, { Action: 'retry', Reason: 'looking for a message already gone' });

    // Assess
    expect(answer.status).toBe(200);
    expect(answer.body.Outcome).toBe('not-found');
    expect(await peekIds(dlq.dlqArn)).toHaveLength(5);
    expect(await drain(dlq.sourceQueueUrl)).toEqual([]);
  });

  it('answers a 400 saying why for a message found but with nowhere to go (sent straight into the DLQ: no source queue), and keeps it', async () => {
    // Prepare
    const dlq = await t.seedDlq(0, 'decide-nowhere');
    const { MessageId } = await t.sqs.send(new SendMessageCommand({ QueueUrl: dlq.dlqUrl, MessageBody: 'no source' }));

    // Act
    const answer = await t.post(`/dlqs/${nameOf(dlq.dlqArn)}/messages/${MessageId}`, { Action: 'retry', Reason: 'where did it fail?' });

    // Assess: not "not-found": the message was seen, and it stays
    expect([answer.status, answer.body.__type]).toEqual([400, 'com.amazonaws.sqs#InvalidParameterValue']);
    expect(answer.body.message).toMatch(/was found but names no target .* Give DestinationArn, or discard it/);
    expect((await peekIds(dlq.dlqArn)).map((message) => message.MessageId)).toEqual([MessageId]);
  });

  it('sends a retry to DestinationArn when given, keeping the message attributes', async () => {
    // Prepare
    const dlq = await t.seedDlq(0, 'decide-dest');
    await t.sqs.send(new SendMessageCommand({ QueueUrl: dlq.sourceQueueUrl, MessageBody: 'to elsewhere', MessageAttributes: { tenant: { DataType: 'String', StringValue: 'acme' } } }));
    await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.sourceQueueUrl, VisibilityTimeout: 0 }));
    await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.sourceQueueUrl, VisibilityTimeout: 0 }));
    const [message] = await peekIds(dlq.dlqArn);
    const elsewhereUrl = (await t.sqs.send(new CreateQueueCommand({ QueueName: `${nameOf(dlq.sourceQueueArn)}-replay` }))).QueueUrl!;
    const elsewhereArn = (await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: elsewhereUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;

    // Act
    const answer = await t.post(`/dlqs/${nameOf(dlq.dlqArn)}/messages/${message!.MessageId}`, { Action: 'retry', Reason: 'to the replay queue', DestinationArn: elsewhereArn });

    // Assess
    expect(answer.body.Outcome).toBe('done');
    const received = await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: elsewhereUrl, WaitTimeSeconds: 1, MessageAttributeNames: ['All'] }));
    expect(received.Messages?.map((entry) => [entry.Body, entry.MessageAttributes?.tenant?.StringValue])).toEqual([['to elsewhere', 'acme']]);
  });

  it('retries from the CLI, and says not-found with exit status 1', async () => {
    // Prepare
    const dlq = await t.seedDlq(2, 'decide-cli');
    const [first] = await peekIds(dlq.dlqArn);
    const env = { REDRIVE_API_URL: t.stack.apiUrl };

    // Act
    const retried = await runCli(['retry', nameOf(dlq.dlqArn), first!.MessageId, '--reason', 'fixed'], env);
    const again = await runCli(['retry', nameOf(dlq.dlqArn), first!.MessageId, '--reason', 'fixed'], env);

    // Assess
    expect([retried.code, retried.stdout]).toEqual([0, expect.stringMatching(new RegExp(`^${first!.MessageId}: sent back and deleted from the DLQ\\. Task `))]);
    expect([again.code, again.stdout]).toEqual([1, expect.stringContaining('was not in')]);
    expect(await drain(dlq.sourceQueueUrl)).toEqual([first!.Body]);
  });

  const archivedOf = async (taskId: string): Promise<Array<{ MessageId: string; Body: string }>> => {
    const answer = await t.get(`/archives/${taskId}/messages`);
    expect(answer.status).toBe(200);
    return answer.body.Messages;
  };

  it('edits one message: the edited body arrives in the source queue, the original is archived and never delivered', async () => {
    // Prepare
    const dlq = await t.seedDlq(6, 'decide-edit');
    const messages = await peekIds(dlq.dlqArn);
    const chosen = messages.find((message) => message.Body === 'message 3')!;

    // Act
    const answer = await t.post(`/dlqs/${nameOf(dlq.dlqArn)}/messages/${chosen.MessageId}`, { Action: 'edit', Reason: 'fix the payload', Body: 'message 3, fixed' });

    // Assess
    expect([answer.status, answer.body.Outcome]).toEqual([200, 'done']);
    expect(await drain(dlq.sourceQueueUrl)).toEqual(['message 3, fixed']);
    expect(await archivedOf(answer.body.TaskId)).toEqual([expect.objectContaining({ MessageId: chosen.MessageId, Body: 'message 3' })]);
    const left = await peekIds(dlq.dlqArn);
    expect(left.map((message) => message.Body).sort()).toEqual(messages.filter((message) => message !== chosen).map((message) => message.Body).sort());
    const listed = (await t.get(`/archives?queue=${nameOf(dlq.dlqArn)}`)).body.archives;
    expect(listed).toEqual([expect.objectContaining({ TaskId: answer.body.TaskId, Deleted: true })]);
  });

  it('discards one message: archived, then deleted from the DLQ; the others untouched and nothing sent', async () => {
    // Prepare
    const dlq = await t.seedDlq(6, 'decide-discard');
    const messages = await peekIds(dlq.dlqArn);
    const chosen = messages.find((message) => message.Body === 'message 5')!;

    // Act
    const answer = await t.post(`/dlqs/${nameOf(dlq.dlqArn)}/messages/${chosen.MessageId}`, { Action: 'discard', Reason: 'poison message' });

    // Assess
    expect([answer.status, answer.body.Outcome]).toEqual([200, 'done']);
    expect(await archivedOf(answer.body.TaskId)).toEqual([expect.objectContaining({ MessageId: chosen.MessageId, Body: 'message 5' })]);
    const left = await peekIds(dlq.dlqArn);
    expect(left.map((message) => message.Body).sort()).toEqual(messages.filter((message) => message !== chosen).map((message) => message.Body).sort());
    expect(await drain(dlq.sourceQueueUrl)).toEqual([]);
  });

  it.each([
    ['no Reason', { Action: 'retry' }, 'MissingParameter', /Reason is required/],
    ['an unknown Action', { Action: 'resend', Reason: 'x' }, 'InvalidParameterValue', /Action must be one of retry, edit, discard/],
    ['an edit without Body', { Action: 'edit', Reason: 'x' }, 'MissingParameter', /Body is required/],
    ['a retry with a Body', { Action: 'retry', Reason: 'x', Body: 'y' }, 'InvalidParameterValue', /for Action edit only/],
    ['a body over 256 KiB', { Action: 'edit', Reason: 'x', Body: 'y'.repeat(262_145) }, 'InvalidParameterValue', /at most 262144 bytes/],
    ['a reserved attribute name', { Action: 'edit', Reason: 'x', Body: 'y', MessageAttributes: { 'AWS.x': { DataType: 'String', StringValue: 'v' } } }, 'InvalidParameterValue', /no attribute name SQS takes/],
    ['a Number attribute that is no number', { Action: 'edit', Reason: 'x', Body: 'y', MessageAttributes: { n: { DataType: 'Number', StringValue: 'ten' } } }, 'InvalidParameterValue', /must be a number/],
    ['an unknown field', { Action: 'discard', Reason: 'x', Force: true }, 'InvalidParameterValue', /does not take "Force"/],
  ])('refuses %s with a 400 %s', async (_, body, code, message) => {
    const answer = await t.post(`/dlqs/some-dlq/messages/${randomUUID()}`, body);
    expect([answer.status, answer.body.__type]).toEqual([400, `com.amazonaws.sqs#${code}`]);
    expect(answer.body.message).toMatch(message);
  });
});
