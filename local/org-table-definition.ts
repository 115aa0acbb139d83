import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

import { ORG_TABLE, ORG_TABLE_KEY_ATTRIBUTES } from '../lambda/adapters/dynamodb/org-table-schema';

/** The org read-model table for the local emulator, from the same schema the CDK construct reads. */
export function orgTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: ORG_TABLE_KEY_ATTRIBUTES.map(({ name, type }) => ({ AttributeName: name, AttributeType: type })),
    KeySchema: [{ AttributeName: ORG_TABLE.partitionKey, KeyType: 'HASH' }],
    GlobalSecondaryIndexes: Object.values(ORG_TABLE.indexes).map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}
