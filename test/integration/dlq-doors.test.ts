import { randomUUID } from 'node:crypto';

import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';

import { depth } from '../../local/seed-dlq';
import { readConfigFile } from '../../local/template/local-config';
import { useTestStack } from '../support/local-stack-fixture';

const ACCOUNT = '123456789012';
const READER = `arn:aws:iam::${ACCOUNT}:role/dlq-reader`;
const OPERATOR = `arn:aws:iam::${ACCOUNT}:role/operator`;
/** what the SDK's SigV4 header says; the local gateway names the caller by its access key id */
const signedAs = (accessKeyId: string) => ({ authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20261207/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=0` });
const queueNameOf = (arn: string) => arn.split(':').pop()!;

/** API.md section 10: the doors the function closes itself, whatever path or policy let a request reach it. */
describe('the DLQ doors in the function', () => {
  // the resource policy lets every role of the account read (the configuration), so what stops a
  // non-reader is the function's own check: only the reader role may peek and dry-run (MESSAGE_READERS)
  const config = readConfigFile();
  const t = useTestStack({
    config: { ...config, api: { ...(config.api as object), messageReaders: [`arn:aws:iam::${ACCOUNT}:role/*`] } },
    functionEnv: { MESSAGE_READERS: READER },
    callers: { reader: READER, operator: OPERATOR },
  });

  describe('message readers', () => {
    it('refuses peek at /peek and /peek/ and a DryRun to a non-reader with a 403, and lets the reader see them', async () => {
      // Prepare
      const dlq = await t.seedDlq(3, 'readers');
      const queue = queueNameOf(dlq.dlqArn);
      const dryRun = { SourceArn: dlq.dlqArn, DryRun: true, FilterPolicy: { tenant: [{ prefix: 'a' }] }, FilterPolicyScope: 'MessageBody' };
      t.eventsProxy.reset();
      t.sqsProxy.reset();

      // Act
      const refused = [
        await t.post(`/dlqs/${queue}/peek`, {}, signedAs('operator')),
        await t.post(`/dlqs/${queue}/peek/`, {}, signedAs('operator')),
        await t.post(`/dlqs/${queue}/peek/`, {}),
        await t.post('/StartMessageMoveTask', dryRun, signedAs('operator')),
      ];
      const receivesWhileRefused = t.sqsProxy.count('AmazonSQS.ReceiveMessage');
      const peeked = await t.post(`/dlqs/${queue}/peek/`, {}, signedAs('reader'));
      const dryRan = await t.post('/StartMessageMoveTask', dryRun, signedAs('reader'));

      // Assess
      for (const answer of refused) {
        expect([answer.status, answer.body.__type, answer.headers.get('x-amzn-query-error')]).toEqual([403, 'com.amazonaws.sqs#AccessDeniedException', 'AccessDeniedException;Sender']);
      }
      expect(refused[0]!.body.message).toContain(`${OPERATOR} may not peek`);
      expect([peeked.status, peeked.body.Messages.length]).toEqual([200, 3]);
      expect([dryRan.status, dryRan.body]).toEqual([200, { Sampled: 3, Matched: 0, Unroutable: 0 }]);
      expect(receivesWhileRefused).toBe(0);
      const peekedEvents = t.eventsProxy.calls.flatMap((call) => JSON.parse(call.body).Entries ?? []).filter((entry: { DetailType: string }) => entry.DetailType === 'Dead-Letter Messages Peeked');
      expect(peekedEvents.map((entry: { Detail: string }) => JSON.parse(entry.Detail))).toEqual([
        expect.not.objectContaining({ DryRun: expect.anything() }),
        expect.objectContaining({ QueueArn: dlq.dlqArn, Count: 3, PeekedBy: READER, DryRun: true }),
      ]);
      const dryRunLine = t.logs.flatMap((text) => (text.startsWith('{') ? [JSON.parse(text)] : [])).find((line) => line.route === 'StartMessageMoveTask' && line.dryRun === true && line.statusCode === 200);
      expect(dryRunLine).toEqual(expect.objectContaining({ caller: READER, queue, messages: 3 }));
    });
  });

  describe('one message at a time', () => {
    it('refuses a retry, edit or discard to a non-reader with a 403 before anything is received, at /messages/{id} and with a trailing slash', async () => {
      // Prepare
      const dlq = await t.seedDlq(1, 'decide-doors');
      const queue = queueNameOf(dlq.dlqArn);
      const [message] = (await t.post(`/dlqs/${queue}/peek`, {}, signedAs('reader'))).body.Messages as Array<{ MessageId: string }>;
      t.sqsProxy.reset();

      // Act
      const refused = [
        await t.post(`/dlqs/${queue}/messages/${message!.MessageId}`, { Action: 'retry', Reason: 'x' }, signedAs('operator')),
        await t.post(`/dlqs/${queue}/messages/${message!.MessageId}/`, { Action: 'discard', Reason: 'x' }, signedAs('operator')),
      ];

      // Assess
      for (const answer of refused) expect([answer.status, answer.body.__type]).toEqual([403, 'com.amazonaws.sqs#AccessDeniedException']);
      expect(refused[0]!.body.message).toContain(`${OPERATOR} may not retry, edit or discard a DLQ message`);
      expect(t.sqsProxy.count('AmazonSQS.ReceiveMessage')).toBe(0);
    });
  });

  describe('chained DLQs', () => {
    it('refuses peek, DryRun and a selective start on a DLQ with its own redrive policy, moving nothing onward; SQS\'s own task still starts', async () => {
      // Prepare: source → chained DLQ (maxReceiveCount 1) → last DLQ
      const name = `chain-${randomUUID().slice(0, 8)}`;
      const create = async (queueName: string, target?: string) => {
        const url = (await t.sqs.send(new CreateQueueCommand({ QueueName: queueName, ...(target ? { Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: target, maxReceiveCount: 1 }) } } : {}) }))).QueueUrl!;
        const arn = (await t.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
        return { url, arn };
      };
      const last = await create(`${name}-last`);
      const chained = await create(`${name}-dlq`, last.arn);
      const source = await create(name, chained.arn);
      await t.sqs.send(new SendMessageBatchCommand({ QueueUrl: source.url, Entries: Array.from({ length: 5 }, (_, at) => ({ Id: String(at), MessageBody: `m${at}` })) }));
      for (let round = 0; round < 100 && (await depth(t.sqs, chained.url)) < 5; round += 1) {
        await t.sqs.send(new ReceiveMessageCommand({ QueueUrl: source.url, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
      }

      // Act
      const peeks = [await t.post(`/dlqs/${name}-dlq/peek`, {}, signedAs('reader')), await t.post(`/dlqs/${name}-dlq/peek`, {}, signedAs('reader'))];
      const dryRun = await t.post('/StartMessageMoveTask', { SourceArn: chained.arn, DryRun: true }, signedAs('reader'));
      const selective = await t.post('/StartMessageMoveTask', { SourceArn: chained.arn, MaxMessages: 1 });
      const lastDepth = await depth(t.sqs, last.url);
      const native = await t.post('/StartMessageMoveTask', { SourceArn: chained.arn, MaxNumberOfMessagesPerSecond: 1 });

      // Assess
      for (const answer of [...peeks, dryRun, selective]) {
        expect([answer.status, answer.body.__type]).toEqual([400, 'com.amazonaws.sqs#InvalidParameterValue']);
        expect(answer.body.message).toMatch(/is a chained dead-letter queue: its own RedrivePolicy sends messages on to .*maxReceiveCount/);
      }
      expect(lastDepth).toBe(0);
      expect(native.status).toBe(200);
    });
  });
});
