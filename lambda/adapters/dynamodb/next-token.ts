import type { AttributeValue } from '@aws-sdk/client-dynamodb';

import { SqsError } from '../../domain/sqs-error';
import { TASK_TABLE, type TaskTableIndex } from './task-table-schema';

/**
 * GET /tasks paging tokens: DynamoDB's LastEvaluatedKey as base64url JSON, tied to the index it
 * came from. A token is checked strictly before it reaches DynamoDB.
 */
export function encodeNextToken(key: Record<string, AttributeValue>, index: TaskTableIndex): string {
  const plain: Record<string, string> = {};
  for (const [name, value] of Object.entries(key)) plain[name] = value.S ?? '';
  return Buffer.from(JSON.stringify({ i: index.indexName, k: plain }), 'utf8').toString('base64url');
}

/** `partition` is the query's partition value: a token from another queue or status is refused, not sent to DynamoDB. */
export function decodeNextToken(token: string, index: TaskTableIndex, partition: string): Record<string, AttributeValue> {
  const invalid = () => new SqsError('InvalidParameterValue', 'nextToken must be the nextToken of a previous GET /tasks answer with the same filters');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { i?: unknown }).i !== index.indexName) throw invalid();
  const key = (parsed as { k?: unknown }).k;
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalid();
  const expected = [TASK_TABLE.partitionKey, index.partitionKey, index.sortKey].sort();
  const names = Object.keys(key).sort();
  if (names.length !== expected.length || names.some((name, at) => name !== expected[at])) throw invalid();
  const result: Record<string, AttributeValue> = {};
  for (const name of names) {
    const value = (key as Record<string, unknown>)[name];
    if (typeof value !== 'string' || value.length === 0 || value.length > 512) throw invalid();
    result[name] = { S: value };
  }
  if (result[index.partitionKey]?.S !== partition) throw invalid();
  return result;
}
