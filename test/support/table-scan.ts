import { type AttributeValue, type DynamoDBClient,ScanCommand } from '@aws-sdk/client-dynamodb';

/** Every item of the task table, read straight from the emulator (test only: the API never scans). */
export async function scanTable(client: DynamoDBClient, tableName: string): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** A stable fingerprint of the whole table, to prove a request changed nothing. */
export async function tableFingerprint(client: DynamoDBClient, tableName: string): Promise<string> {
  const items = await scanTable(client, tableName);
  return JSON.stringify(items.map((item) => JSON.stringify(item, Object.keys(item).sort())).sort());
}
