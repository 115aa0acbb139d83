// AWS calls per request, counted twice:
// - local: the bundled handler in the local stack, calls counted by recording proxies. dynalite lacks
//   ReturnValuesOnConditionCheckFailure, so the local stack runs the store with
//   DYNAMODB_ITEM_ON_CONDITION_FAILURE=false and a refused cancel reads the item a second time.
// - production mode: the same handler code in this process, the store as deployed
//   (itemOnConditionFailure on), its DynamoDB client given the item with a failed condition as real
//   DynamoDB does (read by a side client that is not counted); every send is counted.
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { DynamoDbTaskStore } from '../lambda/adapters/dynamodb/dynamodb-task-store';
import { handleHttpRequest } from '../lambda/adapters/http/handle-http-request';
import { SqsMessageMoveService } from '../lambda/adapters/sqs/sqs-message-move-service';
import { readSettings } from '../lambda/config/environment';
import type { ControllerDependencies } from '../lambda/domain/ports';
import { QueueScope } from '../lambda/domain/queue-scope';
import { encodeTaskHandle } from '../lambda/domain/task-handle';
import { LOCAL_CREDENTIALS } from '../local/local-stack';
import { startTestStack, type TestStack } from '../test/support/local-stack-fixture';
import type { Report } from './report';
import { seedDlqs, startRunningTasks } from './running-tasks';

interface Counted {
  readonly sqs: string[];
  readonly dynamoDb: string[];
}

interface Target {
  readonly sqs: number;
  readonly dynamoDb: number;
  /** production's DynamoDB target; locally dynalite needs this many more reads */
  readonly emulatorExtraReads?: number;
}

interface Scenario {
  readonly name: string;
  readonly path: string;
  readonly body: string;
  readonly status: number;
  readonly target: Target;
}

/** One way of sending a request and counting the AWS calls it made. */
interface Channel {
  send(path: string, body: string): Promise<number>;
  counted(): Counted;
  reset(): void;
}

// issue 10: a cancel reads the record (its event carries it), claims it with the event promised in the
// same write, and after SQS records the count and the sent event in one write: GetItem + 2 PutItem.
// A refused cancel is the read alone; an unknown handle also asks SQS whether to adopt the task.
const SUCCESS: Target = { sqs: 1, dynamoDb: 3 };
const REFUSED: Target = { sqs: 0, dynamoDb: 1 };
const UNKNOWN: Target = { sqs: 1, dynamoDb: 1 };
const INVALID: Target = { sqs: 0, dynamoDb: 0 };

function scenarios(handles: { first: string; second: string }, unknownHandle: string): Scenario[] {
  const cancel = (body: unknown) => JSON.stringify(body);
  return [
    { name: 'cancel RUNNING task', path: '/CancelMessageMoveTask', body: cancel({ TaskHandle: handles.first }), status: 200, target: SUCCESS },
    { name: 'cancel again (not RUNNING)', path: '/CancelMessageMoveTask', body: cancel({ TaskHandle: handles.first }), status: 400, target: REFUSED },
    { name: 'cancel unknown handle', path: '/CancelMessageMoveTask', body: cancel({ TaskHandle: unknownHandle }), status: 400, target: UNKNOWN },
    { name: 'cancel malformed handle', path: '/CancelMessageMoveTask', body: cancel({ TaskHandle: 'not-a-handle' }), status: 400, target: INVALID },
    {
      name: 'cancel unmanaged queue',
      path: '/CancelMessageMoveTask',
      body: cancel({ TaskHandle: encodeTaskHandle(randomUUID(), 'arn:aws:sqs:us-east-1:111122223333:elsewhere-dlq') }),
      status: 400,
      target: INVALID,
    },
    { name: 'cancel without TaskHandle', path: '/CancelMessageMoveTask', body: cancel({}), status: 400, target: INVALID },
    { name: 'body not JSON', path: '/CancelMessageMoveTask', body: '{"TaskHandle":', status: 400, target: INVALID },
    { name: 'unknown action', path: '/DeleteQueue', body: cancel({ QueueUrl: 'x' }), status: 400, target: INVALID },
    { name: 'cancel 2nd RUNNING task', path: '/CancelMessageMoveTask', body: cancel({ TaskHandle: handles.second }), status: 200, target: SUCCESS },
  ];
}

