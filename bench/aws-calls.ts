// AWS calls per request: the bundled handler in the local stack, every call counted by the recording
// proxies in front of SQS, DynamoDB and the event bus. The store reads before it writes (no reliance on
// ReturnValuesOnConditionCheckFailure), so the emulators make the same calls real AWS would.
import { randomUUID } from 'node:crypto';

import { encodeTaskHandle } from '../lambda/domain/task-handle';
import { startTestStack, type TestStack } from '../test/support/local-stack-fixture';
import type { Report } from './report';
import { seedDlqs, startRunningTasks } from './running-tasks';

interface Counted {
  readonly sqs: string[];
  readonly dynamoDb: string[];
  readonly events: string[];
}

interface Target {
  readonly sqs: number;
  readonly dynamoDb: number;
  readonly events: number;
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

// Issue 7's targets. Two rows miss them by design (docs/performance.md): issue 10's crash-safe events
// make a cancel read the record before its conditional claim (GetItem + 2 PutItem + 1 PutEvents), and
// adoption asks SQS once about a handle the table does not know.
const SUCCESS: Target = { sqs: 1, dynamoDb: 2, events: 1 };
const REFUSED: Target = { sqs: 0, dynamoDb: 1, events: 0 };
const UNKNOWN: Target = { sqs: 0, dynamoDb: 1, events: 0 };
const INVALID: Target = { sqs: 0, dynamoDb: 0, events: 0 };

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

async function runScenarios(report: Report, channel: Channel, list: Scenario[]): Promise<void> {
  for (const scenario of list) {
    channel.reset();
    const status = await channel.send(scenario.path, scenario.body);
    const { sqs, dynamoDb, events } = channel.counted();
    const names = (calls: string[]) => (calls.length ? ` ${calls.map((call) => call.replace(/^.*\./, '')).join(',')}` : '');
    const { target } = scenario;
    report.add({
      section: 'calls per request',
      name: `${scenario.name} → ${status}`,
      value: `SQS ${sqs.length}${names(sqs)}; DynamoDB ${dynamoDb.length}${names(dynamoDb)}; EventBridge ${events.length}`,
      target: `SQS ≤ ${target.sqs}; DynamoDB ≤ ${target.dynamoDb}; EventBridge ≤ ${target.events}`,
      pass: status === scenario.status && sqs.length <= target.sqs && dynamoDb.length <= target.dynamoDb && events.length <= target.events,
    });
  }
}

function localChannel(t: TestStack): Channel {
  const targets = (calls: { target: string }[]) => calls.map((call) => call.target);
  return {
    send: async (path, body) => (await t.post(path, body)).status,
    counted: () => ({ sqs: targets(t.sqsProxy.calls), dynamoDb: targets(t.dynamoDbProxy.calls), events: targets(t.eventsProxy.calls) }),
    reset: () => {
      t.sqsProxy.reset();
      t.dynamoDbProxy.reset();
      t.eventsProxy.reset();
    },
  };
}

export async function measureAwsCalls(report: Report): Promise<void> {
  const t = await startTestStack({ onLog: () => undefined });
  try {
    const dlqs = await seedDlqs(t.sqs, 3, 'bench-calls');
    const tasks = await startRunningTasks({ sqs: t.sqs, dynamoDb: t.dynamoDb, tableName: t.stack.tableName }, dlqs.slice(0, 2));
    // unknown: a well-formed handle for a managed queue on which nothing runs
    const unknown = encodeTaskHandle(randomUUID(), dlqs[2]!.dlqArn);
    await runScenarios(report, localChannel(t), scenarios({ first: tasks[0]!.taskHandle, second: tasks[1]!.taskHandle }, unknown));
  } finally {
    await t.stop();
  }
}
