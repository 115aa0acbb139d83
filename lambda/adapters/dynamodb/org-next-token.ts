import type { AttributeValue } from '@aws-sdk/client-dynamodb';

import { SqsError } from '../../domain/sqs-error';
import { ORG_TABLE, type OrgTableIndex } from './org-table-schema';

/**
 * GET /org/* paging tokens: DynamoDB's LastEvaluatedKey as base64url JSON, tied to the index and
 * the partition it came from, and checked strictly before it reaches DynamoDB.
 */
export function encodeOrgToken(key: Record<string, AttributeValue>, index: OrgTableIndex): string {
  const plain: Record<string, string> = {};
  for (const [name, value] of Object.entries(key)) plain[name] = value.S ?? value.N ?? '';
  return Buffer.from(JSON.stringify({ i: index.indexName, k: plain }), 'utf8').toString('base64url');
}

export function decodeOrgToken(token: string, index: OrgTableIndex, partition: string): Record<string, AttributeValue> {
  const invalid = () => new SqsError('InvalidParameterValue', 'nextToken must be the nextToken of a previous answer of this route with the same filters');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null || (parsed as { i?: unknown }).i !== index.indexName) throw invalid();
  const key = (parsed as { k?: unknown }).k;
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalid();
  const expected = [ORG_TABLE.partitionKey, index.partitionKey, index.sortKey].sort();
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
