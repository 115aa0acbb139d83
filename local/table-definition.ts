import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** A table's keys and indexes as its schema file (task-table-schema.ts, org-table-schema.ts) states them. */
export interface TableSchema {
  readonly partitionKey: string;
  readonly keyAttributes: ReadonlyArray<{ readonly name: string; readonly type: 'S' | 'N' }>;
  readonly indexes: ReadonlyArray<{ readonly indexName: string; readonly partitionKey: string; readonly sortKey: string }>;
}

/** A table for the local emulator, from the same schema the CDK construct reads: on demand, every index projecting all. */
export function tableDefinition(tableName: string, schema: TableSchema): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: schema.keyAttributes.map(({ name, type }) => ({ AttributeName: name, AttributeType: type })),
    KeySchema: [{ AttributeName: schema.partitionKey, KeyType: 'HASH' }],
    GlobalSecondaryIndexes: schema.indexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}
