import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbTaskStore } from '../../../../lambda/adapters/dynamodb/dynamodb-task-store';
import { toItem } from '../../../../lambda/adapters/dynamodb/task-item';
import type { TaskRecord } from '../../../../lambda/domain/task-record';

const record: TaskRecord = {
  taskId: 't-1', taskHandle: 'handle-1', sourceArn: 'arn:aws:sqs:us-east-1:111122223333:q', status: 'COMPLETED',
  approximateNumberOfMessagesMoved: 4, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z',
  startedBy: 'alice', origin: 'api', version: 3,
};
const cancel = { at: '2026-01-02T00:00:00.000Z', by: 'bob' };
const conditionFailed = (item?: TaskRecord) =>
  new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, ...(item ? { Item: toItem(item) } : {}) });

// Real DynamoDB returns the item with a failed condition; dynalite does not (see docs/design.md).
describe('DynamoDbTaskStore.claimCancel against real DynamoDB behaviour', () => {
  const ddb = mockClient(DynamoDBClient);
  beforeEach(() => ddb.reset());

  it('asks for the current item on condition failure and needs no second call to name the status', async () => {
    // Prepare
    ddb.on(UpdateItemCommand).rejects(conditionFailed(record));
    const store = new DynamoDbTaskStore(new DynamoDBClient({}), { tableName: 'tasks' });
    // Act
    const claim = await store.claimCancel('t-1', 'handle-1', cancel);
    // Assess
    expect(claim).toEqual({ outcome: 'not-running', record: expect.objectContaining({ status: 'COMPLETED', version: 3 }) });
    expect(ddb.commandCalls(UpdateItemCommand)[0]!.args[0].input).toMatchObject({
      ConditionExpression: '#status = :running AND taskHandle = :handle',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    expect(ddb.calls()).toHaveLength(1);
  });

  it('reads a failed condition without an item as an unknown task, in one call', async () => {
    ddb.on(UpdateItemCommand).rejects(conditionFailed());
    const store = new DynamoDbTaskStore(new DynamoDBClient({}), { tableName: 'tasks' });
    await expect(store.claimCancel('t-1', 'handle-1', cancel)).resolves.toEqual({ outcome: 'not-found' });
    expect(ddb.calls()).toHaveLength(1);
  });

  it('treats a known task id with another handle as unknown', async () => {
    ddb.on(UpdateItemCommand).rejects(conditionFailed({ ...record, status: 'RUNNING' }));
    const store = new DynamoDbTaskStore(new DynamoDBClient({}), { tableName: 'tasks' });
    await expect(store.claimCancel('t-1', 'forged-handle', cancel)).resolves.toEqual({ outcome: 'not-found' });
  });

  it('reads the item once more where the database cannot return it (the emulator)', async () => {
    ddb.on(UpdateItemCommand).rejects(conditionFailed()).on(GetItemCommand).resolves({ Item: toItem(record) });
    const store = new DynamoDbTaskStore(new DynamoDBClient({}), { tableName: 'tasks', itemOnConditionFailure: false });
    await expect(store.claimCancel('t-1', 'handle-1', cancel)).resolves.toMatchObject({ outcome: 'not-running' });
    expect(ddb.commandCalls(GetItemCommand)[0]!.args[0].input).toMatchObject({ ConsistentRead: true });
  });

  it('lets throttling and other failures through to the caller', async () => {
    ddb.on(UpdateItemCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const store = new DynamoDbTaskStore(new DynamoDBClient({}), { tableName: 'tasks' });
    await expect(store.claimCancel('t-1', 'handle-1', cancel)).rejects.toThrow('Rate exceeded');
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
