import { decodeNextToken, encodeNextToken } from '../../../../lambda/adapters/dynamodb/next-token';
import { TASK_TABLE } from '../../../../lambda/adapters/dynamodb/task-table-schema';

const { bySource, byStatus } = TASK_TABLE.indexes;
const QUEUE = 'arn:aws:sqs:us-east-1:123456789012:orders-dlq';
const KEY = { taskId: { S: 't-1' }, sourceArn: { S: QUEUE }, createdAt: { S: '2026-01-01T00:00:00.000Z' } };
const token = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

describe('nextToken', () => {
  it('gives back the LastEvaluatedKey it was made from, for the same index and partition', () => {
    // Act
    const decoded = decodeNextToken(encodeNextToken(KEY, bySource), { ...bySource, tablePartitionKey: TASK_TABLE.partitionKey, answersOf: 'GET /tasks' }, QUEUE);

    // Assess
    expect(decoded).toEqual(KEY);
  });

  it.each<[string, string, string]>([
    ['not base64url JSON', '!!!', QUEUE],
    ['from another index', encodeNextToken(KEY, bySource), 'RUNNING'],
    ['for another queue', encodeNextToken(KEY, bySource), 'arn:aws:sqs:us-east-1:123456789012:other'],
    ['with a missing key attribute', token({ i: 'by-source', k: { taskId: 't-1', sourceArn: QUEUE } }), QUEUE],
    ['with an extra attribute', token({ i: 'by-source', k: { taskId: 't-1', sourceArn: QUEUE, createdAt: 'x', status: 'RUNNING' } }), QUEUE],
    ['with a value that is no string', token({ i: 'by-source', k: { taskId: 1, sourceArn: QUEUE, createdAt: 'x' } }), QUEUE],
    ['with an empty value', token({ i: 'by-source', k: { taskId: '', sourceArn: QUEUE, createdAt: 'x' } }), QUEUE],
    ['with an array for its key', token({ i: 'by-source', k: [] }), QUEUE],
  ])('refuses a token %s, before DynamoDB sees it', (_name, value, partition) => {
    // Act
    const attempt = () => decodeNextToken(value, { ...(partition === 'RUNNING' ? byStatus : bySource), tablePartitionKey: TASK_TABLE.partitionKey, answersOf: 'GET /tasks' }, partition);

    // Assess
    expect(attempt).toThrow(expect.objectContaining({ code: 'InvalidParameterValue', message: 'nextToken must be the nextToken of a previous GET /tasks answer with the same filters' }));
  });
});