async function runScenarios(report: Report, mode: 'local' | 'production', channel: Channel, list: Scenario[]): Promise<void> {
  for (const scenario of list) {
    channel.reset();
    const status = await channel.send(scenario.path, scenario.body);
    const { sqs, dynamoDb } = channel.counted();
    const dynamoDbLimit = scenario.target.dynamoDb + (mode === 'local' ? (scenario.target.emulatorExtraReads ?? 0) : 0);
    const extra = mode === 'local' && scenario.target.emulatorExtraReads ? ` (${scenario.target.dynamoDb} + dynalite read)` : '';
    const names = (calls: string[]) => (calls.length ? ` ${calls.map((call) => call.replace(/^.*\./, '').replace(/Command$/, '')).join(',')}` : '');
    report.add({
      section: `calls (${mode})`,
      name: `${scenario.name} → ${status}`,
      value: `SQS ${sqs.length}${names(sqs)}; DynamoDB ${dynamoDb.length}${names(dynamoDb)}`,
      target: `SQS ≤ ${scenario.target.sqs}; DynamoDB ≤ ${dynamoDbLimit}${extra}`,
      pass: status === scenario.status && sqs.length <= scenario.target.sqs && dynamoDb.length <= dynamoDbLimit,
    });
  }
}

/** Counts every send of a client by command name. */
function countSends(client: SQSClient | DynamoDBClient, into: string[]): void {
  (client as DynamoDBClient).middlewareStack.add(
    (next, context) => async (args) => {
      into.push(context.commandName ?? 'unknown');
      return next(args);
    },
    { step: 'initialize', name: 'benchCountSends' },
  );
}

/** What real DynamoDB does and dynalite does not: the item comes back with a failed condition. */
function itemOnConditionFailure(client: DynamoDBClient, side: DynamoDBClient): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const input = args.input as Partial<UpdateItemCommandInput>;
        if (error instanceof ConditionalCheckFailedException && input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && !error.Item) {
          const output = await side.send(new GetItemCommand({ TableName: input.TableName, Key: input.Key, ConsistentRead: true }));
          if (output.Item) error.Item = output.Item;
        }
        throw error;
      }
    },
    { step: 'initialize', name: 'benchItemOnConditionFailure' },
  );
}

function productionChannel(t: TestStack): { channel: Channel; close(): void } {
  const counted: Counted = { sqs: [], dynamoDb: [] };
  const settings = readSettings(t.stack.functionEnv);
  const options = { region: t.stack.region, credentials: LOCAL_CREDENTIALS };
  const sqs = new SQSClient({ ...options, endpoint: t.stack.sqsUrl });
  const dynamoDb = new DynamoDBClient({ ...options, endpoint: t.stack.dynamoDbUrl });
  const side = new DynamoDBClient({ ...options, endpoint: t.stack.dynamoDbUrl });
  countSends(sqs, counted.sqs);
  countSends(dynamoDb, counted.dynamoDb);
  itemOnConditionFailure(dynamoDb, side);
  const deps: ControllerDependencies = {
    sqs: new SqsMessageMoveService(sqs),
    store: new DynamoDbTaskStore(dynamoDb, { tableName: settings.tableName, itemOnConditionFailure: true }),
    // outgoing events are not counted here (one PutEvents per transition, after the write)
    events: { publish: async (events) => ({ sent: events.map((event) => event.id) }) },
    scope: new QueueScope(settings),
    clock: { now: () => new Date() },
    log: { warn: () => undefined, error: () => undefined },
  };
  return {
    channel: {
      send: async (path, body) => {
        const request = { method: 'POST', path, headers: { 'content-type': 'application/json' }, query: {}, body, requestId: randomUUID() };
        const { response } = await handleHttpRequest(deps, request, 'bench');
        return response.statusCode;
      },
      counted: () => counted,
      reset: () => {
        counted.sqs.length = 0;
        counted.dynamoDb.length = 0;
      },
    },
    close: () => [sqs, dynamoDb, side].forEach((client) => client.destroy()),
  };
}

function localChannel(t: TestStack): Channel {
  const targets = (calls: { target: string }[]) => calls.map((call) => call.target);
  return {
    send: async (path, body) => (await t.post(path, body)).status,
    counted: () => ({ sqs: targets(t.sqsProxy.calls), dynamoDb: targets(t.dynamoDbProxy.calls) }),
    reset: () => {
      t.sqsProxy.reset();
      t.dynamoDbProxy.reset();
    },
  };
}

export async function measureAwsCalls(report: Report): Promise<void> {
  const t = await startTestStack({ onLog: () => undefined });
  try {
    const dlqs = await seedDlqs(t.sqs, 5, 'bench-calls');
    const tasks = await startRunningTasks({ sqs: t.sqs, dynamoDb: t.dynamoDb, tableName: t.stack.tableName }, dlqs.slice(0, 4));
    // unknown: a well-formed handle for a managed queue on which nothing runs
    const unknown = encodeTaskHandle(randomUUID(), dlqs[4]!.dlqArn);
    await runScenarios(report, 'local', localChannel(t), scenarios({ first: tasks[0]!.taskHandle, second: tasks[1]!.taskHandle }, unknown));
    const production = productionChannel(t);
    try {
      await runScenarios(report, 'production', production.channel, scenarios({ first: tasks[2]!.taskHandle, second: tasks[3]!.taskHandle }, unknown));
    } finally {
      production.close();
    }
  } finally {
    await t.stop();
  }
}
