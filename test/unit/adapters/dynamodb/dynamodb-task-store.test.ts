import { ConditionalCheckFailedException, DynamoDBClient, DynamoDBServiceException, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

import { DynamoDbTaskStore } from '../../../../lambda/adapters/dynamodb/dynamodb-task-store';
import { fromItem } from '../../../../lambda/adapters/dynamodb/task-item';
import type { TaskRecord } from '../../../../lambda/domain/task-record';
import { withEvent } from '../../../../lambda/domain/transitions';

const record: TaskRecord = {
  taskId: 't-1', taskHandle: 'handle-1', sourceArn: 'arn:aws:sqs:us-east-1:111122223333:q', status: 'RUNNING',
  approximateNumberOfMessagesMoved: 4, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
  startedBy: 'alice', origin: 'api', version: 3,
};
const conditionFailed = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

describe('DynamoDbTaskStore', () => {
  const ddb = mockClient(DynamoDBClient);
  beforeEach(() => ddb.reset());
  const store = () => new DynamoDbTaskStore(new DynamoDBClient({}), { tableName: 'tasks' });

  describe('Method: replace', () => {
    it('writes the whole item on condition that the version and status are those read', async () => {
      // Prepare
      ddb.on(PutItemCommand).resolves({});
      const next = withEvent({ ...record, status: 'CANCELLING', version: 4 }, 'Message Move Task Cancel Requested', '2026-01-02T00:00:00.000Z');
      // Act
      const written = await store().replace(record, next);
      // Assess
      expect(written).toBe(true);
      const input = ddb.commandCalls(PutItemCommand)[0]!.args[0].input;
      expect(input).toMatchObject({
        ConditionExpression: 'version = :version AND #status = :status',
        ExpressionAttributeValues: { ':version': { N: '3' }, ':status': { S: 'RUNNING' } },
      });
      // the transition and its promised event are one item, one write
      expect(input.Item).toMatchObject({ status: { S: 'CANCELLING' }, version: { N: '4' }, outboxPendingSince: { S: '2026-01-02T00:00:00.000Z' } });
      expect(fromItem(input.Item!).outbox).toEqual(next.outbox);
    });

    it('keeps a selective task\'s sent-not-deleted message ids as a string set, and writes none when there are none', async () => {
      // Prepare
      ddb.on(PutItemCommand).resolves({});
      // Act
      await store().replace(record, { ...record, kind: 'selective', sentNotDeleted: ['m-1', 'm-2'], version: 4 });
      await store().replace(record, { ...record, kind: 'selective', sentNotDeleted: [], version: 4 });
      // Assess
      const [first, second] = ddb.commandCalls(PutItemCommand).map((call) => call.args[0].input.Item!);
      expect(first!.sentNotDeleted).toEqual({ SS: ['m-1', 'm-2'] });
      expect(fromItem(first!).sentNotDeleted).toEqual(['m-1', 'm-2']);
      expect(second!.sentNotDeleted).toBeUndefined();
    });

    it('keeps a replay\'s rule-target settings as one JSON string, read back whole', async () => {
      // Prepare
      ddb.on(PutItemCommand).resolves({});
      const replayRuleTargets = [{ ruleArn: 'arn:aws:events:us-east-1:111122223333:rule/r', targetArn: 'arn:aws:sqs:us-east-1:111122223333:q.fifo', messageGroupId: 'g' }];
      // Act
      await store().replace(record, { ...record, kind: 'replay', replayRuleTargets, version: 4 });
      // Assess
      const item = ddb.commandCalls(PutItemCommand)[0]!.args[0].input.Item!;
      expect(item.replayRuleTargets).toEqual({ S: JSON.stringify(replayRuleTargets) });
      expect(fromItem(item).replayRuleTargets).toEqual(replayRuleTargets);
    });

    it('answers false when another write came first', async () => {
      ddb.on(PutItemCommand).rejects(conditionFailed());
      await expect(store().replace(record, { ...record, version: 4 })).resolves.toBe(false);
    });

    it('answers a throttled or unreachable table as 503 ServiceUnavailable, the caller may retry', async () => {
      ddb.on(PutItemCommand).rejects(new DynamoDBServiceException({ name: 'ThrottlingException', $fault: 'client', message: 'Rate exceeded', $metadata: {} }));
      await expect(store().replace(record, { ...record, version: 4 })).rejects.toMatchObject({ code: 'ServiceUnavailable', status: 503 });
      ddb.on(PutItemCommand).rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
      await expect(store().replace(record, { ...record, version: 4 })).rejects.toMatchObject({ code: 'ServiceUnavailable', status: 503 });
      ddb.on(PutItemCommand).rejects(Object.assign(new Error('request timed out'), { name: 'TimeoutError' }));
      await expect(store().replace(record, { ...record, version: 4 })).rejects.toMatchObject({ code: 'ServiceUnavailable', status: 503 });
    });

    it('lets a bug of ours through as itself, not as an unavailable table', async () => {
      const bug = new TypeError("Cannot read properties of undefined (reading 'S')");
      ddb.on(PutItemCommand).rejects(bug);
      await expect(store().replace(record, { ...record, version: 4 })).rejects.toBe(bug);
    });

    it('lets our own mistakes through unchanged, to be answered as the controller fault', async () => {
      const invalid = new DynamoDBServiceException({ name: 'ValidationException', $fault: 'client', message: 'One or more parameter values were invalid', $metadata: {} });
      ddb.on(PutItemCommand).rejects(invalid);
      await expect(store().replace(record, { ...record, version: 4 })).rejects.toBe(invalid);
    });
  });

  describe('Method: get', () => {
    it.each([
      ['the DLQ inventory\'s pointer', { taskId: { S: 'dlq-inventory' }, asOf: { S: '2026-01-01T00:00:00.000Z' } }],
      ['a held batch', { taskId: { S: 't-1#held#0' }, receiptHandles: { S: '["r"]' } }],
    ])('answers undefined for %s, which shares the table but is no task', async (_, item) => {
      // Prepare
      ddb.on(GetItemCommand).resolves({ Item: item });
      // Act / Assess
      await expect(store().get(item.taskId.S)).resolves.toBeUndefined();
    });
  });

  describe('Method: create', () => {
    it('answers false for a task id already recorded', async () => {
      ddb.on(PutItemCommand).rejects(conditionFailed());
      await expect(store().create(record)).resolves.toBe(false);
      expect(ddb.commandCalls(PutItemCommand)[0]!.args[0].input.ConditionExpression).toBe('attribute_not_exists(taskId)');
    });
  });
});

describe('DynamoDbTaskStore.query with a nextToken from another query', () => {
  const ddb = mockClient(DynamoDBClient);
  beforeEach(() => ddb.reset());

  it('refuses a token whose partition is not the query\'s as the caller\'s error, without calling DynamoDB', async () => {
    // Prepare: DynamoDB would answer ValidationException (a 500) for a start key outside the query's partition
    const store = new DynamoDbTaskStore(new DynamoDBClient({}), { tableName: 'tasks' });
    const token = Buffer.from(JSON.stringify({ i: 'by-source', k: { taskId: 'x', sourceArn: 'arn:aws:sqs:us-east-1:111122223333:other', createdAt: 'y' } })).toString('base64url');
    // Act
    const attempt = store.query({ sourceArn: 'arn:aws:sqs:us-east-1:111122223333:q', limit: 5, nextToken: token });
    // Assess
    await expect(attempt).rejects.toMatchObject({ name: 'SqsError', code: 'InvalidParameterValue', status: 400 });
    expect(ddb.calls()).toHaveLength(0);
  });
});
