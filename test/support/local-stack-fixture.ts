import { randomUUID } from 'node:crypto';

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';

import { parseTaskHandle } from '../../lambda/domain/task-handle';
import { LOCAL_CREDENTIALS, type LocalStack, type LocalStackOptions,startLocalStack } from '../../local/local-stack';
import { seedDlq, type SeededDlq } from '../../local/seed-dlq';
import { type RecordingProxy,startRecordingProxy } from './recording-proxy';
import { useStarted } from './use-started';

export interface TestStack {
  readonly stack: LocalStack;
  /** the function's SQS calls, recorded and fault-injectable */
  readonly sqsProxy: RecordingProxy;
  /** the function's DynamoDB calls, recorded and fault-injectable */
  readonly dynamoDbProxy: RecordingProxy;
  /** the functions' EventBridge PutEvents calls, recorded and fault-injectable */
  readonly eventsProxy: RecordingProxy;
  /** the functions' S3 calls (the archive), recorded and fault-injectable */
  readonly s3Proxy: RecordingProxy;
  /** one reconciler run, now */
  reconcile(): Promise<Record<string, number>>;
  /** an SQS client on the emulator (not through the controller) */
  readonly sqs: SQSClient;
  readonly dynamoDb: DynamoDBClient;
  /** every line the functions logged */
  readonly logs: string[];
  /** a DLQ with `count` messages, under a name no other test uses */
  seedDlq(count: number, prefix?: string): Promise<SeededDlq>;
  /**
   * A task started through the API that stays RUNNING for the test (30 messages at 1 a second);
   * the proxies' records are cleared after it, so a test counts only its own calls.
   */
  runningTask(prefix: string): Promise<{ handle: string; dlqArn: string; taskId: string }>;
  /** POST a JSON body to the API */
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Headers; body: any; text: string }>;
  get(path: string): Promise<{ status: number; headers: Headers; body: any; text: string }>;
  stop(): Promise<void>;
}

/**
 * The local stack on free ports, with recording proxies between the functions and the emulators.
 * The reconciler runs only when a test calls `reconcile()`, unless `reconcileIntervalMs` is given.
 */
export async function startTestStack(options: LocalStackOptions = {}): Promise<TestStack> {
  const logs: string[] = [];
  const proxies: Partial<Record<'sqs' | 'dynamodb' | 'events' | 's3', RecordingProxy>> = {};
  const stack = await startLocalStack({
    apiPort: 0,
    sqsPort: 0,
    dynamoDbPort: 0,
    eventsPort: 0,
    lambdaPort: 0,
    reconcileIntervalMs: 0,
    onLog: (line) => logs.push(line),
    interpose: async (service, url) => {
      const proxy = await startRecordingProxy(url);
      proxies[service] = proxy;
      return proxy.url;
    },
    ...options,
  });
  const sqs = new SQSClient({ endpoint: stack.sqsUrl, region: stack.region, credentials: LOCAL_CREDENTIALS });
  const dynamoDb = new DynamoDBClient({ endpoint: stack.dynamoDbUrl, region: stack.region, credentials: LOCAL_CREDENTIALS });
  const call = async (path: string, init: RequestInit) => {
    const response = await fetch(`${stack.apiUrl}${path}`, init);
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { status: response.status, headers: response.headers, body, text };
  };
  return {
    stack,
    sqsProxy: proxies.sqs!,
    dynamoDbProxy: proxies.dynamodb!,
    eventsProxy: proxies.events!,
    s3Proxy: proxies.s3!,
    reconcile: () => stack.reconcile(),
    sqs,
    dynamoDb,
    logs,
    seedDlq: (count, prefix = 'test') => seedDlq(sqs, `${prefix}-${randomUUID().slice(0, 8)}`, count),
    runningTask: async (prefix) => {
      const dlq = await seedDlq(sqs, `${prefix}-${randomUUID().slice(0, 8)}`, 30);
      const started = await call('/StartMessageMoveTask', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ SourceArn: dlq.dlqArn, MaxNumberOfMessagesPerSecond: 1, Reason: 'a test task' }) });
      if (started.status !== 200) throw new Error(`could not start a task on ${dlq.dlqArn}: ${started.text}`);
      const handle = (started.body as { TaskHandle: string }).TaskHandle;
      for (const proxy of Object.values(proxies)) proxy?.reset();
      return { handle, dlqArn: dlq.dlqArn, taskId: parseTaskHandle(handle).taskId };
    },
    post: (path, body, headers = {}) =>
      call(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
    get: (path) => call(path, { method: 'GET' }),
    stop: async () => {
      sqs.destroy();
      dynamoDb.destroy();
      await stack.stop();
      await proxies.sqs?.close();
      await proxies.dynamodb?.close();
      await proxies.events?.close();
      await proxies.s3?.close();
    },
  };
}

/**
 * The describe block's test stack: started before its tests, stopped after them. Answers the stack
 * object, filled in when it has started (use it inside hooks and tests). With `resetCallsBeforeEach`
 * every test counts only its own SQS and DynamoDB calls.
 */
export function useTestStack(options: LocalStackOptions = {}, { resetCallsBeforeEach = false } = {}): TestStack {
  const t = useStarted(() => startTestStack(options));
  if (resetCallsBeforeEach) {
    beforeEach(() => {
      t.sqsProxy.reset();
      t.dynamoDbProxy.reset();
    });
  }
  return t;
}

/** Polls a condition until it holds: for state that changes on the emulator's own clock. */
export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T;
  do {
    last = await probe();
    if (accept(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 50));
  } while (Date.now() < deadline);
  throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
}
