import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';

import { DynamoDbOrgStore } from '../../lambda/adapters/dynamodb/dynamodb-org-store';
import { ingestOrgEvent } from '../../lambda/domain/operations/ingest-org-event';
import type { OrgEventEnvelope } from '../../lambda/domain/org/org-change';
import type { OrgReadModelStore } from '../../lambda/domain/org/org-ports';
import { startDynamoDbEmulator } from '../../local/emulators';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/local-stack';
import { orgTableDefinition } from '../../local/org-table-definition';
import { InMemoryOrgStore } from '../support/in-memory-org-store';
import { inventoryEvent, recoveryEvent, taskEvent } from '../support/org-events';

// The in-memory store stands in for the DynamoDB store in unit tests: both must answer alike for
// the same deliveries, the DynamoDB one through its conditional writes on the emulator.
const RUNS = Number(process.env.CONTRACT_RUNS ?? 15);
const ACCOUNTS = ['111111111111', '222222222222'];
const STATUSES = ['RUNNING', 'CANCELLING', 'CANCELLED', 'COMPLETED'];
const QUEUES = ['a-dlq', 'b-dlq', 'c-dlq'];

const deliveries = fc
  .tuple(
    fc.array(fc.record({ account: fc.constantFrom(...ACCOUNTS), task: fc.integer({ min: 0, max: 4 }), steps: fc.integer({ min: 1, max: 3 }) }), { maxLength: 6 }),
    fc.array(fc.record({ account: fc.constantFrom(...ACCOUNTS), dlqs: fc.dictionary(fc.constantFrom(...QUEUES), fc.nat(9)) }), { maxLength: 4 }),
    fc.array(fc.record({ account: fc.constantFrom(...ACCOUNTS), queue: fc.constantFrom(...QUEUES), version: fc.integer({ min: 1, max: 4 }) }), { maxLength: 4 }),
  )
  .map(([tasks, runs, recoveries]) => {
    const events: OrgEventEnvelope[] = [];
    const versions = new Map<string, number>();
    for (const { account, task, steps } of tasks) {
      for (let step = 0; step < steps; step += 1) {
        const version = (versions.get(`${account}/${task}`) ?? 0) + 1;
        versions.set(`${account}/${task}`, version);
        events.push(taskEvent({ account, taskId: `t-${task}`, version, status: STATUSES[version % STATUSES.length]!, queue: QUEUES[task % 2]!, createdAt: `2026-12-01T09:00:0${task < 2 ? 0 : 1}.000Z` }));
      }
    }
    runs.forEach(({ account, dlqs }, run) => {
      const counts = Object.values(dlqs);
      const totals = { DeadLetterQueues: counts.length, ApproximateNumberOfMessages: counts.reduce((sum, n) => sum + n, 0), ApproximateNumberOfMessagesNotVisible: 0 };
      const removed = QUEUES.filter((name) => !(name in dlqs));
      // some DLQs with the age of their oldest message, some without (as CloudWatch may not know it)
      const ages = Object.fromEntries(Object.entries(dlqs).filter(([, messages]) => messages % 3 !== 0).map(([name, messages]) => [name, messages * 100 + run]));
      events.push(inventoryEvent({ account, asOf: `2026-12-01T10:0${run}:00.000Z`, dlqs, ages, removed, totals }));
    });
    for (const { account, queue, version } of recoveries) events.push(recoveryEvent({ account, queue, version, to: version % 2 === 0 ? 'RECOVERING' : 'PAUSED', runId: `run-${version}` }));
    return events;
  })
  .chain((events) => fc.shuffledSubarray([...events, ...events], { minLength: events.length * 2 }));

