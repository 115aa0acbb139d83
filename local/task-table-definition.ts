import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

import { TASK_TABLE, TASK_TABLE_KEY_ATTRIBUTES } from '../lambda/adapters/dynamodb/task-table-schema';

/** The task table for the local emulator, from the same schema the CDK construct reads. */
export function taskTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: TASK_TABLE_KEY_ATTRIBUTES.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [{ AttributeName: TASK_TABLE.partitionKey, KeyType: 'HASH' }],
    GlobalSecondaryIndexes: Object.values(TASK_TABLE.indexes).map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}
