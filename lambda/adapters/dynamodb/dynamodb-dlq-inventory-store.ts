import {
  type AttributeValue,
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  type PutItemCommandInput,
} from '@aws-sdk/client-dynamodb';

import type { TaskMoves } from '../../domain/dlq/controller-moves';
import type { UnconfirmedMoves, UnexplainedFalls } from '../../domain/dlq/dead-letter-arrivals';
import { type DeadLetterQueue, withOrigin } from '../../domain/dlq/dead-letter-queue';
import type { DlqInventory, RecentRemoval } from '../../domain/dlq/dlq-inventory';
import type { DlqInventoryStore } from '../../domain/dlq/dlq-ports';
import { TASK_TABLE } from './task-table-schema';
import { toStoreError } from './to-store-error';

/**
 * The DLQ inventory in the task table (docs/design.md, "The DLQ inventory"): a pointer item naming
 * the newest run, and that run's DLQs as gzip'd JSON in chunk items. The items carry none of the
 * indexes' keys, so no task query ever sees them.
 */
export const INVENTORY_POINTER_KEY = 'dlq-inventory';
/** 1,000 DLQs are about 300 KB of JSON, some 30 KB gzip'd: far below DynamoDB's 400 KB per item. */
export const DLQS_PER_CHUNK = 1000;
const BATCH_GET_LIMIT = 100;

// loaded on first use: the API's cold start does not load zlib for a route it may never serve
const zlib = () => import('node:zlib');
const chunkKey = (asOf: string, index: number) => `${INVENTORY_POINTER_KEY}#${asOf}#${index}`;

/** Over the loaded pointer only (none: no pointer yet); without one, over an older pointer only. */
function pointerCondition(asOf: string, loaded: { readonly asOf: string | undefined } | undefined): Pick<PutItemCommandInput, 'ConditionExpression' | 'ExpressionAttributeValues'> {
  if (loaded === undefined) return { ConditionExpression: 'attribute_not_exists(asOf) OR asOf < :asOf', ExpressionAttributeValues: { ':asOf': { S: asOf } } };
  if (loaded.asOf === undefined) return { ConditionExpression: 'attribute_not_exists(asOf)' };
  return { ConditionExpression: 'asOf = :loadedAsOf', ExpressionAttributeValues: { ':loadedAsOf': { S: loaded.asOf } } };
}

export class DynamoDbDlqInventoryStore implements DlqInventoryStore {
  constructor(private readonly client: DynamoDBClient, private readonly tableName: string) {}

  async save(inventory: DlqInventory, loaded?: { readonly asOf: string | undefined }): Promise<boolean> {
    const previous = await this.readPointer(true);
    if (loaded ? previous?.asOf !== loaded.asOf : previous && previous.asOf >= inventory.asOf) return false;
    const { gzipSync } = await zlib();
    const chunks = Math.max(1, Math.ceil(inventory.dlqs.length / DLQS_PER_CHUNK));
    // chunks first, the pointer last: a reader never finds a pointer to chunks not yet written
    for (let index = 0; index < chunks; index += 1) {
      const dlqs = inventory.dlqs.slice(index * DLQS_PER_CHUNK, (index + 1) * DLQS_PER_CHUNK);
      await this.run(() => this.client.send(new PutItemCommand({ TableName: this.tableName, Item: { [TASK_TABLE.partitionKey]: { S: chunkKey(inventory.asOf, index) }, dlqs: { B: gzipSync(JSON.stringify(dlqs)) } } })));
    }
    try {
      // conditional: of two runs that loaded the same inventory (a schedule's event delivered twice), one saves
      await this.run(() =>
        this.client.send(new PutItemCommand({
          TableName: this.tableName,
          Item: {
            [TASK_TABLE.partitionKey]: { S: INVENTORY_POINTER_KEY },
            asOf: { S: inventory.asOf },
            chunks: { N: String(chunks) },
            dlqCount: { N: String(inventory.dlqs.length) },
            ...(inventory.recentRemovals?.length ? { recentRemovals: { S: JSON.stringify(inventory.recentRemovals) } } : {}),
            ...(inventory.taskMoves && Object.keys(inventory.taskMoves).length > 0 ? { taskMoves: { S: JSON.stringify(inventory.taskMoves) } } : {}),
            ...(inventory.unexplainedFalls && Object.keys(inventory.unexplainedFalls).length > 0 ? { unexplainedFalls: { S: JSON.stringify(inventory.unexplainedFalls) } } : {}),
            ...(inventory.unconfirmedMoves && Object.keys(inventory.unconfirmedMoves).length > 0 ? { unconfirmedMoves: { S: JSON.stringify(inventory.unconfirmedMoves) } } : {}),
            ...(inventory.depthsReadBy ? { depthsReadBy: { S: inventory.depthsReadBy } } : {}),
          },
          ...pointerCondition(inventory.asOf, loaded),
        })),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw toStoreError(error);
      await this.deleteChunks(inventory.asOf, chunks);
      return false;
    }
    if (previous) await this.deleteChunks(previous.asOf, previous.chunks);
    return true;
  }

  async load(): Promise<DlqInventory | undefined> {
    // a save between reading the pointer and its chunks deletes them: the second read finds the new ones
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const pointer = await this.readPointer(false);
      if (!pointer) return undefined;
      const dlqs = await this.readChunks(pointer.asOf, pointer.chunks);
      if (dlqs) {
        const { recentRemovals, taskMoves, unexplainedFalls, unconfirmedMoves, depthsReadBy } = pointer;
        return {
          asOf: pointer.asOf,
          dlqs,
          ...(recentRemovals ? { recentRemovals } : {}),
          ...(taskMoves ? { taskMoves } : {}),
          ...(unexplainedFalls ? { unexplainedFalls } : {}),
          ...(unconfirmedMoves ? { unconfirmedMoves } : {}),
          ...(depthsReadBy ? { depthsReadBy } : {}),
        };
      }
    }
    throw new Error('the DLQ inventory changed under three reads in a row');
  }