async function answers(store: OrgReadModelStore) {
  const byArn = (a: { queueArn: string }, b: { queueArn: string }) => a.queueArn.localeCompare(b.queueArn);
  // the same name in two accounts ties in every order: names, counts and ages are compared, not ARNs' places
  const dlqs = async (accountId?: string, prefix?: string) => {
    const query = { limit: 1000, ...(accountId ? { accountId } : {}), ...(prefix ? { prefix } : {}) };
    const byName = (await store.queryDlqs({ ...query, sort: 'name' })).items;
    const byMessages = (await store.queryDlqs({ ...query, sort: 'messages' })).items;
    const byAge = (await store.queryDlqs({ ...query, sort: 'age' })).items;
    return {
      names: byName.map((dlq) => dlq.queueName),
      // by messages, ties go by name, then ARN, as in the account's GET /dlqs: the whole order is fixed
      messages: byMessages.map((dlq) => [dlq.approximateNumberOfMessages, dlq.queueArn]),
      ages: byAge.map((dlq) => [dlq.queueName, dlq.oldestMessageAgeSeconds]),
      entries: [...byName].sort(byArn),
    };
  };
  const tasks = async (accountId: string) => (await store.queryTasks({ accountId, limit: 100 })).items.map((task) => task).sort((a, b) => a.taskId.localeCompare(b.taskId));
  return {
    accounts: [...(await store.listAccounts())].sort((a, b) => a.accountId.localeCompare(b.accountId)),
    active: new Map([...(await store.countActiveTasks())].sort()),
    dlqs: await dlqs(),
    dlqsOf: await Promise.all(ACCOUNTS.map((account) => dlqs(account))),
    prefixed: await Promise.all(['a', 'b-', 'c-dlq'].map((prefix) => dlqs(undefined, prefix))),
    prefixedOf: await dlqs(ACCOUNTS[1], 'a-'),
    tasksOf: await Promise.all(ACCOUNTS.map((account) => tasks(account))),
  };
}

