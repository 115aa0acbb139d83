import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

import { ORG_TABLE, ORG_TABLE_KEY_ATTRIBUTES } from '../lambda/adapters/dynamodb/org-table-schema';
import { tableDefinition } from './table-definition';

/** The org read-model table for the local emulator, from the same schema the CDK construct reads. */
export function orgTableDefinition(tableName: string): CreateTableCommandInput {
  return tableDefinition(tableName, { partitionKey: ORG_TABLE.partitionKey, keyAttributes: ORG_TABLE_KEY_ATTRIBUTES, indexes: Object.values(ORG_TABLE.indexes) });
}
