import type { AttributeValue } from '@aws-sdk/client-dynamodb';

import { SqsError } from '../../domain/sqs-error';

/** What a paging token is tied to: a table's key, the index it came from, and that index's keys. */
export interface PagedIndex {
  readonly tablePartitionKey: string;
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  /** @default 'S' */
  readonly sortType?: 'S' | 'N';
  /** whose answers the token comes from, for the error: `GET /tasks`, `org API` */
  readonly answersOf: string;
}

/**
 * Paging tokens (GET /tasks, GET /org/*): DynamoDB's LastEvaluatedKey as base64url JSON, tied to
 * the index it came from. A token is checked strictly before it reaches DynamoDB.
 */
export function encodeNextToken(key: Record<string, AttributeValue>, index: Pick<PagedIndex, 'indexName'>, filter?: string): string {
  const plain: Record<string, string> = {};
  for (const [name, value] of Object.entries(key)) plain[name] = value.S ?? value.N ?? '';
  return Buffer.from(JSON.stringify({ i: index.indexName, k: plain, ...(filter ? { f: filter } : {}) }), 'utf8').toString('base64url');
}

/**
 * `partition` is the query's partition value: a token from another queue or status is refused, not
 * sent to DynamoDB. `filter` names what a filter on the query keeps (a prefix, a status): a token
 * from another filter would skip entries silently, so it is refused too.
 */
export function decodeNextToken(token: string, index: PagedIndex, partition: string, filter?: string): Record<string, AttributeValue> {
  const invalid = () => new SqsError('InvalidParameterValue', `nextToken must be the nextToken of a previous ${index.answersOf} answer with the same filters`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { i?: unknown }).i !== index.indexName) throw invalid();
  if (((parsed as { f?: unknown }).f ?? '') !== (filter ?? '')) throw invalid();
  const key = (parsed as { k?: unknown }).k;
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalid();
  const expected = [index.tablePartitionKey, index.partitionKey, index.sortKey].sort();
  const names = Object.keys(key).sort();
  if (names.length !== expected.length || names.some((name, at) => name !== expected[at])) throw invalid();
  const result: Record<string, AttributeValue> = {};
  for (const name of names) {
    const value = (key as Record<string, unknown>)[name];
    if (typeof value !== 'string' || value.length === 0 || value.length > 1024) throw invalid();
    if (name === index.sortKey && index.sortType === 'N') {
      if (!/^\d{1,15}$/.test(value)) throw invalid();
      result[name] = { N: value };
    } else {
      result[name] = { S: value };
    }
  }
  if (result[index.partitionKey]?.S !== partition) throw invalid();
  return result;
}
