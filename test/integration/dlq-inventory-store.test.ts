import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

import { DynamoDbDlqInventoryStore } from '../../lambda/adapters/dynamodb/dynamodb-dlq-inventory-store';
import type { DeadLetterQueue } from '../../lambda/domain/dlq/dead-letter-queue';
import { startDynamoDbEmulator } from '../../local/emulators';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/local-stack';
import { taskTableDefinition } from '../../local/task-table-definition';

const dlq = (name: string): DeadLetterQueue => ({ queueArn: `arn:aws:sqs:us-east-1:111111111111:${name}`, queueName: name, approximateNumberOfMessages: 3, approximateNumberOfMessagesNotVisible: 0, sourceQueueArns: [], origin: 'sqs', targets: [] });

describe('DynamoDbDlqInventoryStore on the DynamoDB emulator', () => {
  let emulator: Awaited<ReturnType<typeof startDynamoDbEmulator>>;
  let client: DynamoDBClient;
  beforeAll(async () => {
    emulator = await startDynamoDbEmulator({ port: 0 });
    client = new DynamoDBClient({ endpoint: emulator.url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
    await client.send(new CreateTableCommand(taskTableDefinition('tasks')));
  });
  afterAll(async () => {
    client.destroy();
    await emulator.close();
  });

  it("keeps a run's recent removals with it, for the next run to send again", async () => {
    // Prepare
    const store = new DynamoDbDlqInventoryStore(client, 'tasks');
    const recentRemovals = [{ queueArn: dlq('gone-dlq').queueArn, at: '2026-01-01T10:01:00.000Z' }];

    // Act
    await store.save({ asOf: '2026-01-01T10:00:00.000Z', dlqs: [dlq('a-dlq'), dlq('gone-dlq')] });
    await store.save({ asOf: '2026-01-01T10:01:00.000Z', dlqs: [dlq('a-dlq')], recentRemovals });

    // Assess
    expect(await store.load()).toEqual({ asOf: '2026-01-01T10:01:00.000Z', dlqs: [dlq('a-dlq')], recentRemovals });
  });

  it('keeps the arrival count\'s state with the run: the tasks\' moved counts, the falls no move explained yet, when the depths were read', async () => {
    // Prepare
    const store = new DynamoDbDlqInventoryStore(client, 'tasks');
    const state = { taskMoves: { t1: 4 }, unexplainedFalls: { [dlq('a-dlq').queueArn]: 2 }, unconfirmedMoves: { [dlq('b-dlq').queueArn]: 10 }, depthsReadBy: '2026-01-01T11:00:03.000Z' };

    // Act
    await store.save({ asOf: '2026-01-01T11:00:00.000Z', dlqs: [dlq('a-dlq')], ...state });

    // Assess
    expect(await store.load()).toEqual({ asOf: '2026-01-01T11:00:00.000Z', dlqs: [dlq('a-dlq')], ...state });
  });

  it('saves one of two runs that loaded the same inventory: the other finds it replaced and saves nothing', async () => {
    // Prepare: a run's inventory, which two overlapping runs load
    const store = new DynamoDbDlqInventoryStore(client, 'tasks');
    await store.save({ asOf: '2026-01-01T12:00:00.000Z', dlqs: [dlq('a-dlq')] });
    const loaded = { asOf: (await store.load())?.asOf };

    // Act
    const first = await store.save({ asOf: '2026-01-01T12:01:00.500Z', dlqs: [dlq('first-dlq')] }, loaded);
    const second = await store.save({ asOf: '2026-01-01T12:01:00.000Z', dlqs: [dlq('second-dlq')] }, loaded);
    const third = await store.save({ asOf: '2026-01-01T12:01:01.000Z', dlqs: [dlq('third-dlq')] }, loaded);

    // Assess
    expect([first, second, third]).toEqual([true, false, false]);
    expect(await store.load()).toEqual({ asOf: '2026-01-01T12:01:00.500Z', dlqs: [dlq('first-dlq')] });
  });
});
