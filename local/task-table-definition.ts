import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

import { TASK_TABLE, TASK_TABLE_KEY_ATTRIBUTES } from '../lambda/adapters/dynamodb/task-table-schema';
import { tableDefinition } from './table-definition';

/** The task table for the local emulator, from the same schema the CDK construct reads. */
export function taskTableDefinition(tableName: string): CreateTableCommandInput {
  return tableDefinition(tableName, {
    partitionKey: TASK_TABLE.partitionKey,
    keyAttributes: TASK_TABLE_KEY_ATTRIBUTES.map((name) => ({ name, type: 'S' as const })),
    indexes: Object.values(TASK_TABLE.indexes),
  });
}