describe('DynamoDbOrgStore and InMemoryOrgStore follow the same rules', () => {
  let emulator: Awaited<ReturnType<typeof startDynamoDbEmulator>>;
  let client: DynamoDBClient;
  let tables = 0;

  beforeAll(async () => {
    emulator = await startDynamoDbEmulator({ port: 0 });
    client = new DynamoDBClient({ endpoint: emulator.url, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  });
  afterAll(async () => {
    client.destroy();
    await emulator.close();
  });

  it(`answer alike after the same events, repeated and in any order (${RUNS} cases)`, async () => {
    await fc.assert(
      fc.asyncProperty(deliveries, async (delivered) => {
        // Prepare: a fresh table each case
        const tableName = `org-contract-${(tables += 1)}`;
        await client.send(new CreateTableCommand(orgTableDefinition(tableName)));
        const dynamo = new DynamoDbOrgStore(client, tableName);
        const memory = new InMemoryOrgStore();

        // Act
        for (const event of delivered) {
          const now = new Date(); // one arrival instant for both: each task row keeps it
          await ingestOrgEvent(dynamo, event, now);
          await ingestOrgEvent(memory, event, now);
        }

        // Assess
        expect(await answers(dynamo)).toEqual(await answers(memory));
        // pages of one, by nextToken, in each order with a prefix (a key condition by name, a filter otherwise)
        for (const sort of ['name', 'messages', 'age'] as const) {
          const paged: string[] = [];
          let nextToken: string | undefined;
          do {
            const page = await dynamo.queryDlqs({ sort, prefix: 'b', limit: 1, ...(nextToken ? { nextToken } : {}) });
            paged.push(...page.items.map((dlq) => dlq.queueArn));
            nextToken = page.nextToken;
          } while (nextToken);
          const whole = (await dynamo.queryDlqs({ sort, prefix: 'b', limit: 1000 })).items.map((dlq) => dlq.queueArn);
          expect(paged).toEqual(whole);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('refuse alike a forged task event: another createdAt, or a version beyond the writes since the held one arrived', async () => {
    // Prepare
    const tableName = `org-contract-${(tables += 1)}`;
    await client.send(new CreateTableCommand(orgTableDefinition(tableName)));
    const stores = [new DynamoDbOrgStore(client, tableName), new InMemoryOrgStore()];
    const account = ACCOUNTS[0]!;
    const at = (seconds: number) => new Date(Date.parse('2026-12-01T11:00:00.000Z') + seconds * 1000);
    const sequence: [OrgEventEnvelope, Date][] = [
      [inventoryEvent({ account, asOf: '2026-12-01T10:00:00.000Z', dlqs: { 'orders-dlq': 3 } }), at(0)],
      [taskEvent({ account, taskId: 't-1', version: 1, status: 'RUNNING' }), at(0)],
      [taskEvent({ account, taskId: 't-1', version: 100_000_000_000, status: 'CANCELLED', createdAt: '2023-06-01T00:00:00.000Z' }), at(1)],
      [taskEvent({ account, taskId: 't-1', version: 7_000_000, status: 'CANCELLED' }), at(2)],
      [taskEvent({ account, taskId: 't-1', version: 2, status: 'CANCELLING' }), at(3)],
      // 10 s on, a true version up to 10,000 writes a second plus the skew's 300,000 still applies
      [taskEvent({ account, taskId: 't-1', version: 310_000, status: 'CANCELLED' }), at(13)],
    ];

    // Act
    const applied = await Promise.all(stores.map(async (store) => {
      const rows: number[] = [];
      for (const [event, now] of sequence) rows.push((await ingestOrgEvent(store, event, now)).applied);
      const newest = (await store.queryDlqs({ sort: 'name', limit: 10 })).items.map((dlq) => dlq.newestTask && { version: dlq.newestTask.version, status: dlq.newestTask.status });
      return { rows, newest, tasks: (await store.queryTasks({ accountId: account, limit: 10 })).items.map(({ taskId, version, status, createdAt }) => ({ taskId, version, status, createdAt })) };
    }));

    // Assess
    expect(applied[0]).toEqual(applied[1]);
    expect(applied[0]!.tasks).toEqual([{ taskId: 't-1', version: 310_000, status: 'CANCELLED', createdAt: '2026-12-01T09:00:00.000Z' }]);
    expect(applied[0]!.rows).toEqual([1, 2, 0, 0, 2, 2]);
    expect(applied[0]!.newest).toEqual([{ version: 310_000, status: 'CANCELLED' }]);
  });

  it("refuses a nextToken of another filter (a prefix, a status) instead of skipping that filter's entries", async () => {
    // Prepare: DLQs a*, b* of one account, and a DLQ's tasks in two statuses
    const tableName = `org-contract-${(tables += 1)}`;
    await client.send(new CreateTableCommand(orgTableDefinition(tableName)));
    const store = new DynamoDbOrgStore(client, tableName);
    await ingestOrgEvent(store, inventoryEvent({ account: ACCOUNTS[0]!, asOf: '2026-12-01T10:00:00.000Z', dlqs: { 'aaa-dlq': 9, 'alpha-dlq': 5, 'apple-dlq': 7, 'b1-dlq': 8, 'b2-dlq': 6 } }));
    for (const [taskId, status] of [['t-1', 'RUNNING'], ['t-2', 'COMPLETED'], ['t-3', 'COMPLETED']] as const) {
      await ingestOrgEvent(store, taskEvent({ account: ACCOUNTS[0]!, taskId, version: 1, status, queue: 'a-dlq', createdAt: `2026-12-01T09:00:0${taskId.slice(-1)}.000Z` }));
    }
    const sourceArn = `arn:aws:sqs:us-east-1:${ACCOUNTS[0]}:a-dlq`;

    // Act
    const bToken = (await store.queryDlqs({ sort: 'messages', prefix: 'b', limit: 1 })).nextToken!;
    const completedToken = (await store.queryTasks({ sourceArn, status: 'COMPLETED', limit: 1 })).nextToken!;

    // Assess
    await expect(store.queryDlqs({ sort: 'messages', prefix: 'a', limit: 1, nextToken: bToken })).rejects.toMatchObject({ code: 'InvalidParameterValue' });
    await expect(store.queryTasks({ sourceArn, status: 'RUNNING', limit: 1, nextToken: completedToken })).rejects.toMatchObject({ code: 'InvalidParameterValue' });
    expect((await store.queryDlqs({ sort: 'messages', prefix: 'b', limit: 1, nextToken: bToken })).items.map((dlq) => dlq.queueName)).toEqual(['b2-dlq']);
  });

  it("orders DLQs of equal counts by name, then ARN, as the account's GET /dlqs does", async () => {
    // Prepare: empty DLQs (the common tie), named out of order, one name in both accounts
    const tableName = `org-contract-${(tables += 1)}`;
    await client.send(new CreateTableCommand(orgTableDefinition(tableName)));
    const store = new DynamoDbOrgStore(client, tableName);
    await ingestOrgEvent(store, inventoryEvent({ account: ACCOUNTS[1]!, asOf: '2026-12-01T10:00:00.000Z', dlqs: { 'orders-dlq': 0, 'bravo-dlq': 0, 'mid-dlq': 3 } }));
    await ingestOrgEvent(store, inventoryEvent({ account: ACCOUNTS[0]!, asOf: '2026-12-01T10:00:00.000Z', dlqs: { 'orders-dlq': 0, 'apple-dlq': 0 } }));

    // Act
    const order = (await store.queryDlqs({ sort: 'messages', limit: 100 })).items.map((dlq) => `${dlq.accountId.slice(0, 1)}:${dlq.queueName}`);

    // Assess
    expect(order).toEqual(['2:mid-dlq', '1:apple-dlq', '2:bravo-dlq', '1:orders-dlq', '2:orders-dlq']);
  });
});