  private async readPointer(consistent: boolean): Promise<{ asOf: string; chunks: number; recentRemovals?: RecentRemoval[]; taskMoves?: TaskMoves; unexplainedFalls?: UnexplainedFalls; unconfirmedMoves?: UnconfirmedMoves; depthsReadBy?: string } | undefined> {
    const output = await this.run(() =>
      this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { [TASK_TABLE.partitionKey]: { S: INVENTORY_POINTER_KEY } }, ConsistentRead: consistent })),
    );
    const asOf = output.Item?.asOf?.S;
    const removals = output.Item?.recentRemovals?.S;
    const moves = output.Item?.taskMoves?.S;
    const falls = output.Item?.unexplainedFalls?.S;
    const unconfirmed = output.Item?.unconfirmedMoves?.S;
    const depthsReadBy = output.Item?.depthsReadBy?.S;
    return asOf
      ? {
          asOf,
          chunks: Number(output.Item?.chunks?.N ?? 1),
          ...(removals ? { recentRemovals: JSON.parse(removals) as RecentRemoval[] } : {}),
          ...(moves ? { taskMoves: JSON.parse(moves) as TaskMoves } : {}),
          ...(falls ? { unexplainedFalls: JSON.parse(falls) as UnexplainedFalls } : {}),
          ...(unconfirmed ? { unconfirmedMoves: JSON.parse(unconfirmed) as UnconfirmedMoves } : {}),
          ...(depthsReadBy ? { depthsReadBy } : {}),
        }
      : undefined;
  }

  /** undefined when a chunk is gone (a newer save replaced this run) */
  private async readChunks(asOf: string, chunks: number): Promise<DeadLetterQueue[] | undefined> {
    const found = new Map<string, Uint8Array>();
    let keys: Array<Record<string, AttributeValue>> = Array.from({ length: chunks }, (_, index) => ({ [TASK_TABLE.partitionKey]: { S: chunkKey(asOf, index) } }));
    for (let round = 0; keys.length > 0 && round < 10; round += 1) {
      const unprocessed: Array<Record<string, AttributeValue>> = [];
      for (let at = 0; at < keys.length; at += BATCH_GET_LIMIT) {
        const output = await this.run(() => this.client.send(new BatchGetItemCommand({ RequestItems: { [this.tableName]: { Keys: keys.slice(at, at + BATCH_GET_LIMIT), ConsistentRead: true } } })));
        for (const item of output.Responses?.[this.tableName] ?? []) {
          const key = item[TASK_TABLE.partitionKey]?.S;
          if (key && item.dlqs?.B) found.set(key, item.dlqs.B);
        }
        unprocessed.push(...(output.UnprocessedKeys?.[this.tableName]?.Keys ?? []));
      }
      keys = unprocessed;
    }
    const { gunzipSync } = await zlib();
    const dlqs: DeadLetterQueue[] = [];
    for (let index = 0; index < chunks; index += 1) {
      const body = found.get(chunkKey(asOf, index));
      if (!body) return undefined;
      dlqs.push(...(JSON.parse(gunzipSync(body).toString('utf8')) as Parameters<typeof withOrigin>[0][]).map(withOrigin));
    }
    return dlqs;
  }

  private async deleteChunks(asOf: string, chunks: number): Promise<void> {
    for (let index = 0; index < chunks; index += 1) {
      await this.run(() => this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: { [TASK_TABLE.partitionKey]: { S: chunkKey(asOf, index) } } })));
    }
  }

  private async run<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw toStoreError(error);
    }
  }
}
